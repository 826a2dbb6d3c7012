"""`GET /api/v1/workforce/?period=2025-03` as Power BI and scripts use it."""

import re
from decimal import Decimal

import pytest

from opb_portal.accounts.models import ApiToken, User
from opb_portal.periods import Period
from workforce.models import WorkforceMonth

from .helpers import API as URL
from .helpers import DASHBOARD, figure, tables_read

KEYS = {
    "period",
    "establishment_fte",
    "total_fte",
    "permanent_fte",
    "permanent_excl_asye_fte",
    "asye_fte",
    "agency_fte",
    "pct_permanent_excl_asye",
    "pct_asye",
    "pct_agency",
    "permanent_vacancy_rate",
    "real_time_vacancy_rate",
    "caseloads",
    "return",
}
CASELOAD_KEYS = {"service", "children", "fte", "average", "model", "status"}


@pytest.fixture
def officer(client, workforce_demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def march(client) -> dict:
    response = client.get(URL, {"period": "2025-03"})
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return response.json()


def shown(number) -> Decimal:
    """A JSON number as the page would compare it: 48.0 and 48.00 are the same figure."""
    return Decimal(str(number))


def test_a_month_has_exactly_the_documented_keys(officer):
    body = march(officer)
    assert set(body) == KEYS
    assert [set(c) for c in body["caseloads"]] == [CASELOAD_KEYS] * 3


def test_march_2025_gives_the_published_figures_as_json_numbers(officer):
    body = march(officer)
    assert {key: body[key] for key in KEYS - {"caseloads", "return"}} == {
        "period": "2025-03",
        "establishment_fte": 187,
        "total_fte": 179.42,
        "permanent_fte": 142.24,
        "permanent_excl_asye_fte": 114.24,
        "asye_fte": 28.0,
        "agency_fte": 37.18,
        "pct_permanent_excl_asye": 63.7,
        "pct_asye": 15.6,
        "pct_agency": 20.7,
        "permanent_vacancy_rate": 23.9,
        "real_time_vacancy_rate": 4.1,
    }


def test_caseloads_come_with_the_model_and_their_rag(officer):
    assert march(officer)["caseloads"][1] == {
        "service": "Court and Child Protection",
        "children": 754,
        "fte": 48.00,
        "average": 15.71,
        "model": 14.53,
        "status": "amber",
    }


def test_the_month_says_which_return_its_figures_come_from(officer):
    described = march(officer)["return"]
    assert (described["status"], described["version"], described["source"]) == (
        "approved",
        1,
        "demonstration data",
    )
    assert (described["submitted_by"], described["approved_by"]) == (
        "workforce.submitter",
        "reviewer",
    )


def test_a_month_without_figures_gives_nulls_and_no_return(officer):
    body = officer.get(URL, {"period": "2025-06"}).json()
    assert (body["total_fte"], body["permanent_vacancy_rate"]) == (None, None)
    assert [c["status"] for c in body["caseloads"]] == ["missing"] * 3
    assert body["return"] is None


@pytest.mark.parametrize(
    "period",
    [
        pytest.param("", id="empty"),
        pytest.param("2025-13", id="month-thirteen"),
        pytest.param("March", id="month-without-year"),
    ],
)
def test_a_period_that_is_not_a_month_is_a_400_in_json(officer, period):
    response = officer.get(URL, {"period": period})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert "YYYY-MM" in response.json()["error"]


def test_a_token_opens_it(client, workforce_demo):
    reviewer = User.objects.get(username="reviewer")
    token = ApiToken.issue(user=reviewer)[1]
    response = client.get(URL, {"period": "2025-03"}, headers={"Authorization": f"Token {token}"})
    assert response.json()["total_fte"] == 179.42


def test_a_visitor_gets_a_401_in_json(client, workforce_demo):
    response = client.get(URL, {"period": "2025-03"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_api_and_the_dashboard_agree(officer):
    body = march(officer)
    html = officer.get(DASHBOARD, {"period": "2025-03"}).content.decode()
    for name in ("establishment_fte", "total_fte", "permanent_fte"):
        assert Decimal(figure(html, name)) == shown(body[name])
    for name in ("pct_permanent_excl_asye", "pct_asye", "pct_agency"):
        assert figure(html, name) == f"{body[name]}%"
    for name in ("permanent_vacancy_rate", "real_time_vacancy_rate"):
        assert figure(html, name) == f"{body[name]}%"
    for caseload in body["caseloads"]:
        row = re.search(rf"{caseload['service']}.*?</tr>", html, re.S)[0]
        assert f">{shown(caseload['average']):.2f}<" in row
        assert f">{shown(caseload['model']):.2f}<" in row
        assert f"rag-{caseload['status']}" in row


# --- queries ------------------------------------------------------------------------

API_QUERIES = [
    "django_session",
    "accounts_user",
    "SAVEPOINT",
    "workforce_workforcemonth",
    "workforce_caseloadfigure",
    "workforce_service",
    "workforce_caseloadstandard",
    "workforce_workforcerule",
    "submissions_return",
    "submissions_returnevent",
    "RELEASE",
]


def test_the_api_takes_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 11 queries: session, user, savepoint, the month, its caseloads with their services,
    # the services running then, their caseload models, the rules in force, the month's
    # return, its events with their people, release
    with django_assert_num_queries(11) as captured:
        officer.get(URL, {"period": "2025-03"})
    assert tables_read(captured) == API_QUERIES


def test_the_api_query_count_does_not_grow_with_the_history(
    officer, ten_more_years, django_assert_num_queries
):
    assert WorkforceMonth.objects.count() == 13 + 120
    with django_assert_num_queries(11):
        officer.get(URL, {"period": "2025-03"})
    # A month of the added history (no return behind it: no events to read).
    with django_assert_num_queries(10):
        body = officer.get(URL, {"period": Period(2015, 1).iso}).json()
    assert body["total_fte"] == 175.75
