"""
A return's life: draft, submitted, returned with queries, approved, corrected.

Written against the services, as the views and the command line use them.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.models import KpiValue
from opb_portal.accounts.models import Role
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import PeriodLockEvent, Return, ReturnEvent, ReturnVersion

from ..factories import UserFactory

APRIL = Period(2025, 4)


def full_return(**overrides) -> dict:
    """March 2025's approved figures (all in the usual range), with some lines changed."""
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    for code, fields in overrides.items():
        data[code] = {**data[code], **fields}
    return data


@pytest.fixture
def people(demo):
    from opb_portal.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def ret(people):
    return services.return_for(
        organisation=people["kpi.submitter"].organisation, domain="kpis", period=APRIL
    )


def _saved(ret, user, data=None, base=None):
    return services.return_save(ret=ret, user=user, data=data or full_return(), base_version=base)


def test_saving_makes_version_1_of_a_draft(ret, people):
    version = _saved(ret, people["kpi.submitter"])
    ret.refresh_from_db()
    assert (version.number, ret.status) == (1, Return.Status.DRAFT)
    assert ret.events.get().action == ReturnEvent.Action.SAVED


def test_every_save_makes_a_new_version_and_keeps_the_old_one(ret, people):
    submitter = people["kpi.submitter"]
    _saved(ret, submitter)
    _saved(ret, submitter, full_return(PI1={"value": "81.0"}), base=1)
    assert list(ret.versions.values_list("number", flat=True)) == [1, 2]
    assert ret.versions.get(number=1).data["PI1"]["value"] == "86.4"


def test_a_version_cannot_be_changed_once_written(ret, people):
    version = _saved(ret, people["kpi.submitter"])
    version.data = {}
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_a_second_person_saving_a_stale_draft_is_refused(ret, people):
    submitter = people["kpi.submitter"]
    colleague = UserFactory(role="kpi_submitter", organisation=submitter.organisation)
    _saved(ret, submitter)  # both opened version 1...
    _saved(ret, submitter, full_return(PI1={"value": "81.0"}), base=1)
    with pytest.raises(services.ReturnError, match="Version 2 of the KPI return .* was saved by"):
        _saved(ret, colleague, full_return(PI1={"value": "80.0"}), base=1)
    assert ret.versions.latest("number").data["PI1"]["value"] == "81.0"


@pytest.mark.parametrize(
    "username",
    ["finance.submitter", "workforce.submitter", "reviewer", "board", "admin"],
)
def test_only_kpi_submitters_save_kpi_returns(ret, people, username):
    with pytest.raises(services.ReturnError, match="role does not allow"):
        _saved(ret, people[username])
    assert not ReturnVersion.objects.filter(ret=ret).exists()


def test_a_submitter_of_the_council_cannot_send_the_trusts_return(ret, people):
    outsider = UserFactory(role="kpi_submitter", organisation=people["reviewer"].organisation)
    with pytest.raises(services.ReturnError, match="your own organisation"):
        _saved(ret, outsider)


def test_submitting_tells_the_reviewers(ret, people, django_capture_on_commit_callbacks):
    _saved(ret, people["kpi.submitter"])
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submit(ret=ret, user=people["kpi.submitter"])
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED
    (queued,) = OutgoingEmail.objects.all()
    assert queued.to == "reviewer@example.org"
    assert "KPI return for April 2025 submitted" in queued.subject


def test_a_return_with_a_missing_kpi_cannot_be_submitted(ret, people):
    data = full_return()
    del data["PI5"]
    _saved(ret, people["kpi.submitter"], data)
    with pytest.raises(services.ReturnError) as refused:
        services.return_submit(ret=ret, user=people["kpi.submitter"])
    assert any("PI5" in p.message and "no value" in p.message for p in refused.value.problems)
    ret.refresh_from_db()
    assert ret.status == Return.Status.DRAFT


def test_a_red_kpi_needs_an_explanation_before_submitting(ret, people):
    _saved(ret, people["kpi.submitter"], full_return(PI1={"value": "60.0", "commentary": ""}))
    with pytest.raises(services.ReturnError, match="explanation") as refused:
        services.return_submit(ret=ret, user=people["kpi.submitter"])
    assert {p.measure for p in refused.value.problems} == {"PI1"}
    services.return_submit(
        ret=ret, user=people["kpi.submitter"], explanations={"PI1": "Two teams short-staffed."}
    )
    assert ret.events.latest("at").note == "PI1: Two teams short-staffed."


def test_a_red_kpi_with_commentary_is_already_explained(ret, people):
    _saved(
        ret, people["kpi.submitter"], full_return(PI1={"value": "60.0", "commentary": "Backlog."})
    )
    services.return_submit(ret=ret, user=people["kpi.submitter"])
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED


def _submitted(ret, people, data=None):
    _saved(ret, people["kpi.submitter"], data)
    services.return_submit(ret=ret, user=people["kpi.submitter"])
    OutgoingEmail.objects.all().delete()


def test_approving_puts_the_figures_on_the_dashboards_and_tells_the_submitters(
    ret, people, django_capture_on_commit_callbacks
):
    _submitted(ret, people)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_approve(ret=ret, user=people["reviewer"])
    ret.refresh_from_db()
    assert ret.status == Return.Status.APPROVED
    assert ret.approved_version.number == 1
    value = KpiValue.objects.get(kpi__code="PI1", period=APRIL.first_day)
    assert (value.value, value.version) == (Decimal("86.4"), ret.approved_version)
    assert [m.to for m in OutgoingEmail.objects.all()] == ["kpi.submitter@example.org"]


def test_nobody_approves_a_return_they_submitted(ret, people):
    reviewer_who_typed = UserFactory(
        role="kpi_submitter", organisation=people["kpi.submitter"].organisation
    )
    _saved(ret, reviewer_who_typed)
    services.return_submit(ret=ret, user=reviewer_who_typed)
    reviewer_who_typed.role = Role.REVIEWER
    reviewer_who_typed.save()
    with pytest.raises(services.ReturnError, match="you prepared or submitted"):
        services.return_approve(ret=ret, user=reviewer_who_typed)


def test_returning_with_a_query_starts_a_thread_the_trust_answers(
    ret, people, django_capture_on_commit_callbacks
):
    _submitted(ret, people)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_send_back(
            ret=ret, user=people["reviewer"], comment="Why did PI2 fall?", line="PI2"
        )
    services.comment_add(
        ret=ret, user=people["kpi.submitter"], text="Two staff on leave.", line="PI2"
    )
    ret.refresh_from_db()
    assert ret.status == Return.Status.RETURNED
    assert [c.text for c in ret.comments.filter(line="PI2")] == [
        "Why did PI2 fall?",
        "Two staff on leave.",
    ]
    assert "returned with queries" in OutgoingEmail.objects.get().subject


def test_a_board_member_cannot_comment(ret, people):
    _submitted(ret, people)
    with pytest.raises(services.ReturnError):
        services.comment_add(ret=ret, user=people["board"], text="Hmm")


@pytest.mark.parametrize("act", ["approve", "send_back"])
def test_a_reviewer_cannot_act_on_a_draft(ret, people, act):
    _saved(ret, people["kpi.submitter"])
    acts = {
        "approve": lambda: services.return_approve(ret=ret, user=people["reviewer"]),
        "send_back": lambda: services.return_send_back(
            ret=ret, user=people["reviewer"], comment="?"
        ),
    }
    with pytest.raises(services.ReturnError, match="not submitted"):
        acts[act]()


def test_a_correction_after_approval_needs_a_reason_and_keeps_the_approved_figures(ret, people):
    _submitted(ret, people)
    services.return_approve(ret=ret, user=people["reviewer"])
    with pytest.raises(services.ReturnError, match="say why"):
        _saved(ret, people["kpi.submitter"], full_return(PI1={"value": "84.0"}), base=1)
    services.return_save(
        ret=ret,
        user=people["kpi.submitter"],
        data=full_return(PI1={"value": "84.0"}),
        base_version=1,
        reason="PI1 recalculated after a data cleanse.",
    )
    ret.refresh_from_db()
    assert (ret.status, ret.current_version.number, ret.approved_version.number) == ("draft", 2, 1)
    assert KpiValue.objects.get(kpi__code="PI1", period=APRIL.first_day).value == Decimal("86.4")
    assert ret.events.latest("at").note == "PI1 recalculated after a data cleanse."


def test_a_locked_month_accepts_nothing(ret, people):
    _submitted(ret, people)
    services.period_lock(period=APRIL, user=people["admin"], reason="OPB met on 12 May")
    with pytest.raises(services.ReturnError, match="locked"):
        services.return_approve(ret=ret, user=people["reviewer"])
    with pytest.raises(services.ReturnError, match="locked"):
        _saved(ret, people["kpi.submitter"], base=1)


def test_unlocking_needs_a_reason_and_is_recorded(people):
    admin = people["admin"]
    services.period_lock(period=APRIL, user=admin, reason="OPB met")
    with pytest.raises(services.ReturnError, match="Say why"):
        services.period_unlock(period=APRIL, user=admin, reason=" ")
    event = services.period_unlock(period=APRIL, user=admin, reason="Correction to PI4 agreed")
    assert (event.action, event.user, event.reason) == (
        "unlocked",
        admin,
        "Correction to PI4 agreed",
    )


@pytest.mark.parametrize("username", ["reviewer", "kpi.submitter", "board"])
def test_only_an_administrator_locks_a_month(people, username):
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.period_lock(period=APRIL, user=people[username], reason="x")


def test_every_state_change_records_who_and_why(ret, people):
    _submitted(ret, people)
    services.return_send_back(ret=ret, user=people["reviewer"], comment="Check PI2")
    _saved(ret, people["kpi.submitter"], full_return(PI2={"value": "74.0"}), base=1)
    services.return_submit(ret=ret, user=people["kpi.submitter"])
    services.return_approve(ret=ret, user=people["reviewer"])
    history = [(e.action, e.user.username, e.from_status, e.to_status) for e in ret.events.all()]
    assert history == [
        ("saved", "kpi.submitter", "draft", "draft"),
        ("submitted", "kpi.submitter", "draft", "submitted"),
        ("returned", "reviewer", "submitted", "returned"),
        ("saved", "kpi.submitter", "returned", "returned"),
        ("submitted", "kpi.submitter", "returned", "submitted"),
        ("approved", "reviewer", "submitted", "approved"),
    ]


def test_every_state_change_is_written_to_the_audit_log(ret, people, caplog):
    with caplog.at_level("INFO", logger="opb.audit"):
        _submitted(ret, people)
        services.return_approve(ret=ret, user=people["reviewer"])
    changes = [r.audit for r in caplog.records if r.audit["event"] == "state_change"]
    assert [(c["action"], c["user"], c["to_status"]) for c in changes] == [
        ("saved", "kpi.submitter", "draft"),
        ("submitted", "kpi.submitter", "submitted"),
        ("approved", "reviewer", "approved"),
    ]
    assert changes[-1]["period"] == "2025-04"


# --- every row checked by its model before it is saved ---------------------------------------


def test_a_save_with_no_figures_is_refused(ret, people):
    with pytest.raises(services.ReturnError, match="There are no figures to save"):
        services.return_save(ret=ret, user=people["kpi.submitter"], data={}, base_version=None)
    assert not ret.versions.exists()


def test_a_version_its_model_refuses_is_never_saved(ret, people):
    # The model's own limits are checked (full_clean), not left to the database to refuse.
    with pytest.raises(ValidationError, match="at most 255 characters"):
        services.return_save(
            ret=ret,
            user=people["kpi.submitter"],
            data=full_return(),
            source="x" * 256,
            base_version=None,
        )
    assert not ret.versions.exists()


@pytest.mark.parametrize(
    ("action", "refused"),
    [
        pytest.param(PeriodLockEvent.Action.LOCKED, False, id="a-lock-may-say-why"),
        pytest.param(PeriodLockEvent.Action.UNLOCKED, True, id="an-unlock-must"),
    ],
)
def test_an_unlock_without_a_reason_is_refused_by_its_model(people, action, refused):
    event = PeriodLockEvent(period=APRIL, action=action, user=people["admin"], reason="")
    if refused:
        with pytest.raises(ValidationError, match="Say why the month is unlocked"):
            event.full_clean()
    else:
        event.full_clean()
