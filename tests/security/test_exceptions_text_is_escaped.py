"""
What people write in exception reports and rectification plans is data, never markup: every
page that shows it (and the pack's pages) shows it escaped, with no tag or htmx attribute
coming through. The helpers are those of test_person_written_text_is_escaped.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from governance.exception_reports import pack
from governance.exception_reports import services as reports
from governance.rectification import services as plans
from governance.rectification.services import MilestoneText
from opb_portal.accounts.models import Organisation, User
from opb_portal.periods import Period

from ..governance.conftest import make_red
from .test_person_written_text_is_escaped import assert_shown_escaped, hostile

DECEMBER = Period(2024, 12)
PI13 = "kpi:2024/PI13"
REPORT = ["cause", "action", "owner", "submitter name"]
PLAN = ["summary", "milestone", "milestone owner", "progress"]


@pytest.fixture
def world(demo):
    people = {user.username: user for user in User.objects.all()}
    submitter, reviewer = people["kpi.submitter"], people["reviewer"]
    submitter.first_name = hostile("submitter name")
    submitter.save()
    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    make_red("PI13", DECEMBER.last_n(4))
    # The demonstration's report on PI13 in December gains a third version, hostile throughout.
    report = reports.exception_report_write(
        user=submitter,
        subject=PI13,
        period=DECEMBER,
        seen=2,
        reason=hostile("reason"),
        cause=hostile("cause"),
        action_taken=hostile("action"),
        owner_name=hostile("owner"),
        owner_organisation=trust,
        back_on_target=datetime.date(2025, 6, 30),
    ).report
    reports.exception_report_review(
        user=reviewer, report=report, accept=False, note=hostile("review note"), seen=3
    )
    plan = plans.plan_write(
        user=submitter,
        subject=PI13,
        period=DECEMBER,
        summary=hostile("summary"),
        milestones=[
            MilestoneText(
                hostile("milestone"), hostile("milestone owner"), trust, DECEMBER.last_day
            )
        ],
    )
    plans.plan_review(user=reviewer, plan=plan, accept=True, note=hostile("agreed note"), seen=1)
    plans.plan_progress_add(
        user=submitter, plan=plan, period=Period(2025, 1), text=hostile("progress")
    )
    return {"people": people, "plan": plan}


def _get(world, username: str, url: str) -> str:
    client = Client()
    client.force_login(world["people"][username])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("username", ["kpi.submitter", "reviewer", "board"])
def test_the_report_page_shows_every_text_escaped(world, username):
    url = reverse("governance:exception_report", args=[DECEMBER, PI13])
    assert_shown_escaped(_get(world, username, url), [*REPORT, "reason", "review note"])


def test_the_report_form_shows_the_written_text_escaped(world):
    url = reverse("governance:exception_report_write", args=[DECEMBER, PI13])
    assert_shown_escaped(_get(world, "kpi.submitter", url), ["cause", "action", "owner"])


def test_the_kpi_page_shows_the_reports_and_plans_escaped(world):
    html = _get(world, "board", reverse("kpis:detail", args=["2024", "PI13"]))
    assert_shown_escaped(html, ["owner", "progress"])


@pytest.mark.parametrize("username", ["kpi.submitter", "reviewer", "admin"])
def test_the_plan_pages_show_every_text_escaped(world, username):
    plan = world["plan"]
    html = _get(world, username, reverse("governance:plan", args=[plan.pk]))
    assert_shown_escaped(html, [*PLAN, "agreed note", "submitter name"])
    assert_shown_escaped(_get(world, username, reverse("governance:plans")), ["progress"])


def test_the_plan_form_and_a_closed_plans_outcome_are_escaped(world):
    plan = world["plan"]
    html = _get(world, "kpi.submitter", reverse("governance:plan_revise", args=[plan.pk]))
    assert_shown_escaped(html, ["summary", "milestone", "milestone owner"])
    plans.plan_close(user=world["people"]["reviewer"], plan=plan, outcome=hostile("outcome"))
    html = _get(world, "board", reverse("governance:plan", args=[plan.pk]))
    assert_shown_escaped(html, ["outcome"])


def test_the_packs_pages_show_every_text_escaped(world):
    html = render_to_string("boardpack/governance/exceptions.html", pack.build(DECEMBER))
    assert_shown_escaped(html, [*REPORT[:3], *PLAN])
