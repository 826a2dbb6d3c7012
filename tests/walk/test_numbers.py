"""The demo walk's reading of numbers (tests/walk/numbers.py): what it flags, what it leaves."""

import pytest

from . import numbers


@pytest.mark.parametrize(
    ("html", "flagged"),
    [
        pytest.param("<td>3728</td>", ["3728"], id="a-count-without-a-separator"),
        pytest.param("<td>3,728</td>", [], id="a-grouped-count"),
        pytest.param("<td>£29600000</td>", ["29600000"], id="money-without-separators"),
        pytest.param("<td>−£352,961</td>", [], id="money-grouped"),
        pytest.param("<td>1234.5</td>", ["1234.5"], id="a-decimal-without-a-separator"),
        pytest.param("<td>999</td>", [], id="under-a-thousand"),
        pytest.param("<p>April 2025</p>", [], id="a-year"),
        pytest.param("<p>2024-25</p>", [], id="a-financial-year"),
        pytest.param("<p>17/04/2025 20:02</p>", [], id="a-date-and-time"),
        pytest.param("<p>Call 0121 569 2200</p>", [], id="a-telephone-number"),
        pytest.param("<p>PI11 and B69 3DE</p>", [], id="codes-and-postcodes"),
        pytest.param("<p>sha256 4f2a12349a</p>", [], id="a-digest"),
        pytest.param("<p>version 1.2.3456</p>", [], id="a-version-string"),
        pytest.param("<a href='/kpis/12345/'>PI1</a>", [], id="attributes-are-not-read"),
        pytest.param("<script>var x = 12345;</script>", [], id="scripts-are-not-read"),
        pytest.param("<textarea>12345</textarea>", [], id="a-persons-own-words"),
        pytest.param("<p>(rate per 10000)</p>", [], id="the-contracts-kpi-titles"),
        pytest.param("<td>12</td><td>34</td>", [], id="cells-never-run-together"),
        pytest.param("<p>rate of 10000.0</p>", ["10000.0"], id="not-every-10000-is-a-title"),
    ],
)
def test_the_walk_flags_numbers_over_999_without_separators(html, flagged):
    found = numbers.ungrouped_numbers(numbers.words(html))
    assert [problem.split(" in ")[0].strip("'") for problem in found] == flagged


@pytest.mark.parametrize(
    ("html", "flagged"),
    [
        pytest.param("<td>86.4</td>", ["86.4"], id="a-percentage-without-its-sign"),
        pytest.param("<td>86.4%</td>", [], id="with-its-sign"),
        pytest.param("<td>86.4 %</td>", [], id="with-a-space-before-the-sign"),
        pytest.param("<td>▼ 86.4 points</td>", [], id="a-change-in-points"),
        pytest.param("<td>186.4</td>", [], id="a-longer-number-is-another"),
        pytest.param("<td>86.45</td>", [], id="more-places-is-another"),
        pytest.param("<p>England 86.4 (2023-24)</p>", ["86.4"], id="a-comparator-without-it"),
        pytest.param("<svg><desc>latest 86.4</desc></svg>", [], id="charts-are-read-apart"),
    ],
)
def test_the_walk_flags_percentage_figures_without_their_sign(html, flagged):
    found = numbers.percentages_without_sign(numbers.words(html, charts=False), {"86.4"})
    assert [problem.split(" in ")[0].strip("'") for problem in found] == flagged
