"""Reading an EES file: its encodings, its limits, and every bad file named where it is bad."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opb_portal.comparators.models import PublishedMeasure, YearBasis
from opb_portal.comparators.statistics import reader
from opb_portal.comparators.statistics.mapping import denoised, read_figures

from .. import ees

TODAY = datetime.date(2025, 6, 1)
RATE = "rate_per_10000"


def cla_measure(**overrides) -> PublishedMeasure:
    """The children looked after rate, unsaved: reading needs no database."""
    return PublishedMeasure(**ees.measure_fields(**overrides))


def cla_row(place=ees.SANDWELL, value="94", *, period="2024", **options):
    return ees.row(
        place,
        period=period,
        filters={"population_count": ees.CLA_POPULATION},
        values={RATE: value},
        **options,
    )


def cla_file(*rows, **options) -> bytes:
    return ees.ees_csv(
        rows or [cla_row()], filters=("population_count",), indicators=(RATE,), **options
    )


def read(data: bytes, filename: str = ees.CLA_FILE, **measure):
    return read_figures(data, filename=filename, measures=[cla_measure(**measure)], today=TODAY)


def only_problem(reading) -> str:
    assert not reading.figures or reading.problems
    assert len(reading.problems) == 1, [str(p) for p in reading.problems]
    return str(reading.problems[0])


@pytest.mark.parametrize(
    ("options", "figure"),
    [
        pytest.param({}, Decimal("94"), id="utf-8"),
        pytest.param({"bom": True}, Decimal("94"), id="utf-8-with-bom"),
        pytest.param({"newline": "\n"}, Decimal("94"), id="lf-line-ends"),
        pytest.param({"encoding": "cp1252"}, Decimal("94"), id="windows-1252"),
        pytest.param({"encoding": "utf-16"}, Decimal("94"), id="utf-16-with-bom"),
    ],
)
def test_a_file_is_read_in_each_encoding_and_line_end_excel_and_ees_write(options, figure):
    place = ees.la("E08000028", "Sandwell Ñ", "333")  # a byte of its own in Windows-1252
    reading = read(cla_file(cla_row(place), **options))
    assert reading.ok, reading.problems
    [found] = reading.figures
    assert (found.value, found.place.name, found.year) == (figure, "Sandwell Ñ", 2024)


@pytest.mark.parametrize(
    ("text", "value", "symbol"),
    [
        pytest.param("94", Decimal("94"), "", id="a-whole-number"),
        pytest.param("70.2", Decimal("70.2"), "", id="a-decimal"),
        pytest.param(ees.noisy("94"), Decimal("94"), "", id="a-double-with-float-noise"),
        pytest.param("70.199999999999989", Decimal("70.2"), "", id="noise-below-the-figure"),
        pytest.param(
            "12.345678901234567", Decimal("12.345678901234567"), "", id="many-digits-not-noise"
        ),
        pytest.param("1,234", Decimal("1234"), "", id="thousands-separator"),
        pytest.param("1,234,567.5", Decimal("1234567.5"), "", id="two-separators"),
        pytest.param("c", None, "c", id="confidential"),
        pytest.param("x", None, "x", id="not-available"),
        pytest.param("z", None, "z", id="not-applicable"),
        pytest.param("low", None, "low", id="low"),
        pytest.param("u", None, "u", id="low-reliability"),
        pytest.param(":", None, ":", id="not-collected"),
    ],
)
def test_figures_are_read_as_published_and_symbols_are_kept_as_reasons(text, value, symbol):
    [figure] = read(cla_file(cla_row(value=text))).figures
    assert (figure.value, figure.symbol) == (value, symbol)


def test_a_blank_is_no_figure_and_is_counted():
    reading = read(cla_file(cla_row(value=""), cla_row(ees.DUDLEY, value="50")))
    assert [f.place.name for f in reading.figures] == ["Dudley"]
    assert reading.blanks == {("children_in_care_rate", 2024): 1}


@pytest.mark.parametrize(
    ("period", "identifier", "basis", "year", "meaning"),
    [
        pytest.param(
            "2023", "Reporting year", YearBasis.AT_MARCH, 2023,
            "2023 (Reporting year): March 2023, at 31 March 2023", id="reporting-year",
        ),
        pytest.param(
            "202324", "Financial year", YearBasis.FINANCIAL_YEAR, 2024,
            "202324 (Financial year): 2023-24, the year to 31 March 2024", id="financial-year",
        ),
        pytest.param(
            "202324", "Academic year", YearBasis.ACADEMIC_YEAR, 2024,
            "202324 (Academic year): 2023/24 academic year, the year to 31 August 2024",
            id="academic-year",
        ),
        pytest.param(
            "2023", "Reporting year", YearBasis.AT_SEPTEMBER, 2023,
            "2023 (Reporting year): September 2023, at 30 September 2023",
            id="workforce-census",
        ),
    ],
)  # fmt: skip
def test_each_period_is_mapped_to_a_year_and_the_reading_says_what_it_means(
    period, identifier, basis, year, meaning
):
    data = cla_file(cla_row(period=period, identifier=identifier))
    reading = read(data, time_identifier=identifier, year_basis=basis)
    assert [f.year for f in reading.figures] == [year]
    assert [p.meaning for p in reading.periods.values()] == [meaning]


def test_rows_are_counted_by_level_and_those_no_mapping_selects_are_skipped():
    other = ees.row(ees.SANDWELL, filters={"population_count": "Starting"}, values={RATE: "5"})
    school = {**cla_row(), "geographic_level": "School"}
    reading = read(
        cla_file(cla_row(ees.ENGLAND), cla_row(ees.WEST_MIDLANDS), cla_row(), other, school)
    )
    assert reading.levels == {"National": 1, "Regional": 1, "Local authority": 2, "School": 1}
    assert reading.skipped == 1
    assert [f.place.code for f in reading.figures] == ["E92000001", "E12000005", "E08000028"]


def test_a_mapping_reads_a_file_whatever_the_case_of_its_name_and_a_download_suffix():
    reading = read(cla_file(), filename="CLA_Number_and_Rate_per_10k_children (1).csv")
    assert len(reading.figures) == 1


def test_a_mapping_whose_columns_are_missing_is_said_and_another_reads_the_file():
    starts = cla_measure(code="cla_starts", indicator="number")
    reading = read_figures(
        cla_file(), filename=ees.CLA_FILE, measures=[cla_measure(), starts], today=TODAY
    )
    assert reading.ok
    assert reading.not_read == [
        {"code": "cla_starts", "title": starts.title, "missing": ["number"]}
    ]


def test_a_file_is_streamed_not_held(monkeypatch):
    """The rows come from the file a chunk at a time: a reader that is given a file object
    reads it as it goes (the bench measures the memory)."""
    import io

    data = cla_file(*(cla_row(value=str(n)) for n in range(3)))
    opened = reader.open_ees(io.BytesIO(data), filename="x.csv")
    rows = opened.rows()
    assert next(rows)[0] == 2
    assert [number for number, _ in rows] == [3, 4]


BAD_FILES = [
    pytest.param(
        b"PK\x03\x04workbook", ees.CLA_FILE,
        "is a workbook, not a CSV", id="a-workbook-named-csv",
    ),
    pytest.param(b"", ees.CLA_FILE, "is empty", id="empty"),
    pytest.param(
        b"\x00\x01\x02binary", ees.CLA_FILE, "not a plain text CSV", id="binary",
    ),
    pytest.param(
        b"Code,Authority,Year,Value\r\nPI1,Sandwell,2024,5\r\n", ees.CLA_FILE,
        "is not an explore-education-statistics CSV: its first row has no time_period, "
        "time_identifier, geographic_level, country_code, region_code, region_name, "
        "old_la_code, new_la_code, la_name columns",
        id="not-an-ees-csv",
    ),
    pytest.param(
        ees.ees_csv([cla_row()], columns=[c for c in ees.GEOGRAPHY if c != "new_la_code"]),
        ees.CLA_FILE, "its first row has no new_la_code column", id="a-geography-column-missing",
    ),
    pytest.param(
        cla_file(), "cin_referrals.csv",
        "No published measure is read from a file called cin_referrals.csv: expected a name "
        "matching one of cla_number_and_rate*.csv", id="no-mapping-for-its-name",
    ),
    pytest.param(
        cla_file(cla_row(), cla_row(ees.DUDLEY, "abc")), ees.CLA_FILE,
        "cell L3 (children_in_care_rate, 2024): Row 3, column rate_per_10000: 'abc' is not a "
        "figure: expected a number (such as 94.2 or 1,234) or one of the symbols",
        id="a-value-that-is-not-a-figure",
    ),
    pytest.param(
        cla_file(cla_row(value="12%")), ees.CLA_FILE,
        "Row 2, column rate_per_10000: '12%' is not a figure", id="a-percent-sign",
    ),
    pytest.param(
        cla_file(cla_row(identifier="Week 12")), ees.CLA_FILE,
        "Row 2, column time_identifier: 'Week 12' is not the time identifier "
        "children_in_care_rate is read from: expected 'Reporting year'",
        id="an-unknown-time-identifier",
    ),
    pytest.param(
        cla_file(cla_row(period="2023-24")), ees.CLA_FILE,
        "Row 2, column time_period: '2023-24' is not a year: expected a year from 2010 to 2026",
        id="a-year-written-otherwise",
    ),
    pytest.param(
        cla_file(cla_row(period="202325")), ees.CLA_FILE,
        "Row 2, column time_period: '202325' is not a year", id="a-span-of-two-years",
    ),
    pytest.param(
        cla_file(cla_row(period="1999")), ees.CLA_FILE,
        "Row 2, column time_period: '1999' is not a year", id="a-year-too-early",
    ),
    pytest.param(
        cla_file(cla_row(ees.la("", "Nowhere", "999"))), ees.CLA_FILE,
        "Row 2, column new_la_code: 'a blank' is not an authority's ONS code",
        id="an-authority-without-its-code",
    ),
    pytest.param(
        cla_file(cla_row(ees.la("E08000028", "Sandwell", "33"))), ees.CLA_FILE,
        "Row 2, column old_la_code: '33' is not a DfE LA code", id="a-short-la-code",
    ),
    pytest.param(
        cla_file(cla_row(), cla_row(value="95")), ees.CLA_FILE,
        "Row 3, column rate_per_10000: children_in_care_rate for Sandwell (E08000028) in 2024 "
        "is given twice (also at row 2)", id="a-figure-given-twice",
    ),
    pytest.param(
        cla_file() + b'"2024,Reporting year\r\n', ees.CLA_FILE,
        "cannot be read as CSV (row 3", id="an-unclosed-quote",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("data", "filename", "expected"), BAD_FILES)
def test_a_bad_file_is_refused_naming_the_file_row_and_column(data, filename, expected):
    from opb_portal.spreadsheets import SpreadsheetRejected

    try:
        reading = read(data, filename=filename)
    except SpreadsheetRejected as refused:
        said = str(refused.problem)
    else:
        assert not reading.figures or reading.problems
        said = only_problem(reading)
    assert said.startswith(filename)
    assert expected in said


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    from opb_portal.spreadsheets import SpreadsheetRejected

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    with pytest.raises(SpreadsheetRejected, match=r"cla_number_and_rate_per_10k_children.csv is "
                       r"0.0 MB, over the 0 MB limit"):  # fmt: skip
        read(cla_file())


def test_a_file_with_more_rows_than_allowed_is_refused(monkeypatch):
    from opb_portal.spreadsheets import SpreadsheetRejected

    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    monkeypatch.setattr(reader, "_ROWS_PER_CHECK", 1)
    rows = [cla_row(value=str(n), period=str(2015 + n)) for n in range(5)]
    with pytest.raises(SpreadsheetRejected, match="has more than 3 rows"):
        read(cla_file(*rows))


def test_noise_is_taken_off_only_within_a_few_units_in_the_last_place():
    assert denoised(Decimal("94.000000000000014"), 1) == Decimal("94")
    assert str(denoised(Decimal("70.199999999999989"), 1)) == "70.2"
    assert denoised(Decimal("0.30000000000000004"), 1) == Decimal("0.3")
    # A count is rounded to whole numbers only.
    assert denoised(Decimal("70.199999999999989"), 0) == Decimal("70.199999999999989")
    # 15 digits are a figure as published, not noise.
    assert denoised(Decimal("94.0000000000001"), 1) == Decimal("94.0000000000001")


@given(st.decimals(min_value=-100_000, max_value=100_000, places=1, allow_nan=False))
def test_any_figure_of_a_rate_written_with_float_noise_reads_as_the_figure(figure):
    [read_back] = read(cla_file(cla_row(value=ees.noisy(figure)))).figures
    assert read_back.value == figure
