"""The portal's one spreadsheet reader and writer: safe intake, cells, layouts, template.

Knows no domain: each domain describes its return with a `LayoutSpec` and judges the
`Record`s it gets back; a plain table (the comparator figures) is described by a
`TableSpec` and read as `TableRow`s. See docs/architecture.md.
"""

from opb_portal.spreadsheets.cells import Cell, as_found, fraction_hint, to_decimal, to_period
from opb_portal.spreadsheets.intake import open_workbook
from opb_portal.spreadsheets.layouts import LayoutSpec, Reading, Record, read_returns
from opb_portal.spreadsheets.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
)
from opb_portal.spreadsheets.problems import (
    ERROR,
    NOTE,
    WARNING,
    Problem,
    ProblemList,
    SpreadsheetRejected,
    problems_workbook,
)
from opb_portal.spreadsheets.rows import SheetRows, sheet_rows
from opb_portal.spreadsheets.tables import (
    HEADER_ROWS,
    Column,
    TableReading,
    TableRow,
    TableSpec,
    read_table,
)
from opb_portal.spreadsheets.template import (
    TEMPLATE_FIRST_ROW,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_PERIOD_CELL,
    TemplateRow,
    template_headings,
    write_template,
)

__all__ = [
    "ERROR",
    "HEADER_ROWS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_ENTRIES",
    "NOTE",
    "TEMPLATE_FIRST_ROW",
    "TEMPLATE_HEADER_ROW",
    "TEMPLATE_PERIOD_CELL",
    "WARNING",
    "Cell",
    "Column",
    "LayoutSpec",
    "Problem",
    "ProblemList",
    "as_found",
    "fraction_hint",
    "Reading",
    "Record",
    "SheetRows",
    "SpreadsheetRejected",
    "TableReading",
    "TableRow",
    "TableSpec",
    "TemplateRow",
    "open_workbook",
    "problems_workbook",
    "read_returns",
    "read_table",
    "sheet_rows",
    "template_headings",
    "to_decimal",
    "to_period",
    "write_template",
]
