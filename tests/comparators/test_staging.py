"""The comparator import goes through the one upload flow the returns use (`uploads`)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opb_portal.accounts.models import Role
from opb_portal.submissions import uploads
from opb_portal.submissions.models import StagedUpload

from ..demand.test_comparator_import import good_file


@pytest.fixture
def admin_client(client, demo, people):
    client.force_login(people[Role.ADMINISTRATOR])
    return client


def test_a_fingerprint_is_the_same_for_the_same_figures_and_moves_with_any():
    base = {"cic|2024|authority|7": ["79", "DfE"], "cic|2024|authority|8": None}
    same = {"cic|2024|authority|8": None, "cic|2024|authority|7": ["79", "DfE"]}
    assert uploads.fingerprint(base) == uploads.fingerprint(same)
    assert re.fullmatch(r"[0-9a-f]{64}", uploads.fingerprint(base))
    moved = {**base, "cic|2024|authority|7": ["78", "DfE"]}
    assert uploads.fingerprint(moved) != uploads.fingerprint(base)


def test_a_staged_comparator_file_is_kept_for_its_purpose_with_its_preview_fingerprint(
    admin_client, people
):
    response = admin_client.post(
        reverse("comparators:import"), {"file": SimpleUploadedFile("cla.xlsx", good_file())}
    )
    staged = StagedUpload.objects.get()
    assert staged.purpose == "comparators"
    preview = admin_client.get(response.url).content.decode()
    shown = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', preview)[1]
    staged.refresh_from_db()
    assert shown == uploads.fingerprint(staged.base)
    # Found only under its own purpose: never as a return's upload.
    owner = people[Role.ADMINISTRATOR]
    assert uploads.staged(owner=owner, token=staged.token, purpose="kpis") is None
    assert uploads.staged(owner=owner, token=staged.token, purpose="comparators") is not None
