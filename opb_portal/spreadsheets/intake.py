"""Opening an uploaded workbook defensively.

An upload is untrusted bytes from a council or Trust laptop. Before openpyxl parses any
XML we look at the bytes and the zip directory: what kind of file it really is
(whatever its name), whether it is encrypted, carries macros or external links, and
whether it would decompress to far more than it weighs. Each refusal is a
`SpreadsheetRejected` whose message names the file and says what to do, because the
person reading it is a performance officer, not a developer.
"""

from __future__ import annotations

import io
import struct
import zipfile
from xml.parsers import expat

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from opb_portal.spreadsheets import limits
from opb_portal.spreadsheets.limits import (
    MAX_CELL_CHARACTERS,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_CHECKED_FROM_BYTES,
    Deadline,
)
from opb_portal.spreadsheets.problems import SpreadsheetRejected, rejected

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SAVE_AS_XLSX = "save it as .xlsx (File > Save As > Excel Workbook) and upload it again"

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - a broken deployment, not a user error
    # Without defusedxml openpyxl parses workbook XML with the standard library, which
    # expands entities: a few hundred bytes could then take the server down.
    raise RuntimeError(
        "defusedxml is not active for openpyxl: install defusedxml (requirements.txt) and "
        "do not set OPENPYXL_DEFUSEDXML=False"
    )


def open_workbook(
    data: bytes, *, filename: str, deadline: Deadline | None = None
) -> openpyxl.Workbook:
    """Check an upload and open it read-only, values not formulas, or refuse it.

    The checks run cheapest and most dangerous first, and everything that could make
    parsing slow or unsafe is decided from the bytes and the zip directory alone. The
    shared strings are read here within their limits (`limits.MAX_SHARED_STRINGS`,
    `limits.MAX_SHARED_STRING_CHARACTERS`) and `deadline` (a new one, `PARSE_SECONDS`
    from now, if none is given) is kept as `workbook.deadline` for the sheets to share.
    The workbook returned is read-only (rows are streamed, see `rows.sheet_rows`): close
    it with `workbook.close()` when done.
    """
    deadline = deadline or Deadline(filename)
    if not data:
        raise rejected(
            f"{filename} is empty (0 bytes): choose the file again and upload it.",
            file=filename,
        )
    if len(data) > MAX_FILE_BYTES:
        raise rejected(
            f"{filename} is {_megabytes(len(data))}, over the {_megabytes(MAX_FILE_BYTES)} "
            "limit: delete sheets the return does not need (or pictures), save, and upload "
            "it again.",
            file=filename,
        )
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise _password_protected(filename)
        raise rejected(
            f"{filename} is an old-style Excel file (.xls, Excel 97-2003): {SAVE_AS_XLSX}.",
            file=filename,
        )

    archive = _zip_or_refuse(data, filename=filename)
    with archive:
        _check_archive(archive, filename=filename)
    if filename.lower().endswith((".xlsm", ".xltm", ".xlam")):
        raise _macros(filename)

    try:
        reader = _Reader(data, filename=filename, deadline=deadline)
        reader.read()
        workbook = reader.wb
    except SpreadsheetRejected:
        raise
    except Exception as error:  # anything openpyxl trips on means "not a workbook we can read"
        unsafe = _defused(error)
        if unsafe is not None:
            raise rejected(
                f"{filename} contains XML we refuse to read for safety "
                f"({type(unsafe).__name__}): open it in Excel, {SAVE_AS_XLSX}.",
                file=filename,
            ) from error
        raise rejected(
            f"{filename} could not be read as an Excel workbook ({_short(error)}): open it "
            f"in Excel, {SAVE_AS_XLSX}.",
            file=filename,
        ) from error

    try:
        _check_sheets(workbook, filename=filename)
    except BaseException:
        workbook.close()
        raise
    workbook.deadline = deadline
    return workbook


class _StreamedSheet(ReadOnlyWorksheet):
    """A read-only sheet that does not look for its own size.

    openpyxl parses a sheet up to its <dimension> element to learn its size, and a sheet
    without one (which a crafted file simply omits) is parsed from end to end, slowly,
    before a single row is read. We never use that claim (`_check_sheets` resets it and
    rows are streamed by `rows.SheetRows`), so it is not looked for.
    """

    def _get_size(self):
        return None


class _Reader(ExcelReader):
    """openpyxl's reader of a read-only workbook, with the shared strings read by us.

    openpyxl builds an object for every shared string (about 17 microseconds each) with
    no limit: 3.5 million of them took a minute. `_read_shared_strings` streams them with
    expat, within their limits and the file's deadline. Everything else (the manifest,
    workbook, properties, styles, sheet states) is openpyxl's own, through defusedxml.
    """

    def __init__(self, data: bytes, *, filename: str, deadline: Deadline):
        super().__init__(
            io.BytesIO(data), read_only=True, keep_vba=False, data_only=True, keep_links=False
        )
        self.filename = filename
        self.deadline = deadline

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = _read_shared_strings(
                source, filename=self.filename, deadline=self.deadline
            )

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _StreamedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class Overlong:
    """A shared string longer than `MAX_CELL_CHARACTERS`, kept as its length only.

    Its text is not kept: the cell that uses it is refused by `rows.SheetRows`, which
    knows which cell that is, so the message can point at it.
    """

    __slots__ = ("length",)

    def __init__(self, length: int):
        self.length = length


_SPREADSHEETML = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "Strict Open XML"
)
_STRING_TAGS = {
    f"{namespace} {local}": local for namespace in _SPREADSHEETML for local in ("si", "t", "rPh")
}
CHUNK = 64 * 1024


class Refused(Exception):
    """A DOCTYPE or entity declaration in a part we parse: never legitimate, always refused."""


def _refuse(*_args):
    raise Refused


def strict_parser() -> expat.XMLParserType:
    """An expat parser as strict as defusedxml: any DOCTYPE or entity declaration is refused.

    A workbook part has no business declaring either, and external entities are never
    fetched. Text is buffered in `CHUNK`s so long texts arrive in few callbacks.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


def _read_shared_strings(source, *, filename: str, deadline: Deadline) -> list:
    """The shared-string table as openpyxl reads it (plain and rich text, without phonetic
    runs), refused past `MAX_SHARED_STRINGS` strings or `MAX_SHARED_STRING_CHARACTERS`
    characters. A string longer than a cell can hold is kept as an `Overlong`."""
    strings: list = []
    parts: list[str] = []
    tags = _STRING_TAGS
    most_strings = limits.MAX_SHARED_STRINGS
    most_characters = limits.MAX_SHARED_STRING_CHARACTERS
    characters = length = 0
    in_string = in_phonetic = capturing = False

    def start(name, _attrs):
        nonlocal in_string, in_phonetic, capturing, length
        local = tags.get(name)
        if local == "si":
            if len(strings) >= most_strings:
                raise rejected(
                    f"{filename} holds more than {most_strings:,} different texts (Excel's "
                    "shared strings), far more than any return: copy the return into the "
                    "template, or into a new workbook, and upload that.",
                    file=filename,
                )
            in_string = True
            length = 0
            parts.clear()
        elif local == "t":
            capturing = in_string and not in_phonetic
        elif local == "rPh":
            in_phonetic = True

    def end(name):
        nonlocal in_string, in_phonetic, capturing, characters
        local = tags.get(name)
        if local == "si":
            in_string = capturing = False
            if length > MAX_CELL_CHARACTERS:
                strings.append(Overlong(length))
                return
            # openpyxl's reading of Excel's "_x005F_" escape, so texts read as they did.
            text = "".join(parts).replace("x005F_", "")
            characters += len(text)
            if characters > most_characters:
                raise rejected(
                    f"{filename} holds more than {most_characters:,} characters of text "
                    "(Excel's shared strings), far more than any return: delete the sheets "
                    "and notes the return does not need, and upload it again.",
                    file=filename,
                )
            strings.append(text)
        elif local == "t":
            capturing = False
        elif local == "rPh":
            in_phonetic = False

    def data(text):
        nonlocal length
        if capturing:
            length += len(text)
            if length <= MAX_CELL_CHARACTERS:  # past it only the length is kept
                parts.append(text)

    parser = strict_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        while True:
            chunk = source.read(CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
            deadline.check()
    except Refused as error:
        raise rejected(
            f"{filename} contains XML we refuse to read for safety (a DOCTYPE or entity "
            f"declaration in its shared strings): open it in Excel, {SAVE_AS_XLSX}.",
            file=filename,
        ) from error
    except expat.ExpatError as error:
        raise rejected(
            f"{filename} is damaged: its shared strings cannot be read ({_short(error)}). "
            f"Open it in Excel, {SAVE_AS_XLSX}.",
            file=filename,
        ) from error
    return strings


def _defused(error: BaseException | None) -> DefusedXmlException | None:
    """The defusedxml refusal behind an error (openpyxl wraps it in its own ValueError)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _zip_or_refuse(data: bytes, *, filename: str) -> zipfile.ZipFile:
    entries = _declared_entry_count(data)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        # Decided from the end-of-directory record, before zipfile reads every entry.
        raise _too_many_entries(filename, entries)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # BadZipFile, but hostile directories raise others too
        if data.startswith(b"PK"):
            raise rejected(
                f"{filename} is damaged: it starts like an Excel workbook but cannot be opened "
                f"({_short(error)}). Open it in Excel, {SAVE_AS_XLSX}.",
                file=filename,
            ) from error
        raise _not_a_workbook(data, filename=filename) from error


def _check_archive(archive: zipfile.ZipFile, *, filename: str) -> None:
    """Refuse bombs, encryption, binary and macro workbooks and links, from the directory alone."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _too_many_entries(filename, len(infos))
    total = 0
    for info in infos:
        total += info.file_size
        if (
            info.file_size >= RATIO_CHECKED_FROM_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise _bomb(filename, "one part of it compresses far more than a real workbook does")
        if info.flag_bits & 0x1:
            raise _password_protected(filename)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _bomb(
            filename,
            f"it would unpack to {_megabytes(total)}, over the "
            f"{_megabytes(MAX_UNCOMPRESSED_BYTES)} limit",
        )

    names = {info.filename.lower() for info in infos}
    if "xl/workbook.bin" in names:
        raise rejected(
            f"{filename} is an Excel binary workbook (.xlsb): {SAVE_AS_XLSX}.", file=filename
        )
    if any(name.rsplit("/", 1)[-1].startswith("vbaproject") for name in names):
        raise _macros(filename)
    if "[content_types].xml" in names:
        content_types = _read_entry(archive, "[content_types].xml", filename=filename)
        if b"macroenabled" in content_types.lower():
            raise _macros(filename)
    if any(name.startswith("xl/externallinks/") for name in names):
        raise rejected(
            f"{filename} has links to other workbooks: break the links (Data > Edit Links > "
            "Break Link), save, and upload it again, so that the figures are the ones you see.",
            file=filename,
        )
    if "xl/workbook.xml" not in names:
        raise _not_a_workbook_archive(archive, names, filename=filename)


def _check_sheets(workbook: openpyxl.Workbook, *, filename: str) -> None:
    for sheet in workbook.worksheets:
        state = getattr(sheet, "sheet_state", "visible")
        if state == "hidden":
            raise rejected(
                f"{filename} has a hidden sheet, '{sheet.title}': unhide it (right-click a sheet "
                "tab > Unhide) or delete it, and upload again. What you upload should be what "
                "you see.",
                file=filename,
                sheet=sheet.title,
            )
        if state == "veryHidden":
            raise rejected(
                f"{filename} has a sheet, '{sheet.title}', hidden so that Excel does not even "
                'list it ("very hidden"): copy the sheets you can see into a new workbook and '
                "upload that. What you upload should be what you see.",
                file=filename,
                sheet=sheet.title,
            )
        if isinstance(sheet, ReadOnlyWorksheet):
            # The <dimension> element is only a claim: a sheet saying A1:XFD1048576 must
            # not make anyone iterate 17 billion empty cells. Rows are streamed as they are.
            sheet.reset_dimensions()


def _read_entry(archive: zipfile.ZipFile, lower_name: str, *, filename: str) -> bytes:
    for info in archive.infolist():
        if info.filename.lower() == lower_name:
            try:
                return archive.read(info)
            except Exception as error:  # CRC errors, bad compression: a damaged file
                raise rejected(
                    f"{filename} is damaged ({_short(error)}): open it in Excel, {SAVE_AS_XLSX}.",
                    file=filename,
                ) from error
    return b""


def _declared_entry_count(data: bytes) -> int | None:
    """The entry count in the zip's end-of-central-directory record, if there is one."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    (entries,) = struct.unpack_from("<H", data, at + 10)
    return entries


def _not_a_workbook(data: bytes, *, filename: str):
    head = data[:4096]
    text = _as_text(head)
    if text is not None:
        lowered = text.lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            return rejected(
                f"{filename} is an XML Spreadsheet 2003 file named .xlsx: open it in Excel "
                f"and {SAVE_AS_XLSX}.",
                file=filename,
            )
        if lowered.startswith(("<html", "<!doctype", "<table")) or "<html" in lowered:
            return rejected(
                f"{filename} looks like a web page (HTML) named .xlsx, as some systems export "
                f"it: open it in Excel and {SAVE_AS_XLSX}.",
                file=filename,
            )
        first_line = lowered.split("\n", 1)[0]
        if any(separator in first_line for separator in (",", ";", "\t")):
            return rejected(
                f"{filename} looks like a CSV file named .xlsx: open it in Excel and "
                f"{SAVE_AS_XLSX}.",
                file=filename,
            )
        return rejected(
            f"{filename} is a text file, not an Excel workbook: upload the return as an "
            ".xlsx workbook (the template is on this page).",
            file=filename,
        )
    return rejected(
        f"{filename} is not an Excel workbook: upload the return as an .xlsx workbook "
        "(the template is on this page).",
        file=filename,
    )


def _not_a_workbook_archive(archive: zipfile.ZipFile, names: set[str], *, filename: str):
    if "mimetype" in names:
        mimetype = _read_entry(archive, "mimetype", filename=filename)[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return rejected(
                f"{filename} is an OpenDocument spreadsheet (.ods): {SAVE_AS_XLSX}.",
                file=filename,
            )
    if "word/document.xml" in names:
        return rejected(
            f"{filename} is a Word document, not an Excel workbook: upload the return as .xlsx.",
            file=filename,
        )
    return rejected(
        f"{filename} is not an Excel workbook (it is a zip file without a workbook inside): "
        "upload the return as an .xlsx workbook.",
        file=filename,
    )


def _as_text(head: bytes) -> str | None:
    """The start of the file as text, or None if it looks binary."""
    if b"\x00" in head:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return head.decode("utf-16")
            except UnicodeDecodeError:
                return None
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the 4 KB window
            text = head[: error.start].decode("utf-8-sig")
        else:
            text = head.decode("cp1252", errors="replace")
    if not text:
        return None
    printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
    return text if printable >= 0.95 * len(text) else None


def _password_protected(filename: str):
    return rejected(
        f"{filename} is protected with a password, so we cannot read it: remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and upload "
        "again.",
        file=filename,
    )


def _macros(filename: str):
    return rejected(
        f"{filename} is a macro-enabled workbook: we do not accept workbooks with macros. "
        "Save it as .xlsx (Excel Workbook) and upload it again.",
        file=filename,
    )


def _too_many_entries(filename: str, entries: int):
    return _bomb(filename, f"it holds {entries:,} parts, more than the {MAX_ZIP_ENTRIES:,} allowed")


def _bomb(filename: str, reason: str):
    return rejected(
        f"{filename} was refused without opening it: {reason}, which is how a 'zip bomb' meant "
        "to crash servers looks. If it really is your return, copy the sheets you need into a "
        "new workbook, save it as .xlsx and upload that.",
        file=filename,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."
