"""Workbooks and CSVs as people keep them (issue 12, part 3): other sheets, CSV, months."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from opb_portal.spreadsheets import SpreadsheetRejected, read_returns, to_decimal
from opb_portal.spreadsheets.kept import kept_copy
from opb_portal.spreadsheets.layouts import LayoutSpec

from .builders import KPI_SPEC, xlsx

SPEC = LayoutSpec(
    **{
        **KPI_SPEC.__dict__,
        "measure_labels": {**KPI_SPEC.measure_labels, "children’s visits seen alone": "PI2"},
    }
)
KPI_ROWS = [
    ["KPI", "Period", "Value", "Commentary"],
    ["PI1", "2025-03", 85.3, "Up on last month"],
    ["PI2", "2025-03", 12, ""],
]
# An Annex A-style list: child IDs, dates of birth and referral dates (one on the 1st,
# as real dates sometimes are), workers' names.
ANNEX_A = [
    ["Child ID", "Gender", "Date of birth", "Referral date", "Assessment date", "Worker"],
    *[
        [
            f"C{n:05d}",
            "F" if n % 2 else "M",
            datetime.datetime(2012, 1 + n % 12, 1 + n % 27),
            datetime.datetime(2025, 3, 1 + n),
            datetime.datetime(2025, 4, 1 + n),
            f"Worker {n}",
        ]
        for n in range(12)
    ],
]
PIVOT = [
    ["Count of Child ID", "Column Labels"],
    ["Row Labels", datetime.datetime(2025, 3, 1), datetime.datetime(2025, 4, 1), "Grand Total"],
    ["F", 6, 5, 11],
    ["M", 6, 7, 13],
]


def figures(reading):
    return [
        (r.code, r.period.iso, to_decimal(r.fields["value"], percent=False, file="f"))
        for r in reading.records
    ]


def workbook_people_keep() -> bytes:
    """The KPI sheet beside a child-level list, a pivot of it, notes and a chart sheet."""
    workbook = openpyxl.load_workbook(
        io.BytesIO(xlsx({"KPIs": KPI_ROWS, "Annex A": ANNEX_A, "Pivot": PIVOT}))
    )
    for cell in workbook["Annex A"]["C"][1:]:
        cell.number_format = "dd/mm/yyyy"
    workbook["Pivot"]["B2"].number_format = "mmm-yy"
    workbook["Pivot"]["C2"].number_format = "mmm-yy"
    notes = workbook.create_sheet("Notes")
    notes.append(["Figures from the case management system, run on 3 April."])
    chart = openpyxl.chart.BarChart()
    chart.add_data(openpyxl.chart.Reference(workbook["Pivot"], min_col=2, min_row=3, max_row=4))
    workbook.create_chartsheet("Chart1").add_chart(chart)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def through_calc(tmp_path_factory):
    """Files as LibreOffice Calc writes them: opened by Debian's libreoffice-calc and saved
    again as .xlsx (`libreoffice --headless --convert-to xlsx`)."""
    assert shutil.which("libreoffice"), "apt-get install libreoffice-calc-nogui"
    folder = tmp_path_factory.mktemp("calc")

    def convert(data: bytes, name: str, target: str = "xlsx") -> bytes:
        source = folder / name
        source.write_bytes(data)
        out = folder / "out"
        subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
            [
                "libreoffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (out / f"{source.stem}.{target.split(':')[0]}").read_bytes()

    return convert


def test_a_kpi_sheet_beside_a_child_level_list_is_read_and_the_other_sheets_left_out():
    reading = read_returns(workbook_people_keep(), filename="kpis.xlsx", spec=SPEC)

    assert figures(reading) == [("PI1", "2025-03", Decimal("85.3")), ("PI2", "2025-03", 12)]
    assert list(reading.problems) == []
    assert reading.sheets_read == ["KPIs"]
    assert reading.sheets_left_out == ["Annex A", "Pivot", "Notes", "Chart1"]


def test_the_same_workbook_saved_by_libreoffice_calc_reads_the_same(through_calc):
    data = through_calc(workbook_people_keep(), "kpis.xlsx")
    assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")

    reading = read_returns(data, filename="kpis.xlsx", spec=SPEC)

    assert figures(reading) == [("PI1", "2025-03", Decimal("85.3")), ("PI2", "2025-03", 12)]
    assert list(reading.problems) == []
    assert reading.sheets_left_out == ["Annex A", "Pivot", "Notes", "Chart1"]


def test_a_workbook_whose_only_table_is_a_child_level_list_is_still_refused():
    with pytest.raises(SpreadsheetRejected, match="could not find the return"):
        read_returns(xlsx({"Annex A": ANNEX_A}), filename="annex-a.xlsx", spec=SPEC)


# --- CSV ---------------------------------------------------------------------------------

LONG_CSV = (
    'KPI,Period,Value,Commentary\r\nPI1,Mar-25,85.3,"£2,000 saved; the team’s “best” month"\r\n'
    "PI2,Mar-25,12,\r\n"
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(LONG_CSV.encode("utf-8"), id="utf-8"),
        pytest.param(LONG_CSV.encode("utf-8-sig"), id="utf-8-with-bom-excel-csv-utf-8"),
        pytest.param(LONG_CSV.encode("cp1252"), id="windows-1252-excel-csv-comma-delimited"),
        pytest.param(LONG_CSV.replace("\r\n", "\n").encode("utf-8"), id="lf-calc"),
        pytest.param(
            LONG_CSV.replace(",", ";").replace(";000", ",000").encode("cp1252"),
            id="semicolon-separated",
        ),
        pytest.param(
            ("sep=;\r\n" + LONG_CSV.replace(",", ";").replace(";000", ",000")).encode("utf-8"),
            id="excel-sep-line",
        ),
        pytest.param(LONG_CSV.encode("utf-16"), id="utf-16-excel-unicode-text"),
    ],
)
def test_a_long_table_as_csv_reads_as_excel_and_calc_write_it(data):
    reading = read_returns(data, filename="kpis.csv", spec=SPEC)

    assert figures(reading) == [("PI1", "2025-03", Decimal("85.3")), ("PI2", "2025-03", 12)]
    assert reading.records[0].fields["commentary"].value == (
        "£2,000 saved; the team’s “best” month"
    )
    assert list(reading.problems) == []


def test_a_wide_table_as_a_semicolon_csv_is_read_not_told_it_has_no_heading_row():
    data = "Code;Title;Sep-25;Oct-25\r\nPI1;Visits;85,3;86\r\nPI2;Seen alone;12;13\r\n"

    reading = read_returns(data.encode("cp1252"), filename="wide.csv", spec=SPEC)

    assert reading.layout == "wide"
    assert [(r.code, r.period.iso) for r in reading.records] == [
        ("PI1", "2025-09"),
        ("PI1", "2025-10"),
        ("PI2", "2025-09"),
        ("PI2", "2025-10"),
    ]


def test_a_real_csv_is_never_told_it_is_a_csv_named_xlsx():
    reading = read_returns(b"KPI,Period,Value\nPI1,2025-03,85\n", filename="k.csv", spec=SPEC)
    assert figures(reading) == [("PI1", "2025-03", 85)]


# --- months and titles -------------------------------------------------------------------

MONTH_HEADINGS = [
    "Sep-25",
    "Sept 2025",
    "September 2025",
    "2025/07",
    "07/2025",
    "01/04/2025",
    datetime.datetime(2025, 5, 1),
    datetime.datetime(2025, 6, 30),
]


@pytest.mark.parametrize("heading", MONTH_HEADINGS, ids=str)
def test_a_wide_table_reads_a_month_heading_as_people_write_it(heading):
    reading = read_returns(
        xlsx({"History": [["Code", heading], ["PI1", 85]]}), filename="w.xlsx", spec=SPEC
    )
    assert [r.code for r in reading.records] == ["PI1"]
    assert list(reading.problems) == []


def test_a_table_whose_every_heading_is_a_month_written_as_text_is_read():
    reading = read_returns(
        xlsx({"History": [[None, "Sept 2025", "Oct 2025", "Nov 2025"], ["PI1", 85, 86, 87]]}),
        filename="w.xlsx",
        spec=SPEC,
    )
    assert [r.period.iso for r in reading.records] == ["2025-09", "2025-10", "2025-11"]


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Children’s visits seen alone", id="curly-apostrophe"),
        pytest.param("Children's visits seen alone", id="straight-apostrophe"),
    ],
)
def test_a_kpi_title_matches_with_a_curly_or_straight_apostrophe(title):
    reading = read_returns(
        xlsx({"History": [["Title", "Mar-25"], [title, 12]]}), filename="w.xlsx", spec=SPEC
    )
    assert [r.code for r in reading.records] == ["PI2"]


# --- commentary that a tool turned into a formula ----------------------------------------


def _pandas_workbook() -> bytes:
    frame = pd.DataFrame(
        {"KPI": ["PI1"], "Period": ["2025-03"], "Value": [85.3], "Commentary": ["=up on Feb"]}
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def _cached_zero(data: bytes) -> bytes:
    """The same cell as xlsxwriter (pandas' other engine) writes it: a formula, cached 0."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"<f>up on Feb</f><v />", b"<f>up on Feb</f><v>0</v>")
                assert b"<v>0</v>" in part
            target.writestr(item, part)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_pandas_workbook(), id="pandas-openpyxl-no-saved-value"),
        pytest.param(_cached_zero(_pandas_workbook()), id="pandas-xlsxwriter-cached-0"),
    ],
)
def test_commentary_a_tool_turned_into_a_formula_is_reported_at_its_cell(data):
    reading = read_returns(data, filename="pandas.xlsx", spec=SPEC)

    assert [(p.cell, p.field) for p in reading.problems] == [("D2", "commentary")]
    assert "is a formula, not text" in reading.problems[0].message


# --- what is kept ------------------------------------------------------------------------


def test_the_kept_copy_holds_only_the_sheet_read_and_reads_the_same():
    data = workbook_people_keep()
    reading = read_returns(data, filename="kpis.xlsx", spec=SPEC)

    kept = kept_copy(data, filename="kpis.xlsx", reading=reading)

    parts = zipfile.ZipFile(io.BytesIO(kept))
    everything = b"".join(parts.read(name) for name in parts.namelist())
    assert b"C00001" not in everything
    assert b"Worker 1" not in everything
    assert openpyxl.load_workbook(io.BytesIO(kept)).sheetnames == ["KPIs"]
    again = read_returns(kept, filename="kpis.xlsx", spec=SPEC)
    assert figures(again) == figures(reading)
    assert again.records[0].fields["commentary"].value == "Up on last month"


def test_the_kept_copy_of_a_csv_holds_the_table_and_reads_the_same():
    data = ("Return for March\r\n" + LONG_CSV + "Note: C00001 moved\r\n").encode("cp1252")
    reading = read_returns(data, filename="kpis.csv", spec=SPEC)

    kept = kept_copy(data, filename="kpis.csv", reading=reading)

    assert b"C00001" not in kept
    again = read_returns(kept, filename="kpis.csv", spec=SPEC)
    assert figures(again) == figures(reading)
    assert (
        again.records[0].fields["commentary"].value == reading.records[0].fields["commentary"].value
    )
