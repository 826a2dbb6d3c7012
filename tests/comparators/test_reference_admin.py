"""
An administrator keeps the register and the published files' mappings in the Django admin:
a mapping's filters are JSON of column names and texts, checked on saving; an authority shows
its DfE code, dates, successors and former codes.
"""

import importlib

import pytest
from django.apps import apps as django_apps

from opb_portal.accounts.models import Role
from opb_portal.comparators.models import Authority, PublishedMeasure

from ..factories import UserFactory

SHIPPED = importlib.import_module("opb_portal.comparators.migrations.0004_stats_reference_shipped")


@pytest.fixture
def admin_browser(client, db):
    SHIPPED.ship(django_apps, None)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    return client


def _posted(mapping: PublishedMeasure, **changes) -> dict:
    fields = {
        "code": mapping.code,
        "title": mapping.title,
        "publication": mapping.publication,
        "cited_as": mapping.cited_as,
        "file_pattern": mapping.file_pattern,
        "time_identifier": mapping.time_identifier,
        "year_basis": mapping.year_basis,
        "filters": '{"population_count": "Children looked after at 31 March each year"}',
        "indicator": mapping.indicator,
        "unit": mapping.unit,
        "polarity": mapping.polarity,
        "active": "on",
    }
    return {**fields, **changes}


def test_the_mappings_are_listed_with_their_files_and_columns(admin_browser):
    page = admin_browser.get("/admin/comparators/publishedmeasure/").content.decode()

    assert "cla_number_and_rate_per_10k_children*.csv" in page
    assert "csww_caseload" in page


def test_an_administrator_corrects_a_renamed_column(admin_browser):
    mapping = PublishedMeasure.objects.get(code="children_in_care")

    response = admin_browser.post(
        f"/admin/comparators/publishedmeasure/{mapping.pk}/change/",
        _posted(mapping, indicator="rate_per_10k"),
    )

    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.indicator == "rate_per_10k"


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        pytest.param('{"population_count": 31}', "Give the filters as column names", id="number"),
        pytest.param('["population_count"]', "Give the filters as column names", id="a-list"),
        pytest.param("{population_count: x}", "Enter a valid JSON.", id="not-json"),
    ],
)
def test_filters_that_are_not_columns_and_texts_are_refused(admin_browser, filters, message):
    mapping = PublishedMeasure.objects.get(code="children_in_care")

    response = admin_browser.post(
        f"/admin/comparators/publishedmeasure/{mapping.pk}/change/",
        _posted(mapping, filters=filters),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    mapping.refresh_from_db()
    assert mapping.filters == {"population_count": "Children looked after at 31 March each year"}


def test_an_authority_shows_its_codes_dates_successors_and_former_codes(admin_browser):
    cumbria = Authority.objects.get(code="E10000006")
    north_yorkshire = Authority.objects.get(code="E06000065")

    cumbria_page = admin_browser.get(f"/admin/comparators/authority/{cumbria.pk}/change/")
    yorkshire_page = admin_browser.get(f"/admin/comparators/authority/{north_yorkshire.pk}/change/")

    assert cumbria_page.status_code == yorkshire_page.status_code == 200
    assert 'value="909"' in cumbria_page.content.decode()
    assert "E10000023" in yorkshire_page.content.decode()
    listed = admin_browser.get("/admin/comparators/formercode/?q=Gateshead").content.decode()
    assert "E08000020" in listed
