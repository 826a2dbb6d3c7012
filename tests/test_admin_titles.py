"""The admin shows what a measure is called, never only its code (issue 15)."""

import pytest

from opb_portal.accounts.models import Role

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client, demo):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("url", "title", "code"),
    [
        pytest.param(
            "/admin/demand/measurevalue/?measure__group=placements",
            "Supported and independent living",
            "placed_supported_living",
            id="a-demand-figure-by-its-measures-title",
        ),
        pytest.param(
            "/admin/comparators/comparatorvalue/",
            "Children we care for",
            "children_in_care",
            id="a-comparator-by-its-measures-title",
        ),
        pytest.param(
            "/admin/comparators/publishedaverage/",
            "Children we care for",
            "children_in_care",
            id="a-published-average-by-its-measures-title",
        ),
    ],
)
def test_an_admin_list_names_each_measure_by_its_title(admin_browser, url, title, code):
    response = admin_browser.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    # The code may stand beside the title in its own column, but never as a row's name.
    assert f">{code}:" not in html
    assert f"{code} " not in html.replace(f">{code}<", "")
