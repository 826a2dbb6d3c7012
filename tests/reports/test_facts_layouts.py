"""The default layouts (reports migration 0002) name only facts the domains give."""

from __future__ import annotations

import datetime
import importlib
import re

import pytest
from django.apps import apps

from opb_portal.reports.facts import facts_on, prefixes
from opb_portal.reports.models import Kind, Layout, LayoutSection

defaults = importlib.import_module("opb_portal.reports.migrations.0002_default_layouts")
KEY = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)\}")
# Given by the inspections provider (the Ofsted judgements as a table), another part's.
OTHERS = {"inspections.current_judgements"}


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
