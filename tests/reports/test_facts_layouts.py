"""The default layouts (reports migration 0002) name only facts the domains give."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps

from opb_portal.reports.facts import facts_on, prefixes
from opb_portal.reports.language import Writer
from opb_portal.reports.models import Kind, Layout, LayoutSection

defaults = importlib.import_module("opb_portal.reports.migrations.0002_default_layouts")
KEY = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)\}")
# Given by the inspections provider (the Ofsted judgements as a table), another part's.
OTHERS = {"inspections.current_judgements"}
DECEMBER = datetime.date(2024, 12, 31)


def keys_of(name: str) -> set[str]:
    _kind, _name, _heading, front_matter, sections = next(
        layout for layout in defaults.LAYOUTS if layout[1] == name
    )
    text = front_matter + "\n".join(body for _heading, body in sections)
    return set(KEY.findall(text))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(defaults.SCRUTINY, id="scrutiny"),
        pytest.param(defaults.BUDGET, id="budget-scrutiny"),
        pytest.param(defaults.CABINET, id="cabinet"),
    ],
)
def test_every_fact_a_default_layout_names_is_given_on_31_march_2025(demo, name):
    keys = keys_of(name)
    given = facts_on(datetime.date(2025, 3, 31))

    ours = {key for key in keys if key.split(".")[0] in prefixes()}
    assert keys - ours <= OTHERS
    assert sorted(ours - set(given)) == []
    assert len(ours) >= 5


def test_the_scrutiny_layout_has_the_seed_reports_sections_in_order():
    _kind, _name, heading, front_matter, sections = defaults.LAYOUTS[0]
    assert heading == "Report to Children's Services and Education Scrutiny Board"
    assert [line.split(":")[0] for line in front_matter.splitlines()] == [
        "Subject",
        "Director",
        "Contact Officer",
    ]
    assert [section for section, _body in sections] == [
        "1 Recommendations",
        "2 Reasons for Recommendations",
        "3 How does this deliver objectives of the Council Plan?",
        "4 Context and Key Issues",
        "5 Alternative Options",
        "6 Implications",
        "7 Appendices",
        "8 Background Papers",
    ]
    implications = dict(sections)["6 Implications"]
    for label in ("Resources", "Legal and Governance", "Risk", "Equality", "Corporate Parenting"):
        assert f"| {label} |" in implications


def test_the_migration_adds_each_layout_once_and_keeps_the_administrators(db):
    Layout.objects.filter(name__in=[layout[1] for layout in defaults.LAYOUTS]).delete()
    defaults.add_layouts(apps, None)
    scrutiny = Layout.objects.get(name=defaults.SCRUTINY)
    scrutiny.heading = "Adjusted by the administrator"
    scrutiny.save()

    defaults.add_layouts(apps, None)

    assert sorted(Layout.objects.values_list("kind", flat=True)) == sorted(
        [Kind.BUDGET_SCRUTINY, Kind.CABINET, Kind.SCRUTINY]
    )
    assert LayoutSection.objects.filter(layout=scrutiny).count() == 8
    assert LayoutSection.objects.filter(layout__name=defaults.CABINET).count() == 9
    assert Layout.objects.get(name=defaults.SCRUTINY).heading == "Adjusted by the administrator"


def written(name: str, day: datetime.date) -> tuple[str, list[str]]:
    """A default layout written at `day` by the layout language: its words and its warnings."""
    _kind, _name, _heading, front_matter, sections = next(
        layout for layout in defaults.LAYOUTS if layout[1] == name
    )
    writer = Writer(facts=facts_on(day), day=day)
    words = [
        text
        for _label, runs in writer.front_matter(front_matter)
        for text in (r.text for r in runs)
    ]
    for heading, body in sections:
        words.append(repr(writer.blocks(body, where=heading)))
    return " ".join(words), writer.warnings


def test_the_scrutiny_update_at_31_december_2024_says_the_seed_reports_figures(demo):
    text, warnings = written(defaults.SCRUTINY, DECEMBER)

    for said in (
        "£80.80m",
        "£6.325m",
        "8.5%",
        "2023-24",
        "£6,508",
        "£6,701",
        "74",
        "16.4%",
        "decreased from 12.0% in June 2024 to 7.2% in December 2024",
        "decreased from 27.7% in June 2024 to 22.4% in December 2024",
    ):
        assert said in text
    # Only the inspections' table is another part's: every other fact is given that day.
    assert [w for w in warnings if "{inspections." not in w] == []


@pytest.mark.parametrize(
    ("name", "day"),
    [
        pytest.param(defaults.BUDGET, DECEMBER, id="budget-scrutiny-february-2025"),
        pytest.param(defaults.CABINET, datetime.date(2025, 3, 31), id="cabinet-june-2025"),
        pytest.param(defaults.SCRUTINY, datetime.date(2025, 3, 31), id="scrutiny-at-year-end"),
    ],
)
def test_each_layout_at_its_demonstration_date_lacks_no_fact_of_the_domains(demo, name, day):
    _text, warnings = written(name, day)
    assert [w for w in warnings if "{inspections." not in w] == []
