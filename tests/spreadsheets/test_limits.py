"""
Limits on the work one file can cause: each hostile load is refused early, by name.

Every file here is built in code at the size that tied a worker up (100,000 rows,
600,000 rows, 3.5 million shared strings, an 8 MB commentary); the point of the limits
is that the reader stops long before it has read them, so these tests stay fast.
"""

import csv
import io

import pytest

from opb_portal.spreadsheets import (
    ERROR,
    WARNING,
    Problem,
    ProblemList,
    SpreadsheetRejected,
    read_returns,
)
from opb_portal.spreadsheets.csvrows import csv_rows
from opb_portal.spreadsheets.limits import (
    MAX_CELL_CHARACTERS,
    MAX_DISTINCT_CODES,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_SHARED_STRING_CHARACTERS,
    MAX_SHARED_STRINGS,
)

from .builders import (
    KPI_SPEC,
    commentary_xlsx,
    long_rows_xlsx,
    prose,
    shared_strings_xlsx,
    simple_kpi_workbook,
)

FILENAME = "returns.xlsx"

# (a function building the file, what the refusal must say): built lazily, so that
# collecting the tests builds nothing.
HOSTILE_LOADS = [
    pytest.param(
        lambda: long_rows_xlsx(100_000),
        rf"{FILENAME} has more than {MAX_ROWS:,} rows in sheet 'Data'",
        id="100000-rows-of-unknown-codes",
    ),
    pytest.param(
        lambda: long_rows_xlsx(600_000, code=lambda number: "PI1"),
        rf"{FILENAME} has more than {MAX_ROWS:,} rows in sheet 'Data'",
        id="600000-rows",
    ),
    pytest.param(
        lambda: shared_strings_xlsx(3_500_000),
        rf"{FILENAME} holds more than {MAX_SHARED_STRINGS:,} different texts",
        id="3.5-million-shared-strings",
    ),
    pytest.param(
        lambda: shared_strings_xlsx(2000, text=lambda index: prose(3000, seed=index)),
        rf"{FILENAME} holds more than {MAX_SHARED_STRING_CHARACTERS:,} characters of text",
        id="6-million-characters-of-shared-strings",
    ),
    pytest.param(
        lambda: commentary_xlsx(prose(8_000_000)),
        rf"{FILENAME}: cell D2 of sheet 'Data' holds 8,000,000 characters, more than the "
        rf"{MAX_CELL_CHARACTERS:,} characters a cell of Excel can hold",
        id="8-MB-commentary-as-excel-saves-it",
    ),
    pytest.param(
        lambda: commentary_xlsx(prose(8_000_000), shared=False),
        rf"{FILENAME}: cell D2 of sheet 'Data' holds a text longer than the "
        rf"{MAX_CELL_CHARACTERS:,} characters",
        id="8-MB-commentary-as-an-inline-string",
    ),
    pytest.param(
        lambda: long_rows_xlsx(5000, code=lambda number: f"Q{number}"),
        rf"{FILENAME} names more than {MAX_DISTINCT_CODES:,} different KPIs \(the one in cell "
        rf"A{MAX_DISTINCT_CODES + 2} of sheet 'Data' is one too many\)",
        id="5000-distinct-codes",
    ),
]


@pytest.mark.parametrize(("build", "expected"), HOSTILE_LOADS)
def test_a_hostile_load_is_refused_naming_the_file_and_what_was_expected(build, expected):
    with pytest.raises(SpreadsheetRejected, match=expected) as refused:
        read_returns(build(), filename=FILENAME, spec=KPI_SPEC)

    problem = refused.value.problem
    assert problem.file == FILENAME
    assert problem.severity == ERROR
    # Every refusal says what to do about it.
    assert "upload" in problem.message


def test_a_sheet_at_the_row_limit_is_read_and_one_row_more_is_refused(monkeypatch):
    monkeypatch.setattr("opb_portal.spreadsheets.rows.MAX_ROWS", 3)  # heading and two rows
    data = long_rows_xlsx(2, code=lambda number: "PI1")

    assert len(read_returns(data, filename=FILENAME, spec=KPI_SPEC).records) == 2
    with pytest.raises(SpreadsheetRejected, match="more than 3 rows"):
        read_returns(long_rows_xlsx(3), filename=FILENAME, spec=KPI_SPEC)


def test_rows_over_the_limit_are_refused_even_when_the_quick_count_misses_them(monkeypatch):
    # A prefix the quick count does not know: the parser's own count still refuses.
    monkeypatch.setattr("opb_portal.spreadsheets.rows._ROW_TAGS", (b"<nothing>",))
    monkeypatch.setattr("opb_portal.spreadsheets.rows.MAX_ROWS", 10)

    with pytest.raises(SpreadsheetRejected, match="more than 10 rows in sheet 'Data'"):
        read_returns(long_rows_xlsx(50), filename=FILENAME, spec=KPI_SPEC)


def test_a_shared_string_table_at_the_limit_is_read(monkeypatch):
    monkeypatch.setattr("opb_portal.spreadsheets.limits.MAX_SHARED_STRINGS", 5000)

    reading = read_returns(shared_strings_xlsx(5000), filename=FILENAME, spec=KPI_SPEC)

    assert [record.code for record in reading.records] == ["PI1"]
    with pytest.raises(SpreadsheetRejected, match="more than 5,000 different texts"):
        read_returns(shared_strings_xlsx(5001), filename=FILENAME, spec=KPI_SPEC)


def test_a_commentary_as_long_as_a_cell_can_hold_is_read_whole():
    text = prose(MAX_CELL_CHARACTERS)

    reading = read_returns(commentary_xlsx(text), filename=FILENAME, spec=KPI_SPEC)

    assert reading.records[0].fields["commentary"].value == text


def test_a_file_still_being_read_at_its_deadline_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr("opb_portal.spreadsheets.limits.PARSE_SECONDS", 0)

    with pytest.raises(SpreadsheetRejected) as refused:
        read_returns(simple_kpi_workbook(), filename=FILENAME, spec=KPI_SPEC)

    assert refused.value.problem.message.startswith(
        f"{FILENAME} took longer than the 0 seconds we allow to read a file"
    )
    assert refused.value.problem.sheet == "Data"


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(
            lambda: _csv([["Code", "Value"]] + [["PI1", 1]] * 600_000),
            f"figures.csv has more than {MAX_ROWS:,} rows",
            id="600000-rows",
        ),
        pytest.param(
            lambda: _csv([["Code", "Source"], ["PI1", prose(40_000)]]),
            f"figures.csv: cell B2 \\(row 2, column 2\\) holds 40,000 characters, more than "
            f"the {MAX_CELL_CHARACTERS:,}",
            id="a-40000-character-source",
        ),
    ],
)
def test_a_csv_is_read_within_the_same_limits(build, expected):
    with pytest.raises(SpreadsheetRejected, match=expected):
        list(csv_rows(build(), filename="figures.csv"))


def test_a_csv_still_being_read_at_its_deadline_is_refused(monkeypatch):
    monkeypatch.setattr("opb_portal.spreadsheets.limits.PARSE_SECONDS", 0)
    data = _csv([["PI1", "Sandwell", 2024, 1]] * 2000)

    with pytest.raises(SpreadsheetRejected, match="figures.csv took longer than the 0 seconds"):
        list(csv_rows(data, filename="figures.csv"))


# --- problems kept, problems counted ----------------------------------------------------


def _problem(number: int, severity: str = ERROR) -> Problem:
    return Problem(severity=severity, message=f"problem {number}", file=FILENAME)


def test_a_problem_list_keeps_the_first_few_hundred_and_counts_the_rest():
    problems = ProblemList(_problem(number) for number in range(100_000))

    finished = problems.finished(file=FILENAME)

    assert len(finished) == MAX_PROBLEMS + 1
    assert finished[:MAX_PROBLEMS] == [_problem(number) for number in range(MAX_PROBLEMS)]
    assert finished[-1] == Problem(
        severity=ERROR,
        message=f"... and {100_000 - MAX_PROBLEMS:,} more problems like these, not listed: fix "
        "these and upload again.",
        file=FILENAME,
    )


def test_an_error_counted_past_the_limit_still_makes_the_list_one_with_errors():
    problems = ProblemList([_problem(number, WARNING) for number in range(MAX_PROBLEMS)])
    assert not problems.has_errors

    problems.append(_problem(MAX_PROBLEMS))

    assert problems.has_errors
    assert problems.finished()[-1].severity == ERROR


def test_capped_lists_added_together_keep_their_counts():
    first = ProblemList([_problem(number) for number in range(MAX_PROBLEMS + 5)])
    second = ProblemList(first)
    second += [_problem(0)]

    assert len(second) == MAX_PROBLEMS
    assert second.more == 6


def test_a_list_under_the_limit_is_finished_as_it_is():
    problems = ProblemList([_problem(1), _problem(2, WARNING)])

    assert problems.finished(file=FILENAME) == [_problem(1), _problem(2, WARNING)]


def test_the_reader_keeps_the_first_problems_of_a_long_table_and_counts_the_rest():
    # 20,000 rows with a figure but no code: a problem each, within every other limit.
    data = long_rows_xlsx(20_000, code=lambda number: "")

    reading = read_returns(data, filename=FILENAME, spec=KPI_SPEC)

    assert len(reading.problems) == MAX_PROBLEMS
    assert reading.problems.more == 20_000 - MAX_PROBLEMS
    assert reading.problems[0].message.startswith("Row 2 has figures but no KPI code")
