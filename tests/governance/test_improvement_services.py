"""
The Improvement Plan's services: who may keep it, what they refuse, and progress only ever
added in the order of its days.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.improvement import selectors, services
from governance.improvement.services import ImprovementError
from governance.models import ImprovementPlan, ImprovementProgress
from opb_portal.accounts.models import Role

from ..factories import UserFactory
from .improvement_data import D, build_plan


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="plan-admin")


@pytest.fixture
def plan(admin):
    return build_plan(admin)


def _first_action(plan):
    return plan.priorities.get(number=1).actions.get(number=1)


TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"title": ""}, "title", id="no-title"),
        pytest.param({"start_year": 2024}, "start_year", id="a-second-plan-for-the-year"),
        pytest.param({"trust_board_signed_off": TOMORROW}, "in the future", id="future-sign-off"),
        pytest.param({"spb_signed_off": TOMORROW}, "in the future", id="future-spb-sign-off"),
    ],
)
def test_a_plan_is_refused_when(plan, admin, fields, error):
    given = {"start_year": 2025, "title": "Next year's plan"} | fields
    with pytest.raises((ValidationError, ImprovementError), match=error):
        services.plan_create(user=admin, **given)
    assert ImprovementPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"number": 1}, "already exists", id="a-number-taken"),
        pytest.param({"sponsor": ""}, "sponsor", id="no-sponsor"),
        pytest.param({"title": ""}, "title", id="no-title"),
    ],
)
def test_a_priority_is_refused_when(plan, admin, fields, error):
    given = {"number": 3, "title": "Partnerships", "sponsor": "Director of Early Help"} | fields
    with pytest.raises(ValidationError, match=error):
        services.priority_create(plan=plan, user=admin, **given)
    assert plan.priorities.count() == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"number": 2}, "already exists", id="a-number-taken"),
        pytest.param({"lead": ""}, "lead", id="no-lead"),
        pytest.param({"milestone": ""}, "milestone", id="no-milestone"),
    ],
)
def test_an_action_is_refused_when(plan, admin, fields, error):
    priority = plan.priorities.get(number=1)
    given = {
        "number": 3,
        "title": "Run the temperature check",
        "lead": "Head of OD",
        "milestone": "Two checks reported",
        "due": D(2025, 3, 31),
    } | fields
    with pytest.raises(ValidationError, match=error):
        services.action_create(priority=priority, user=admin, **given)
    assert priority.actions.count() == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"reason": "   "}, "Say why", id="no-reason"),
        pytest.param({"status": "purple"}, "not a valid choice", id="unknown-status"),
        pytest.param({"as_at": TOMORROW}, "in the future", id="future"),
        pytest.param(
            {"as_at": D(2025, 3, 30)}, "latest update is as at 31 March 2025", id="before-latest"
        ),
    ],
)
def test_progress_is_refused_when(plan, admin, fields, error):
    action = _first_action(plan)
    given = {"as_at": D(2025, 4, 30), "status": "green", "reason": "On course."} | fields
    with pytest.raises((ValidationError, ImprovementError), match=error):
        services.progress_record(action=action, user=admin, **given)
    assert action.progress.count() == 2


def test_progress_is_added_and_the_latest_is_the_actions_status(plan, admin):
    action = _first_action(plan)
    services.progress_record(
        action=action, user=admin, as_at=D(2025, 5, 31), status="done", reason="Below 15%."
    )
    statuses = list(action.progress.values_list("status", flat=True))
    assert statuses == ["green", "amber", "done"]
    row = selectors.action_row(selectors.action_for_page(action.pk), D(2025, 6, 1))
    assert (row.progress.status, row.progress.recorded_by, row.overdue) == ("done", admin, False)


def test_an_action_past_its_due_date_and_not_complete_is_overdue(plan):
    action = selectors.action_for_page(_first_action(plan).pk)
    assert selectors.action_row(action, D(2025, 3, 31)).overdue is False
    assert selectors.action_row(action, D(2025, 4, 1)).overdue is True


def test_the_status_on_a_day_is_the_latest_progress_as_at_that_day(plan):
    plo = selectors.action_for_page(plan.priorities.get(number=2).actions.get().pk)
    assert selectors.status_at(plo, D(2024, 12, 31)) is None
    assert selectors.status_at(plo, D(2025, 3, 31)).status == ImprovementProgress.Status.RED
    assert selectors.status_at(plo, D(2025, 5, 1)).status == ImprovementProgress.Status.DONE


@pytest.mark.parametrize(
    "role",
    [
        pytest.param(Role.REVIEWER, id="reviewer"),
        pytest.param(Role.BOARD_MEMBER, id="board-member"),
        pytest.param("", id="no-role"),
    ],
)
def test_only_the_trusts_submitters_and_administrators_keep_the_plan(plan, role):
    someone = UserFactory(role=role)
    action = _first_action(plan)
    with pytest.raises(ImprovementError, match="does not allow"):
        services.plan_create(user=someone, start_year=2025, title="Another")
    with pytest.raises(ImprovementError, match="does not allow"):
        services.plan_update(plan=plan, user=someone, title="Renamed")
    with pytest.raises(ImprovementError, match="does not allow"):
        services.progress_record(
            action=action, user=someone, as_at=D(2025, 4, 30), status="done", reason="Done."
        )
    plan.refresh_from_db()
    assert (plan.title, action.progress.count()) == ("Transformation Programme", 2)


def test_a_submitter_keeps_the_plan(plan):
    submitter = UserFactory(role="kpi_submitter")
    services.plan_update(
        plan=plan,
        user=submitter,
        title="Transformation Programme 2024-25",
        trust_board_signed_off=D(2024, 3, 27),
    )
    plan.refresh_from_db()
    assert (plan.title, plan.trust_board_signed_off, plan.spb_signed_off) == (
        "Transformation Programme 2024-25",
        D(2024, 3, 27),
        None,
    )
