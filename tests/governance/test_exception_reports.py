"""Exception reports: which figures need one, writing and reviewing them, and their pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.exception_reports import selectors, services
from governance.exception_reports.services import AccountabilityError
from governance.models import ExceptionReport, ExceptionReportEvent, ExceptionReportVersion
from kpis.models import KpiDefinition
from opb_portal.core import off_track
from opb_portal.periods import Period

from ..boardpack.conftest import APRIL, submitted_return
from .conftest import DECEMBER, MARCH, PI1, PI11, PI13, make_red, written

# --- which figures need a report (kpis/off_track.py) ----------------------------------------------


def _judged(period: Period) -> dict[str, tuple[str, bool, bool]]:
    return {
        item.subject: (item.status, item.needs_report, item.escalated)
        for item in off_track.at(period)
    }


def test_a_red_kpi_needs_a_report_and_an_amber_one_only_where_its_kpi_asks(demo):
    december, march = _judged(DECEMBER), _judged(MARCH)

    assert december[PI13] == ("red", True, False)
    assert december[PI1] == ("amber", False, False)
    # The demonstration's administrator asks for a report when PI11 is amber.
    assert march[PI11] == ("amber", True, False)
    assert march["kpi:2024/PI9"] == ("amber", False, False)


def test_the_administrators_setting_makes_an_amber_kpi_need_a_report(demo):
    KpiDefinition.objects.filter(framework__code="2024", code="PI9").update(
        exception_report_when_amber=True
    )
    assert _judged(MARCH)["kpi:2024/PI9"] == ("amber", True, False)


@pytest.mark.parametrize(
    ("red_months", "escalated"),
    [
        pytest.param(3, False, id="three-months-red-is-not-yet-escalated"),
        pytest.param(4, True, id="more-than-three-months-red-is-escalated"),
    ],
)
def test_a_kpi_red_for_more_than_three_months_outside_grace_is_escalated(
    demo, red_months, escalated
):
    make_red("PI13", DECEMBER.last_n(red_months))
    assert _judged(DECEMBER)[PI13] == ("red", True, escalated)


def test_the_figures_sent_for_approval_are_judged_as_the_draft_pack_shows_them(demo):
    assert PI1 not in _judged(APRIL)
    submitted_return(APRIL, changes={"PI1": "60"})

    assert _judged(APRIL)[PI1] == ("red", True, False)


def test_a_months_figures_off_track_are_judged_in_seven_queries(demo, django_assert_num_queries):
    # 7 queries: the pack's scorecard: framework in force, the month's return, its events with
    # their people, KPIs, their rules, their comparators, values for the last 24 months
    with django_assert_num_queries(7):
        off_track.at(MARCH)


# --- writing and reviewing ---------------------------------------------------------------------


def test_the_kpi_submitter_writes_a_report_and_it_waits_for_the_council(users, trust):
    make_red("PI1", [MARCH])
    version = services.exception_report_write(
        user=users["kpi.submitter"], subject=PI1, period=MARCH, **written(trust)
    )
    report = version.report

    assert (report.status, report.domain, version.number) == ("submitted", "kpis", 1)
    assert version.owner == "Head of Service, Assessment (Sandwell Children's Trust)"
    event = report.events.get()
    assert (event.action, event.from_status, event.to_status, event.user.username) == (
        "written",
        "",
        "submitted",
        "kpi.submitter",
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        pytest.param("finance.submitter", "Only the Trust's people who send", id="finance"),
        pytest.param("reviewer", "Only the Trust's people who send", id="reviewer"),
        pytest.param("board", "Only the Trust's people who send", id="board-member"),
        pytest.param("admin", "Only the Trust's people who send", id="administrator"),
    ],
)
def test_only_the_submitters_of_the_figures_return_write_its_report(
    users, trust, username, message
):
    make_red("PI1", [MARCH])
    with pytest.raises(AccountabilityError, match=message):
        services.exception_report_write(
            user=users[username], subject=PI1, period=MARCH, **written(trust)
        )
    assert not ExceptionReport.objects.filter(subject=PI1, period=MARCH).exists()


@pytest.mark.parametrize(
    ("subject", "period", "message"),
    [
        pytest.param(PI1, MARCH, "is not off track in March 2025", id="a-green-figure"),
        pytest.param("kpi:2024/PI99", MARCH, "is not off track", id="an-unknown-kpi"),
    ],
)
def test_no_report_is_written_on_a_figure_that_is_not_off_track(
    users, trust, subject, period, message
):
    with pytest.raises(AccountabilityError, match=message):
        services.exception_report_write(
            user=users["kpi.submitter"], subject=subject, period=period, **written(trust)
        )


@pytest.fixture
def report(users, trust) -> ExceptionReport:
    """PI1 red in March 2025, its report written (version 1) and awaiting review."""
    make_red("PI1", [MARCH])
    return services.exception_report_write(
        user=users["kpi.submitter"], subject=PI1, period=MARCH, **written(trust)
    ).report


def test_the_reviewer_asks_for_more_and_the_answer_is_a_second_version(users, trust, report):
    services.exception_report_review(
        user=users["reviewer"], report=report, accept=False, note="Which teams?", seen=1
    )
    services.exception_report_write(
        user=users["kpi.submitter"],
        subject=PI1,
        period=MARCH,
        seen=1,
        **written(trust, cause="Oldbury and Tipton teams carried vacancies."),
    )
    services.exception_report_review(user=users["reviewer"], report=report, accept=True, seen=2)
    report.refresh_from_db()

    assert report.status == "accepted"
    assert list(report.versions.values_list("number", "cause")) == [
        (1, "Two teams carried vacancies."),
        (2, "Oldbury and Tipton teams carried vacancies."),
    ]
    assert [(e.action, e.from_status, e.to_status, e.note) for e in report.events.all()] == [
        ("written", "", "submitted", ""),
        ("more_asked", "submitted", "more_asked", "Which teams?"),
        ("written", "more_asked", "submitted", ""),
        ("accepted", "submitted", "accepted", ""),
    ]


@pytest.mark.parametrize(
    ("accept", "note", "seen", "message"),
    [
        pytest.param(False, " ", 1, "Say what more the council needs", id="more-without-a-note"),
        pytest.param(True, "", None, "after you opened version none", id="a-version-unseen"),
    ],
)
def test_a_review_is_refused_without_what_it_needs(users, report, accept, note, seen, message):
    with pytest.raises(AccountabilityError, match=message):
        services.exception_report_review(
            user=users["reviewer"], report=report, accept=accept, note=note, seen=seen
        )
    assert ExceptionReport.objects.get(pk=report.pk).status == "submitted"


def test_a_report_decided_already_is_not_reviewed_again(users, report):
    services.exception_report_review(user=users["reviewer"], report=report, accept=True, seen=1)
    with pytest.raises(AccountabilityError, match="is accepted, not awaiting review"):
        services.exception_report_review(
            user=users["reviewer"], report=report, accept=False, note="More", seen=1
        )


def test_only_a_council_reviewer_reviews(users, report):
    for username in ("kpi.submitter", "board", "admin"):
        with pytest.raises(AccountabilityError, match="Only a council reviewer"):
            services.exception_report_review(
                user=users[username], report=report, accept=True, seen=1
            )


def test_a_version_written_since_the_writer_opened_it_is_not_overwritten(users, trust, report):
    with pytest.raises(AccountabilityError, match="Version 1 was written by Priya Shah"):
        services.exception_report_write(
            user=users["kpi.submitter"], subject=PI1, period=MARCH, seen=None, **written(trust)
        )


@pytest.mark.parametrize(
    ("reason", "refused"),
    [
        pytest.param("", True, id="without-a-reason-refused"),
        pytest.param("The owner changed.", False, id="with-a-reason-sent-again"),
    ],
)
def test_revising_an_accepted_report_needs_a_reason_and_goes_back_to_the_council(
    users, trust, report, reason, refused
):
    services.exception_report_review(user=users["reviewer"], report=report, accept=True, seen=1)
    write = {"user": users["kpi.submitter"], "subject": PI1, "period": MARCH, "seen": 1}
    if refused:
        with pytest.raises(AccountabilityError, match="say why you are revising it"):
            services.exception_report_write(**write, reason=reason, **written(trust))
        assert ExceptionReport.objects.get(pk=report.pk).status == "accepted"
    else:
        services.exception_report_write(**write, reason=reason, **written(trust))
        assert ExceptionReport.objects.get(pk=report.pk).status == "submitted"


def test_nothing_written_is_changed_or_deleted(report):
    version = report.versions.get()
    version.cause = "Rewritten"
    with pytest.raises(ValueError, match="kept as written"):
        version.save()
    event = report.events.get()
    with pytest.raises(ValueError, match="kept as written"):
        event.save()
    assert ExceptionReportVersion.objects.filter(cause="Rewritten").count() == 0
    assert ExceptionReportEvent.objects.count() > 0


# --- the pages --------------------------------------------------------------------------------


def test_the_months_list_says_what_is_due_and_what_is_written(client, users):
    make_red("PI1", [MARCH])
    client.force_login(users["board"])
    html = client.get(reverse("governance:exceptions"), {"period": "2025-03"}).content.decode()

    assert "1 exception report due" in html
    assert "Not yet written" in html
    # PI11's, written and accepted in the demonstration.
    assert 'href="/governance/exceptions/2025-03/kpi:2024/PI11/">Accepted</a>' in html


def test_the_months_list_is_read_in_a_fixed_number_of_queries(
    client, users, django_assert_num_queries
):
    client.force_login(users["board"])
    # 14 queries: session, user, savepoint, framework in force, the month's KPI return, its
    # events, KPIs, rules, comparators, values (off_track.at), the month's reports with their
    # versions, the open plans on the figures, the months offered, release of the savepoint
    with django_assert_num_queries(14):
        client.get(reverse("governance:exceptions"), {"period": "2025-03"})


def test_the_submitter_writes_the_report_through_its_page(client, users, trust):
    make_red("PI1", [MARCH])
    client.force_login(users["kpi.submitter"])
    url = reverse("governance:exception_report_write", args=[MARCH, PI1])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "cause": "Vacancies.",
            "action_taken": "Agency cover.",
            "owner_name": "Head of Service",
            "owner_organisation": trust.pk,
            "back_on_target": "2025-06-30",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/governance/exceptions/2025-03/kpi:2024/PI1/"
    report = ExceptionReport.objects.get(subject=PI1, period=MARCH)
    assert report.current_version.cause == "Vacancies."


def test_the_reviewer_sees_the_review_form_and_records_a_decision(client, users, report):
    client.force_login(users["reviewer"])
    url = reverse("governance:exception_report", args=[MARCH, PI1])
    assert "Record the decision" in client.get(url).content.decode()

    response = client.post(url + "review/", {"decision": "accept", "seen": "1"})

    assert response.status_code == 302
    assert ExceptionReport.objects.get(pk=report.pk).status == "accepted"


def test_others_see_no_review_form(client, users, report):
    client.force_login(users["board"])
    url = reverse("governance:exception_report", args=[MARCH, PI1])
    assert "Record the decision" not in client.get(url).content.decode()


def test_the_report_page_is_read_in_a_fixed_number_of_queries(
    client, users, report, django_assert_num_queries
):
    client.force_login(users["board"])
    # 14 queries: session, user, savepoint, off_track.at (7: framework in force, the month's
    # KPI return, its events, KPIs, rules, comparators, values), the report, its versions with
    # their writers and owners, its events with their people, release of the savepoint
    with django_assert_num_queries(14):
        client.get(reverse("governance:exception_report", args=[MARCH, PI1]))


def test_the_kpi_page_shows_its_exception_reports(client, users):
    client.force_login(users["board"])
    html = client.get(reverse("kpis:detail", args=["2024", "PI13"])).content.decode()

    assert "Exception reports and rectification plans" in html
    assert 'href="/governance/exceptions/2024-12/kpi:2024/PI13/">December 2024</a>' in html


def test_a_report_on_a_figure_corrected_since_is_still_listed(users, report):
    make_red("PI1", [MARCH], value="90")
    rows = {row.subject.ref: row for row in selectors.due_at(MARCH).rows}
    assert rows[PI1].item is None
    assert rows[PI1].report == report
