"""
The KPI return's own checks, one line at a time, as a performance officer meets them.

Each case is a line as it might be typed or found in a workbook cell, with
the error or warning it must raise (or none) and the words it must use.
"""

from decimal import Decimal

import pytest

from kpis.models import KpiDefinition, KpiValue
from opb_portal.periods import Period
from opb_portal.spreadsheets import Cell
from opb_portal.submissions import registry
from opb_portal.submissions.pipeline import check_entries
from opb_portal.submissions.registry import Entry

APRIL = Period(2025, 4)


def _entry(code: str, period: Period = APRIL, **fields) -> Entry:
    return Entry(
        code=code,
        label=Cell(sheet="KPI return", ref="A6", value=code),
        period=period,
        fields={
            name: Cell(sheet="KPI return", ref=f"{letter}6", value=value)
            for (name, value), letter in zip(fields.items(), "DEFG", strict=False)
        },
    )


def _check(*entries, submitting=False):
    spec = registry.get("kpis")
    return check_entries(
        spec=spec,
        organisation=None,
        entries=list(entries),
        file="april.xlsx",
        submitting=submitting,
    )


@pytest.mark.parametrize(
    ("code", "fields", "words"),
    [
        pytest.param("PI1", {"value": "lots"}, "'lots' is not a number", id="not-a-number"),
        pytest.param(
            "PI1", {"value": "120"}, "between 0 and 100; found 120", id="percent-over-100"
        ),
        pytest.param("PI1", {"value": "-1"}, "between 0 and 100; found -1", id="percent-below-0"),
        pytest.param("PI4", {"value": "-3"}, "negative (-3)", id="negative-rate"),
        pytest.param(
            "PI4",
            {"value": "", "numerator": "-5", "denominator": "86835"},
            "numerator is negative",
            id="negative-count",
        ),
        pytest.param(
            "PI1",
            {"value": "", "numerator": "120", "denominator": "100"},
            "numerator (120) is larger than its denominator (100)",
            id="numerator-above-denominator",
        ),
        pytest.param(
            "PI4",
            {"value": "41.2", "numerator": "353", "denominator": "86835"},
            "does not match its numerator and denominator: 353 of 86,835 gives 40.7",
            id="value-disagrees-with-its-fraction",
        ),
        pytest.param(
            "PI1",
            {"value": "", "numerator": "12", "denominator": "0"},
            "denominator is 0",
            id="zero-denominator",
        ),
        pytest.param(
            "PI1",
            {"value": "", "numerator": "12"},
            "has a numerator but no denominator",
            id="numerator-alone",
        ),
        pytest.param(
            "PI1",
            {"value": Cell(sheet="KPI return", ref="D6", value=None, error="#DIV/0!")},
            "#DIV/0! is an Excel error",
            id="excel-error",
        ),
        pytest.param(
            "PI1",
            {"value": Cell(sheet="KPI return", ref="D6", value=None, formula_without_value=True)},
            "formula but no saved value",
            id="formula-without-a-saved-value",
        ),
    ],
)
def test_a_line_with_an_error_is_refused_naming_file_sheet_and_cell(demo, code, fields, words):
    entry = _entry(code)
    letters = iter("DEFG")
    for name, value in fields.items():
        cell = value if isinstance(value, Cell) else Cell("KPI return", f"{next(letters)}6", value)
        entry.fields[name] = cell
    checked = _check(entry)
    assert len(checked.errors) == 1, checked.errors
    problem = checked.errors[0]
    assert words in problem.message
    assert (problem.file, problem.sheet, problem.measure) == ("april.xlsx", "KPI return", code)
    assert problem.cell


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        pytest.param(
            {"value": "40.7", "numerator": "353", "denominator": "86835"}, "40.7", id="agrees"
        ),
        pytest.param(
            {"value": "", "numerator": "353", "denominator": "86835"}, "40.7", id="derived"
        ),
        pytest.param({"value": "", "numerator": "353"}, "40.7", id="population-as-denominator"),
        pytest.param(
            {"value": "40.65", "numerator": "353", "denominator": "86835"},
            "40.7",
            id="more-places-than-published-kept-at-one",
        ),
    ],
)
def test_a_rate_is_worked_out_from_its_count_and_the_child_population(demo, fields, value):
    march = Period(2025, 3)  # the month of a year whose child population is known
    checked = _check(_entry("PI4", march, **fields))
    assert checked.errors == []
    assert checked.months[march].data["PI4"]["value"] == value


def _warnings(checked, code):
    return [p.message for p in checked.warnings if p.measure == code]


def test_a_red_kpi_without_commentary_asks_for_an_explanation(demo):
    messages = _warnings(_check(_entry("PI1", value="69.0")), "PI1")
    assert any("PI1 is red at 69.0%" in m and "explain it in the commentary" in m for m in messages)


def test_a_red_kpi_with_commentary_raises_no_red_warning(demo):
    checked = _check(_entry("PI1", value="69.0", commentary="Two teams short."))
    assert not any("is red" in m for m in _warnings(checked, "PI1"))


def test_a_value_outside_the_last_24_months_is_questioned(demo):
    messages = _warnings(_check(_entry("PI10", value="90.0")), "PI10")
    assert any("outside the range of the last 24 months (96.3% to 99.0%)" in m for m in messages)


def test_a_change_larger_than_the_administrators_tolerance_is_questioned(demo):
    KpiDefinition.objects.filter(framework__code="2024", code="PI2").update(
        change_tolerance=Decimal("5")
    )
    messages = _warnings(_check(_entry("PI2", value="66.0")), "PI2")
    assert any("moved by -6.4 since last month (72.4 to 66.0)" in m for m in messages)
    assert not any("moved by" in m for m in _warnings(_check(_entry("PI2", value="70.0")), "PI2"))


NOVEMBER_2024 = Period(2024, 11)  # after PI1's one red month, October's 68.8%


def _asked(messages: list[str]) -> set[str]:
    """What a line's warnings ask to be explained: its colour, a jump, a figure out of range."""
    kinds = {"is red": "red", "is amber": "amber", "moved by": "jump", "outside the range": "range"}
    return {kind for words, kind in kinds.items() if any(words in m for m in messages)}


@pytest.mark.parametrize(
    ("code", "period", "value", "tolerance", "asked"),
    [
        # PI2 in April 2025, after March's amber 72.4%: green from 73, red at 57 and below.
        pytest.param("PI2", APRIL, "57.0", None, {"red", "range"}, id="red-at-the-boundary"),
        pytest.param("PI2", APRIL, "57.1", None, {"amber", "range"}, id="amber-just-above-red"),
        pytest.param("PI2", APRIL, "72.9", None, {"amber"}, id="amber-just-below-green"),
        pytest.param("PI2", APRIL, "73.0", None, set(), id="green-at-the-boundary"),
        pytest.param("PI2", APRIL, "67.0", "5", {"amber", "jump"}, id="amber-jump-worse"),
        pytest.param("PI2", APRIL, "79.0", "5", set(), id="green-from-amber-with-a-jump"),
        pytest.param("PI2", APRIL, "77.4", "5", set(), id="green-change-at-the-tolerance"),
        # PI1 in November 2024, after October's red 68.8% (higher is better, green from 85).
        pytest.param("PI1", NOVEMBER_2024, "86.0", "5", set(), id="green-from-red"),
        pytest.param("PI1", NOVEMBER_2024, "69.0", None, {"red"}, id="red-again"),
        # PI1 in April 2025, after March's green 86.4%.
        pytest.param("PI1", APRIL, "85.5", "0.5", {"jump"}, id="green-jump-worse"),
        pytest.param("PI1", APRIL, "90.0", "0.5", set(), id="green-jump-better-and-a-new-best"),
        # PI3 (lower is better, green to 15%) in April 2025, after March's green 11.1%.
        pytest.param("PI3", APRIL, "14.5", "2", {"jump"}, id="lower-is-better-green-jump-worse"),
        pytest.param("PI3", APRIL, "5.0", "2", set(), id="lower-is-better-green-jump-better"),
    ],
)
def test_an_explanation_is_asked_where_the_board_needs_one(
    demo, code, period, value, tolerance, asked
):
    KpiDefinition.objects.filter(framework__code="2024", code=code).update(
        change_tolerance=Decimal(tolerance) if tolerance else None
    )
    assert _asked(_warnings(_check(_entry(code, period, value=value)), code)) == asked


def test_a_big_move_inside_a_band_is_asked_about_either_way(demo):
    # PI9's green is a band (67% to 75%): neither way within it is better.
    KpiValue.objects.filter(kpi__code="PI9", period=Period(2025, 3)).update(value=Decimal("68.0"))
    KpiDefinition.objects.filter(framework__code="2024", code="PI9").update(
        change_tolerance=Decimal("5")
    )
    # Up within the band (and above the last 24 months), and down out of it.
    assert _asked(_warnings(_check(_entry("PI9", value="74.0")), "PI9")) == {"jump", "range"}
    assert _asked(_warnings(_check(_entry("PI9", value="62.5")), "PI9")) == {"amber", "jump"}


def test_pi12_that_disagrees_with_the_workforce_return_names_it(demo):
    march = Period(2025, 3)
    messages = _warnings(_check(_entry("PI12", march, value="25.0")), "PI12")
    assert any(
        "workforce return for March 2025 works out a permanent vacancy rate of 23.94%" in m
        for m in messages
    )
    assert not _warnings(_check(_entry("PI12", march, value="23.9")), "PI12")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        pytest.param("PI99", "'PI99' is not a line of the KPI return", id="unknown-kpi"),
    ],
)
def test_an_unknown_kpi_is_named(demo, code, words):
    entry = _entry("PI1", value="80")
    entry.code = None
    entry.label = Cell("KPI return", "A9", code)
    checked = _check(entry)
    assert words in checked.errors[0].message
    assert checked.errors[0].cell == "A9"


def test_the_same_kpi_twice_in_a_month_is_refused(demo):
    first, second = _entry("PI1", value="80"), _entry("PI1", value="81")
    second.label = Cell("KPI return", "A7", "PI1")
    checked = _check(first, second)
    assert "PI1 appears twice for April 2025 (also at KPI return!A6)" in checked.errors[0].message


@pytest.mark.parametrize(
    ("period", "words"),
    [
        pytest.param(Period(2030, 1), "January 2030 is in the future", id="future-month"),
        pytest.param(Period(2017, 3), "no framework is in force then", id="before-any-framework"),
    ],
)
def test_a_month_the_return_cannot_be_for_is_refused(demo, period, words):
    assert words in _check(_entry("PI1", period, value="80")).errors[0].message


def test_submitting_needs_every_kpi_of_the_framework(demo):
    checked = _check(_entry("PI1", value="80"), submitting=True)
    missing = {p.measure for p in checked.errors if "has no value" in p.message}
    assert missing == {f"PI{i}" for i in range(2, 16)}
