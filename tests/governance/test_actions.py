"""The actions log: raising, updating and closing an action, and who may do each."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.actions import selectors, services
from governance.models import Action, ActionReminder
from governance.refusals import Refused
from opb_portal.accounts.models import Role
from opb_portal.outbox.models import OutgoingEmail

from .conftest import council_person, make_meeting, signed_in, trust_person

DUE = datetime.date(2025, 5, 15)


@pytest.fixture
def people(db):
    """The Trust's owner and a colleague, the council's reviewer who raises, and an outsider."""
    owner = trust_person("workforce_submitter", email="owner@example.org")
    return {
        "owner": owner,
        "colleague": trust_person("kpi_submitter"),
        "raiser": council_person(Role.REVIEWER),
        "council": council_person(Role.BOARD_MEMBER),
        "admin": council_person(Role.ADMINISTRATOR),
    }


@pytest.fixture
def action(people, april):
    return services.action_raise(
        user=people["raiser"],
        title="Present an agency recovery plan",
        owner=people["owner"],
        due=DUE,
        meeting=april,
        subject="workforce:agency_share",
    )


def test_raising_an_action_emails_its_owner_and_records_the_reminder(action, people):
    email = OutgoingEmail.objects.get()
    assert (email.to, email.subject) == (
        "owner@example.org",
        f"OPB portal: action {action.reference} is yours",
    )
    assert "at the OPB meeting of 17 April 2025" in email.body
    assert f"/governance/actions/{action.pk}/" in email.body
    assert list(action.reminders.values_list("kind", "due")) == [("raised", DUE)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"meeting": None, "subject": ""}, "raised at a meeting", id="neither"),
        pytest.param({"subject": "kpi"}, "not a subject", id="not-a-reference"),
        pytest.param({"subject": "risk:R1"}, "not a kind of subject", id="an-unknown-kind"),
        pytest.param({"title": ""}, "This field cannot be blank", id="no-title"),
    ],
)
def test_an_action_that_cannot_be_raised_says_why(people, april, changes, message):
    fields = {
        "title": "Do something",
        "owner": people["owner"],
        "due": DUE,
        "meeting": april,
        "subject": "",
    } | changes
    with pytest.raises(ValidationError, match=message):
        services.action_raise(user=people["raiser"], **fields)
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "role",
    [pytest.param("kpi_submitter", id="a-trust-submitter"), pytest.param("", id="no-role")],
)
def test_those_who_do_not_hold_the_trust_to_account_cannot_raise_actions(people, april, role):
    with pytest.raises(Refused, match="does not allow raising"):
        services.action_raise(
            user=trust_person(role), title="X", owner=people["owner"], due=DUE, meeting=april
        )


@pytest.mark.parametrize(
    ("who", "may"),
    [
        pytest.param("owner", True, id="the-owner"),
        pytest.param("colleague", True, id="someone-of-the-owners-organisation"),
        pytest.param("raiser", True, id="whoever-raised-it"),
        pytest.param("admin", True, id="an-administrator"),
        pytest.param("council", False, id="someone-of-another-organisation"),
    ],
)
def test_who_may_update_an_action(action, people, who, may):
    if may:
        update = services.action_update(action=action, user=people[who], text="On track.")
        assert update.by == people[who]
    else:
        with pytest.raises(Refused, match="Only the action's owner"):
            services.action_update(action=action, user=people[who], text="On track.")
        assert not action.updates.exists()


def test_two_people_of_different_organisations_see_different_buttons(action, people):
    council_page = signed_in(people["council"]).get(f"/governance/actions/{action.pk}/")
    trust_page = signed_in(people["colleague"]).get(f"/governance/actions/{action.pk}/")
    assert "Close the action" not in council_page.content.decode()
    assert "Close the action" in trust_page.content.decode()
    refused = signed_in(people["council"]).post(
        f"/governance/actions/{action.pk}/close/", {"outcome": "Done"}
    )
    assert refused.status_code == 403
    assert Action.objects.get(pk=action.pk).is_open


def test_an_update_that_moves_the_due_date_says_from_what(action, people):
    later = DUE + datetime.timedelta(days=14)
    update = services.action_update(
        action=action, user=people["owner"], text="Waiting for HR.", due=later
    )
    assert (update.due_was, update.due_now) == (DUE, later)
    assert Action.objects.get(pk=action.pk).due == later


def test_closing_needs_an_outcome_and_keeps_the_action(action, people):
    with pytest.raises(ValidationError, match="Say what came of"):
        services.action_close(action=action, user=people["owner"], outcome="  ")
    closed = services.action_close(action=action, user=people["owner"], outcome="Plan agreed.")
    assert (closed.status, closed.closed_by, closed.outcome) == (
        "closed",
        people["owner"],
        "Plan agreed.",
    )
    with pytest.raises(Refused, match="closed"):
        services.action_update(action=closed, user=people["owner"], text="More")
    with pytest.raises(Refused, match="already closed"):
        services.action_close(action=closed, user=people["owner"], outcome="Again")


def _raise(people, meeting, title, due, subject=""):
    return services.action_raise(
        user=people["raiser"], title=title, owner=people["owner"], due=due, meeting=meeting,
        subject=subject,
    )  # fmt: skip


def test_overdue_actions_come_first_then_by_due_date(people, april):
    later = _raise(people, april, "Later", datetime.date(2025, 6, 30))
    soon = _raise(people, april, "Soon", datetime.date(2025, 5, 30))
    late = _raise(people, april, "Late", datetime.date(2025, 5, 1))
    day = datetime.date(2025, 5, 20)
    assert list(selectors.actions_log(day=day)) == [late, soon, later]


def test_actions_about_a_kpi_are_found_by_its_reference(people, april):
    pi9 = _raise(people, april, "PI9 review", DUE, "kpi:2024/PI9")
    _raise(people, april, "Agency", DUE, "workforce:agency_share")
    assert list(selectors.actions_about(["kpi:2024/PI9"])) == [pi9]
    assert list(selectors.actions_about([])) == []


def test_an_action_is_carried_from_meeting_to_meeting_until_closed(people, april, may, chair):
    june = make_meeting(datetime.date(2025, 6, 19), chair)
    action = _raise(people, april, "Carried", datetime.date(2025, 5, 1))
    services.action_close(action=action, user=people["owner"], outcome="Done.")
    Action.objects.filter(pk=action.pk).update(
        raised_at=datetime.datetime(2025, 4, 17, 12, tzinfo=datetime.UTC),
        closed_at=datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC),
    )

    def carried(meeting, since):
        return [a.pk for a in selectors.carried(meeting, since=since)]

    assert carried(april, None) == [action.pk]  # raised there
    assert carried(may, april.date) == [action.pk]  # open (and overdue) on 22 May
    assert carried(june, may.date) == [action.pk]  # closed since the last meeting
    july = make_meeting(datetime.date(2025, 7, 17), chair)
    assert carried(july, june.date) == []  # closed before the last meeting: gone
    assert selectors.overdue_at(Action.objects.get(pk=action.pk), may.date)


def test_an_action_recorded_after_its_meeting_is_carried_from_that_meetings_date(
    people, april, may, chair
):
    # Raised at 17 April, recorded in the portal today (long after 22 May): still carried.
    action = _raise(people, april, "Recorded late", datetime.date(2025, 5, 1))
    assert action.raised_at.date() > may.date
    assert [a.pk for a in selectors.carried(may, since=april.date)] == [action.pk]
    # Not raised at a meeting and recorded after 22 May: not on that meeting's list.
    _raise(people, None, "Not yet raised then", datetime.date(2025, 5, 1), "kpi:2024/PI9")
    assert [a.pk for a in selectors.carried(may, since=april.date)] == [action.pk]


def test_the_form_refuses_an_action_with_neither_a_meeting_nor_a_subject(people, april):
    client = signed_in(people["raiser"])
    response = client.post(
        "/governance/actions/new/",
        {
            "title": "X",
            "owner": people["owner"].pk,
            "due": "2025-05-15",
            "meeting": "",
            "subject": "",
        },
    )
    assert response.status_code == 400
    assert "Say which meeting raised the action" in response.content.decode()


def test_the_form_raises_an_action_at_the_meeting_it_came_from(people, april):
    client = signed_in(people["raiser"])
    page = client.get("/governance/actions/new/?meeting=2025-04-17&subject=kpi:2024/PI9")
    assert page.status_code == 200
    response = client.post(
        "/governance/actions/new/",
        {"title": "Review", "owner": people["owner"].pk, "due": "2025-05-15",
         "meeting": april.pk, "subject": ""},
    )  # fmt: skip
    action = Action.objects.get()
    assert response["Location"] == f"/governance/actions/{action.pk}/"
    assert ActionReminder.objects.filter(action=action, kind="raised").exists()
