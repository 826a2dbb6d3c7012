"""
An upload confirmed after someone else saved the return: refused, never a silent overwrite.

Issue 11, section 2: submitter A's upload previewed "PI1 22.2 → 77.7" on version 6;
submitter B then saved version 7 by typing (PI1 99.9, PI2 55.5); A confirmed and version 8
held PI1 77.7 and PI2 72.4: B's work was gone, with no warning. The staged upload now keeps
the version each month was at when its preview was computed, and the confirmation is
refused, under the return's row lock, if any month has moved on.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion, StagedUpload, UploadedFile

from .test_views_edit import figures, typed
from .test_views_upload import filled_template, long_table, numbers, upload

APRIL = Period(2025, 4)
EDIT = reverse("submissions:edit", args=["kpis", "2025-04"])


@pytest.fixture
def client_a(client, kpi_submitter):
    client.force_login(kpi_submitter)
    return client


@pytest.fixture
def client_b(jo_bloggs):
    other = Client()
    other.force_login(jo_bloggs)
    return other


@pytest.fixture
def april_at_version_6(kpi_submitter):
    """April's KPI return, saved six times; version 6 holds PI1 22.2 and PI2 72.4."""
    ret = services.return_for(organisation=kpi_submitter.organisation, domain="kpis", period=APRIL)
    for number in range(1, 7):
        services.return_save(
            ret=ret,
            user=kpi_submitter,
            data=figures(PI1={"value": "22.2"}, PI2={"value": "72.4"}),
            base_version=number - 1 or None,
        )
    return ret


def _when(version: ReturnVersion) -> str:
    at = timezone.localtime(version.created_at)
    return f"{at:%H:%M} on {at.day} {at:%B %Y}"


def _a_previews_77_7(client_a) -> str:
    data = filled_template(
        client_a, "2025-04", numbers(figures(PI1={"value": "77.7"}, PI2={"value": "72.4"}))
    )
    preview = upload(client_a, data)["Location"]
    html = client_a.get(preview).content.decode()
    assert "Version 7 will replace version 6" in html
    assert re.search(r"22\.2.*?77\.7", html, re.S)
    return preview


def _march_and_april_previewed(client_a) -> str:
    data = long_table([("PI1", "Mar-25", 86.5, "Recounted"), ("PI1", "Apr-25", 88.0, "")])
    preview = upload(client_a, data, "tracker.xlsx")["Location"]
    client_a.get(preview)
    return preview


def _b_types_version_7(client_b) -> None:
    response = client_b.post(
        EDIT, typed(figures(PI1={"value": "99.9"}, PI2={"value": "55.5"}), base="6")
    )
    assert response.status_code == 302, response.content.decode()


def test_a_confirm_after_someone_else_saved_is_refused_and_keeps_their_figures(
    client_a, client_b, april_at_version_6
):
    preview = _a_previews_77_7(client_a)
    _b_types_version_7(client_b)

    response = client_a.post(preview, {"decision": "confirm"})

    html = response.content.decode()
    latest = april_at_version_6.versions.latest("number")
    assert (latest.number, latest.data["PI1"]["value"], latest.data["PI2"]["value"]) == (
        7,
        "99.9",
        "55.5",
    )
    assert response.status_code == 409
    assert (
        f"Version 7 of the KPI return for April 2025 was saved by Jo Bloggs at {_when(latest)}, "
        "after your preview of version 6. Nothing was saved. Preview the file again:"
    ) in html
    assert f'action="{preview}"' in html
    assert "Preview the file again against the current figures" in html
    assert 'value="confirm"' not in html  # the stale preview cannot be confirmed
    assert UploadedFile.objects.count() == 0


def test_previewing_again_shows_their_figures_and_then_the_confirm_saves(
    client_a, client_b, april_at_version_6
):
    preview = _a_previews_77_7(client_a)
    _b_types_version_7(client_b)
    client_a.post(preview, {"decision": "confirm"})

    html = client_a.get(preview).content.decode()
    assert "Version 8 will replace version 7" in html
    assert re.search(r"55\.5.*?72\.4", html, re.S)  # B's PI2, which the file would replace
    done = client_a.post(preview, {"decision": "confirm"})

    assert done.status_code == 302
    latest = april_at_version_6.versions.latest("number")
    assert (latest.number, latest.data["PI1"]["value"]) == (8, "77.7")


def test_a_file_of_two_months_saves_neither_when_one_has_moved_on(client_a, jo_bloggs, demo):
    march = Return.objects.get(domain="kpis", period="2025-03-01")
    preview = _march_and_april_previewed(client_a)
    # Someone starts a correction of March while the preview is open.
    services.return_save(
        ret=march,
        user=jo_bloggs,
        data=march.current_version.data,
        base_version=1,
        reason="Recounted",
    )

    html = client_a.post(preview, {"decision": "confirm", "reason": "Recount"}).content.decode()

    assert "Version 2 of the KPI return for March 2025 was saved by Jo Bloggs" in html
    assert "after your preview of version 1. Nothing was saved." in html
    assert march.versions.count() == 2
    assert not Return.objects.filter(domain="kpis", period=APRIL.first_day).exists()


def test_a_month_that_had_no_return_at_the_preview_is_refused_once_someone_saves_it(
    client_a, client_b, demo
):
    data = filled_template(client_a, "2025-04", numbers(figures(PI1={"value": "77.7"})))
    preview = upload(client_a, data)["Location"]
    assert "A new return: version 1." in client_a.get(preview).content.decode()
    client_b.post(EDIT, typed(figures(PI1={"value": "99.9"})))

    html = client_a.post(preview, {"decision": "confirm"}).content.decode()

    assert "Version 1 of the KPI return for April 2025 was saved by Jo Bloggs at " in html
    assert "after your preview (it had no figures then). Nothing was saved." in html
    assert ReturnVersion.objects.get(ret__period=APRIL.first_day).data["PI1"]["value"] == "99.9"


def test_the_staged_upload_keeps_the_version_each_month_was_previewed_at(
    client_a, april_at_version_6
):
    _march_and_april_previewed(client_a)

    staged = StagedUpload.objects.get()
    assert staged.base == {"2025-03": 1, "2025-04": 6}
    assert staged.previewed_at is not None
