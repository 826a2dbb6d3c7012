"""The read-only KPI API (`/api/v1/kpis/...`) as Power BI and scripts use it."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import KpiDefinition, KpiValue
from opb_portal.accounts.models import ApiToken
from opb_portal.periods import Period

from ..factories import UserFactory

KPIS_URL = "/api/v1/kpis/"
SUMMARY_URL = "/api/v1/kpis/summary/"
KPI_KEYS = {
    "code",
    "title",
    "unit",
    "value",
    "status",
    "in_grace",
    "rule",
    "commentary",
    "escalated",
}


@pytest.fixture
def officer(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def _by_code(body: dict) -> dict[str, dict]:
    return {kpi["code"]: kpi for kpi in body["kpis"]}


def _token_for(user) -> str:
    return ApiToken.issue(user=user)[1]


def _what_each_query_reads(queries) -> list[str]:
    """The table each query reads first, or the SQL verb for transaction statements."""
    found = []
    for query in queries:
        sql = query["sql"]
        table = re.search(r'\bFROM "(\w+)"', sql)
        found.append(table[1] if table else sql.split()[0])
    return found


def _compact(response) -> str:
    """The JSON text as written, on one line, to read how each number is written."""
    return re.sub(r"\s*\n\s*", " ", response.content.decode())


# --- one month -----------------------------------------------------------------------


def test_a_month_says_which_period_year_and_framework_it_is(officer):
    body = officer.get(KPIS_URL, {"period": "2025-03"}).json()
    assert (body["period"], body["financial_year"], body["framework"]) == (
        "2025-03",
        "2024-25",
        "2024",
    )


def test_a_month_lists_the_15_kpis_with_exactly_the_documented_keys(officer):
    kpis = officer.get(KPIS_URL, {"period": "2025-03"}).json()["kpis"]
    assert len(kpis) == 15
    assert [set(kpi) for kpi in kpis] == [KPI_KEYS] * 15


@pytest.mark.parametrize(
    ("code", "value"),
    [
        pytest.param("PI1", '"value": 86.4,', id="pi1-as-published"),
        pytest.param("PI4", '"value": 40.7,', id="pi4-rate-per-10000-to-one-place"),
        pytest.param("PI7", '"value": 94.0,', id="pi7-keeps-its-trailing-zero"),
        pytest.param("PI12", '"value": 23.94,', id="pi12-percentage-to-two-places"),
    ],
)
def test_values_are_json_numbers_with_the_digits_stored(officer, code, value):
    response = officer.get(KPIS_URL, {"period": "2025-03"})
    kpi = _by_code(response.json())[code]
    assert isinstance(kpi["value"], float)
    stored = KpiValue.objects.get(kpi__framework__code="2024", kpi__code=code, period="2025-03-01")
    # The JSON text carries exactly the stored digits: no float noise, no string.
    assert f'"value": {stored.value},' in _compact(response)
    assert value in _compact(response)


def test_march_2025_is_10_green_and_5_amber(officer):
    kpis = officer.get(KPIS_URL, {"period": "2025-03"}).json()["kpis"]
    assert Counter(kpi["status"] for kpi in kpis) == {"green": 10, "amber": 5}


def test_each_kpi_carries_its_rule_and_the_months_commentary(officer):
    pi1 = _by_code(officer.get(KPIS_URL, {"period": "2025-03"}).json())["PI1"]
    assert pi1["rule"] == "Green ≥ 85.0%; Amber > 70.0% and < 85.0%; Red ≤ 70.0%"
    assert pi1["commentary"].startswith("Above target")
    assert (pi1["unit"], pi1["in_grace"], pi1["escalated"]) == ("percent", False, False)


def test_a_well_formed_month_without_figures_reports_every_kpi_missing(officer):
    body = officer.get(KPIS_URL, {"period": "2031-01"}).json()
    assert body["framework"] == "2024"
    assert {(kpi["value"], kpi["status"]) for kpi in body["kpis"]} == {(None, "missing")}


def test_a_month_before_any_framework_has_no_kpis(officer):
    body = officer.get(KPIS_URL, {"period": "2010-01"}).json()
    assert (body["framework"], body["kpis"]) == (None, [])


# --- a financial year ----------------------------------------------------------------


def test_the_year_summary_gives_counts_range_and_mean_per_kpi(officer):
    body = officer.get(SUMMARY_URL, {"year": "2024-25"}).json()
    assert (body["financial_year"], body["framework"]) == ("2024-25", "2024")
    assert len(body["kpis"]) == 15
    assert _by_code(body)["PI1"] == {
        "code": "PI1",
        "green": 1,
        "amber": 10,
        "red": 1,
        "missing": 0,
        "min": 68.8,
        "min_period": "2024-10",
        "max": 86.4,
        "max_period": "2025-03",
        "mean": 78.1,
    }


def test_every_kpi_in_the_year_summary_accounts_for_twelve_months(officer):
    kpis = officer.get(SUMMARY_URL, {"year": "2024-25"}).json()["kpis"]
    assert {k["green"] + k["amber"] + k["red"] + k["missing"] for k in kpis} == {12}


# --- refusing what is not a month or a year ----------------------------------------


@pytest.mark.parametrize(
    "period",
    [
        pytest.param("", id="empty"),
        pytest.param("2025-13", id="month-thirteen"),
        pytest.param("March", id="month-without-year"),
        pytest.param("2025-3-1", id="a-date"),
    ],
)
def test_a_period_that_is_not_a_month_is_a_400_naming_the_format(officer, period):
    response = officer.get(KPIS_URL, {"period": period})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert "YYYY-MM" in response.json()["error"]
    assert response.json()["problems"][0]["parameter"] == "period"


def test_a_missing_period_is_a_400_naming_the_format(officer):
    response = officer.get(KPIS_URL)
    assert response.status_code == 400
    assert "YYYY-MM" in response.json()["error"]


@pytest.mark.parametrize(
    "year",
    [
        pytest.param("", id="empty"),
        pytest.param("2024", id="one-year"),
        pytest.param("2024-26", id="two-years-apart"),
    ],
)
def test_a_year_that_is_not_a_financial_year_is_a_400_naming_the_format(officer, year):
    response = officer.get(SUMMARY_URL, {"year": year})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert "YYYY-YY" in response.json()["error"]


def test_the_api_is_read_only(officer):
    assert officer.post(f"{KPIS_URL}?period=2025-03").status_code == 405


# --- who may ask ----------------------------------------------------------------------


def test_a_token_opens_the_api_without_a_session(client, demo, reviewer):
    token = _token_for(reviewer)
    response = client.get(
        KPIS_URL, {"period": "2025-03"}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 200
    assert len(response.json()["kpis"]) == 15


def test_a_wrong_token_is_a_401_asking_for_a_token(client, demo, reviewer):
    _token_for(reviewer)
    response = client.get(
        KPIS_URL, {"period": "2025-03"}, headers={"Authorization": "Token not-the-key"}
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Token" in response.json()["error"]


def test_the_token_of_a_person_who_left_is_a_401(client, demo):
    token = _token_for(UserFactory(is_active=False))
    response = client.get(
        KPIS_URL, {"period": "2025-03"}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 401


def test_the_token_of_a_person_whose_role_was_revoked_is_a_403(client, demo, people):
    token = _token_for(people["none"])
    response = client.get(
        KPIS_URL, {"period": "2025-03"}, headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code == 403
    assert response.json() == {"error": "Your role does not allow this."}


def test_a_signed_in_browser_session_opens_the_api_too(officer):
    assert officer.get(SUMMARY_URL, {"year": "2024-25"}).status_code == 200


def test_a_token_only_works_on_the_api(client, demo, reviewer):
    token = _token_for(reviewer)
    response = client.get("/kpis/scorecard/", headers={"Authorization": f"Token {token}"})
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/kpis/scorecard/",
    )


# --- the API and the scorecard agree -------------------------------------------------


def _scorecard_rows(html: str) -> dict[str, str]:
    """Each table row's HTML, keyed by the KPI code its link points at."""
    rows = {}
    for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.DOTALL):
        link = re.search(r'href="/kpis/2024/(PI\d+)/"', row)
        if link:
            rows[link[1]] = row
    return rows


def test_every_value_and_status_in_the_api_is_on_the_scorecard(officer):
    kpis = officer.get(KPIS_URL, {"period": "2025-03"}).json()["kpis"]
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    rows = _scorecard_rows(html)

    assert rows.keys() == {kpi["code"] for kpi in kpis}
    for kpi in kpis:
        shown = re.search(r'fw-semibold">([^<]+)</span>', rows[kpi["code"]])[1]
        badge = re.search(r'class="rag rag-(\w+)">.*?</span>(\w+)</span>', rows[kpi["code"]])
        # The page writes the stored digits (94.10%); the JSON number has no trailing zero.
        assert (kpi["code"], Decimal(shown.removesuffix("%"))) == (
            kpi["code"],
            Decimal(str(kpi["value"])),
        )
        assert shown.endswith("%") == (kpi["unit"] == "percent")
        assert (kpi["code"], badge[1], badge[2]) == (
            kpi["code"],
            kpi["status"],
            kpi["status"].capitalize(),
        )


# --- queries ----------------------------------------------------------------------------

SESSION_QUERIES = ["django_session", "accounts_user"]
# The key looked up by its hash, joined to its person (its last use is noted once a minute).
TOKEN_QUERIES = ["accounts_apitoken"]
# ATOMIC_REQUESTS inside the test's own transaction shows as a savepoint and its release.
KPI_QUERIES = [
    "SAVEPOINT",
    "kpis_framework",
    "kpis_kpidefinition",
    "kpis_thresholdrule",
    "kpis_kpivalue",
    "RELEASE",
]
# The month also describes the return behind its figures: the return, then its
# events with the people on them.
MONTH_QUERIES = [
    *KPI_QUERIES[:2],
    "submissions_return",
    "submissions_returnevent",
    *KPI_QUERIES[2:],
]
ENDPOINTS = [
    pytest.param(KPIS_URL, {"period": "2025-03"}, MONTH_QUERIES, id="month"),
    pytest.param(SUMMARY_URL, {"year": "2024-25"}, KPI_QUERIES, id="year"),
]


@pytest.mark.parametrize(("url", "params", "queries"), ENDPOINTS)
def test_each_endpoint_takes_a_fixed_number_of_queries_with_a_session(
    officer, django_assert_num_queries, url, params, queries
):
    # month, 10 queries: session, user, savepoint, framework in force, the month's return,
    # its events with their people, KPIs, rules prefetch, values, release savepoint.
    # year, 8: the same without the return. (The API shows no comparators: none are read.)
    with django_assert_num_queries(2 + len(queries)) as captured:
        officer.get(url, params)
    assert _what_each_query_reads(captured) == SESSION_QUERIES + queries


@pytest.mark.parametrize(("url", "params", "queries"), ENDPOINTS)
def test_each_endpoint_takes_one_query_fewer_with_a_token(
    client, demo, reviewer, django_assert_num_queries, url, params, queries
):
    headers = {"Authorization": f"Token {_token_for(reviewer)}"}
    client.get(url, params, headers=headers)  # its first use is noted: an UPDATE
    # The token joined to its user replaces the session and user look-ups.
    with django_assert_num_queries(1 + len(queries)) as captured:
        client.get(url, params, headers=headers)
    assert _what_each_query_reads(captured) == TOKEN_QUERIES + queries


@pytest.fixture
def two_more_years(demo) -> list[Period]:
    """Every 2024 KPI with a figure of 50.0 for each month of April 2025 to March 2027."""
    months = Period(2027, 3).last_n(24)
    KpiValue.objects.bulk_create(
        KpiValue(kpi=kpi, period=month.first_day, value=Decimal("50.0"))
        for kpi in KpiDefinition.objects.filter(framework__code="2024")
        for month in months
    )
    return months


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        pytest.param(KPIS_URL, {"period": "2027-03"}, "value", id="month"),
        pytest.param(SUMMARY_URL, {"year": "2026-27"}, "mean", id="year"),
    ],
)
def test_the_query_count_does_not_grow_with_the_history(
    officer, two_more_years, django_assert_num_queries, url, params, field
):
    assert KpiValue.objects.count() == 15 * (12 + 24)
    # As with one year of figures: the history is one query, however long. (These months
    # have no return, so the month endpoint skips the return's events: 9, not 10.)
    with django_assert_num_queries(9 if field == "value" else 8):
        response = officer.get(url, params)
    assert {kpi[field] for kpi in response.json()["kpis"]} == {50.0}


def test_the_month_reads_two_years_of_history_to_find_an_escalation(officer, two_more_years):
    # 50.0 is red for PI1 (red at 70% or less): 24 red months in a row is an exception.
    pi1 = _by_code(officer.get(KPIS_URL, {"period": "2027-03"}).json())["PI1"]
    assert (pi1["status"], pi1["escalated"]) == ("red", True)


def test_the_month_says_which_return_its_figures_come_from(officer):
    described = officer.get(KPIS_URL, {"period": "2025-03"}).json()["return"]
    assert described["status"] == "approved"
    assert described["version"] == 1
    assert described["source"] == "demonstration data"
    assert (described["submitted_by"], described["approved_by"]) == ("kpi.submitter", "reviewer")
    assert described["submitted_at"] <= described["approved_at"]


def test_a_month_without_a_return_says_so(officer):
    assert officer.get(KPIS_URL, {"period": "2025-04"}).json()["return"] is None
