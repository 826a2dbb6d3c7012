"""`manage.py remind_actions`: a week before due and once overdue, each once per due date."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.actions import services
from governance.models import Action, ActionReminder
from opb_portal.accounts.models import Role
from opb_portal.outbox.models import OutgoingEmail

from .conftest import council_person, trust_person

RAISED = datetime.datetime(2025, 4, 17, 12, tzinfo=datetime.UTC)
DUE = datetime.date(2025, 5, 15)


@pytest.fixture
def action(april):
    owner = trust_person("kpi_submitter", email="owner@example.org")
    raised = services.action_raise(
        user=council_person(Role.REVIEWER), title="Review PI9", owner=owner, due=DUE, meeting=april
    )
    Action.objects.filter(pk=raised.pk).update(raised_at=RAISED)
    return Action.objects.get(pk=raised.pk)


def remind(day: str) -> str:
    out = StringIO()
    call_command("remind_actions", "--date", day, stdout=out)
    return out.getvalue()


def kinds(action) -> list[tuple[str, datetime.date]]:
    return list(action.reminders.order_by("pk").values_list("kind", "due"))


@pytest.mark.parametrize(
    ("day", "sent"),
    [
        pytest.param("2025-05-07", [], id="eight-days-before-nothing"),
        pytest.param("2025-05-08", [("due_soon", DUE)], id="a-week-before"),
        pytest.param("2025-05-15", [("due_soon", DUE)], id="on-the-day-if-the-week-was-missed"),
        pytest.param("2025-05-16", [("overdue", DUE)], id="the-day-after"),
    ],
)
def test_the_owner_is_reminded_a_week_before_and_once_overdue(action, day, sent):
    remind(day)
    assert kinds(action)[1:] == sent


def test_running_twice_a_day_sends_nothing_twice(action):
    first = remind("2025-05-08")
    assert f"Due within a week: {action.reference} to owner@example.org" in first
    assert "0 reminders queued." in remind("2025-05-08")
    assert "0 reminders queued." in remind("2025-05-10")
    remind("2025-05-20")
    remind("2025-05-21")
    assert kinds(action) == [("raised", DUE), ("due_soon", DUE), ("overdue", DUE)]
    assert OutgoingEmail.objects.count() == 3


def test_a_moved_due_date_earns_fresh_reminders(action):
    remind("2025-05-20")
    later = datetime.date(2025, 6, 30)
    services.action_update(action=action, user=action.owner, text="Moved.", due=later)
    remind("2025-06-23")
    remind("2025-07-01")
    assert kinds(action)[1:] == [("overdue", DUE), ("due_soon", later), ("overdue", later)]


def test_an_action_raised_within_its_last_week_gets_no_week_before_reminder(action):
    Action.objects.filter(pk=action.pk).update(raised_at=RAISED.replace(month=5, day=10))
    remind("2025-05-12")
    assert kinds(action) == [("raised", DUE)]


def test_a_closed_action_is_not_chased(action):
    services.action_close(action=action, user=action.owner, outcome="Done.")
    remind("2025-05-20")
    assert kinds(action) == [("raised", DUE)]


def test_an_owner_without_an_email_address_is_skipped_without_a_record(action):
    type(action.owner).objects.filter(pk=action.owner_id).update(email="")
    assert "0 reminders queued." in remind("2025-05-20")
    assert ActionReminder.objects.filter(kind="overdue").count() == 0


def test_a_date_that_cannot_be_read_is_refused(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind_actions", "--date", "15/05/2025")


def test_the_daily_periodic_work_reminds_an_owner_whose_action_is_due_within_a_week(action):
    from django.utils import timezone

    from opb_portal.jobs import registry

    Action.objects.filter(pk=action.pk).update(
        due=timezone.localdate() + datetime.timedelta(days=3)
    )

    said = registry.periodic()["governance.remind_actions"].run()

    assert said == "1 action reminder queued"
    assert OutgoingEmail.objects.filter(to="owner@example.org").count() >= 1
    assert registry.periodic()["governance.remind_actions"].run() == "0 action reminders queued"
