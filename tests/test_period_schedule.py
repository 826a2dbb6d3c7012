"""`periods.schedule`: `in_force` for many months, by bisection, giving the same row."""

from dataclasses import dataclass

import pytest

from opb_portal.periods import Period, in_force, schedule


@dataclass(frozen=True)
class Rule:
    name: str
    effective_from: Period


RULES = [
    Rule("2024 revision", Period(2024, 10)),
    Rule("first", Period(2018, 4)),
    Rule("2019 schedule", Period(2019, 4)),
]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param(Period(2018, 3), None, id="before-the-first-rule-none"),
        pytest.param(Period(2018, 4), "first", id="the-first-rules-own-month"),
        pytest.param(Period(2019, 3), "first", id="the-month-before-a-revision"),
        pytest.param(Period(2019, 4), "2019 schedule", id="a-revisions-own-month"),
        pytest.param(Period(2024, 9), "2019 schedule", id="between-revisions"),
        pytest.param(Period(2030, 1), "2024 revision", id="long-after-the-last"),
    ],
)
def test_schedule_finds_the_row_in_force_as_in_force_does(period, expected):
    found = schedule(RULES)(period)
    assert (found.name if found else None) == expected
    assert found == in_force(RULES, period)


def test_schedule_of_no_rows_finds_nothing():
    assert schedule([])(Period(2025, 3)) is None
