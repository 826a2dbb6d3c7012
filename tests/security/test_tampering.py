"""
Roles are read on every request, and a forged form changes nothing it should not.

Revoking a role or disabling a person takes effect on their very next request.
Every form that creates or changes a return ignores posted fields it does not
offer (status, organisation, approver, submitter, version number, author): the
stored row has what the workflow says, whatever the browser sent.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opb_portal.accounts.models import Organisation, User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Comment, Return, ReturnEvent, ReturnVersion

from ..submissions.test_views_edit import figures, typed
from ..submissions.test_views_upload import long_table

APRIL = Period(2025, 4)
RETURN = "/returns/kpis/2025-04"


@pytest.fixture
def people(demo) -> dict[str, User]:
    return {person.username: person for person in User.objects.all()}


@pytest.fixture
def forged(people) -> dict[str, str]:
    """Fields no form offers, as someone editing the page's HTML would add them."""
    council = Organisation.objects.get(kind=Organisation.Kind.COUNCIL)
    reviewer, admin = people["reviewer"], people["admin"]
    return {
        "status": "approved",
        "organisation": str(council.pk),
        "organisation_id": str(council.pk),
        "approver": str(reviewer.pk),
        "approved_by": str(reviewer.pk),
        "approved_version": "1",
        "submitted_by": str(admin.pk),
        "created_by": str(admin.pk),
        "user": str(admin.pk),
        "author": str(admin.pk),
        "number": "99",
        "version": "99",
        "current_version": "99",
        "source": "forged.xlsx",
        "domain": "finance",
        "period": "2024-04",
    }


def _april() -> Return:
    return Return.objects.select_related("organisation", "current_version").get(
        domain="kpis", period=APRIL.first_day
    )


def _as_the_workflow_says(ret: Return, *, status, number: int, by: User, approved=False):
    """The fields a forged post aims at hold what the workflow wrote, and only that."""
    assert ret.organisation.kind == Organisation.Kind.TRUST
    assert ret.status == status
    assert ret.current_version.number == number
    assert ret.approved_version == (ret.current_version if approved else None)
    assert list(ret.versions.values_list("number", flat=True)) == list(range(1, number + 1))
    assert ret.events.order_by("-at", "-pk").first().user == by
    # Nothing was made for another month, domain or organisation.
    assert Return.objects.filter(period__gte=APRIL.first_day).count() == 1
    assert not ReturnVersion.objects.filter(source="forged.xlsx").exists()


def _saved_and_submitted(people) -> Return:
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    services.return_submit(ret=ret, user=submitter)
    return ret


# --- revoking access ----------------------------------------------------------------------------


def test_a_reviewer_whose_role_is_revoked_is_refused_on_the_next_request(client, people):
    reviewer = people["reviewer"]
    client.force_login(reviewer)
    assert client.get("/returns/").status_code == 200

    User.objects.filter(pk=reviewer.pk).update(role="")

    assert client.get("/returns/").status_code == 403
    assert client.get("/kpis/scorecard/").status_code == 403


def test_a_revoked_reviewer_cannot_approve_with_a_form_opened_before(client, people):
    ret = _saved_and_submitted(people)
    reviewer = people["reviewer"]
    client.force_login(reviewer)
    assert client.get(f"{RETURN}/").status_code == 200

    User.objects.filter(pk=reviewer.pk).update(role="board_member")
    response = client.post(f"{RETURN}/review/", {"decision": "approve", "comment": ""})

    assert response.status_code == 403
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED


def test_a_person_disabled_mid_session_is_sent_to_sign_in_on_the_next_request(client, people):
    reviewer = people["reviewer"]
    client.force_login(reviewer)
    assert client.get("/returns/").status_code == 200

    User.objects.filter(pk=reviewer.pk).update(is_active=False)
    response = client.get("/returns/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- forged fields ------------------------------------------------------------------------------


def test_typing_a_return_ignores_forged_status_organisation_and_version(client, people, forged):
    client.force_login(people["kpi.submitter"])

    response = client.post(f"{RETURN}/edit/", typed(figures(), **forged))

    assert response.status_code == 302
    ret = _april()
    _as_the_workflow_says(ret, status=Return.Status.DRAFT, number=1, by=people["kpi.submitter"])
    assert (ret.current_version.source, ret.current_version.created_by) == (
        "form",
        people["kpi.submitter"],
    )


def test_submitting_ignores_a_forged_status_and_approver(client, people, forged):
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    client.force_login(submitter)

    response = client.post(f"{RETURN}/submit/", forged)

    assert response.status_code == 302
    _as_the_workflow_says(_april(), status=Return.Status.SUBMITTED, number=1, by=submitter)


@pytest.mark.parametrize(
    ("decision", "status"),
    [
        pytest.param("approve", Return.Status.APPROVED, id="approving"),
        pytest.param("return", Return.Status.RETURNED, id="returning-with-a-query"),
    ],
)
def test_reviewing_ignores_forged_fields(client, people, forged, decision, status):
    _saved_and_submitted(people)
    reviewer = people["reviewer"]
    client.force_login(reviewer)
    post = {**forged, "status": "draft", "decision": decision, "comment": "PI1?", "line": "PI1"}

    response = client.post(f"{RETURN}/review/", post)

    assert response.status_code == 302
    ret = _april()
    _as_the_workflow_says(
        ret, status=status, number=1, by=reviewer, approved=status == Return.Status.APPROVED
    )
    assert (
        ret.events.filter(action=ReturnEvent.Action.SUBMITTED).get().user
        == (people["kpi.submitter"])
    )


def test_commenting_ignores_a_forged_author_and_version(client, people, forged):
    _saved_and_submitted(people)
    submitter = people["kpi.submitter"]
    client.force_login(submitter)

    client.post(f"{RETURN}/comment/", {**forged, "text": "PI1 is right", "line": "PI1"})

    comment = Comment.objects.get(ret=_april())
    assert (comment.author, comment.version.number, comment.line) == (submitter, 1, "PI1")
    _as_the_workflow_says(_april(), status=Return.Status.SUBMITTED, number=1, by=submitter)


def test_confirming_an_upload_ignores_forged_fields(client, people, forged):
    submitter = people["kpi.submitter"]
    client.force_login(submitter)
    march = figures()
    workbook = long_table(
        [
            (code, "2025-04", float(fields["value"]), None)
            for code, fields in march.items()
            if fields.get("value")
        ]
    )
    staged = client.post(
        "/returns/kpis/upload/",
        {**forged, "workbook": SimpleUploadedFile("april.xlsx", workbook)},
    )
    assert staged.status_code == 302

    response = client.post(staged["Location"], {**forged, "decision": "confirm"})

    assert response.status_code == 302
    ret = _april()
    _as_the_workflow_says(ret, status=Return.Status.DRAFT, number=1, by=submitter)
    version = ret.current_version
    assert (version.source, version.created_by, version.upload.uploaded_by) == (
        "april.xlsx",
        submitter,
        submitter,
    )
