import io
import random
import struct
import time
import zipfile

import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
import pytest

from opb_portal.spreadsheets import (
    MAX_FILE_BYTES,
    SpreadsheetRejected,
    open_workbook,
    read_returns,
    sheet_rows,
)
from opb_portal.spreadsheets.intake import OLE2_MAGIC

from .builders import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    KPI_SPEC,
    many_entries,
    rezip,
    sheet_xml,
    simple_kpi_workbook,
    xlsx,
    zip_bomb,
)

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def ole2(*, encrypted: bool) -> bytes:
    body = bytearray(OLE2_MAGIC + b"\0" * 504)
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    body += "Workbook".encode("utf-16-le") + b"\0" * 1024
    return bytes(body)


def with_macros_content_type() -> bytes:
    return rezip(
        simple_kpi_workbook(),
        edit={
            "[Content_Types].xml": (
                r"application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        },
    )


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


HOSTILE = [
    pytest.param(b"", "is empty", id="empty-file"),
    pytest.param(
        random.Random(20250301).randbytes(4096), "is not an Excel workbook", id="random-bytes"
    ),
    pytest.param(
        b"KPI,Period,Value\r\nPI1,2025-03,85.3\r\n", "looks like a CSV file", id="csv-named-xlsx"
    ),
    pytest.param(
        b"\xef\xbb\xbfKPI;Period;Value\nPI1;2025-03;85,3\n", "looks like a CSV", id="csv-with-bom"
    ),
    pytest.param(
        b"<!DOCTYPE html><html><body><table><tr><td>PI1</td></tr></table></body></html>",
        "looks like a web page",
        id="html-named-xlsx",
    ),
    pytest.param(
        b"<table><tr><td>PI1</td><td>85.3</td></tr></table>",
        "looks like a web page",
        id="html-table",
    ),
    pytest.param(
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        "XML Spreadsheet 2003",
        id="xml-spreadsheet-2003",
    ),
    pytest.param(b"just some notes\nabout the return\n", "is a text file", id="plain-text"),
    pytest.param(ole2(encrypted=True), "protected with a password", id="password-protected"),
    pytest.param(ole2(encrypted=False), "old-style Excel file (.xls", id="legacy-xls"),
    pytest.param(
        zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0\1"}),
        "binary workbook (.xlsb)",
        id="xlsb",
    ),
    pytest.param(
        rezip(simple_kpi_workbook(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}),
        "we do not accept workbooks with macros",
        id="vba-project-in-a-file-named-xlsx",
    ),
    pytest.param(
        rezip(simple_kpi_workbook(), add={"xl/VBAProjectSignature.bin": b"sig"}),
        "macros",
        id="vba-project-any-case",
    ),
    pytest.param(
        with_macros_content_type(), "we do not accept workbooks with macros", id="macro-enabled"
    ),
    pytest.param(zip_bomb(), "zip bomb", id="zip-bomb-200-mb-of-zeros"),
    pytest.param(many_entries(5000), "5,001 parts", id="zip-with-5000-entries"),
    pytest.param(
        rezip(simple_kpi_workbook(), add={"xl/externalLinks/externalLink1.xml": b"<x/>"}),
        "Break Link",
        id="external-links",
    ),
    pytest.param(
        zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        "OpenDocument",
        id="ods",
    ),
    pytest.param(zip_of({"word/document.xml": b"<w/>"}), "Word document", id="docx"),
    pytest.param(zip_of({"notes.txt": b"hello"}), "not an Excel workbook", id="other-zip"),
    pytest.param(simple_kpi_workbook()[:2000], "is damaged", id="truncated-workbook"),
    pytest.param(
        rezip(simple_kpi_workbook(), replace={"xl/workbook.xml": b"<workbook"}),
        "could not be read as an Excel workbook",
        id="broken-workbook-xml",
    ),
    pytest.param(
        xlsx({"Data": [["KPI"]], "Old": [["x"]]}, states={"Old": "hidden"}),
        "hidden sheet, 'Old'",
        id="hidden-sheet",
    ),
    pytest.param(
        xlsx({"Data": [["KPI"]], "Secret": [["x"]]}, states={"Secret": "veryHidden"}),
        "'Secret', hidden so that Excel does not even list it",
        id="very-hidden-sheet",
    ),
    pytest.param(
        rezip(
            simple_kpi_workbook(),
            replace={
                SHEET: sheet_xml(
                    '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>', prolog=BILLION_LAUGHS
                )
            },
        ),
        "XML we refuse to read for safety",
        id="billion-laughs-in-a-sheet",
    ),
    pytest.param(
        rezip(
            simple_kpi_workbook(),
            replace={
                "xl/sharedStrings.xml": (
                    '<?xml version="1.0"?>' + BILLION_LAUGHS + '<sst xmlns="http://schemas.'
                    'openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
                ).encode()
            },
            edit={"[Content_Types].xml": ("</Types>", SHARED_STRINGS_TYPE + "</Types>")},
        ),
        "XML we refuse to read for safety",
        id="billion-laughs-in-shared-strings",
    ),
    pytest.param(
        rezip(
            simple_kpi_workbook(),
            replace={
                SHEET: sheet_xml(
                    '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>', prolog=EXTERNAL_ENTITY
                )
            },
        ),
        "XML we refuse to read for safety",
        id="external-entity",
    ),
]


@pytest.mark.parametrize(("data", "expected"), HOSTILE)
def test_it_refuses_a_hostile_or_broken_file_naming_it_and_saying_what_to_do(data, expected):
    started = time.perf_counter()
    with pytest.raises(SpreadsheetRejected) as caught:
        read_returns(data, filename="returns.xlsx", spec=KPI_SPEC)
    elapsed = time.perf_counter() - started

    problem = caught.value.problem
    assert expected in problem.message
    assert "returns.xlsx" in problem.message
    assert problem.file == "returns.xlsx"
    assert problem.severity == "error"
    # Says what to do: every refusal ends with an instruction, not just a diagnosis.
    assert any(
        verb in problem.message
        for verb in ("save", "Save", "upload", "remove", "unhide", "copy", "choose", "break")
    )
    assert "root:" not in problem.message  # no file from the server ever leaks into a message
    assert elapsed < 5  # generous: the point is that nothing expands or loops


def test_it_refuses_a_file_over_the_size_limit_before_looking_inside():
    data = b"PK\x03\x04" + b"\0" * MAX_FILE_BYTES

    with pytest.raises(SpreadsheetRejected, match=r"over the 10\.0 MB limit"):
        open_workbook(data, filename="big.xlsx")


@pytest.mark.parametrize(
    "filename",
    [
        pytest.param("returns.xlsm", id="xlsm"),
        pytest.param("RETURNS.XLTM", id="xltm-upper-case"),
    ],
)
def test_it_refuses_a_macro_enabled_file_name_even_without_a_vba_project(filename):
    with pytest.raises(SpreadsheetRejected, match="macros") as caught:
        open_workbook(simple_kpi_workbook(), filename=filename)

    assert filename in str(caught.value)


def test_a_zip_bomb_is_refused_in_under_a_second_without_unpacking():
    bomb = zip_bomb()
    started = time.perf_counter()

    with pytest.raises(SpreadsheetRejected, match="would unpack|compresses far more"):
        open_workbook(bomb, filename="bomb.xlsx")

    assert time.perf_counter() - started < 1


def test_defusedxml_is_active_for_openpyxl():
    # lxml is installed (python-docx needs it): openpyxl would use it, and not defusedxml.
    assert openpyxl.xml.lxml_available() is True
    assert openpyxl.xml.LXML is False
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")


def test_our_own_sheet_reader_refuses_an_entity_declaration_too():
    # openpyxl (through defusedxml) refuses it when loading; swap the sheet afterwards to
    # prove that the streaming reader, which parses sheets itself, refuses it as well.
    workbook = open_workbook(simple_kpi_workbook(), filename="returns.xlsx")
    evil = rezip(
        simple_kpi_workbook(),
        replace={
            SHEET: sheet_xml(
                '<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>', prolog=EXTERNAL_ENTITY
            )
        },
    )
    workbook._archive = zipfile.ZipFile(io.BytesIO(evil))

    with pytest.raises(SpreadsheetRejected, match="DOCTYPE or entity declaration") as caught:
        list(sheet_rows(workbook.worksheets[0], filename="returns.xlsx"))

    assert "root:" not in str(caught.value)


def test_a_sheet_claiming_enormous_dimensions_is_read_as_what_it_holds():
    data = rezip(
        simple_kpi_workbook(),
        edit={SHEET: (r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>')},
    )

    workbook = open_workbook(data, filename="returns.xlsx")
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    reading = read_returns(data, filename="returns.xlsx", spec=KPI_SPEC)

    assert len(rows) == 3
    assert [record.code for record in reading.records] == ["PI1", "PI2"]


def test_a_cell_beyond_the_column_limit_is_refused_with_a_message():
    data = rezip(
        simple_kpi_workbook(),
        edit={SHEET: (r"</row>", '<c r="ZZZ1" t="inlineStr"><is><t>stray</t></is></c></row>')},
    )

    with pytest.raises(SpreadsheetRejected, match="beyond column ALL"):
        read_returns(data, filename="returns.xlsx", spec=KPI_SPEC)


def test_a_sheet_with_more_cells_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr("opb_portal.spreadsheets.rows.MAX_CELLS", 5)

    with pytest.raises(SpreadsheetRejected, match="more than 5 cells"):
        read_returns(simple_kpi_workbook(), filename="returns.xlsx", spec=KPI_SPEC)


def test_a_workbook_opens_read_only_with_values_not_formulas():
    workbook = open_workbook(simple_kpi_workbook(), filename="returns.xlsx")

    assert workbook.read_only
    assert workbook._data_only
    workbook.close()


def test_a_damaged_sheet_inside_a_good_zip_is_refused_as_damaged():
    data = rezip(simple_kpi_workbook(), replace={SHEET: sheet_xml("<c r='A1'><v>1</v>")})

    with pytest.raises(SpreadsheetRejected, match="damaged|could not be read"):
        read_returns(data, filename="returns.xlsx", spec=KPI_SPEC)


def with_central_directory_patched(
    data: bytes, name: str, *, flags: int = 0, size: int | None = None
):
    """The zip with one entry's directory record changed: its flags or-ed, its size replaced."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02" + b"", 0)
    while at >= 0:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_length].decode() == name:
            (flag_bits,) = struct.unpack_from("<H", data, at + 8)
            struct.pack_into("<H", data, at + 8, flag_bits | flags)
            if size is not None:
                struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the zip")


def test_a_zip_with_encrypted_parts_is_refused_as_password_protected():
    data = with_central_directory_patched(simple_kpi_workbook(), SHEET, flags=0x1)

    with pytest.raises(SpreadsheetRejected, match="protected with a password"):
        open_workbook(data, filename="returns.xlsx")


def test_a_part_bigger_than_its_directory_says_is_refused_having_unpacked_no_more():
    padded = sheet_xml('<c r="A1" t="inlineStr"><is><t>KPI</t></is></c>')
    padded = padded.replace(b"</worksheet>", b" " * (50 * 1024 * 1024) + b"</worksheet>")
    honest = rezip(simple_kpi_workbook(), replace={SHEET: padded})
    lying = with_central_directory_patched(honest, SHEET, size=len(padded) // 1000)
    started = time.perf_counter()

    with pytest.raises(SpreadsheetRejected, match="damaged|could not be read"):
        read_returns(lying, filename="returns.xlsx", spec=KPI_SPEC)

    assert time.perf_counter() - started < 1
