"""The demand dashboard and its API, as a council officer sees them."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from demand import selectors
from opb_portal.accounts.models import User
from opb_portal.core import panels
from opb_portal.periods import Period
from opb_portal.submissions import services


@pytest.fixture
def officer(client, demo, demand, reviewer):
    client.force_login(reviewer)
    return client


def test_the_dashboard_shows_march_2025(officer):
    response = officer.get(reverse("demand:dashboard"), {"period": "2025-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Demand: March 2025" in html
    assert "Cost of the difference: <strong>£129,596 a week</strong>" in html
    # Five charts, each drawn for the page and again for a phone.
    assert html.count('class="chart-wide"><svg') == 5
    assert html.count('class="chart-narrow"><svg') == 5


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Children on a child protection plan", id="cp-plans"),
        pytest.param("40.7", id="cp-rate"),
        pytest.param("429.3", id="referral-rate"),
        pytest.param("(differs by \u221213.1)", id="icpc-published-rate-differs"),
        pytest.param("Green ≤ 45.0", id="cp-target"),
    ],
)
def test_the_dashboard_shows_the_years_rates(officer, text):
    html = officer.get(reverse("demand:dashboard"), {"period": "2025-03"}).content.decode()
    assert text in html


def test_the_dashboard_defaults_to_the_latest_month_with_figures(officer):
    html = officer.get(reverse("demand:dashboard")).content.decode()
    assert "Demand: March 2025" in html


def test_a_bad_period_is_400_with_the_latest_month_instead(officer):
    response = officer.get(reverse("demand:dashboard"), {"period": "someday"})
    assert response.status_code == 400
    assert "Showing March 2025 instead" in response.content.decode()


def test_placements_by_type_show_the_latest_figure_of_each(demand):
    position = selectors.demand_position(Period(2025, 3))
    latest = {f.measure.code: (f.number, f.value.label) for f in position.placements}
    assert latest["placed_internal_foster"] == (Decimal(266), "Mar-25")
    assert latest["placed_external_foster"] == (Decimal(295), "Mar-25")
    assert latest["placed_residential"] == (Decimal(62), "Mar-24")
    assert latest["placed_connected"] == (Decimal(192), "Mar-20")


def test_the_dashboard_says_which_activity_return_its_monthly_figures_are(officer):
    url = reverse("demand:dashboard")
    assert "version-shown" not in officer.get(url, {"period": "2025-04"}).content.decode()
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(
        organisation=submitter.organisation, domain="activity", period=Period(2025, 4)
    )
    data = {"referrals": {"value": "310", "commentary": ""}}
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    html = officer.get(url, {"period": "2025-04"}).content.decode()
    assert (
        "Nothing approved yet: the activity return for April 2025 is <strong>draft</strong> "
        "(version 1)." in html
    )


def test_the_dashboard_runs_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 15 queries: session, user, the request's savepoint; the measures, the child
    # population, every figure to March 2025, the measures with comparators (for the
    # "Benchmarks" links); the finance plan, its lines, its drivers,
    # the month's driver figures, the latest count of children we care for; the month's
    # activity return with its versions (which version the page shows, new with issue 13);
    # the months with figures (the month picker); the savepoint's release. The projection
    # ("Looking ahead") is worked out from the figures already read: no query of its own.
    with django_assert_num_queries(15):
        officer.get(reverse("demand:dashboard"), {"period": "2025-03"})


def test_the_api_gives_the_months_demand_as_json(officer):
    response = officer.get(reverse("api:demand"), {"period": "2025-03"})
    data = json.loads(response.content)
    assert response.status_code == 200
    cp = next(f for f in data["year"] if f["code"] == "cp_plans")
    # Figures are JSON numbers, series lists of {period, value}: as pandas and Power BI read them.
    assert (cp["value"], cp["rate_per_10000"], cp["status"]) == (353, 40.7, "green")
    internal = next(p for p in data["foster_placements"] if p["code"] == "placed_internal_foster")
    assert internal["series"][-1] == {"period": "2025-03", "value": 266}
    assert data["plan"]["residential_children"] == {"plan": 62, "actual": 79}
    assert data["plan"]["cost_per_week"] == 129596


def test_the_api_marks_the_projection_and_every_month_of_it(officer):
    data = json.loads(officer.get(reverse("api:demand"), {"period": "2025-03"}).content)
    projection = data["projection"]
    assert (projection["kind"], projection["starts_from"], projection["count"]) == (
        "projection",
        "2025-03",
        816,
    )
    assert projection["basis"].startswith("816 at 31 March 2025; 265 starts")
    assert "within 61 children 5 times in 6" in projection["accuracy"]
    assert len(projection["months"]) == 12
    assert {month["kind"] for month in projection["months"]} == {"projection"}
    assert projection["months"][0] == {
        "period": "2025-04",
        "kind": "projection",
        "children_in_care": 816.3,
        "placements_residential": 62.6,
        "placements_supported": 33.6,
        "placements_foster_internal": 445.4,
        "placements_foster_external": 295.1,
    }


def test_looking_ahead_shows_the_projection_marked_as_one(officer):
    html = officer.get(reverse("demand:dashboard"), {"period": "2025-03"}).content.decode()
    section = html[html.index('id="looking-ahead"') : html.index('id="rates-heading"')]
    assert "Looking ahead: children we care for" in section
    assert "A projection, not a figure: <strong>816 at 31 March 2025; 265 starts" in section
    assert "Apr-25 to Mar-26: projected, not counted" in section
    assert 'class="table table-sm forecast projection-table"' in section
    # The chart draws the projection as a forecast: dashed and hollow after a divider,
    # named in the legend and the description, with no interval it does not have.
    assert 'class="line forecast"' in section
    assert 'class="marker forecast' in section
    assert "Apr-25 to Mar-26 are a forecast, not figures" in section
    assert "forecast-band" not in section
    assert "the one-year projection was within 61 children 5 times in 6" in section
    # The types' shares come from different dates (connected carers from March 2020).
    assert "together the shares come to 102.5%" in section
    assert "Children in residential placements: 62 of 808 (7.7%) at 31 March 2024." in section
    # Against the budget's assumption for residential children, read from finance's panel.
    assert "assumed <strong>62</strong> children in residential placements" in section
    assert "the projection has <strong>63</strong> in Mar-26 (a projection)" in section
    assert "The finance return counted 79 in March 2025" in section


def test_looking_ahead_says_why_there_is_no_projection_before_any_flows(officer):
    html = officer.get(reverse("demand:dashboard"), {"period": "2018-06"}).content.decode()
    assert "No projection: it needs a count of children we care for" in html


def test_without_finances_panel_the_dashboard_and_api_show_no_plan(officer, monkeypatch):
    # Demand depends on no other domain: with nobody offering "demand against plan", the
    # page leaves the section out and the API's plan figures are null, as for a year
    # without a finance plan.
    monkeypatch.setattr(panels, "_PANELS", {})
    html = officer.get(reverse("demand:dashboard"), {"period": "2025-03"}).content.decode()
    assert "Demand: March 2025" in html
    assert "Demand against plan" not in html
    data = json.loads(officer.get(reverse("api:demand"), {"period": "2025-03"}).content)
    assert data["plan"]["residential_children"] == {"plan": None, "actual": None}
    assert data["plan"]["cost_per_week"] is None


@pytest.mark.parametrize("period", ["", "2025-13", "March"])
def test_the_api_answers_a_bad_period_with_400_json(officer, period):
    response = officer.get(reverse("api:demand"), {"period": period})
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith("period must be")
