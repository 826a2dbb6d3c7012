"""
Section (a) of the annual review: the year's Improvement Plan as it stood on 31 March, and
the demonstration's plan of 2024-25 with the five priorities and ambitions the published
review (seed 001) gives.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from governance.improvement import annual
from governance.models import ImprovementPlan, ImprovementProgress
from opb_portal.accounts.models import Role
from opb_portal.boardpack import sections
from opb_portal.periods import FinancialYear

from ..factories import UserFactory
from .improvement_data import build_plan

YEAR = FinancialYear(2024)

# Seed 001 (the annual review 2024-25), section (a), "Priorities and their ambition statements".
SEED_PRIORITIES = [
    (
        1,
        "People",
        "A place where our people are proud to be part of a skilled Sandwell family by being "
        "respected, supported, nurtured and empowered to thrive",
    ),
    (
        2,
        "Practice",
        "To improve the lives of children and young people through caring, compassionate "
        "support and proportionate high-quality interventions based on each child’s needs",
    ),
    (
        3,
        "Partnerships – Families First",
        "To develop integrated services for children and transform the way we help families "
        "in their communities at the earliest opportunity. With bespoke, community driven "
        "multi-agency services, we want to empower families, enabling them to improve their "
        "own lives",
    ),
    (
        4,
        "Integrated Approach to Care",
        "To recognise and understand the needs of the children and young people we support by "
        "ensuring services are designed to best meet those needs, enabling children and young "
        "people to fulfil their potential",
    ),
    (
        5,
        "Striving for Excellence",
        "To create the environment that transforms the Trust into an intelligence led, "
        "innovative, aspirational and confident organisation",
    ),
]


@pytest.fixture
def plan(db):
    return build_plan(UserFactory(role=Role.ADMINISTRATOR))


def _render(context: dict) -> str:
    return render_to_string("boardpack/governance/improvement_annual.html", context)


def test_section_a_is_the_first_lettered_section_of_the_annual_review():
    found = [s for s in sections.annual_sections() if s.key == annual.KEY]
    (section,) = found
    assert (section.annual_title, section.annual_letter, section.order) == (
        "Section (a) The Improvement Plan",
        "a",
        90,
    )
    # After the front of the document (the executive summary), the sections by their letter.
    lettered = [s for s in sections.annual_sections() if not s.annual_front]
    assert lettered[0] == section


def test_section_a_gives_each_action_its_status_at_the_years_end(plan, django_assert_num_queries):
    # 4 queries: the plan, its priorities, their actions, the actions' progress
    with django_assert_num_queries(4):
        context = annual.annual(YEAR)
    assert context["plan"] == plan
    assert context["illustrative"] is False
    rows = {
        row.action.reference: (row.progress.status if row.progress else None)
        for block in context["priorities"]
        for row in block.rows
    }
    # PLO's "done" of 30 April 2025 comes after the year's end: it stood red on 31 March.
    assert rows == {"1.1": "amber", "1.2": "done", "2.1": "red"}
    assert context["count"] == (
        "Of 3 actions at 31 March 2025: 1 complete, 0 on track, 1 at risk, 1 off track."
    )
    assert context["sign_off"] == (
        "The plan was signed off by the Trust Board on 28 March 2024 and by the Strategic "
        "Partnership Board on 18 April 2024."
    )


def test_section_a_reads_as_the_review_writes_it(plan):
    text = _render(annual.annual(YEAR))
    assert "<h3>Transformation Programme</h3>" in text
    assert "<h4>Priority 1 – People</h4>" in text
    assert "“A place where our people are proud”" in text
    assert "Priority Sponsor: Director of People" in text
    assert '<th scope="row">2.1 Speed up PLO decisions</th>' in text
    assert "Court delays." in text
    assert "Reviews within 16 weeks." not in text
    assert "Illustrative" not in text


@pytest.mark.parametrize(
    ("trust_board", "spb", "says"),
    [
        pytest.param(
            None,
            None,
            "The plan has not been recorded as signed off by the Trust Board or the SPB.",
            id="neither",
        ),
        pytest.param(
            "2024-03-28",
            None,
            "The plan was signed off by the Trust Board on 28 March 2024. Its sign-off by the "
            "Strategic Partnership Board is not recorded.",
            id="trust-board-only",
        ),
    ],
)
def test_a_sign_off_not_recorded_is_said(plan, trust_board, spb, says):
    plan.trust_board_signed_off, plan.spb_signed_off = trust_board, spb
    plan.save()
    plan.refresh_from_db()
    assert annual.sign_off_line(plan) == says


def test_a_year_without_a_plan_says_so(db):
    context = annual.annual(FinancialYear(2019))
    assert _render(context).strip() == (
        "<p>No Improvement Plan for 2019-20 is recorded in the portal.</p>"
    )


def test_the_demo_plan_has_the_five_priorities_and_ambitions_the_review_publishes(demo):
    plan = ImprovementPlan.objects.get(start_year=2024)
    assert plan.title == "Transformation Programme"
    assert [(p.number, p.title, p.ambition) for p in plan.priorities.all()] == SEED_PRIORITIES


def test_the_demo_plan_is_marked_illustrative_wherever_section_a_shows_it(demo):
    context = annual.annual(YEAR)
    assert context["illustrative"] is True
    assert context["illustrative_note"] == (
        "The priorities and their ambition statements are as the 2024-25 annual review "
        "publishes them; the sponsors (by post), the actions, their milestones and progress, "
        "and the sign-off dates are illustrative."
    )
    assert context["count"] == (
        "Of 12 actions at 31 March 2025: 7 complete, 2 on track, 3 at risk, 0 off track."
    )
    text = _render(context)
    assert text.index("<strong>Illustrative.</strong>") < text.index("<h3>")
    # Every priority has two or three actions, and the year saw every status.
    assert [len(block.rows) for block in context["priorities"]] == [3, 2, 2, 3, 2]
    statuses = {p.status for p in plan_progress()}
    assert statuses == {"green", "amber", "red", "done"}


def plan_progress():
    return ImprovementProgress.objects.filter(action__priority__plan__start_year=2024)


def test_the_annual_reviews_pdf_carries_section_a_marked_illustrative(demo_annual_review):
    text = "\n".join(demo_annual_review.pages)
    # The section's heading, then its illustrative note before the plan's own words.
    heading = text.rindex("Section (a) The Improvement Plan")
    assert heading < text.index("Illustrative. The priorities and their ambition", heading)
    assert "Priority 5 – Striving for Excellence" in text[heading:]
    assert "Of 12 actions at 31 March 2025: 7 complete" in text[heading:]
