"""
A comparator import confirmed after someone else changed a figure it touches.

Refused (409) as before, and now saying which figure moved, to what, by whom and when
after the preview, with the preview shown again against the figures as they are now.
The staged file is kept in the database with what its preview showed, not in the session.
"""

import re

import pytest
from django.test import Client
from django.utils import timezone

from opb_portal.accounts.models import Role
from opb_portal.comparators import services
from opb_portal.comparators.models import ComparatorImport, ComparatorValue
from opb_portal.submissions.models import StagedUpload

from ..factories import UserFactory
from .test_comparator_import import CIC, good_file, preview_of, stored, upload

FINGERPRINT = re.compile(r'name="fingerprint" value="([0-9a-f]{64})"')


@pytest.fixture
def ann(demand):
    return UserFactory(role=Role.ADMINISTRATOR, first_name="Ann", last_name="Admin")


@pytest.fixture
def jo(demand):
    return UserFactory(role=Role.ADMINISTRATOR, first_name="Jo", last_name="Bloggs")


@pytest.fixture
def ann_client(ann):
    client = Client()
    client.force_login(ann)
    return client


def test_the_refusal_names_the_figure_its_new_value_who_changed_it_and_when(ann_client, jo):
    url, preview = preview_of(ann_client, upload(ann_client, "cla.xlsx", good_file()))
    fingerprint = FINGERPRINT.search(preview.content.decode())[1]
    assert StagedUpload.objects.get().base[
        f"{CIC}|2024|authority|"
        + str(
            ComparatorValue.objects.get(
                code=CIC, year=2024, authority__name="Birmingham"
            ).authority_id
        )
    ] == ["79", "Annual review 2024-25, section (f)"]
    record = services.comparator_save(
        user=jo, code=CIC, authority="Birmingham", year="2024", value="78"
    )
    before = stored()

    response = ann_client.post(url, {"decision": "confirm", "fingerprint": fingerprint})

    html = response.content.decode()
    at = timezone.localtime(record.at)
    assert response.status_code == 409
    assert (
        "The comparators this file touches have changed since you checked it: "
        f"{CIC} for Birmingham in 2024 was set to 78 by Jo Bloggs at "
        f"{at:%H:%M} on {at.day} {at:%B %Y} (it was 79 in your preview)."
    ) in html
    assert stored() == before
    assert ComparatorImport.objects.count() == 1  # only Jo's typed figure
    # The page is a fresh preview: Birmingham now goes from 78 to the file's 80.
    changed = re.search(r'data-state="changed">(.*?)</table>', html, re.S)[1]
    assert re.search(r"Birmingham</td><td>2024</td><td[^>]*>78</td><td[^>]*>80</td>", changed)
    fresh = FINGERPRINT.search(html)[1]
    assert fresh != fingerprint
    done = ann_client.post(url, {"decision": "confirm", "fingerprint": fresh})
    assert done.status_code == 302


def test_someone_elses_staged_comparator_file_is_not_found(ann_client, jo):
    url, _ = preview_of(ann_client, upload(ann_client, "cla.xlsx", good_file()))
    other = Client()
    other.force_login(jo)

    response = other.get(url, follow=True)

    assert "That file is no longer waiting" in response.content.decode()
    assert "cla.xlsx" not in response.content.decode()
    assert StagedUpload.objects.count() == 1
