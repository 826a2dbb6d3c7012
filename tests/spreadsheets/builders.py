"""Workbooks built in code for the spreadsheet tests: no binary fixtures.

Each builder returns the bytes of a file as a person (or an attacker) would upload it.
"""

from __future__ import annotations

import base64
import datetime
import io
import random
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


# --- hostile loads: big files built fast -------------------------------------------------
# Each is a small openpyxl workbook with one part rewritten by hand: writing 600,000 rows
# through openpyxl would take longer than the reader needs to refuse them. The parts are
# made of a block of distinct rows (or strings) repeated, larger than deflate's 32 KB
# window, so they compress like real sheets rather than like a zip bomb.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_BLOCK = 5000


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def long_rows_xlsx(
    rows: int, *, code=lambda number: f"XX{number % 20}", period=lambda number: "2025-03"
) -> bytes:
    """A long table (KPI, Period, Value) of `rows` rows under its heading, the code and
    month of row `number` being `code(number)` and `period(number)` (called for the first
    5,000 rows only, then repeated)."""
    heading = "".join(
        _inline(f"{c}1", t) for c, t in zip("ABC", ("KPI", "Period", "Value"), strict=True)
    )
    parts = [f'<row r="1">{heading}</row>']
    firsts = range(2, min(rows, _BLOCK) + 2)
    codes = [code(number) for number in firsts]
    periods = [period(number) for number in firsts]
    for number in range(2, rows + 2):
        index = (number - 2) % _BLOCK
        parts.append(
            f'<row r="{number}">{_inline(f"A{number}", codes[index])}'
            f'{_inline(f"B{number}", periods[index])}<c r="C{number}"><v>{number % 97}</v></c>'
            "</row>"
        )
    return with_sheet_part(_worksheet("".join(parts)))


def _worksheet(rows: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def with_sheet_part(sheet: bytes, *, shared_strings: bytes | None = None) -> bytes:
    """A one-sheet workbook whose sheet (and shared-string table) are the bytes given."""
    source = zipfile.ZipFile(io.BytesIO(simple_kpi_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            content = sheet if info.filename == SHEET_PART else source.read(info)
            if info.filename == "[Content_Types].xml" and shared_strings is not None:
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" '
                    + f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>'.encode(),
                )
            target.writestr(info.filename, content)
        if shared_strings is not None:
            target.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def shared_strings_xlsx(count: int, *, text=lambda index: f"s{index}") -> bytes:
    """A small long table beside a shared-string table of `count` strings (written by hand).

    The table's cells use the first strings, so the workbook is a return with an
    enormous table of texts it does not need, as the 3.5-million-string upload was.
    """
    firsts = ["KPI", "Period", "Value", "PI1", "2025-03"]
    block = "".join(f"<si><t>{text(index)}</t></si>" for index in range(_BLOCK))
    strings = "".join(f"<si><t>{word}</t></si>" for word in firsts)
    repeats, rest = divmod(max(count - len(firsts), 0), _BLOCK)
    table = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{count}" '
        f'uniqueCount="{count}">{strings}{block * repeats}'
        + "".join(f"<si><t>{text(index)}</t></si>" for index in range(rest))
        + "</sst>"
    ).encode()
    cells = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2"><v>85.3</v></c></row>'
    )
    return with_sheet_part(_worksheet(cells), shared_strings=table)


def commentary_xlsx(
    commentary: str, *, shared: bool = True, code: str = "PI1", period: str = "2025-03"
) -> bytes:
    """A one-row long table whose commentary (cell D2) is `commentary`, as Excel saves it
    (a shared string) or as an inline string."""
    words = ["KPI", "Period", "Value", "Commentary", code, period, commentary]
    if shared:
        table = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'
            + "".join(f"<si><t>{escape(word)}</t></si>" for word in words)
            + "</sst>"
        ).encode()
        cell = '<c r="D2" t="s"><v>6</v></c>'
    else:
        table = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'
            + "".join(f"<si><t>{escape(word)}</t></si>" for word in words[:6])
            + "</sst>"
        ).encode()
        cell = _inline("D2", escape(commentary))
    cells = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c>'
        f'<c r="C2"><v>85.3</v></c>{cell}</row>'
    )
    return with_sheet_part(_worksheet(cells), shared_strings=table)


def prose(characters: int, *, seed: int = 0) -> str:
    """`characters` of text that compresses as prose does (a repeated letter would be
    refused as a zip bomb before its length was looked at)."""
    noise = random.Random(seed).randbytes(characters * 3 // 4 + 3)
    return base64.b64encode(noise).decode()[:characters]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
