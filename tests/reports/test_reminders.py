"""Reminders to the forward plan's authors: at 28 and 7 days, when overdue, once each."""

import datetime

import pytest
from django.core.management import call_command

from opb_portal.accounts.models import Role
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.reports import services
from opb_portal.reports.models import Kind

DUE = datetime.date(2025, 3, 24)


@pytest.fixture
def dues(people, db):
    people[Role.REVIEWER].email, people[Role.ADMINISTRATOR].email = (
        "rev@example.org",
        "adm@example.org",
    )
    for person in (people[Role.REVIEWER], people[Role.ADMINISTRATOR]):
        person.save(update_fields=["email"])
    admin = people[Role.ADMINISTRATOR]
    return [
        services.due_save(kind=Kind.SCRUTINY, title="Scrutiny update", due=DUE,
                          author=people[Role.REVIEWER], user=admin),
        services.due_save(kind=Kind.BUDGET_SCRUTINY, title="Budget Scrutiny", due=DUE,
                          author=admin, user=admin),
    ]  # fmt: skip


def _sent(day):
    return sorted((e.to, e.subject) for e in services.reports_remind(day=day))


@pytest.mark.parametrize(
    ("day", "says"),
    [
        pytest.param(DUE - datetime.timedelta(days=29), None, id="29-days-before-nothing"),
        pytest.param(DUE - datetime.timedelta(days=28), "is due in 28 days", id="28-days"),
        pytest.param(DUE - datetime.timedelta(days=7), "is due in 7 days", id="7-days"),
        pytest.param(DUE - datetime.timedelta(days=6), None, id="6-days-nothing-new"),
        pytest.param(DUE, "is due today", id="a-missed-7-day-reminder-is-sent-late"),
        pytest.param(DUE + datetime.timedelta(days=1), "is overdue", id="overdue"),
    ],
)
def test_each_author_is_reminded_on_the_day_owed(dues, day, says):
    # 6 days before: the 7-day reminder is owed from 7 days before, so a first run sends it.
    if day == DUE - datetime.timedelta(days=6):
        services.reports_remind(day=day - datetime.timedelta(days=1))
    sent = _sent(day)
    if says is None:
        assert sent == []
    else:
        assert sent == [
            ("adm@example.org", f"Budget Scrutiny {says} (24 March 2025)"),
            ("rev@example.org", f"Scrutiny update {says} (24 March 2025)"),
        ]


def test_each_reminder_is_sent_once_across_the_year(dues):
    days = [DUE - datetime.timedelta(days=n) for n in range(40, -10, -1)]
    subjects = [email.subject for day in days for email in services.reports_remind(day=day)]
    assert len(subjects) == 6  # 28 days, 7 days, overdue; two authors
    assert services.reports_remind(day=DUE + datetime.timedelta(days=9)) == []
    assert OutgoingEmail.objects.count() == 6


def test_a_run_that_missed_a_day_sends_the_latest_reminder_only(dues):
    assert len(_sent(DUE - datetime.timedelta(days=3))) == 2
    assert _sent(DUE - datetime.timedelta(days=2)) == []
    assert len(_sent(DUE + datetime.timedelta(days=1))) == 2


def test_no_overdue_reminder_once_the_report_is_final(dues, people, layout):
    report = services.report_create(
        layout=layout, meeting_date=DUE, figures_at=None, title="", user=people[Role.REVIEWER]
    )
    services.report_make_final(report=report, user=people[Role.REVIEWER])
    assert _sent(DUE + datetime.timedelta(days=1)) == [
        ("adm@example.org", "Budget Scrutiny is overdue (24 March 2025)")
    ]


def test_the_command_reminds_and_runs_again_idempotently(dues, capsys):
    call_command("remind_reports", "--date", "2025-02-24")
    call_command("remind_reports", "--date", "2025-02-24")
    out = capsys.readouterr().out
    assert "2 reminders queued." in out
    assert "0 reminders queued." in out
    assert OutgoingEmail.objects.count() == 2


def test_the_daily_periodic_work_queues_the_reminders_owed_today(people, db):
    from django.utils import timezone

    from opb_portal.jobs import registry

    admin = people[Role.ADMINISTRATOR]
    admin.email = "adm@example.org"
    admin.save(update_fields=["email"])
    services.due_save(
        kind=Kind.SCRUTINY, title="Scrutiny update", due=timezone.localdate(), author=admin,
        user=admin,
    )  # fmt: skip

    said = registry.periodic()["reports.remind_reports"].run()

    assert said == "1 report reminder queued"
    (email,) = OutgoingEmail.objects.all()
    assert (email.to, email.subject.startswith("Scrutiny update is due today")) == (
        "adm@example.org",
        True,
    )
    assert registry.periodic()["reports.remind_reports"].run() == "0 report reminders queued"
