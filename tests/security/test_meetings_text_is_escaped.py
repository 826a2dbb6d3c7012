"""
Person-written text of the meetings, actions and decisions logs is data, never markup:
every text field holds the hostile payload (an htmx element that posts on load, a script,
an image with an error handler, an attribute break-out), and every page and the pack show
it escaped.
"""

from __future__ import annotations

import datetime

import pytest

from governance.actions import services as actions
from governance.decisions import services as decisions
from governance.meetings import services as meetings
from opb_portal.accounts.models import Organisation, User
from opb_portal.boardpack import render, selectors
from opb_portal.boardpack.models import Meeting
from opb_portal.periods import Period

from .test_person_written_text_is_escaped import assert_shown_escaped, hostile

KINDS = [
    "chair name",
    "attendee name",
    "job title",
    "agenda title",
    "agenda notes",
    "minutes",
    "action title",
    "action detail",
    "update",
    "outcome",
    "decision",
]


@pytest.fixture
def hostile_world(demo):
    chair = User.objects.get(username="trust.ceo")
    chair.first_name, chair.last_name = hostile("chair name"), "Last"
    chair.save()
    admin = User.objects.get(username="admin")
    may = Meeting.objects.get(date=datetime.date(2025, 5, 22))
    meetings.attendee_add(
        meeting=may, user=chair, name=hostile("attendee name")[:200],
        job_title=hostile("job title")[:200], organisation=Organisation.objects.get(kind="trust"),
    )  # fmt: skip
    meetings.agenda_add(
        meeting=may, user=chair, title=hostile("agenda title"), notes=hostile("agenda notes")
    )
    meetings.minutes_save(meeting=may, user=chair, text=hostile("minutes"), base_version=1)
    action = actions.action_raise(
        user=admin, title=hostile("action title"), detail=hostile("action detail"),
        owner=User.objects.get(username="kpi.submitter"), due=datetime.date(2025, 5, 1),
        meeting=may, subject="kpi:2024/PI9",
    )  # fmt: skip
    actions.action_update(action=action, user=admin, text=hostile("update"))
    # Raised before the meeting, so that its pack lists it.
    type(action).objects.filter(pk=action.pk).update(
        raised_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)
    )
    closed = actions.action_raise(
        user=admin, title=hostile("action title"), owner=chair, due=datetime.date(2025, 6, 1),
        meeting=may,
    )  # fmt: skip
    actions.action_close(action=closed, user=admin, outcome=hostile("outcome"))
    decisions.decision_record(
        meeting=may, user=chair, text=hostile("decision"), subjects=["kpi:2024/PI9"],
        actions=[action],
    )  # fmt: skip
    # And at the SPB in between, so that the May pack (decisions since the last meeting) shows one.
    decisions.decision_record(
        meeting=Meeting.objects.get(date=datetime.date(2025, 4, 24)), user=admin,
        text=hostile("decision"),
    )  # fmt: skip
    return {"action": action, "closed": closed, "chair": chair}


PAGES = [
    pytest.param(
        "/governance/meetings/2025-05-22/",
        [
            "chair name",
            "attendee name",
            "job title",
            "agenda title",
            "agenda notes",
            "minutes",
            "action title",
            "decision",
        ],
        id="meeting",
    ),  # fmt: skip
    pytest.param("/governance/meetings/", ["chair name"], id="meetings-list"),
    pytest.param("/governance/meetings/2025-05-22/minutes/2/", ["minutes"], id="minutes-version"),
    pytest.param("/governance/actions/", ["action title"], id="actions-log"),
    pytest.param("/governance/actions/?status=closed", ["action title"], id="closed-actions"),
    pytest.param("/governance/decisions/", ["decision", "action title"], id="decisions-log"),
    pytest.param("/meetings/2025-05-22/", ["chair name"], id="board-pack-meeting"),
]


@pytest.mark.parametrize(("url", "kinds"), PAGES)
def test_every_governance_page_shows_person_written_text_escaped(hostile_world, client, url, kinds):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(url)
    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), [hostile(kind) for kind in kinds])


@pytest.mark.parametrize(
    ("which", "kinds"),
    [
        pytest.param("action", ["action title", "action detail", "update"], id="open-action"),
        pytest.param("closed", ["action title", "outcome"], id="closed-action"),
    ],
)
def test_an_actions_page_shows_its_text_escaped(hostile_world, client, which, kinds):
    client.force_login(User.objects.get(username="kpi.submitter"))
    response = client.get(f"/governance/actions/{hostile_world[which].pk}/")
    assert_shown_escaped(response.content.decode(), [hostile(kind) for kind in kinds])


def test_the_agenda_form_shows_the_minutes_escaped_in_the_textarea(hostile_world, client):
    client.force_login(hostile_world["chair"])
    html = client.get("/governance/meetings/2025-05-22/minutes/").content.decode()
    assert_shown_escaped(html, [hostile("minutes")])


def test_the_board_pack_html_shows_actions_and_decisions_escaped(hostile_world):
    meeting = Meeting.objects.get(date=datetime.date(2025, 5, 22))
    html = render.pack_html(selectors.pack_contents(Period(2025, 4), meeting=meeting))
    assert_shown_escaped(html, [hostile("action title"), hostile("decision")])
