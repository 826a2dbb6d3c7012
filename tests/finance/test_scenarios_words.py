"""A scenario's changes in words, read against the base model's level they move from."""

from decimal import Decimal

import pytest

from finance.scenarios import words
from finance.scenarios.services import Measure
from opb_portal.periods import Period


class Change:
    def __init__(self, measure, value, month, how="from"):
        self.measure, self.value, self.month, self.how = measure, Decimal(value), month, how


PATHS = {
    Measure.RESIDENTIAL_CHILDREN: [(Period(2025, m), Decimal(79), False) for m in range(4, 13)],
    Measure.RESIDENTIAL_WEEKLY_COST: [
        (Period(2025, m), Decimal(6701), False) for m in range(4, 13)
    ],
    Measure.AGENCY_SHARE: [(Period(2025, 3), Decimal("18.5"), True)],
}


def test_the_issue_s_first_scenario_reads_as_the_board_says_it():
    changes = [
        Change(Measure.RESIDENTIAL_CHILDREN, "79", Period(2025, 5)),
        Change(Measure.RESIDENTIAL_WEEKLY_COST, "6900", Period(2025, 10)),
    ]
    assert words.scenario_words(changes, PATHS) == (
        "Residential children stay at 79 from May 2025; "
        "the residential weekly cost rises to £6,900 from October 2025"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            Change(Measure.AGENCY_SHARE, "12", Period(2026, 3), "by"),
            "The agency share of social workers falls to 12% by March 2026",
            id="by-falling",
        ),
        pytest.param(
            Change(Measure.RESIDENTIAL_CHILDREN, "85", Period(2025, 9)),
            "Residential children rise to 85 from September 2025",
            id="plural-rising",
        ),
        pytest.param(
            Change(Measure.SAVINGS_DELIVERED, "80", Period(2025, 9)),
            "Savings delivered are at 80% of the target from September 2025",
            id="no-base-level",
        ),
        pytest.param(
            Change(Measure.HOME_OFFICE_CHILDREN, "40", Period(2025, 9), "by"),
            "Children the Home Office contributes for reach 40 by September 2025",
            id="by-with-no-base-level",
        ),
    ],
)
def test_each_change_in_words(change, expected):
    assert words.scenario_words([change], PATHS) == expected


@pytest.mark.parametrize(
    ("measure", "value", "written"),
    [
        pytest.param(Measure.RESIDENTIAL_WEEKLY_COST, "6900", "£6,900", id="money"),
        pytest.param(Measure.AGENCY_SHARE, "12.50", "12.5%", id="share"),
        pytest.param(Measure.SOCIAL_WORKERS, "152.4", "152.4", id="fte"),
        pytest.param(Measure.RESIDENTIAL_CHILDREN, "1079", "1,079", id="children"),
    ],
)
def test_levels_are_written_by_the_one_formatter(measure, value, written):
    assert words.level(measure, Decimal(value)) == written
