"""
The API's OpenAPI 3.1 schema (`/api/v1/schema/`), and the answers every endpoint shares:
bad parameters, unknown paths and refusals in JSON, figures as JSON numbers.
"""

import json
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import get_resolver
from openapi_spec_validator import validate

from opb_portal.core.api import figure

SCHEMA_URL = "/api/v1/schema/"
MONTHLY = ["/api/v1/kpis/", "/api/v1/finance/", "/api/v1/workforce/", "/api/v1/demand/"]


@pytest.fixture
def officer(client, demo, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def schema(officer) -> dict:
    response = officer.get(SCHEMA_URL)
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return response.json()


def test_the_schema_is_a_valid_openapi_3_1_document(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.1")


def test_the_schema_describes_every_endpoint_of_the_api(schema):
    api = get_resolver().namespace_dict["api"][1]
    routes = {"/api/v1/" + str(entry.pattern) for entry in api.url_patterns}
    assert set(schema["paths"]) == routes - {SCHEMA_URL}


# The endpoints that answer 404 when a code or a year has no figures stored.
MAY_FIND_NOTHING = {"/api/v1/benchmarks/"}


def test_every_operation_documents_its_answer_and_every_refusal(schema):
    for path, item in schema["paths"].items():
        assert set(item) == {"get"}, path
        nothing = {"404"} if path in MAY_FIND_NOTHING else set()
        assert set(item["get"]["responses"]) == {"200", "400", "401", "403", *nothing}, path
        assert item["get"]["security"] == [{"TokenOrSession": []}], path


def test_a_figure_is_a_number_in_the_schema(schema):
    value = schema["components"]["schemas"]["Kpi"]["properties"]["value"]
    assert {"type": "number"} in value["anyOf"]
    assert {"type": "null"} in value["anyOf"]


def test_a_forecast_is_marked_as_one_in_the_schema(schema):
    """The outlook's KPIs and their months ahead are `"kind": "forecast"`, never figures."""
    schemas = schema["components"]["schemas"]
    for name in ("KpiOutlook", "ForecastMonth"):
        assert schemas[name]["properties"]["kind"]["const"] == "forecast", name
        assert "kind" in schemas[name]["required"], name
    assert set(schemas["ForecastMonth"]["properties"]) >= {"lower", "upper", "chance_red"}


def test_a_visitor_cannot_read_the_schema(client, db):
    assert client.get(SCHEMA_URL).status_code == 401


# --- figures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "written"),
    [
        pytest.param(Decimal("87.2"), None, "87.2", id="a-percentage-as-stored"),
        pytest.param(Decimal("94.0"), None, "94.0", id="keeps-a-trailing-zero"),
        pytest.param(Decimal("187"), None, "187", id="a-count-is-an-integer"),
        pytest.param(Decimal("97.40000000000001"), None, "97.4", id="float-noise-at-15-digits"),
        pytest.param(Decimal("12.857"), 2, "12.86", id="rounded-half-up-to-places"),
        pytest.param(Decimal("1187717.5"), 0, "1187718", id="whole-pounds"),
        pytest.param(None, 1, "null", id="not-reported-is-null"),
    ],
)
def test_a_figure_is_written_as_a_json_number_with_its_digits(value, places, written):
    assert json.dumps(figure(value, places)) == written


# --- bad parameters, unknown paths, refusals -------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        pytest.param("/api/v1/kpis/summary/?year=0001-02", "year", id="year-0001-02"),
        pytest.param("/api/v1/kpis/summary/?year=0000-01", "year", id="year-0000-01"),
        pytest.param("/api/v1/kpis/summary/?year=9999-00", "year", id="year-9999-00"),
        pytest.param("/api/v1/kpis/summary/?year=2024%2F25", "year", id="year-with-a-slash"),
        pytest.param("/api/v1/kpis/?period=0001-01", "period", id="month-0001-01"),
        pytest.param("/api/v1/kpis/?period=March%202025", "period", id="month-in-words"),
        pytest.param("/api/v1/finance/?period=2100-01", "period", id="month-after-the-range"),
        pytest.param("/api/v1/demand/?period=1999-12", "period", id="month-before-the-range"),
        pytest.param("/api/v1/workforce/?period=%D9%A2025-03", "period", id="arabic-digit"),
        pytest.param("/api/v1/workforce/", "period", id="no-period"),
    ],
)
def test_a_bad_parameter_is_a_400_in_json_naming_it(officer, url, parameter):
    response = officer.get(url)
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    body = response.json()
    assert [p["parameter"] for p in body["problems"]] == [parameter]
    assert body["error"].startswith(parameter)


@pytest.mark.parametrize("url", [pytest.param(url, id=url.split("/")[3]) for url in MONTHLY])
@pytest.mark.parametrize("period", ["2000-01", "2000-04", "2099-03", "2099-12"])
def test_every_month_the_schema_allows_is_answered(officer, url, period):
    assert officer.get(url, {"period": period}).status_code == 200


@pytest.mark.parametrize("period", ["2000-01", "2099-12"])
def test_every_month_the_schema_allows_has_an_outlook_answer(officer, period):
    assert officer.get("/api/v1/kpis/outlook/", {"period": period}).status_code == 200


@pytest.mark.parametrize("year", ["2000-01", "2099-00"])
def test_every_year_the_schema_allows_is_answered(officer, year):
    assert officer.get("/api/v1/kpis/summary/", {"year": year}).status_code == 200


@pytest.mark.parametrize("debug", [False, True], ids=["live", "debug"])
@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v2/kpis/", "/api/"])
def test_an_unknown_api_path_is_a_json_404(officer, url, debug):
    with override_settings(DEBUG=debug):
        response = officer.get(url)
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert "/api/v1/schema/" in response.json()["error"]


def test_a_page_that_is_not_the_api_still_gets_the_portals_404_page(officer):
    response = officer.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_error_in_an_endpoint_is_a_json_500(officer, monkeypatch):
    from kpis import selectors

    def broken(period):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "scorecard", broken)
    response = officer.get("/api/v1/kpis/", {"period": "2025-03"})
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert "a bug" not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [pytest.param("visitor", 401, id="visitor"), pytest.param("no-role", 403, id="no-role")],
)
def test_refusals_are_json(client, demo, people, who, status):
    if who == "no-role":
        client.force_login(people["none"])
    response = client.get("/api/v1/kpis/", {"period": "2025-03"})
    assert (response.status_code, response["Content-Type"]) == (status, "application/json")
    assert response.json()["error"]


def test_a_put_is_a_json_405_naming_what_is_allowed(officer):
    response = officer.put("/api/v1/finance/?period=2025-03")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    assert response.json() == {"error": "The API only reads: send a GET."}


# --- queries of the demand endpoints (the KPI, finance and workforce ones: their tests) --


def _tables(captured) -> list[str]:
    found = []
    for query in captured:
        table = re.search(r'\bFROM "(\w+)"', query["sql"])
        found.append(table[1] if table else query["sql"].split()[0])
    return found


def test_the_demand_month_takes_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 12 queries: session, user, savepoint, the measures, the child population, the year's
    # figures, the foster placements by month, the finance year, its lines, its cost
    # drivers, their figures (the plan against actuals), release
    with django_assert_num_queries(12) as captured:
        officer.get("/api/v1/demand/", {"period": "2025-03"})
    assert _tables(captured) == [
        "django_session",
        "accounts_user",
        "SAVEPOINT",
        "demand_measure",
        "reference_childpopulation",
        "demand_measurevalue",
        "demand_measurevalue",
        "finance_financeyear",
        "finance_financeline",
        "finance_costdriver",
        "finance_driverfigure",
        "RELEASE",
    ]


def test_the_benchmark_takes_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 10 queries: session, user, savepoint, the code's polarity (its published mapping), the
    # neighbour groups, their members, the year's figures with their authorities, the
    # published averages, the release that set them (none in the demonstration), release
    with django_assert_num_queries(10) as captured:
        officer.get("/api/v1/benchmarks/", {"measure": "children_in_care", "year": "2024"})
    assert _tables(captured) == [
        "django_session",
        "accounts_user",
        "SAVEPOINT",
        "comparators_publishedmeasure",
        "comparators_neighbourgroup",
        "comparators_authority",
        "comparators_comparatorvalue",
        "comparators_publishedaverage",
        "comparators_comparatorimport",
        "RELEASE",
    ]
