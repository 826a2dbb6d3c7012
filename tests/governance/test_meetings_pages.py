"""
The governance pages on the demonstration: what each shows, the chair's forms, and the
number of queries each list takes (pinned, each query named).
"""

from __future__ import annotations

import pytest

from governance.models import Action, AgendaItem, MinutesVersion
from opb_portal.accounts.models import User

from .conftest import signed_in


@pytest.fixture
def as_user(demo):
    def sign_in(username):
        return signed_in(User.objects.get(username=username))

    return sign_in


def test_the_demo_opb_is_chaired_by_the_trusts_chief_executive(as_user):
    html = as_user("kpi.submitter").get("/governance/meetings/2025-04-17/").content.decode()
    assert '<dt class="col-sm-3">Chair</dt><dd class="col-sm-9">Pat Evans</dd>' in html
    assert "Pat Evans, Chief Executive (chair), Sandwell Children&#x27;s Trust" in html
    assert "Priya Kaur, Senior Solicitor, Sandwell Council" in html  # apologies
    chair = User.objects.get(username="trust.ceo")
    assert (chair.organisation.kind, chair.role) == ("trust", "board_member")


def test_the_meeting_page_shows_the_approved_minutes_read_only(as_user):
    html = as_user("trust.ceo").get("/governance/meetings/2025-04-17/").content.decode()
    assert "<strong>Approved</strong> at the OPB meeting of 22 May 2025: version 2" in html
    assert "Draft the minutes" not in html  # frozen, even for the chair
    assert "4. Finance. The provisional 2024-25 outturn was noted" in html


def test_the_next_meeting_carries_the_overdue_actions_first_and_those_closed_since(as_user):
    html = as_user("reviewer").get("/governance/meetings/2025-05-22/").content.decode()
    # Open on 22 May: A1, A3, A4, A5 (the SPB's), A6 (raised there); A2, closed on 20 May.
    assert "Actions carried (6, 2 overdue)" in html
    review = html.index("Review every child")
    uplift = html.index("Confirm the council")
    residential = html.index("Explain the residential")
    closed = html.index("Present a recovery plan")
    assert max(review, uplift) < min(residential, closed)
    assert "Closed 20 May 2025" in html


def test_the_chair_sees_the_forms_and_a_member_does_not(as_user):
    chair = as_user("trust.ceo").get("/governance/meetings/2025-05-22/").content.decode()
    member = as_user("board").get("/governance/meetings/2025-05-22/").content.decode()
    for control in ("Draft the agenda from", "Add an item", "Record an attendee", "Move up"):
        assert control in chair
        assert control not in member


def test_the_chair_drafts_reorders_and_minutes_through_the_pages(as_user):
    chair = as_user("trust.ceo")
    meeting = "/governance/meetings/2025-05-22/"
    item = AgendaItem.objects.filter(meeting__date="2025-05-22").order_by("position").last()
    response = chair.post(f"{meeting}agenda/{item.pk}/move/", {"to": "up"})
    assert response["Location"] == meeting
    assert AgendaItem.objects.get(pk=item.pk).position == item.position - 1
    form = chair.get(f"{meeting}minutes/").content.decode()
    assert 'name="base_version" value="1"' in form
    response = chair.post(f"{meeting}minutes/", {"text": "Corrected.", "base_version": "1"})
    assert response["Location"] == meeting
    assert MinutesVersion.objects.get(meeting__date="2025-05-22", number=2).text == "Corrected."
    stale = chair.post(f"{meeting}minutes/", {"text": "Mine.", "base_version": "1"})
    assert stale.status_code == 400
    assert "Someone saved version 2" in stale.content.decode()


def test_the_board_pack_page_links_the_meetings_business(as_user):
    html = as_user("board").get("/meetings/2025-04-17/").content.decode()
    assert 'href="/governance/meetings/2025-04-17/"' in html
    assert '<dd class="col-sm-9">Operational Partnership Board</dd>' in html


def test_the_actions_log_shows_open_actions_overdue_first(as_user):
    html = as_user("kpi.submitter").get("/governance/actions/").content.decode()
    assert "Overdue" in html
    assert "Provide the monthly caseload" not in html  # closed
    closed = as_user("kpi.submitter").get("/governance/actions/?status=closed").content.decode()
    assert "Provide the monthly caseload" in closed


# --- queries ------------------------------------------------------------------------------------


def test_the_meetings_list_query_count_is_fixed(as_user, django_assert_num_queries):
    client = as_user("kpi.submitter")
    # 5 queries: session, user, savepoint, meetings with their chairs, live agenda counts and
    # minutes' state, release
    with django_assert_num_queries(5):
        assert client.get("/governance/meetings/").status_code == 200


def test_a_meetings_page_query_count_is_fixed(as_user, django_assert_num_queries):
    client = as_user("board")
    # 15 queries: session, user, savepoint, the meeting with its chair, the board's previous
    # and next meetings, agenda, attendees with organisations, minutes versions with their
    # authors, the actions carried, decisions, their actions, then one per kind of subject
    # named (KPIs, finance lines; workforce measures need none), release
    with django_assert_num_queries(15):
        assert client.get("/governance/meetings/2025-05-22/").status_code == 200


def test_the_actions_log_query_count_is_fixed(as_user, django_assert_num_queries):
    client = as_user("reviewer")
    # 9 queries: session, user, savepoint, the actions with owners, organisations, raisers and
    # meetings, what they are about (a query a kind the demo's actions are about: KPIs,
    # finance lines, audits, Ofsted's recommendations), release
    with django_assert_num_queries(9):
        assert client.get("/governance/actions/?status=").status_code == 200


def test_an_actions_page_query_count_is_fixed(as_user, django_assert_num_queries):
    client = as_user("reviewer")
    action = Action.objects.get(title__startswith="Review every child")
    # 7 queries: session, user, savepoint, the action with its people and meeting, its updates,
    # who wrote them, the KPI it is about, release
    with django_assert_num_queries(8):
        assert client.get(f"/governance/actions/{action.pk}/").status_code == 200


def test_the_decisions_log_query_count_is_fixed(as_user, django_assert_num_queries):
    client = as_user("kpi.submitter")
    # 7 queries: session, user, savepoint, decisions with their meetings, recorders and what
    # superseded them, their actions, the finance lines they are about, release
    with django_assert_num_queries(7):
        assert client.get("/governance/decisions/").status_code == 200
