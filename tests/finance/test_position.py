"""
The March 2025 position derived from the demonstration returns, against the published
outturn (annual review 2024-25, section (e)), to the pound.
"""

from decimal import Decimal

import pytest

from finance import selectors
from finance.models import CostDriver, LineGroup, PublishedOutturn
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.submissions import services
from opb_portal.submissions.figures import Source
from opb_portal.submissions.models import Return

MARCH = Period(2025, 3)


@pytest.fixture
def march(finance_demo):
    return selectors.finance_position(MARCH)


def _group(position, group):
    return next(g for g in position.expenditure_groups if g.group == group)


def test_income_is_the_contract_sum_and_the_published_third_party_income(march):
    assert march.contract_sum == Decimal(80_800_000)
    assert march.income.forecast_outturn == Decimal(9_617_630)
    assert march.income_forecast == Decimal(90_417_630)


def test_expenditure_is_the_published_total(march):
    assert march.expenditure_forecast == Decimal(99_205_745)
    assert march.expenditure_actual == Decimal(99_205_745)  # the year is over: actual = outturn


@pytest.mark.parametrize(
    ("group", "published"),
    [
        pytest.param(LineGroup.STAFFING, 33_647_039, id="staffing"),
        pytest.param(LineGroup.PLACEMENTS, 57_798_488, id="placements"),
        # The published groups add up to £99,205,746, £1 more than the published total
        # (each was rounded from pence): overheads take the pound, so the total holds.
        pytest.param(LineGroup.OVERHEADS, 7_760_219 - 1, id="overheads-less-the-rounding-pound"),
    ],
)
def test_expenditure_by_group_is_the_published_outturn(march, group, published):
    assert _group(march, group).forecast_outturn == Decimal(published)


def test_the_published_groups_add_to_one_pound_more_than_the_published_total():
    assert 33_647_039 + 57_798_488 + 7_760_219 == 99_205_745 + 1


def test_the_in_year_deficit_is_the_published_8788115(march):
    assert march.forecast_deficit == Decimal(8_788_115)


def test_the_cumulative_deficit_goes_from_10919317_to_19707432(march):
    assert march.opening_cumulative_deficit == Decimal(10_919_317)
    assert march.forecast_cumulative_deficit == Decimal(19_707_432)


def test_the_position_agrees_with_the_published_outturn_row(march):
    published = PublishedOutturn.objects.get(start_year=2024)
    assert (published.income, published.expenditure) == (
        march.income_forecast,
        march.expenditure_forecast,
    )
    assert published.deficit == march.forecast_deficit
    assert published.closing_cumulative_deficit == march.forecast_cumulative_deficit
    assert published.third_party_income == Decimal(9_617_630)


def test_2019_20_is_kept_as_a_published_outturn(finance_demo):
    year = PublishedOutturn.objects.get(start_year=2019)
    assert (year.contract_sum, year.income, year.expenditure) == (
        Decimal(63_536_000),
        Decimal(72_792_240),
        Decimal(77_123_871),
    )
    assert year.deficit == Decimal(4_331_631)
    assert year.third_party_income == Decimal(9_256_240)  # published as "£9.256m"


def test_residential_placements_rise_from_the_plans_62_to_79(march):
    children = march.driver(CostDriver.Measure.RESIDENTIAL_CHILDREN)
    assert children.plan == 62
    assert (children.history[0], children.history[8], children.value) == (62, 74, 79)
    cost = march.driver(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)
    assert (cost.plan, cost.history[8]) == (6508, 6701)


def test_savings_of_2_9m_were_delivered(march):
    assert march.savings.actual_to_date == Decimal(2_900_000)
    assert march.savings.forecast_outturn == Decimal(2_900_000)


def test_variance_against_plan_is_the_deficit_less_the_planned_deficit(march):
    assert march.planned_deficit == march.expenditure_budget - march.income_budget
    assert march.variance_against_plan == Decimal(8_788_115) - march.planned_deficit


def test_the_forecast_deficit_rises_quarter_by_quarter_to_the_outturn(march):
    deficits = [point.forecast_deficit for point in march.months]
    assert len(deficits) == 12
    # Month to month it moves with the run rates of the drivers (the agency share and the
    # external foster children go down as well as up); quarter to quarter it rises.
    quarters = deficits[2::3]
    assert quarters == sorted(quarters)
    assert deficits[0] < quarters[0]
    assert deficits[-1] == Decimal(8_788_115)


def test_residential_placements_are_red_and_permanent_staffing_green(march):
    statuses = {line.code: line.status for line in march.lines}
    assert statuses["PL-RES"] == Status.RED
    assert statuses["STAFF-PERM"] == Status.GREEN
    assert statuses["INC-HO"] == Status.GREEN  # more income than planned is never a concern


def test_the_residential_drivers_cost_nothing_more_after_march_but_a_full_year_at_this_rate(march):
    cost = march.driver_cost
    assert cost.weeks_remaining == 0
    assert cost.to_year_end == 0
    # (79 − 62) × £6,748 + (£6,748 − £6,508) × 62, for 52 weeks
    assert cost.full_year == (17 * 6748 + 240 * 62) * 52


def test_december_drivers_cost_the_extra_placements_to_year_end(finance_demo):
    cost = selectors.finance_position(Period(2024, 12)).driver_cost
    weeks = Decimal(90) / 7  # 1 January to 31 March
    assert cost.weeks_remaining == weeks
    assert cost.volume_to_year_end == ((74 - 62) * 6701 * weeks).quantize(Decimal(1))
    assert cost.price_to_year_end == ((6701 - 6508) * 62 * weeks).quantize(Decimal(1))


# --- the figures sent for approval, one computation from them ----------------------------------


def test_a_version_sent_for_approval_is_the_whole_month_of_a_position_read_from_it(finance_demo):
    ret = Return.objects.get(domain="finance", period=MARCH)
    submitter = User.objects.get(username="finance.submitter")
    data = {code: dict(fields) for code, fields in ret.approved_version.data.items()}
    data["PL-RES"]["value"] = str(int(data["PL-RES"]["value"]) + 100_000)
    data["DRV-RES"]["value"] = "81"
    services.return_save(ret=ret, user=submitter, data=data, base_version=1, reason="Ledger")
    ret.refresh_from_db()
    services.return_submit(ret=ret, user=submitter, explanations=dict.fromkeys(data, "Ledger."))

    approved = selectors.finance_position(MARCH)
    sent = selectors.finance_position(MARCH, source=Source.SUBMITTED)
    assert (approved.shown.unapproved, sent.shown.unapproved) == (False, True)
    assert sent.forecast_deficit == approved.forecast_deficit + 100_000
    # The chart's last month and the drivers' history are the same figures, not recomputed.
    assert sent.months[-1].forecast_deficit == sent.forecast_deficit
    assert sent.months[:-1] == approved.months[:-1]
    residential = sent.driver(CostDriver.Measure.RESIDENTIAL_CHILDREN)
    assert (residential.value, residential.history[-1]) == (Decimal(81), Decimal(81))
    assert sent.shown.version == ret.current_version


def test_with_nothing_sent_for_approval_a_draft_pack_reads_the_approved_figures(finance_demo):
    position = selectors.finance_position(MARCH, source=Source.SUBMITTED)
    assert not position.shown.unapproved
    assert position.forecast_deficit == selectors.finance_position(MARCH).forecast_deficit
