"""The domains' facts for reports: the figures the Scrutiny report of 24 March 2025 says."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kpis.models import KpiDefinition, KpiValue
from opb_portal.periods import Period
from opb_portal.reports.facts import facts_on, prefixes

DECEMBER = datetime.date(2024, 12, 31)
MARCH = datetime.date(2025, 3, 31)


@pytest.fixture
def december(demo):
    return facts_on(DECEMBER)


def test_every_domain_registers_its_facts():
    assert {"demand", "finance", "kpis", "workforce"} <= set(prefixes())


@pytest.mark.parametrize(
    ("key", "text"),
    [
        pytest.param("finance.contract_sum", "£80.80m", id="contract-sum-4.10"),
        pytest.param("finance.contract_sum_previous", "£74.48m", id="contract-sum-2023-24"),
        pytest.param("finance.contract_sum_rise", "£6.325m", id="rise-in-pounds-4.10"),
        pytest.param("finance.contract_sum_rise_percent", "8.5%", id="rise-percent-4.10"),
        pytest.param("finance.residential_weekly_cost", "£6,701", id="weekly-cost-december-4.13"),
        pytest.param(
            "finance.residential_weekly_cost_march", "£6,508", id="weekly-cost-march-4.13"
        ),
        pytest.param("finance.residential_children", "74", id="in-residential-4.13"),
        pytest.param("workforce.agency_share", "16.4%", id="agency-share-the-portals"),
        pytest.param("workforce.permanent_share", "83.6%", id="permanent-share-the-portals"),
        pytest.param("workforce.vacancy_rate_from", "12.0%", id="vacancy-june-2024-4.16"),
        pytest.param("workforce.vacancy_rate", "7.2%", id="vacancy-december-2024-4.16"),
        pytest.param("workforce.permanent_vacancy_rate_from", "27.7%", id="permanent-vacancy-june"),
        pytest.param("workforce.permanent_vacancy_rate", "22.4%", id="permanent-vacancy-december"),
        pytest.param("workforce.from_month", "June 2024", id="six-months-before"),
        pytest.param("kpis.count", "15", id="fifteen-kpis-4.8"),
        pytest.param("demand.children_in_care", "808", id="in-care-at-the-last-march"),
    ],
)
def test_the_facts_at_31_december_2024_are_the_scrutiny_reports(december, key, text):
    assert december[key].text == text


@pytest.mark.parametrize(
    ("key", "text"),
    [
        pytest.param("demand.children_in_care", "816", id="in-care"),
        pytest.param("demand.children_in_care_rate", "94.0", id="in-care-rate"),
        pytest.param("demand.children_in_care_rate_neighbours", "95.2", id="neighbours-rate"),
        pytest.param("demand.child_protection_plans", "353", id="cp-plans"),
        pytest.param("demand.children_in_need", "677", id="in-need"),
        pytest.param("demand.care_experienced", "390", id="care-experienced"),
        pytest.param("finance.deficit", "£8.79m", id="deficit-provisional"),
        pytest.param("finance.cumulative_deficit", "£19.71m", id="cumulative-deficit"),
        pytest.param("finance.next_year_savings_target", "£2,340,090", id="savings-2025-26"),
        pytest.param("kpis.green", "10", id="ten-green"),
        pytest.param("kpis.amber", "5", id="five-amber"),
        pytest.param("kpis.red", "0", id="none-red"),
        pytest.param("workforce.permanent_vacancy_rate", "23.9%", id="permanent-vacancy"),
    ],
)
def test_the_facts_at_31_march_2025_are_the_annual_reviews(demo, key, text):
    assert facts_on(MARCH)[key].text == text


def test_the_agency_share_is_the_portals_with_a_note_of_the_scrutiny_reports(december):
    agency = december["workforce.agency_share"]
    assert agency.text == "16.4%"
    assert "16.3%" in agency.note
    assert "83.7%" in december["workforce.permanent_share"].note
    assert "21.5%" in december["workforce.permanent_vacancy_rate"].note


def test_a_month_whose_return_gives_no_commentary_has_no_note(demo):
    assert facts_on(MARCH)["workforce.agency_share"].note == ""


def test_each_fact_says_its_source_and_links_to_its_month(december):
    cost = december["finance.residential_weekly_cost"]
    assert cost.source.startswith("Finance return for December 2024, approved version ")
    assert cost.url == "/finance/?period=2024-12"
    assert december["workforce.vacancy_rate_from"].url == "/workforce/?period=2024-06"
    assert december["finance.contract_sum"].source == "2024-25 plan, set by the administrator"
    assert december["kpis.count"].url == "/kpis/scorecard/?period=2024-12"


@pytest.mark.parametrize(
    ("key", "illustrative"),
    [
        pytest.param("finance.residential_weekly_cost", False, id="published-weekly-cost"),
        pytest.param("finance.deficit", True, id="december-deficit-is-a-demo-value"),
        pytest.param("workforce.agency_share", False, id="published-workforce-table"),
    ],
)
def test_a_demonstration_value_says_so(december, key, illustrative):
    assert december[key].illustrative is illustrative


def test_the_kpi_red_for_more_than_3_months_outside_grace_is_named_by_its_title(demo):
    pi9 = KpiDefinition.objects.get(code="PI9", framework__code__contains="2024")
    red = next(
        value
        for value in (Decimal(v) for v in ("1", "10", "30", "50", "99"))
        if pi9.rule_for(Period(2025, 1)).evaluate(value).value == "red"
    )
    months = [Period(2024, 9).shift(i) for i in range(5)]  # September 2024 to January 2025
    assert KpiValue.objects.filter(kpi=pi9, period__in=months).update(value=red) == 5

    facts = facts_on(datetime.date(2025, 1, 31))

    said = facts["kpis.failure_zone_over_3_months"].text
    assert said.startswith("one KPI, relating to ‘For children in care for 2.5 years or more")
    assert said.endswith("has been in the performance failure zone for more than a 3-month period")
    assert facts["kpis.failure_zone_over_3_months_count"].text == "1"


def test_no_kpi_in_the_failure_zone_is_said_so(december):
    assert december["kpis.failure_zone_over_3_months"].text == (
        "no KPI has been in the performance failure zone for more than a 3-month period"
    )


def test_a_month_with_no_approved_return_leaves_its_figures_out(demo):
    april = facts_on(datetime.date(2025, 4, 30))

    assert "finance.deficit" not in april
    assert "finance.residential_weekly_cost" not in april
    assert "workforce.agency_share" not in april
    assert "kpis.count" not in april
    # The plan is set for the year before any return: its contract sum is said.
    assert april["finance.contract_sum"].text == "£80.80m"


def test_before_any_figure_there_are_no_facts(demo):
    assert facts_on(datetime.date(2017, 12, 31)) == {}
