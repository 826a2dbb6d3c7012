"""Workbooks built in code for the spreadsheet tests: no binary fixtures.

Each builder returns the bytes of a file as a person (or an attacker) would upload it.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import openpyxl

from opb_portal.spreadsheets import LayoutSpec

KPI_SPEC = LayoutSpec(
    domain="kpis",
    template_sheet="KPI return",
    measure_headers=("kpi", "code", "measure", "kpi code"),
    fields={
        "value": ("value",),
        "numerator": ("numerator",),
        "denominator": ("denominator",),
        "commentary": ("commentary", "comment", "comments"),
    },
    measure_labels={
        "pi1": "PI1",
        "pi2": "PI2",
        "pi3": "PI3",
        "percentage of visits on time": "PI1",
        "children seen alone": "PI2",
        "re-referrals within 12 months": "PI3",
    },
    other_domains={
        "finance": ("forecast outturn", "actual to date", "budget"),
        "workforce": ("total social workers", "agency social workers", "vacancies"),
    },
    measure_noun="KPI",
)


def xlsx(
    sheets: dict[str, list[list[object]]],
    *,
    formats: dict[tuple[str, str], str] | None = None,
    errors: dict[tuple[str, str], str] | None = None,
    states: dict[str, str] | None = None,
    merged: dict[str, list[str]] | None = None,
) -> bytes:
    """A workbook with one sheet per entry, rows written from A1 (None leaves a cell empty).

    `formats` sets a number format on (sheet, cell), `errors` writes an Excel error value,
    `states` hides sheets, `merged` merges ranges.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for (title, ref), number_format in (formats or {}).items():
        workbook[title][ref].number_format = number_format
    for (title, ref), error in (errors or {}).items():
        workbook[title][ref].value = error
        workbook[title][ref].data_type = "e"
    for title, state in (states or {}).items():
        workbook[title].sheet_state = state
    for title, ranges in (merged or {}).items():
        for cell_range in ranges:
            workbook[title].merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_kpi_workbook() -> bytes:
    """A small long table that reads without problems."""
    return xlsx(
        {
            "Data": [
                ["KPI", "Period", "Value"],
                ["PI1", "2025-03", 85.3],
                ["PI2", "2025-03", 12],
            ]
        }
    )


def rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    edit: dict[str, tuple[str, str]] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The same workbook with parts replaced, added, or edited by a regular expression."""
    replace = dict(replace or {})
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            content = replace.pop(info.filename, None)
            if content is None:
                content = source.read(info)
            if edit and info.filename in edit:
                pattern, replacement = edit[info.filename]
                content = re.sub(pattern, replacement, content.decode()).encode()
            target.writestr(info.filename, content)
        for name, content in {**replace, **(add or {})}.items():
            target.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(*, megabytes: int = 200) -> bytes:
    """One 'sheet' of zeros that unpacks to `megabytes` MB, streamed so the test stays fast."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return buffer.getvalue()


def many_entries(count: int = 5000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for index in range(count):
            archive.writestr(f"xl/media/image{index}.png", b"x")
    return buffer.getvalue()


def sheet_xml(cells: str, *, prolog: str = "", dimension: str = "A1:A1") -> bytes:
    """A worksheet part with `cells` (already XML) as its single row."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"{prolog}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/>'
        f'<sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    ).encode()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def march(day: int = 1) -> datetime.datetime:
    return datetime.datetime(2025, 3, day)
