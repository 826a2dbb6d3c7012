"""A meeting's business: its agenda, attendees and minutes, and who may set them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from governance.meetings import services
from governance.models import AgendaItem, Attendee, MinutesVersion
from governance.refusals import Refused
from opb_portal.accounts.models import Organisation, Role
from opb_portal.core import off_track

from ..factories import OrganisationFactory
from .conftest import council_person, make_meeting, trust_person

# --- the agenda --------------------------------------------------------------------------


@pytest.fixture
def pi9_red(monkeypatch):
    """A month with PI9 red and PI1 escalated, as the KPI domain would judge them."""

    def provider(period):
        return [
            off_track.OffTrack("kpi:2024/PI9", "PI9 Placement stability", "red", "62.0%"),
            off_track.OffTrack("kpi:2024/PI1", "PI1 Re-referrals", "red", "31%", escalated=True),
        ]

    monkeypatch.setitem(off_track._PROVIDERS, "test", provider)


def titles(meeting) -> list[str]:
    return [
        item.title
        for item in meeting.agenda_items.filter(withdrawn_at__isnull=True).order_by("position")
    ]


def test_the_agenda_is_drafted_from_the_months_figures_escalations_first(april, chair, pi9_red):
    services.agenda_draft(meeting=april, user=chair)
    assert titles(april) == [
        "Apologies, and the minutes of the last meeting",
        "Escalation: PI1 Re-referrals has been red for more than three months: the "
        "rectification plan",
        "Exception: PI9 Placement stability is red (62.0%)",
        "Finance: the budget position at March 2025",
        "Workforce: social workers in March 2025",
        "Actions: none open",
    ]
    pi9 = april.agenda_items.get(kind=AgendaItem.Kind.EXCEPTION)
    assert pi9.subject == "kpi:2024/PI9"


def test_drafting_again_adds_only_what_is_new(april, chair, pi9_red, monkeypatch):
    services.agenda_draft(meeting=april, user=chair)
    again = services.agenda_draft(meeting=april, user=chair)
    assert again == []
    monkeypatch.setitem(
        off_track._PROVIDERS,
        "more",
        lambda period: [off_track.OffTrack("kpi:2024/PI4", "PI4 Visits", "amber", "88%")],
    )
    added = services.agenda_draft(meeting=april, user=chair)
    assert [item.title for item in added] == ["Exception: PI4 Visits is amber (88%)"]
    assert titles(april)[-1] == "Exception: PI4 Visits is amber (88%)"


def test_the_chair_adds_moves_and_withdraws_items(april, chair):
    services.agenda_draft(meeting=april, user=chair)
    extra = services.agenda_add(meeting=april, user=chair, title="Ofsted focused visit")
    assert titles(april)[-1] == "Ofsted focused visit"
    services.agenda_move(item=extra, user=chair, up=True)
    assert titles(april)[-2:] == ["Ofsted focused visit", "Actions: none open"]
    first = april.agenda_items.order_by("position").first()
    services.agenda_move(item=first, user=chair, up=True)  # at the top already: nothing moves
    assert titles(april)[0] == "Apologies, and the minutes of the last meeting"
    services.agenda_withdraw(item=extra, user=chair)
    assert "Ofsted focused visit" not in titles(april)
    kept = AgendaItem.objects.get(pk=extra.pk)
    assert (kept.withdrawn_by, kept.withdrawn) == (chair, True)
    positions = list(april.agenda_items.values_list("position", flat=True))
    assert len(positions) == len(set(positions))


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda: trust_person(Role.BOARD_MEMBER), id="a-board-member-not-chairing"),
        pytest.param(lambda: council_person(Role.REVIEWER), id="a-reviewer"),
        pytest.param(lambda: trust_person("kpi_submitter"), id="a-trust-submitter"),
    ],
)
def test_only_the_chair_or_an_administrator_sets_the_agenda(april, who):
    with pytest.raises(Refused, match="chair or an administrator"):
        services.agenda_add(meeting=april, user=who(), title="Anything")
    assert not april.agenda_items.exists()


def test_an_administrator_sets_any_meetings_agenda(april):
    admin = council_person(Role.ADMINISTRATOR)
    services.agenda_add(meeting=april, user=admin, title="Any other business")
    assert titles(april) == ["Any other business"]


def test_two_chairs_each_set_only_their_own_boards_agenda(april, chair):
    council_chief = council_person(Role.BOARD_MEMBER)
    spb = make_meeting(datetime.date(2025, 4, 24), council_chief, board="spb")
    services.agenda_add(meeting=spb, user=council_chief, title="Year-end review")
    with pytest.raises(Refused):
        services.agenda_add(meeting=april, user=council_chief, title="Not mine")
    with pytest.raises(Refused):
        services.agenda_add(meeting=spb, user=chair, title="Not mine either")


# --- attendees -------------------------------------------------------------------------------


def test_attendees_are_recorded_present_or_with_apologies_once_each(april, chair):
    trust = chair.organisation
    services.attendee_add(
        meeting=april, user=chair, name="Pat Evans", job_title="Chief Executive",
        organisation=trust, person=chair,
    )  # fmt: skip
    council = OrganisationFactory(kind=Organisation.Kind.COUNCIL)
    services.attendee_add(
        meeting=april, user=chair, name="Priya Kaur", job_title="Senior Solicitor",
        organisation=council, attendance=Attendee.Attendance.APOLOGIES,
    )  # fmt: skip
    assert [str(a) for a in april.attendees.order_by("pk")] == [
        "Pat Evans, Chief Executive (present)",
        "Priya Kaur, Senior Solicitor (apologies)",
    ]
    with pytest.raises(Refused, match="already recorded"):
        services.attendee_add(
            meeting=april, user=chair, name="Pat Evans", job_title="CE", organisation=trust
        )


# --- minutes ------------------------------------------------------------------------------------


def test_each_save_of_the_minutes_is_a_new_version(april, chair):
    first = services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    second = services.minutes_save(
        meeting=april, user=chair, text="Draft, corrected", base_version=1
    )
    assert (first.number, second.number) == (1, 2)
    assert MinutesVersion.objects.get(pk=first.pk).text == "Draft"


@pytest.mark.parametrize(
    ("base", "message"),
    [
        pytest.param(None, "Someone saved version 1", id="started-before-the-first-save"),
        pytest.param(2, "Someone saved version 1", id="a-version-that-does-not-exist"),
    ],
)
def test_a_save_based_on_an_older_version_is_refused(april, chair, base, message):
    services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    with pytest.raises(Refused, match=message):
        services.minutes_save(meeting=april, user=chair, text="Mine", base_version=base)


def test_saving_the_same_text_again_is_refused(april, chair):
    services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    with pytest.raises(Refused, match="Nothing has changed"):
        services.minutes_save(meeting=april, user=chair, text="Draft", base_version=1)


def test_minutes_are_approved_at_the_next_meeting_and_then_frozen(april, may, chair):
    services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    services.minutes_save(meeting=april, user=chair, text="Final", base_version=1)
    approved = services.minutes_approve(meeting=april, user=chair)
    assert (approved.number, approved.approved_at_meeting, approved.approved_by) == (2, may, chair)
    for act in (
        lambda: services.minutes_save(meeting=april, user=chair, text="Later", base_version=2),
        lambda: services.agenda_add(meeting=april, user=chair, title="Late item"),
        lambda: services.minutes_approve(meeting=april, user=chair),
    ):
        with pytest.raises(Refused):
            act()
    assert april.minutes_versions.count() == 2


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        pytest.param("no-next", "none is arranged", id="no-next-meeting"),
        pytest.param("future-next", "once it has met", id="the-next-meeting-has-not-met"),
        pytest.param("no-minutes", "no minutes to approve", id="nothing-drafted"),
    ],
)
def test_minutes_cannot_be_approved_too_early(april, chair, arrange, message):
    if arrange == "future-next":
        make_meeting(timezone.localdate() + datetime.timedelta(days=30), chair)
    elif arrange == "no-minutes":
        make_meeting(datetime.date(2025, 5, 22), chair)
    if arrange != "no-minutes":
        services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    with pytest.raises(Refused, match=message):
        services.minutes_approve(meeting=april, user=chair)


def test_only_the_next_meetings_chair_or_an_administrator_approves(april, chair):
    next_chair = trust_person(Role.BOARD_MEMBER)
    make_meeting(datetime.date(2025, 5, 22), next_chair)
    services.minutes_save(meeting=april, user=chair, text="Draft", base_version=None)
    with pytest.raises(Refused, match="Only the chair of the OPB meeting of 22 May 2025"):
        services.minutes_approve(meeting=april, user=chair)
    assert services.minutes_approve(meeting=april, user=next_chair).approved
