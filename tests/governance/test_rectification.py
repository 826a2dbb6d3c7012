"""Rectification plans: written for an escalated KPI, agreed, followed month by month, closed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from governance.exception_reports import pack
from governance.exception_reports.services import AccountabilityError
from governance.models import PlanEvent, RectificationPlan
from governance.rectification import services
from governance.rectification.services import MilestoneText
from opb_portal.accounts.demo import demo_users
from opb_portal.accounts.models import User
from opb_portal.periods import FinancialYear, Period

from .conftest import DECEMBER, PI1, PI13, make_red


def milestones(trust, count: int = 2) -> list[MilestoneText]:
    return [
        MilestoneText(
            what=f"Milestone {n}",
            owner_name="Head of Service, Safeguarding Localities",
            owner_organisation=trust,
            due=datetime.date(2025, n + 1, 28),
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture
def plan(escalated, users, trust) -> RectificationPlan:
    return services.plan_write(
        user=users["kpi.submitter"],
        subject=PI13,
        period=escalated,
        summary="Every child discussed in supervision within 8 weeks by March 2025.",
        milestones=milestones(trust),
    )


def test_the_trust_writes_a_plan_for_an_escalated_kpi_and_it_waits_for_the_council(plan):
    assert (plan.status, plan.current_version.number, plan.domain) == ("submitted", 1, "kpis")
    assert [m.what for m in plan.current_version.milestones.all()] == [
        "Milestone 1",
        "Milestone 2",
    ]


@pytest.mark.parametrize(
    ("subject", "count", "message"),
    [
        pytest.param(PI1, 1, "is not escalated in December 2024", id="a-kpi-not-escalated"),
        pytest.param(PI13, 0, "at least one milestone", id="no-milestones"),
    ],
)
def test_a_plan_is_refused_without_what_it_needs(escalated, users, trust, subject, count, message):
    with pytest.raises(AccountabilityError, match=message):
        services.plan_write(
            user=users["kpi.submitter"],
            subject=subject,
            period=escalated,
            summary="A plan.",
            milestones=milestones(trust, count),
        )


def test_a_kpi_has_one_open_plan_at_a_time(plan, users, trust):
    with pytest.raises(AccountabilityError, match="already has an open rectification plan"):
        services.plan_write(
            user=users["kpi.submitter"],
            subject=PI13,
            period=DECEMBER,
            summary="Another.",
            milestones=milestones(trust),
        )


def test_only_the_kpi_submitter_writes_and_only_a_reviewer_agrees(plan, users, trust):
    with pytest.raises(AccountabilityError, match="Only the Trust's people"):
        services.plan_revise(
            user=users["finance.submitter"],
            plan=plan,
            summary="x",
            milestones=milestones(trust),
            seen=1,
        )
    with pytest.raises(AccountabilityError, match="Only a council reviewer"):
        services.plan_review(user=users["kpi.submitter"], plan=plan, accept=True, seen=1)


def test_a_plan_is_agreed_followed_and_closed_and_its_history_is_kept(plan, users, trust):
    reviewer, submitter = users["reviewer"], users["kpi.submitter"]
    services.plan_review(user=reviewer, plan=plan, accept=False, note="Dates, please.", seen=1)
    services.plan_revise(
        user=submitter, plan=plan, summary="With dates.", milestones=milestones(trust, 3), seen=1
    )
    services.plan_review(user=reviewer, plan=plan, accept=True, seen=2)
    services.plan_progress_add(user=submitter, plan=plan, period=Period(2025, 1), text="On track.")
    with pytest.raises(AccountabilityError, match="say why you are changing it"):
        services.plan_revise(
            user=submitter, plan=plan, summary="x", milestones=milestones(trust), seen=2
        )
    services.plan_close(user=reviewer, plan=plan, outcome="Back above 80% since February.")
    plan.refresh_from_db()

    assert (plan.status, plan.outcome, plan.closed_by) == (
        "closed",
        "Back above 80% since February.",
        reviewer,
    )
    assert plan.closed_at is not None
    assert [(e.action, e.from_status, e.to_status) for e in plan.events.all()] == [
        ("written", "", "submitted"),
        ("more_asked", "submitted", "more_asked"),
        ("written", "more_asked", "submitted"),
        ("accepted", "submitted", "accepted"),
        ("closed", "accepted", "closed"),
    ]
    assert list(plan.versions.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(AccountabilityError, match="closed"):
        services.plan_progress_add(user=submitter, plan=plan, period=DECEMBER, text="More.")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param("submitted", "only an agreed plan is closed", id="not-yet-agreed"),
    ],
)
def test_only_an_agreed_plan_is_closed_and_with_an_outcome(plan, users, status, message):
    with pytest.raises(AccountabilityError, match=message):
        services.plan_close(user=users["reviewer"], plan=plan, outcome="Done.")
    services.plan_review(user=users["reviewer"], plan=plan, accept=True, seen=1)
    with pytest.raises(AccountabilityError, match="Say what the plan achieved"):
        services.plan_close(user=users["reviewer"], plan=plan, outcome=" ")


def test_a_plan_due_shows_on_the_months_list_with_a_link_to_write_it(escalated, client, users):
    client.force_login(users["kpi.submitter"])
    html = client.get(reverse("governance:exceptions"), {"period": "2024-12"}).content.decode()
    url = reverse("governance:plan_new", args=[DECEMBER, PI13])

    assert f'<a href="{url}"><strong>Due, not yet written</strong></a>' in html
    assert client.get(url).status_code == 200


def test_every_plan_page_answers_every_demo_user(plan):
    """The demonstration has no plan (2024-25 had none): its pages are walked here instead."""
    pages = [reverse("governance:plans"), reverse("governance:plan", args=[plan.pk])]
    for username, *_ in demo_users():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert "PI13" in response.content.decode()
    client.force_login(User.objects.get(username="kpi.submitter"))
    assert client.get(reverse("governance:plan_revise", args=[plan.pk])).status_code == 200


def test_the_plan_list_is_read_in_a_fixed_number_of_queries(
    plan, client, users, django_assert_num_queries
):
    client.force_login(users["board"])
    # 7 queries: session, user, savepoint, the plans with their current versions and who
    # closed them, their progress, the KPIs they are about (subjects.describe), release
    with django_assert_num_queries(7):
        client.get(reverse("governance:plans"))


def test_the_pack_shows_every_open_plan_with_its_progress(plan, users):
    services.plan_review(user=users["reviewer"], plan=plan, accept=True, seen=1)
    services.plan_progress_add(
        user=users["kpi.submitter"], plan=plan, period=Period(2025, 1), text="Half the teams."
    )
    built = pack.build(Period(2025, 3))

    assert [p.described.label.split()[0] for p in built["plans"]] == ["PI13"]
    assert [e.text for e in built["plans"][0].progress.all()] == ["Half the teams."]


# --- the annual review's section (g) ----------------------------------------------------------


def test_section_g_says_in_the_reviews_words_that_there_were_no_plans(demo):
    assert pack.annual_draft(FinancialYear(2024)) == (
        "There were no formal action plans or rectification plans in the Contract year 2024/25."
    )


def test_section_g_is_drafted_from_the_years_plans(plan, users):
    services.plan_review(user=users["reviewer"], plan=plan, accept=True, seen=1)
    services.plan_close(user=users["reviewer"], plan=plan, outcome="Back on target in March.")
    draft = pack.annual_draft(FinancialYear(2024))

    assert draft.startswith("There was 1 rectification plan in the Contract year 2024/25: PI13")
    assert "was escalated in December 2024 and a rectification plan was agreed on" in draft
    assert "Outcome: Back on target in March." in draft
    assert PlanEvent.objects.filter(plan=plan, action="closed").exists()


def test_a_plan_of_another_year_is_not_in_section_g(plan):
    make_red("PI13", [])
    assert "no formal action plans" in pack.annual_draft(FinancialYear(2023))
