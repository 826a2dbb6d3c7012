"""
What branch coverage showed no test reaching, where a person depends on it: a return saved
again while it awaits review is withdrawn from review; a submission that cannot be made is
refused and changes nothing, on the page too; a stored or staged file that has gone is said
to have gone, never served or confirmed.
"""

import pytest
from django.urls import reverse

from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnEvent, StagedUpload

from .test_return_workflow import APRIL, full_return
from .test_views_upload import long_table, upload


@pytest.fixture
def people(demo):
    from opb_portal.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def ret(people):
    return services.return_for(
        organisation=people["kpi.submitter"].organisation, domain="kpis", period=APRIL
    )


def _state(ret) -> tuple:
    ret.refresh_from_db()
    return ret.status, ret.current_version_id, ret.events.count()


def test_saving_a_return_that_awaits_review_withdraws_it_from_review(ret, people):
    submitter = people["kpi.submitter"]
    services.return_save(ret=ret, user=submitter, data=full_return(), base_version=None)
    services.return_submit(ret=ret, user=submitter)

    services.return_save(
        ret=ret, user=submitter, data=full_return(PI1={"value": "81.0"}), base_version=1
    )

    ret.refresh_from_db()
    last = ret.events.order_by("-at", "-pk").first()
    assert ret.status == Return.Status.DRAFT
    assert (last.action, last.from_status, last.to_status) == (
        ReturnEvent.Action.WITHDRAWN,
        Return.Status.SUBMITTED,
        Return.Status.DRAFT,
    )
    # The reviewer can no longer approve figures the Trust has taken back.
    with pytest.raises(services.ReturnError):
        services.return_approve(ret=ret, user=people["reviewer"])


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        pytest.param([], "There are no figures to submit yet", id="nothing-saved-yet"),
        pytest.param(
            ["save", "submit"], "is submitted; it cannot be submitted again", id="already-submitted"
        ),
        pytest.param(
            ["save", "submit", "approve"],
            "is approved; it cannot be submitted again",
            id="already-approved",
        ),
    ],
)
def test_a_submission_that_cannot_be_made_is_refused_and_changes_nothing(
    ret, people, steps, message
):
    submitter = people["kpi.submitter"]
    for step in steps:
        if step == "save":
            services.return_save(ret=ret, user=submitter, data=full_return(), base_version=None)
        elif step == "submit":
            services.return_submit(ret=ret, user=submitter)
        else:
            services.return_approve(ret=ret, user=people["reviewer"])
    before = _state(ret)
    with pytest.raises(services.ReturnError, match=message):
        services.return_submit(ret=ret, user=submitter)
    assert _state(ret) == before


def test_submitting_from_the_page_in_a_month_locked_since_shows_the_lock(client, ret, people):
    submitter = people["kpi.submitter"]
    services.return_save(ret=ret, user=submitter, data=full_return(), base_version=None)
    client.force_login(submitter)
    url = reverse("submissions:submit", args=["kpis", "2025-04"])
    assert client.get(url).status_code == 200
    services.period_lock(period=APRIL, user=people["admin"], reason="OPB met on 15 May")
    before = _state(ret)

    response = client.post(url, {})

    assert "April 2025 is locked: the OPB has met on its figures." in response.content.decode()
    assert _state(ret) == before


def test_unlocking_a_month_that_is_not_locked_is_refused(people):
    with pytest.raises(services.ReturnError, match="April 2025 is not locked"):
        services.period_unlock(period=APRIL, user=people["admin"], reason="A correction")


def test_a_versions_stored_file_that_has_gone_is_not_found(
    client, people, settings, django_capture_on_commit_callbacks
):
    client.force_login(people["kpi.submitter"])
    preview = upload(client, long_table([("PI1", "Apr-25", 80.0, "")]), "tracker.xlsx")
    with django_capture_on_commit_callbacks(execute=True):  # the stored file's final name
        client.post(preview["Location"], {"decision": "confirm"})
    url = reverse("submissions:version_file", args=["kpis", "2025-04", 1])
    assert client.get(url).status_code == 200
    stored = [path for path in settings.UPLOAD_ROOT.rglob("*.xlsx") if "pending" not in path.parts]
    assert len(stored) == 1
    stored[0].chmod(0o600)
    stored[0].unlink()

    assert client.get(url).status_code == 404


def test_a_staged_upload_whose_file_has_gone_is_no_longer_waiting(client, people):
    client.force_login(people["kpi.submitter"])
    preview = upload(client, long_table([("PI1", "Apr-25", 80.0, "")]), "tracker.xlsx")
    StagedUpload.objects.get().path.unlink()

    response = client.post(preview["Location"], {"decision": "confirm"}, follow=True)

    assert "That upload is no longer waiting" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("submissions:upload", args=["kpis"])
    assert not Return.objects.filter(period="2025-04-01", versions__isnull=False).exists()
