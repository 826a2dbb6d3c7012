"""
The comparator import reads through the same reader, so it inherits the same limits:
a hostile file is refused by name before anything is checked, and a file of bad rows
lists the first problems and says how many more there were.
"""

import csv
import io

import pytest

from opb_portal.comparators import imports
from opb_portal.comparators.models import ComparatorValue
from opb_portal.spreadsheets.limits import MAX_PROBLEMS, MAX_ROWS, MAX_SHARED_STRINGS

from ..spreadsheets.builders import shared_strings_xlsx


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


HEADING = ["Code", "Authority", "Year", "Value"]


@pytest.mark.parametrize(
    ("filename", "build", "expected"),
    [
        pytest.param(
            "figures.csv",
            lambda: _csv([HEADING] + [["PI1", "Sandwell", 2024, 1]] * 400_000),
            f"figures.csv has more than {MAX_ROWS:,} rows",
            id="400000-rows-of-csv",
        ),
        pytest.param(
            "figures.xlsx",
            lambda: shared_strings_xlsx(3_500_000),
            f"figures.xlsx holds more than {MAX_SHARED_STRINGS:,} different texts",
            id="3.5-million-shared-strings",
        ),
    ],
)
def test_a_hostile_comparator_file_is_refused_by_name_and_changes_nothing(
    demo, filename, build, expected
):
    before = ComparatorValue.objects.count()

    plan = imports.plan_file(build(), filename=filename)

    assert [problem.message for problem in plan.problems][0].startswith(expected)
    assert len(plan.problems) == 1
    assert plan.rows == []
    assert ComparatorValue.objects.count() == before


def test_a_comparator_file_of_20000_unknown_codes_lists_the_first_and_counts_the_rest(demo):
    data = _csv(
        [HEADING] + [[f"NOPE{number % 7}", "Sandwell", 2024, 1] for number in range(20_000)]
    )

    plan = imports.plan_file(data, filename="figures.csv")

    assert len(plan.problems) == MAX_PROBLEMS + 1
    assert plan.problems[0].message.startswith(
        "'NOPE0' is not a demand measure, KPI or published statistic code"
    )
    assert plan.problems[-1].message == (
        f"... and {20_000 - MAX_PROBLEMS:,} more problems like these, not listed: fix these and "
        "upload again."
    )
    assert plan.problems[-1].file == "figures.csv"
