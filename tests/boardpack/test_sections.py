"""
The section registry: how finance and workforce will join the pack without editing it.

A stand-in "finance" section is registered the way the finance app will register
its own, and must appear in the contents, on the summary page and in the annual review.
"""

from __future__ import annotations

import re
from copy import deepcopy

import pytest
from django.conf import settings
from django.test import override_settings

from opb_portal.boardpack import render, sections, selectors
from opb_portal.boardpack.sections import HeadlineItem, Section
from opb_portal.periods import FinancialYear

from .conftest import MARCH, page_headed, pdf_pages

FINANCE_TEMPLATES = {
    "finance/pack.html": (
        '<table class="finance"><thead><tr><th>Line</th><th class="num">Forecast</th></tr></thead>'
        "<tbody>{% for name, value in lines %}<tr><td>{{ name }}</td>"
        '<td class="num">{{ value }}</td></tr>{% endfor %}</tbody></table>'
    ),
    "finance/annual.html": "<p>Outturn: {{ outturn }}</p>",
}


def _templates_with(extra: dict[str, str]) -> list[dict]:
    templates = deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", extra),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return templates


@pytest.fixture
def registry_snapshot():
    """Leave the registry as the apps made it, whatever a test registers."""
    saved = dict(sections._SECTIONS)
    yield
    sections._SECTIONS.clear()
    sections._SECTIONS.update(saved)


@pytest.fixture
def finance_section(registry_snapshot):
    calls = []

    def build(period):
        calls.append(period)
        return {"lines": [("Placements", "£42,100,000"), ("Staffing", "£31,250,000")]}

    # A stand-in for a domain's section, beside the real finance and workforce ones.
    sections.register(
        Section(
            key="standin",
            title="Stand-in: a domain's section",
            order=250,
            template="finance/pack.html",
            build=build,
            domain="finance",
            headline=lambda period: [
                HeadlineItem("Forecast in-year deficit", "£8,788,115", emphasis=True),
                HeadlineItem("Cumulative deficit", "£19,707,432"),
            ],
            headline_title="Finance",
            annual=lambda year: {"outturn": "£99,205,745"},
            annual_template="finance/annual.html",
            annual_title="Section (e) The Trust's performance against budgets",
        )
    )
    with override_settings(TEMPLATES=_templates_with(FINANCE_TEMPLATES)):
        yield calls


def test_the_apps_register_their_sections_in_order():
    assert [s.key for s in sections.pack_sections()] == [
        "kpi-scorecard",
        "kpi-attention",
        "exception-reports",
        "kpi-outlook",
        "finance",
        "finance-scenarios",
        "workforce",
        "demand",
        "actions-decisions",
        "kpi-definitions",
    ]
    # The demand section gates nothing: its figures are approved or published ones.
    assert sections.domains() == ["kpis", "finance", "workforce"]


def test_a_registered_domain_section_joins_the_contents_the_summary_and_the_pages(
    meeting, finance_section
):
    pack = selectors.pack_contents(MARCH, meeting=meeting)
    pages = pdf_pages(render.render_pack(pack).pdf)
    text = "\n".join(pages)

    assert [part.section.key for part in pack.parts] == [
        "kpi-scorecard",
        "kpi-attention",
        "exception-reports",
        "kpi-outlook",
        "finance",
        "finance-scenarios",
        "standin",
        "workforce",
        "demand",
        "actions-decisions",
        "kpi-definitions",
    ]
    assert finance_section == [MARCH]
    contents = next(page for page in pages if re.search(r"^\s*Contents\s*$", page, re.M))
    assert re.search(r"Stand-in: a domain's section \.+ \d+", contents)
    summary = page_headed(pages, "Summary: where the contract stands")
    assert "£8,788,115" in summary
    assert "Cumulative deficit" in summary
    assert "£42,100,000" in text
    # The demonstration's finance return for March 2025 is approved: nothing holds the pack back.
    assert not pack.draft


def test_a_registered_section_joins_the_annual_review(demo, finance_section):
    review = selectors.annual_review(FinancialYear(2024))
    keys = [part.section.key for part in review.parts]
    assert keys == [
        "executive-summary",
        "improvement-plan",
        "kpi-scorecard",
        "audits",
        "ofsted",
        "finance",
        "standin",
        "workforce",
        "demand",
        "care-experienced",
        "exception-reports",
        "change-control",
        "proposed-changes",
        "actions-decisions",
        "other-matters",
    ]
    html = render.rendered_parts(review.parts, annual=True)[keys.index("standin")][1]
    assert "Outturn: £99,205,745" in html


def test_registering_a_key_again_replaces_the_section(registry_snapshot):
    first = Section(key="x", title="One", order=500, template="t.html", build=dict)
    second = Section(key="x", title="Two", order=500, template="t.html", build=dict)
    sections.register(first)
    sections.register(second)
    assert [s.title for s in sections.all_sections() if s.key == "x"] == ["Two"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            {"annual": dict}, "without its template or title", id="annual-needs-a-template"
        ),
        pytest.param({"headline": list}, "without `headline_title`", id="headline-needs-a-title"),
    ],
)
def test_an_incomplete_section_is_refused_when_it_is_described(extra, message):
    with pytest.raises(ValueError, match=message):
        Section(key="x", title="X", order=1, template="t.html", build=dict, **extra)


def test_a_read_shared_by_sections_is_made_once_per_build():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with sections.one_build():
        assert sections.shared(("k",), compute) == 1
        assert sections.shared(("k",), compute) == 1
    assert sections.shared(("k",), compute) == 2  # outside a build: every time
