"""
A typed save refused because someone else saved first names the version, the person and the time.

Issue 11, section 5: two submitters opened April's new return; the second to save was told
"Someone else saved this return (version None)": the version they had opened (none), not
the one that beat them, and nobody's name.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .test_views_edit import figures, typed

APRIL = Period(2025, 4)
EDIT = reverse("submissions:edit", args=["kpis", "2025-04"])


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _when(ret: Return) -> str:
    at = timezone.localtime(ret.versions.latest("number").created_at)
    return f"{at:%H:%M} on {at.day} {at:%B %Y}"


@pytest.mark.parametrize(
    ("saved_before", "opened", "said"),
    [
        pytest.param(
            0, "", "after you opened it (it had no figures then)", id="both-opened-a-new-return"
        ),
        pytest.param(2, "2", "after you opened version 2", id="both-opened-version-2"),
    ],
)
def test_the_second_typed_save_names_the_version_the_person_and_the_time(
    kpi_submitter, jo_bloggs, saved_before, opened, said
):
    ret = services.return_for(organisation=kpi_submitter.organisation, domain="kpis", period=APRIL)
    for number in range(saved_before):
        services.return_save(
            ret=ret, user=kpi_submitter, data=figures(), base_version=number or None
        )
    ann_client, jo_client = _signed_in(kpi_submitter), _signed_in(jo_bloggs)
    ann_client.get(EDIT)
    jo_client.get(EDIT)  # both have the form open at the same version

    first = jo_client.post(EDIT, typed(figures(PI1={"value": "91.0"}), base=opened))
    second = ann_client.post(EDIT, typed(figures(PI1={"value": "80.5"}), base=opened))

    assert first.status_code == 302
    html = second.content.decode()
    assert "version None" not in html
    assert (
        f"Version {saved_before + 1} of the KPI return for April 2025 was saved by Jo Bloggs "
        f"at {_when(ret)}, {said}. Your changes were not saved"
    ) in html
    assert 'value="80.5"' in html  # what Ann typed is kept
    assert ret.versions.latest("number").data["PI1"]["value"] == "91.0"


def test_a_save_beaten_by_the_same_person_in_another_window_says_so(kpi_submitter):
    ret = services.return_for(organisation=kpi_submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=kpi_submitter, data=figures(), base_version=None)

    with pytest.raises(services.ReturnChanged) as refused:
        services.return_save(ret=ret, user=kpi_submitter, data=figures(), base_version=None)

    assert "Version 1 of the KPI return for April 2025 was saved by you, in another window, at" in (
        refused.value.message
    )
