"""
Whatever is uploaded, the reader answers with a Reading or a refusal, never a crash.

The budget (examples per test, the same ones every run) is the `ci` Hypothesis profile
of tests/conftest.py; the whole check of an upload, with the database, is exercised by
tests/submissions/test_hostile_uploads.py.
"""

import datetime
import io
import zipfile

import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.packaging.custom import StringProperty

from opb_portal.spreadsheets import (
    Reading,
    SpreadsheetRejected,
    problems_workbook,
    read_returns,
    to_decimal,
    to_period,
)

from .builders import KPI_SPEC, simple_kpi_workbook

WORDS = [
    "KPI",
    "kpi ",
    "Code",
    "Measure",
    "Title",
    "Period",
    "MONTH",
    "Reporting month",
    "Value",
    "value",
    "Numerator",
    "Denominator",
    "Commentary",
    "Comments",
    "Last month",
    "Unit",
    "Mar-25",
    "March 2025",
    "2025-03",
    "Sept-25",
    "2025-13",
    "01/03/2025",
    "PI1",
    "pi2",
    "PI99",
    "Children seen alone",
    "Budget",
    "Forecast outturn",
    "Total social workers",
    "n/a",
    "85.3%",
    "1,234",
    " 12 ",
    "#N/A",
    "#DIV/0!",
    "TRUE",
    "-",
    "",
    "=A1",
    "=1/0",
    "=SUM(A1:B2)",
    '=HYPERLINK("http://x","y")',
    "Instructions",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
VALUES = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    TEXT,
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2200, 1, 1)),
)
MONTHS = [
    "Mar-25",
    "April 2025",
    "2025-05",
    "Sept-25",
    "2025-13",
    datetime.datetime(2025, 6, 1),
    datetime.datetime(2025, 3, 31),
    "Mar 2025",
    45717,
    "Target",
]
SHEET_TITLES = st.one_of(
    st.sampled_from(["KPI return", "Instructions", "Data", "History", "Finance", "Sheet1"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFG0123456789-_", min_size=1, max_size=31)
    .map(str.strip)
    .filter(bool),
)
FORMATS = st.sampled_from(["General", "0.0%", "0%", "yyyy-mm-dd", "mmm-yy", "#,##0", '0.0"%"'])


@st.composite
def tables(draw) -> list[list[object]]:
    """Something close to a real return: title rows, a heading row, measure rows."""
    titles = draw(st.lists(st.lists(VALUES, max_size=2), max_size=3))
    if draw(st.booleans()):
        heading = draw(st.permutations(["KPI", "Period", "Value", "Numerator", "Commentary"]))
        heading = heading[: draw(st.integers(2, 5))]
    else:
        months = draw(st.lists(st.sampled_from(MONTHS), min_size=1, max_size=6))
        heading = [draw(st.sampled_from(["Code", "Title", None, "KPI"])), *months]
    labels = st.one_of(st.sampled_from(["PI1", "pi2", "PI3", "PI99", "Budget", None]), VALUES)
    rows = draw(
        st.lists(
            st.tuples(labels, st.lists(VALUES, max_size=len(heading))).map(
                lambda row: [row[0], *row[1]]
            ),
            max_size=8,
        )
    )
    return [*titles, heading, *rows]


@st.composite
def workbooks(draw) -> bytes:
    titles = draw(st.lists(SHEET_TITLES, min_size=1, max_size=3, unique_by=str.lower))
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, title in enumerate(titles):
        sheet = workbook.create_sheet(title)
        if draw(st.booleans()):
            grid = draw(tables())
        else:
            grid = draw(st.lists(st.lists(VALUES, max_size=8), max_size=12))
        for row in grid:
            sheet.append(row)
        for _ in range(draw(st.integers(0, 3))):
            row, column = draw(st.integers(1, 12)), draw(st.integers(1, 8))
            sheet.cell(row=row, column=column).number_format = draw(FORMATS)
        if draw(st.booleans()) and grid:
            row = draw(st.integers(1, len(grid)))
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        if index and draw(st.integers(0, 9)) == 7:
            sheet.sheet_state = draw(st.sampled_from(["hidden", "veryHidden"]))
    if draw(st.integers(0, 4)) == 3:
        marker = draw(st.sampled_from(["kpis 2025-03", "kpis", "finance 2025-03", "kpis Smarch"]))
        workbook.custom_doc_props.append(StringProperty(name="opb-template", value=marker))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PARTS = {
    name: zipfile.ZipFile(io.BytesIO(simple_kpi_workbook())).read(name)
    for name in zipfile.ZipFile(io.BytesIO(simple_kpi_workbook())).namelist()
}


def with_part_changed(name: str, changes: list[tuple[int, int]]) -> bytes:
    """A real workbook with bytes of one part changed, zipped again so its checksums hold."""
    part = bytearray(PARTS[name])
    for position, byte in changes:
        part[position % len(part)] = byte
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in PARTS.items():
            archive.writestr(part_name, bytes(part) if part_name == name else content)
    return buffer.getvalue()


def through_the_whole_pipeline(data: bytes, *, percent: bool = True) -> None:
    refusal = None
    try:
        reading = read_returns(data, filename="upload.xlsx", spec=KPI_SPEC)
    except SpreadsheetRejected as rejection:
        refusal = rejection.problem
    if refusal is not None:
        assert "upload.xlsx" in refusal.message  # every refusal names the file
        problems_workbook([refusal], title="Refused")
        return
    assert isinstance(reading, Reading)
    assert reading.layout in {"template", "long", "wide"}
    problems = list(reading.problems)
    for record in reading.records:
        to_period(record.measure)
        if record.period_cell is not None:
            assert to_period(record.period_cell) is not None or record.period_cell.ref
        for name, cell in record.fields.items():
            if name in KPI_SPEC.text_fields:
                continue
            found = to_decimal(cell, percent=percent, file="upload.xlsx", field=name)
            if not (found is None or hasattr(found, "as_tuple")):
                problems.append(found)
    problems_workbook(problems, title="Problems")


@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_read_or_refused_never_crash(data):
    through_the_whole_pipeline(data)


@given(workbooks(), st.booleans())
def test_arbitrary_small_workbooks_are_read_or_refused_never_crash(data, percent):
    through_the_whole_pipeline(data, percent=percent)


@given(
    st.sampled_from(sorted(PARTS)),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_a_real_workbook_with_bytes_of_a_part_changed_is_read_or_refused_never_crash(name, changes):
    through_the_whole_pipeline(with_part_changed(name, changes))


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_real_workbook_with_bytes_of_the_file_changed_is_read_or_refused_never_crash(changes):
    data = bytearray(simple_kpi_workbook())
    for position, byte in changes:
        data[position % len(data)] = byte
    through_the_whole_pipeline(bytes(data))
