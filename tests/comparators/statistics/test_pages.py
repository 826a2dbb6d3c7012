"""The statistics import's pages: upload, problems, preview, confirm; administrators only."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opb_portal.accounts.models import Role
from opb_portal.comparators.models import ComparatorImport, ComparatorValue
from opb_portal.submissions.models import StagedUpload

from .. import ees
from .test_import import a_year
from .test_reading import cla_file, cla_row

URL = "/comparators/statistics/"


@pytest.fixture
def admin_client(client, people):
    client.force_login(people[Role.ADMINISTRATOR])
    return client


@pytest.fixture
def mapping(db):
    return ees.measure()


def upload(client, data, filename=ees.CLA_FILE, **fields):
    return client.post(URL, {"file": SimpleUploadedFile(filename, data), **fields})


def fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', html)[1]


def test_the_comparators_page_links_to_the_statistics_import(admin_client):
    assert f'href="{URL}"' in admin_client.get("/comparators/").content.decode()


def test_the_upload_page_lists_what_is_read_from_which_file_in_a_pinned_number_of_queries(
    admin_client, mapping, django_assert_num_queries
):
    ees.measure(code="cla_starts", title="Children starting to be looked after")
    # 5 queries: session, user, the request's savepoint, the active published measures (and
    # the savepoint's release)
    with django_assert_num_queries(5):
        html = admin_client.get(URL).content.decode()
    assert "cla_number_and_rate*.csv" in html
    assert "Children starting to be looked after" in html
    assert "Up to 100 MB" in html
    assert 'data-busy-text="Checking the file: this may take a few seconds…"' in html


def test_a_file_is_previewed_as_a_summary_then_confirmed_with_its_publication_date(
    admin_client, mapping
):
    data = cla_file(*a_year(2024, dudley="c"))
    response = upload(admin_client, data, published_on="2024-11-14")
    assert response.status_code == 302
    staged = StagedUpload.objects.get()
    assert staged.purpose == "statistics"
    assert response.url == f"{URL}{staged.token}/?published_on=2024-11-14"
    assert not ComparatorValue.objects.exists()
    html = admin_client.get(response.url).content.decode()
    assert "4 to add, 0 to change, 0 unchanged." in html
    assert "2024 (Reporting year): March 2024, at 31 March 2024" in html
    assert "Local authority: 2 rows" in html
    # A new authority, found by its code: the preview lists it.
    assert '<th scope="row">Sandwell</th><td>E08000028</td>' in html
    assert 'value="2024-11-14"' in html
    response = admin_client.post(
        response.url,
        {"decision": "confirm", "fingerprint": fingerprint(html), "published_on": "2024-11-14"},
    )
    record = ComparatorImport.objects.get()
    assert response.url == reverse("comparators:detail", args=[record.pk])
    assert ComparatorValue.objects.count() == 4
    assert not StagedUpload.objects.exists()
    detail = admin_client.get(response.url).content.decode()
    assert "Children looked after in England including adoptions" in detail
    assert "14 November 2024" in detail
    assert "<code>c</code>" in detail  # the symbol, as published


def test_a_bad_file_shows_its_problems_and_keeps_nothing(admin_client, mapping):
    sent = upload(admin_client, cla_file(cla_row(value="abc")))
    # Its check (done in-process) sends the administrator to the file's problems.
    assert sent.url.startswith("/comparators/statistics/problems/")
    response = admin_client.get(sent.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 2, column rate_per_10000: &#x27;abc&#x27; is not a figure" in html
    assert not StagedUpload.objects.exists()
    token = re.search(r"/comparators/statistics/problems/([^\"]+)\.xlsx", html)[1]
    download = admin_client.get(f"/comparators/statistics/problems/{token}.xlsx")
    assert download.status_code == 200


def test_a_stale_confirmation_is_refused_and_the_preview_shown_again(admin_client, mapping):
    response = upload(admin_client, cla_file(*a_year(2024)))
    html = admin_client.get(response.url).content.decode()
    admin_client.post(URL, {"file": SimpleUploadedFile(ees.CLA_FILE, cla_file(cla_row(value="1")))})
    second = StagedUpload.objects.order_by("-pk").first()
    page = admin_client.get(f"{URL}{second.token}/").content.decode()
    admin_client.post(
        f"{URL}{second.token}/", {"decision": "confirm", "fingerprint": fingerprint(page)}
    )
    refused = admin_client.post(
        response.url, {"decision": "confirm", "fingerprint": fingerprint(html)}
    )
    assert refused.status_code == 409
    assert "have changed since you checked it" in refused.content.decode()
    assert ComparatorValue.objects.get().value == 1


def test_cancelling_changes_nothing(admin_client, mapping):
    response = upload(admin_client, cla_file())
    admin_client.post(response.url, {"decision": "cancel"})
    assert not StagedUpload.objects.exists()
    assert not ComparatorValue.objects.exists()


def test_a_file_over_the_pages_limit_is_refused_by_the_form(admin_client, mapping, monkeypatch):
    from opb_portal.comparators import forms

    monkeypatch.setattr(forms.StatisticsFileForm, "max_bytes", 10)
    response = upload(admin_client, cla_file())
    assert "over the 0 MB limit" in response.content.decode()
    assert not StagedUpload.objects.exists()
