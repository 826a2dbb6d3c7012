"""
A month locked after an upload's preview was made: confirming it is refused with the lock's
own message, and nothing at all is stored (no version, no file, no return). The file is
checked again on confirming, so the lock is one of its problems and the staged file goes.
"""

import pytest

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile

from .test_views_upload import long_table, upload

LOCKED = "April 2025 is locked: the OPB has met on its figures."


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="kpi.submitter"))
    return client


def _stored() -> tuple:
    """Everything a confirmed upload would add or change."""
    return (
        sorted(ReturnVersion.objects.values_list("ret__domain", "ret__period", "number")),
        UploadedFile.objects.count(),
        sorted(Return.objects.values_list("domain", "period", "status", "current_version")),
    )


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        pytest.param([("PI1", "Apr-25", 88.0, "")], "", id="the-only-month-in-the-file"),
        # March is open: its correction must not be stored without April's month.
        pytest.param(
            [("PI1", "Mar-25", 86.5, "Recounted"), ("PI1", "Apr-25", 88.0, "")],
            "March recounted",
            id="one-of-two-months-in-the-file",
        ),
    ],
)
def test_confirming_a_preview_of_a_month_locked_since_is_refused_and_stores_nothing(
    officer, settings, rows, reason
):
    preview = upload(officer, long_table(rows), "tracker.xlsx")["Location"]
    shown = officer.get(preview)
    assert shown.status_code == 200
    assert "Check before saving: tracker.xlsx" in shown.content.decode()
    before = _stored()

    admin = User.objects.get(username="admin")
    services.period_lock(period=Period(2025, 4), user=admin, reason="OPB met on 15 May")
    refused = officer.post(preview, {"decision": "confirm", "reason": reason})

    assert refused.status_code == 200
    html = refused.content.decode()
    assert LOCKED in html
    assert "Check before saving" not in html
    assert _stored() == before
    assert not [path for path in settings.UPLOAD_ROOT.rglob("*") if path.is_file()]
    # The preview is gone: confirming again finds nothing waiting.
    again = officer.post(preview, {"decision": "confirm", "reason": reason}, follow=True)
    assert "That upload is no longer waiting" in again.content.decode()
    assert _stored() == before
