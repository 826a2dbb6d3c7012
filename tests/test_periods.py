import datetime
from dataclasses import dataclass

import pytest

from opb_portal.periods import FinancialYear, Period, PeriodError, in_force, read_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2025-03", Period(2025, 3), id="iso"),
        pytest.param("Mar-25", Period(2025, 3), id="short"),
        pytest.param("March 2025", Period(2025, 3), id="long"),
        pytest.param("mar 2025", Period(2025, 3), id="lower-case"),
        pytest.param("Sept 2024", Period(2024, 9), id="sept-as-the-uk-writes-it"),
        pytest.param("Sep-25", Period(2025, 9), id="excel-mmm-yy"),
        pytest.param("Sept-25", Period(2025, 9), id="sept-short-year"),
        pytest.param("September 2025", Period(2025, 9), id="full-name"),
        pytest.param("Sep. '25", Period(2025, 9), id="abbreviation-with-stop-and-apostrophe"),
        pytest.param("2025/07", Period(2025, 7), id="year-slash-month"),
        pytest.param("07/2025", Period(2025, 7), id="month-slash-year"),
        pytest.param("7-2025", Period(2025, 7), id="month-dash-year"),
        pytest.param("01/04/2025", Period(2025, 4), id="uk-date-as-text-is-day-month-year"),
        pytest.param("04/01/2025", Period(2025, 1), id="uk-order-not-us-order"),
        pytest.param("30/04/2025", Period(2025, 4), id="month-end-as-text"),
        pytest.param("1/4/25", Period(2025, 4), id="uk-date-short-year"),
        pytest.param("2025-04-30", Period(2025, 4), id="iso-date-as-text"),
        pytest.param("2025-04-01 00:00:00", Period(2025, 4), id="pandas-csv-datetime"),
        pytest.param("1-Apr-25", Period(2025, 4), id="excel-d-mmm-yy-in-a-csv"),
        pytest.param("Sept2025", Period(2025, 9), id="no-separator"),
        pytest.param("31/02/2025", None, id="not-a-real-date"),
        pytest.param("13/25/2025", None, id="us-order-impossible-in-uk-order"),
        pytest.param("04/25", None, id="month-and-two-digit-year-is-ambiguous"),
        pytest.param("Sep", None, id="month-without-year"),
        pytest.param("Septem 2025", None, id="made-up-abbreviation"),
        pytest.param("September-24", Period(2024, 9), id="long-name-short-year"),
        pytest.param("2025-13", None, id="month-thirteen"),
        pytest.param("2025-00", None, id="month-zero"),
        pytest.param("Smarch 2025", None, id="not-a-month-name"),
        pytest.param("", None, id="empty"),
        pytest.param("2025/03/01", Period(2025, 3), id="a-date-gives-its-month"),
    ],
)
def test_it_reads_a_month_in_the_formats_people_write(text, expected):
    if expected is None:
        with pytest.raises(PeriodError, match="2025-03"):
            Period.parse(text)
    else:
        assert Period.parse(text) == expected


def test_it_reads_a_date_cell_as_its_month():
    assert Period.parse(datetime.date(2025, 3, 31)) == Period(2025, 3)
    assert Period.parse(datetime.datetime(2025, 3, 1, 0, 0)) == Period(2025, 3)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        pytest.param("Mar-25", None, id="a-month-has-no-day"),
        pytest.param("01/03/2025", 1, id="a-date-as-text-has-its-day"),
        pytest.param(datetime.date(2012, 5, 17), 17, id="a-date-cell-has-its-day"),
    ],
)
def test_read_month_gives_the_day_when_a_whole_date_was_written(value, day):
    assert read_month(value)[1] == day


@pytest.mark.parametrize(
    ("period", "label", "month_of_year"),
    [
        pytest.param(Period(2024, 4), "2024-25", 1, id="april-starts-the-year"),
        pytest.param(Period(2024, 12), "2024-25", 9, id="december"),
        pytest.param(Period(2025, 3), "2024-25", 12, id="march-is-month-12"),
        pytest.param(Period(2025, 4), "2025-26", 1, id="next-april"),
    ],
)
def test_a_month_belongs_to_an_april_to_march_financial_year(period, label, month_of_year):
    assert period.financial_year.label == label
    assert period.month_of_year == month_of_year


def test_it_prints_a_month_three_ways():
    period = Period(2025, 3)
    assert (period.iso, period.short, period.long) == ("2025-03", "Mar-25", "March 2025")


def test_shifting_crosses_years_both_ways():
    assert Period(2025, 1).shift(-1) == Period(2024, 12)
    assert Period(2024, 12).shift(1) == Period(2025, 1)
    assert Period(2025, 3).months_since(Period(2024, 4)) == 11


def test_a_financial_year_has_twelve_months_april_to_march():
    year = FinancialYear.parse("2024-25")
    assert [m.short for m in (year.months()[0], year.months()[-1])] == ["Apr-24", "Mar-25"]
    assert len(year.months()) == 12


@pytest.mark.parametrize("text", ["2024-26", "2024", "24-25", "2024-2026"])
def test_it_refuses_a_financial_year_that_is_not_one(text):
    with pytest.raises(PeriodError, match="2024-25"):
        FinancialYear.parse(text)


def test_it_reads_a_financial_year_written_in_full():
    assert FinancialYear.parse("2024-2025") == FinancialYear(2024)


@dataclass
class Rule:
    name: str
    effective_from: Period


# A rule from April 2024, revised from April 2025; given newest first, as a page may hold them.
RULES = [Rule("revised", Period(2025, 4)), Rule("first", Period(2024, 4))]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param(Period(2024, 3), None, id="before-the-first-rule-none"),
        pytest.param(Period(2024, 4), "first", id="from-its-first-month"),
        pytest.param(Period(2025, 3), "first", id="the-month-before-the-revision"),
        pytest.param(Period(2025, 4), "revised", id="from-the-revisions-first-month"),
        pytest.param(Period(2030, 1), "revised", id="long-after"),
    ],
)
def test_the_rule_in_force_is_the_latest_that_has_started(period, expected):
    found = in_force(RULES, period)
    assert (found.name if found else None) == expected


def test_in_force_reads_the_field_it_is_told():
    @dataclass
    class Standard:
        name: str
        first_month: Period

    rows = [Standard("old", Period(2019, 4)), Standard("new", Period(2024, 4))]
    assert in_force(rows, Period(2020, 1), field="first_month").name == "old"
    assert in_force([], Period(2020, 1)) is None
