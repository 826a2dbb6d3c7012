"""
Reading and checking a new statistical neighbour group: its ten members, from a file or
typed, each found in the authority register by ONS code (or by name, where one authority
has it). Nothing here writes: `services.neighbour_group_load` saves what passes.

The file: a table (`TABLE`, read by `spreadsheets.read_table`, the one table reader) with
an Authority column (a name or an ONS code) and optionally an ONS code column and a Rank
column, one row a neighbour; where both a code and a name are given they must agree. The
typed form: one authority a line. Every problem names its file, sheet and cell (or the
line), says what was found and what was expected; any problem refuses the whole group.

An authority must exist on the day the group starts: Cumbria, which ended in March 2023,
cannot be a neighbour from June 2025 (Cumberland, or Westmorland and Furness, can).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from opb_portal.spreadsheets import (
    ERROR,
    Column,
    Problem,
    ProblemList,
    TableRow,
    TableSpec,
    read_table,
)
from opb_portal.spreadsheets.cells import shown

from .models import Authority, FormerCode

# The DfE's and LAIT's statistical neighbour groups have ten members.
GROUP_SIZE = 10
TABLE = TableSpec(
    columns=(
        Column("rank", "Rank", ("sn", "sn rank", "neighbour", "order", "position"), required=False),
        Column(
            "authority",
            "Authority",
            ("local authority", "la name", "authority name", "name", "statistical neighbour"),
        ),
        Column("code", "ONS code", ("new la code", "la code", "code", "ons"), required=False),
    )
)
TYPED = "Members"
KINDS = {Authority.Kind.REGION: "a region", Authority.Kind.ENGLAND: "the whole of England"}
_ONS_CODE = re.compile(r"[EW]\d{8}\Z", re.IGNORECASE)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Entry:
    """One member as given: its code and name as text, and where each was read."""

    code: str
    name: str
    code_cell: str = ""
    name_cell: str = ""
    sheet: str = ""

    @property
    def cell(self) -> str:
        return self.code_cell if self.code else self.name_cell


@dataclass
class Register:
    """The authorities, by ONS code, former code and name (2 queries)."""

    by_code: dict[str, Authority]
    by_name: dict[str, list[Authority]]

    @classmethod
    def load(cls) -> Register:
        by_code: dict[str, Authority] = {}
        by_name: dict[str, list[Authority]] = {}
        for authority in Authority.objects.all():
            if authority.code:
                by_code[authority.code.upper()] = authority
            by_name.setdefault(_folded(authority.name), []).append(authority)
        for former in FormerCode.objects.select_related("authority"):
            by_code.setdefault(former.code.upper(), former.authority)
        return cls(by_code=by_code, by_name=by_name)


@dataclass
class Members:
    """The authorities found, or every problem that stops the group being saved."""

    authorities: list[Authority] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_entries(data: bytes, *, filename: str) -> tuple[list[Entry], list[Problem]]:
    """The members a file lists, or the problems that stop it being read."""
    reading = read_table(data, filename=filename, spec=TABLE)
    if reading.problems:
        return [], reading.problems.finished(file=filename)
    return [_entry(row) for row in reading.rows], []


def _entry(row: TableRow) -> Entry:
    def text(name: str) -> str:
        cell = row.cells.get(name)
        if cell is None or cell.is_blank or cell.error is not None:
            return ""
        return str(cell.value).strip()

    name, code = text("authority"), text("code")
    if not code and _ONS_CODE.match(name):
        # An Authority column that holds codes.
        name, code = "", name
    return Entry(
        code=code,
        name=name,
        code_cell=row.cells["code"].ref if "code" in row.cells else row.cells["authority"].ref,
        name_cell=row.cells["authority"].ref,
        sheet=row.sheet,
    )


def typed_entries(text: str) -> list[Entry]:
    """One member a line (blank lines skipped): an ONS code or a name."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        given = line.strip()
        if not given:
            continue
        where = f"{TYPED}, line {number}"
        if _ONS_CODE.match(given):
            entries.append(Entry(code=given, name="", code_cell=where))
        else:
            entries.append(Entry(code="", name=given, name_cell=where))
    return entries


def check_members(
    entries: list[Entry], *, file: str, starts: datetime.date, register: Register
) -> Members:
    """Each entry found in the register, in force on `starts`, once; exactly `GROUP_SIZE`."""
    found = Members()
    problems = ProblemList()
    seen: dict[int, Entry] = {}
    field_name = "file" if file else "members"

    def problem(entry: Entry, cell: str, message: str) -> None:
        problems.append(
            Problem(
                severity=ERROR,
                message=message,
                file=file,
                sheet=entry.sheet,
                cell=cell,
                field=field_name,
            )
        )

    for entry in entries:
        authority = _find(entry, register, problem)
        if authority is None:
            continue
        said = _not_in_force(authority, starts)
        if said:
            problem(entry, entry.cell, said)
            continue
        first = seen.get(authority.pk)
        if first is not None:
            problem(
                entry,
                entry.cell,
                f"{authority.name} is listed twice (also at {_where(first)}): each neighbour "
                "counts once.",
            )
            continue
        seen[authority.pk] = entry
        found.authorities.append(authority)
    if len(entries) != GROUP_SIZE:
        problems.append(
            Problem(
                severity=ERROR,
                message=f"{file or 'The list'} gives {len(entries)} "
                f"{'authority' if len(entries) == 1 else 'authorities'}: a statistical "
                f"neighbour group has {GROUP_SIZE}, one a {'row' if file else 'line'}.",
                file=file,
                field=field_name,
            )
        )
    found.problems = problems.finished(file=file)
    return found


def _where(entry: Entry) -> str:
    if entry.cell.startswith(TYPED):
        return entry.cell  # "Members, line 3"
    return f"sheet '{entry.sheet}', cell {entry.cell}" if entry.sheet else f"cell {entry.cell}"


def _find(entry: Entry, register: Register, problem) -> Authority | None:
    if entry.code:
        authority = register.by_code.get(entry.code.upper())
        if authority is None:
            problem(
                entry,
                entry.code_cell,
                f"{shown(entry.code)} is not an ONS code in the authority register: expected a "
                "local authority's code such as E08000026 (Coventry). An authority the register "
                "lacks is added in Administration (Authorities).",
            )
            return None
        if entry.name and _folded(entry.name) != _folded(authority.name):
            problem(
                entry,
                entry.name_cell,
                f"{shown(entry.name)} does not match {entry.code}, which is {authority.name}: "
                "check the row, so no neighbour is taken for another.",
            )
            return None
    else:
        named = register.by_name.get(_folded(entry.name), [])
        if not named:
            problem(
                entry,
                entry.name_cell,
                f"{shown(entry.name)} is not an authority in the register: expected a local "
                "authority's name as the DfE writes it (such as Kingston upon Hull, City of) or "
                "its ONS code (such as E06000010).",
            )
            return None
        if len(named) > 1:
            codes = ", ".join(a.code or "no code" for a in named)
            problem(
                entry,
                entry.name_cell,
                f"{len(named)} authorities are called {named[0].name} ({codes}): give the ONS "
                "code of the one you mean.",
            )
            return None
        authority = named[0]
    if authority.kind != Authority.Kind.LOCAL_AUTHORITY:
        problem(
            entry,
            entry.cell,
            f"{authority.name} is {KINDS[authority.kind]}, not a local authority: a "
            "statistical neighbour is a local authority.",
        )
        return None
    return authority


def _not_in_force(authority: Authority, starts: datetime.date) -> str:
    """Why the authority cannot be a neighbour from `starts`, or ""."""
    if authority.active_to and authority.active_to < starts:
        after = [a.name for a in authority.replaced_by.all()]
        instead = f" ({' and '.join(after)} took over)" if after else ""
        return (
            f"{authority.name} ({authority.code}) ended on {long_date(authority.active_to)}"
            f"{instead}, before the group starts on {long_date(starts)}."
        )
    if authority.active_from and starts < authority.active_from:
        return (
            f"{authority.name} ({authority.code}) started on {long_date(authority.active_from)}, "
            f"after the group starts on {long_date(starts)}."
        )
    return ""
