"""
The change control log: recorded, agreed, superseded and withdrawn, never deleted; a change to
a KPI's thresholds linked to the rule it created; sections (h) and (i) of the annual review
drafted from it in the published review's words (seed 001).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from governance.changes import annual, selectors, services
from governance.changes.forms import ChangeForm
from governance.changes.services import ChangeError
from governance.models import Board, Change, ChangeEvent
from kpis.models import KpiDefinition, ThresholdRule
from opb_portal.accounts.models import Role
from opb_portal.comparators.models import NeighbourGroup
from opb_portal.periods import FinancialYear, Period

from ..factories import UserFactory

YEAR = FinancialYear(2024)


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="keeper")


@pytest.fixture
def other_admin(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="second-keeper")


def _record(user, **overrides) -> Change:
    fields = {
        "title": "Extension of SSA Schedule 2 – Part 19 (Transport)",
        "kind": Change.Kind.SSA,
        "in_force_from": Period(2025, 4),
        "agreed_by": Board.OPB,
        "agreed_on": datetime.date(2025, 3, 20),
    }
    return services.change_record(user=user, **(fields | overrides))


# --- recording and closing --------------------------------------------------------------------


def test_a_change_with_a_board_and_a_date_is_recorded_as_agreed(admin):
    change = _record(admin)
    assert (change.status, change.recorded_by) == (Change.Status.AGREED, admin)
    event = change.events.get()
    assert (event.action, event.user) == (ChangeEvent.Action.RECORDED, admin)
    assert "Operational Partnership Board (OPB) on 20 March 2025" in event.note


def test_a_proposed_change_is_agreed_later_and_both_steps_are_kept(admin, other_admin):
    change = _record(admin, agreed_by="", agreed_on=None)
    assert change.status == Change.Status.PROPOSED
    services.change_agree(
        change=change, user=other_admin, agreed_by=Board.SPB, agreed_on=datetime.date(2025, 3, 1)
    )
    change.refresh_from_db()
    assert (change.status, change.agreed_by) == (Change.Status.AGREED, Board.SPB)
    assert [(e.action, e.user) for e in change.events.all()] == [
        (ChangeEvent.Action.RECORDED, admin),
        (ChangeEvent.Action.AGREED, other_admin),
    ]


def test_superseding_keeps_the_old_change_and_points_it_at_its_correction(admin, other_admin):
    old = _record(admin)
    new = services.change_supersede(
        change=old,
        user=other_admin,
        reason="The extension starts in May, not April.",
        title=old.title,
        kind=old.kind,
        in_force_from=Period(2025, 5),
        agreed_by=old.agreed_by,
        agreed_on=old.agreed_on,
    )
    old.refresh_from_db()
    assert (old.status, old.superseded_by, old.closed_by) == (
        Change.Status.SUPERSEDED,
        new,
        other_admin,
    )
    assert old.close_reason == "The extension starts in May, not April."
    assert (new.status, new.in_force_from, new.supersedes) == (
        Change.Status.AGREED,
        Period(2025, 5),
        old,
    )
    assert Change.objects.count() == 2


def test_a_withdrawn_change_stays_in_the_log_with_who_and_why(admin):
    change = services.change_withdraw(change=_record(admin), user=admin, reason="Not pursued.")
    assert (change.status, change.closed_by, change.close_reason) == (
        Change.Status.WITHDRAWN,
        admin,
        "Not pursued.",
    )
    assert Change.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize(
    "act",
    [
        pytest.param(
            lambda c, u: services.change_withdraw(change=c, user=u, reason="x"), id="withdraw"
        ),
        pytest.param(
            lambda c, u: services.change_agree(
                change=c, user=u, agreed_by=Board.OPB, agreed_on=datetime.date(2025, 1, 1)
            ),
            id="agree",
        ),
    ],
)
def test_a_closed_change_refuses_every_further_act(admin, act):
    change = services.change_withdraw(change=_record(admin), user=admin, reason="Not pursued.")
    with pytest.raises(ChangeError, match="closed"):
        act(change, admin)


@pytest.mark.parametrize(
    "role",
    [pytest.param(Role.REVIEWER, id="reviewer"), pytest.param(Role.BOARD_MEMBER, id="board")],
)
def test_only_an_administrator_keeps_the_log(admin, role):
    change = _record(admin)
    someone = UserFactory(role=role)
    with pytest.raises(ChangeError, match="does not allow"):
        _record(someone)
    with pytest.raises(ChangeError, match="does not allow"):
        services.change_withdraw(change=change, user=someone, reason="x")


def test_a_withdrawal_needs_a_reason(admin):
    with pytest.raises(ChangeError, match="Say why"):
        services.change_withdraw(change=_record(admin), user=admin, reason="  ")


# --- validation -------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "title": "Amendment of KPI 9 (Date of the Fast Track Change)",
        "kind": "kpi",
        "subject": "",
        "in_force_from": "2025-04",
        "detail": "",
        "agreed_by": "opb",
        "agreed_on": "2025-02-20",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        pytest.param({}, None, id="agreed-by-a-board-on-a-date"),
        pytest.param({"agreed_by": "", "agreed_on": ""}, None, id="proposed"),
        pytest.param({"agreed_on": ""}, "names the board and the date", id="board-without-date"),
        pytest.param({"agreed_by": ""}, "names the board and the date", id="date-without-board"),
        pytest.param({"in_force_from": "April"}, "in_force_from", id="month-unreadable"),
        pytest.param({"kind": "treaty"}, "kind", id="unknown-kind"),
        pytest.param({"subject": "kpi:2099/PI99"}, "subject", id="subject-not-offered"),
        pytest.param({"title": ""}, "title", id="no-title"),
    ],
)
def test_the_change_form_checks_what_it_is_given(demo, overrides, error):
    form = ChangeForm(_form(**overrides))
    if error is None:
        assert form.is_valid(), form.errors
    else:
        assert not form.is_valid()
        assert error in str(form.errors) or error in form.errors


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"status": "agreed", "agreed_by": ""}, "agreed_by", id="agreed-without-board"),
        pytest.param(
            {"status": "proposed", "agreed_on": None, "agreed_by": "opb"},
            "status",
            id="proposed-with-board",
        ),
        pytest.param({"status": "withdrawn"}, "close_reason", id="withdrawn-without-who"),
        pytest.param({"subject": "nothing"}, "subject", id="subject-not-a-reference"),
    ],
)
def test_the_model_refuses_a_change_that_contradicts_itself(admin, fields, field):
    change = _record(admin)
    for name, value in fields.items():
        setattr(change, name, value)
    with pytest.raises(ValidationError) as refused:
        change.full_clean()
    assert field in refused.value.message_dict


# --- the rule a KPI change created ------------------------------------------------------------


def test_a_kpi_change_links_to_the_rule_that_starts_in_its_month(demo):
    pi9 = KpiDefinition.objects.get(framework__code="2024", code="PI9")
    row = next(r for r in selectors.change_log()[0] if r.change.subject == "kpi:2024/PI9")
    # The demonstration holds PI9's band from April 2024 only: the change says the rule is missing.
    assert (row.rule, row.rule_missing) == (None, True)

    current = pi9.rule_for(Period(2025, 3))
    ThresholdRule.objects.create(
        kpi=pi9,
        effective_from=Period(2025, 4),
        polarity=current.polarity,
        green_lower=Decimal("67.0"),
        green_upper=Decimal("75.0"),
        red_below=Decimal("62.0"),
        reason="Fast-track change",
    )
    row = next(r for r in selectors.change_log()[0] if r.change.subject == "kpi:2024/PI9")
    assert row.rule.label.startswith("PI9 thresholds from April 2025: ")
    assert row.rule.url == "/kpis/2024/PI9/"
    assert not row.rule_missing


def test_the_change_page_shows_the_rule_it_created(demo, client, admin):
    client.force_login(admin)
    change = Change.objects.get(subject="kpi:2024/PI9")
    html = client.get(f"/governance/changes/{change.pk}/").content.decode()
    assert "No rule of it starts in April 2025 yet" in html
    assert 'href="/kpis/2024/PI9/"' in html


# --- the demonstration and the annual review --------------------------------------------------


def test_the_demo_holds_the_three_changes_the_2024_25_review_lists(demo):
    assert sorted(Change.objects.values_list("title", "in_force_from")) == [
        ("Amendment of KPI 9 (Date of the Fast Track Change)", Period(2025, 4)),
        ("Extension of SSA Schedule 2 – Part 19 (Transport)", Period(2025, 4)),
        ("New Contractual Key Performance Indicators (KPI's) 2024", Period(2024, 4)),
    ]


def test_section_h_is_drafted_from_the_log_in_the_reviews_words(demo):
    assert annual.draft_h(YEAR) == (
        "Changes to Service Delivery Contract\n\n"
        "- New Contractual Key Performance Indicators (KPI's) 2024 from 1st April 2024\n"
        "- Amendment of KPI 9 (Date of the Fast Track Change) from 1st April 2025\n\n"
        "Changes to Support Services Agreements\n\n"
        "- Extension of SSA Schedule 2 – Part 19 (Transport) from 1st April 2025\n\n"
        "Other significant changes\n\n"
        "There were no other significant changes during the year."
    )


def test_section_h_says_there_were_no_changes_in_a_year_without_any(demo):
    assert annual.draft_h(FinancialYear(2022)).split("\n\n")[1::2] == [
        "There were no changes to the Service Delivery Contract during the year.",
        "There were no changes to the support services agreements during the year.",
        "There were no other significant changes during the year.",
    ]


def test_a_withdrawn_or_superseded_change_leaves_section_h(demo):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    ssa = Change.objects.get(kind=Change.Kind.SSA)
    services.change_withdraw(change=ssa, user=admin, reason="Recorded in error.")
    assert "There were no changes to the support services agreements" in annual.draft_h(YEAR)


def test_section_i_gives_the_new_neighbour_group_from_june_2025(demo):
    draft = annual.draft_i(YEAR)
    assert draft.startswith(
        "- LIAT changes to Statistical Neighbour Group from June 2025, new Statistical "
        "Neighbour group is: "
    )
    members = NeighbourGroup.objects.get(effective_from=datetime.date(2025, 6, 1)).members
    assert all(name in draft for name in members.values_list("name", flat=True))


def test_section_i_lists_a_change_proposed_for_the_following_year(demo):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    _record(
        admin,
        title="Revised caseload model",
        kind=Change.Kind.SPECIFICATION,
        in_force_from=Period(2025, 9),
        agreed_by="",
        agreed_on=None,
    )
    lines = annual.draft_i(YEAR).split("\n")
    assert lines[1] == "- Revised caseload model from 1st September 2025"
    # Agreed during 2024-25, the transport extension is section (h)'s, not (i)'s.
    assert not any("Transport" in line for line in lines)


def test_section_i_says_when_nothing_is_proposed(db):
    # No change is recorded and the comparator store holds no neighbour group.
    assert annual.draft_i(YEAR) == annual.NOTHING_PROPOSED


# --- pages ------------------------------------------------------------------------------------


def test_the_log_lists_open_changes_before_closed_ones(demo, client, admin):
    ssa = Change.objects.get(kind=Change.Kind.SSA)
    services.change_withdraw(change=ssa, user=admin, reason="Recorded in error.")
    client.force_login(admin)
    html = client.get("/governance/changes/").content.decode()
    assert html.index("Amendment of KPI 9") < html.index("Superseded and withdrawn")
    assert html.index("Superseded and withdrawn") < html.index("Extension of SSA")


def test_the_log_page_query_count_is_fixed(demo, client, admin, django_assert_num_queries):
    client.force_login(admin)
    # 7 queries: session, user, savepoint, the changes with who recorded and closed them, their
    # KPI subjects, the KPI rules they created, release
    with django_assert_num_queries(7):
        client.get("/governance/changes/")
    _record(admin, title="Another", subject="finance:PL-RES", kind=Change.Kind.FINANCIAL)
    # 8: and the finance lines, one query for every finance subject
    with django_assert_num_queries(8):
        client.get("/governance/changes/")


def test_recording_a_change_through_the_page_keeps_it(demo, client, admin):
    client.force_login(admin)
    response = client.post("/governance/changes/new/", _form(subject="kpi:2024/PI9"))
    change = Change.objects.latest("pk")
    assert response["Location"] == f"/governance/changes/{change.pk}/"
    assert (change.subject, change.recorded_by, change.status) == ("kpi:2024/PI9", admin, "agreed")


def test_a_correction_keeps_a_subject_no_longer_offered(demo, client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    old = _record(
        admin, kind=Change.Kind.KPI, subject="kpi:2018/PI9", in_force_from=Period(2023, 4)
    )
    client.force_login(admin)
    page = client.get(f"/governance/changes/{old.pk}/supersede/")
    assert page.status_code == 200
    data = _form(subject="kpi:2018/PI9", in_force_from="2023-05", reason="A month later.")
    response = client.post(f"/governance/changes/{old.pk}/supersede/", data)
    new = Change.objects.latest("pk")
    assert response["Location"] == f"/governance/changes/{new.pk}/"
    assert (new.subject, new.supersedes) == ("kpi:2018/PI9", old)
