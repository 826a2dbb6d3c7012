"""
When things fail half-way: the database going away mid-request, an upload
interrupted mid-transaction. The person sees an error page, never a traceback;
what was committed before stays; nothing half-done is kept, in the database or
on disk.

These run on real connections (transaction=True): the request's own
transaction commits or rolls back as in production, and a lost connection is
a PostgreSQL backend really terminated from a second connection.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, connections
from django.template import loader
from django.test import Client

from kpis.models import KpiValue
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import registry, services
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion, UploadedFile

from ..submissions.test_views_upload import long_table, upload

pytestmark = pytest.mark.django_db(transaction=True)

APRIL = Period(2025, 4)
TRACEBACK_WORDS = ("Traceback", "terminating connection", "OperationalError", 'File "')


def _kill_this_connection() -> None:
    """Terminate this thread's PostgreSQL backend from a second connection, as a failover would."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    finally:
        other.close()


def _march() -> dict:
    return Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data


@pytest.fixture
def submitted(demo) -> Return:
    """April 2025's KPI return, saved and submitted (committed) through the services."""
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=_march(), base_version=None)
    services.return_submit(ret=ret, user=submitter)
    return ret


@pytest.fixture
def reviewer_client(demo) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="reviewer"))
    return client


def _no_traceback(text: str) -> None:
    assert not [word for word in TRACEBACK_WORDS if word in text]


# --- the database going away ----------------------------------------------------------------


def test_the_database_going_away_mid_approval_shows_a_503_page_and_keeps_what_was_committed(
    submitted, reviewer_client, monkeypatch
):
    spec = registry.get("kpis")
    apply = type(spec).apply

    def failover_while_applying(self, *, version):
        # The approval has already written the return's new state in its transaction.
        _kill_this_connection()
        apply(self, version=version)

    monkeypatch.setattr(type(spec), "apply", failover_while_applying)

    response = reviewer_client.post(
        "/returns/kpis/2025-04/review/", {"decision": "approve", "comment": ""}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    text = response.content.decode()
    assert "The database is unavailable" in text
    assert "Nothing you saved is lost" in text
    _no_traceback(text)
    # Everything committed before the request is there; nothing of the approval is.
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.SUBMITTED
    assert submitted.approved_version is None
    assert submitted.current_version.number == 1
    assert list(submitted.events.values_list("action", flat=True)) == [
        ReturnEvent.Action.SAVED,
        ReturnEvent.Action.SUBMITTED,
    ]
    assert not KpiValue.objects.filter(period="2025-04-01").exists()


def test_the_portal_answers_again_once_the_database_is_back(
    submitted, reviewer_client, monkeypatch
):
    spec = registry.get("kpis")
    apply = type(spec).apply
    calls = []

    def failover_once(self, *, version):
        calls.append(version)
        if len(calls) == 1:
            _kill_this_connection()
        apply(self, version=version)

    monkeypatch.setattr(type(spec), "apply", failover_once)
    decision = {"decision": "approve", "comment": ""}
    assert reviewer_client.post("/returns/kpis/2025-04/review/", decision).status_code == 503

    again = reviewer_client.post("/returns/kpis/2025-04/review/", decision)

    assert again.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Return.Status.APPROVED


def test_an_unexpected_fault_shows_the_error_page_without_a_traceback(demo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a fault nobody foresaw, with a secret in it: hunter2")

    monkeypatch.setattr("kpis.views.selectors.scorecard", broken)
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="board"))

    response = client.get("/kpis/scorecard/?period=2025-03")

    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, something went wrong" in text
    assert "hunter2" not in text
    _no_traceback(text)


def test_the_database_failing_before_any_view_runs_shows_the_503_page(demo, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="board"))

    def unreachable(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    # Loading the session is the first thing a request asks of the database.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", unreachable)
    response = client.get("/kpis/scorecard/?period=2025-03")

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    text = response.content.decode()
    assert "Try again in a minute" in text
    _no_traceback(text)


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_error_pages_render_without_the_database_or_a_request(
    template, django_assert_num_queries
):
    with django_assert_num_queries(0):
        html = loader.render_to_string(template)
    assert "OPB portal" in html
    assert "Try again in a minute" in html


# --- an upload interrupted mid-transaction ----------------------------------------------------


def _two_months() -> bytes:
    """April and May 2025, every KPI with March's value: a clean two-month workbook."""
    march = _march()
    return long_table(
        [
            (code, month, float(fields["value"]), fields.get("commentary") or None)
            for month in ("2025-04", "2025-05")
            for code, fields in march.items()
            if fields.get("value")
        ]
    )


def _fail_on_second_month_event(monkeypatch):
    """The version of the first month is written, then saving the second one fails."""
    event = services._event
    calls = []

    def failing(ret, **kwargs):
        calls.append(ret)
        if len(calls) == 2:
            raise DatabaseError("could not extend file: No space left on device")
        return event(ret, **kwargs)

    monkeypatch.setattr(services, "_event", failing)


def _connection_lost_on_second_month(monkeypatch):
    """The first month's version is written, then the database goes away."""
    save = services.return_save
    calls = []

    def failover(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            _kill_this_connection()
        return save(**kwargs)

    monkeypatch.setattr(services, "return_save", failover)


@pytest.mark.parametrize(
    ("interrupt", "status"),
    [
        pytest.param(_fail_on_second_month_event, 500, id="saving-the-second-month-fails"),
        pytest.param(_connection_lost_on_second_month, 503, id="the-database-goes-away"),
    ],
)
def test_an_upload_interrupted_half_way_stores_no_return_no_version_and_no_file(
    demo, monkeypatch, interrupt, status
):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="kpi.submitter"))
    staged = upload(client, _two_months(), name="april-and-may.xlsx")
    assert staged.status_code == 302, "the workbook should be clean"
    preview = client.get(staged["Location"])
    assert "April 2025" in preview.content.decode()
    assert "May 2025" in preview.content.decode()
    values_before = KpiValue.objects.count()
    interrupt(monkeypatch)

    response = client.post(staged["Location"], {"decision": "confirm"})

    assert response.status_code == status
    _no_traceback(response.content.decode())
    assert not Return.objects.filter(period__gte="2025-04-01").exists()
    assert not ReturnVersion.objects.filter(source="april-and-may.xlsx").exists()
    assert not UploadedFile.objects.exists()
    assert KpiValue.objects.count() == values_before
    assert list(Path(settings.UPLOAD_ROOT).glob("*.xlsx")) == []
