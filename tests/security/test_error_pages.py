"""
Every error a person can meet is the portal's own page, with its navigation, in debug
(as `make demo` runs) or not: never a traceback, never Django's URL list.
"""

import pytest
from django.test import Client

from kpis import selectors as kpi_selectors
from opb_portal.accounts.models import Role

NAVIGATION = 'href="/kpis/scorecard/"'
DEVELOPERS_ONLY = ("Traceback", "URLconf", "technical_500", "Request Method:")


def _broken(*args, **kwargs):
    raise RuntimeError("a fault nobody expected")


@pytest.fixture
def signed_in(db, people):
    def client_for(role) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(people[role])
        return client

    return client_for


@pytest.mark.parametrize("debug", [pytest.param(True, id="debug"), pytest.param(False, id="live")])
@pytest.mark.parametrize(
    ("role", "url", "status", "heading"),
    [
        pytest.param(Role.BOARD_MEMBER, "/no/such/page/", 404, "Page not found", id="no-such-url"),
        pytest.param(
            "kpi_submitter",
            "/returns/kpis/2031-01/",
            404,
            "There is no return for January 2031 yet.",
            id="a-view-says-what-is-missing",
        ),
        pytest.param(
            Role.BOARD_MEMBER, "/periods/", 403, "Your role (Board member)", id="not-allowed"
        ),
        pytest.param(
            Role.BOARD_MEMBER,
            "/kpis/scorecard/?period=2025-03",
            500,
            "Sorry, something went wrong",
            id="a-fault",
        ),
    ],
)
def test_an_error_is_the_portals_own_page_with_its_navigation_in_debug_or_not(
    signed_in, settings, monkeypatch, debug, role, url, status, heading
):
    settings.DEBUG = debug
    monkeypatch.setattr(kpi_selectors, "scorecard", _broken)
    response = signed_in(role).get(url)
    body = response.content.decode()
    assert response.status_code == status
    assert heading in body
    assert NAVIGATION in body
    assert not any(marker in body for marker in DEVELOPERS_ONLY)


def test_in_debug_the_fault_still_reaches_the_developers_console(
    signed_in, settings, monkeypatch, caplog
):
    settings.DEBUG = True
    monkeypatch.setattr(kpi_selectors, "scorecard", _broken)
    signed_in(Role.BOARD_MEMBER).get("/kpis/scorecard/?period=2025-03")
    assert any(
        record.name == "django.request"
        and record.exc_info
        and "nobody expected" in str(record.exc_info[1])
        for record in caplog.records
    )


def test_a_404_reason_written_by_a_person_is_shown_as_text(signed_in, settings):
    settings.DEBUG = True
    body = signed_in(Role.BOARD_MEMBER).get("/kpis/1999/<b>PI1</b>/").content.decode()
    assert "<b>PI1</b>" not in body
