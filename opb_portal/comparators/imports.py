"""
Reading and checking comparator figures, and working out what saving them would change.

The layout (the template on the import page, docs/data-dictionary.md): one table,
`TABLE`, whose heading row names Code, Authority, Year and Value, and optionally
Source. It comes as an .xlsx (every sheet with those headings is read; sheets without
them, such as notes, are left alone) or as a CSV, and is read by the spreadsheets'
table reader (`spreadsheets.read_table`): the same safe intake, limits and header
finding as a return. A row whose authority is "Statistical neighbour average" is the
average the source published, for the neighbour group in force at March of its year.

The typed form's five fields go through the very same row checks. Every problem is
collected with its file, sheet and cell; nothing here writes. A code is checked
against the codes the domains registered (`registry`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from opb_portal.core.previews import ADDED, CHANGED, UNCHANGED, ByState
from opb_portal.periods import FinancialYear, Period, PeriodError
from opb_portal.spreadsheets import (
    ERROR,
    Cell,
    Column,
    Problem,
    ProblemList,
    TableRow,
    TableSpec,
    fraction_hint,
    read_table,
    to_decimal,
)
from opb_portal.spreadsheets.cells import shown, tidy
from opb_portal.submissions.uploads import fingerprint

from . import registry
from .models import FIRST_YEAR, Authority, ComparatorValue, NeighbourGroup, PublishedAverage
from .registry import Subject
from .selectors import figure_date

MAX_SOURCE = ComparatorValue._meta.get_field("source").max_length
TABLE = TableSpec(
    columns=(
        # The words people head these columns with, as found in published tables.
        Column("code", "Code", ("measure", "measure code", "kpi", "kpi code")),
        Column("authority", "Authority", ("local authority", "la", "area", "ons code", "name")),
        Column("year", "Year", ("year (at march)",)),
        Column("value", "Value", ("figure",)),
        Column("source", "Source", ("source (optional)",), required=False),
    )
)
FIELDS = tuple(column.name for column in TABLE.columns)
REQUIRED = tuple(column.name for column in TABLE.required)
HEADINGS = {column.name: column.heading for column in TABLE.columns}
AVERAGE_NAMES = frozenset(
    {PublishedAverage.LABEL.casefold(), "statistical neighbours", "sn average"}
)
_YEAR = re.compile(r"\d{4}\Z")


def _either(words: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return " or ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- checking --------------------------------------------------------------------------


@dataclass
class Lookups:
    """Everything the row checks need, fetched once (a query per registered source of
    codes, then authorities and neighbour groups)."""

    subjects: dict[str, list[Subject]]  # folded code -> what it names, oldest first
    authorities: dict[str, Authority]
    groups: list[NeighbourGroup]
    last_year: int
    # folded name -> the authorities sharing it: found only by ONS code.
    ambiguous: dict[str, list[Authority]] = field(default_factory=dict)
    nouns: list[str] = field(default_factory=list)  # "demand measure", "KPI"
    examples: list[str] = field(default_factory=list)  # "children_in_care", "PI1"

    @classmethod
    def load(cls) -> Lookups:
        subjects: dict[str, list[Subject]] = {}
        nouns, examples = [], []
        for source, listed in registry.listed():
            nouns.append(source.noun)
            examples.append(source.example)
            for subject in listed:
                subjects.setdefault(_folded(subject.code), []).append(subject)
        authorities, by_name = {}, {}
        for authority in Authority.objects.all():
            by_name.setdefault(_folded(authority.name), []).append(authority)
            if authority.code:
                authorities[_folded(authority.code)] = authority
                authorities[_folded(f"{authority.name} ({authority.code})")] = authority
        # A name two authorities share (Dorset, the county to 2019 and the unitary since)
        # names neither: a figure is never joined to an authority by a shared name.
        ambiguous = {name: found for name, found in by_name.items() if len(found) > 1}
        for name, found in by_name.items():
            if name not in ambiguous:
                authorities.setdefault(name, found[0])
        return cls(
            subjects=subjects,
            authorities=authorities,
            ambiguous=ambiguous,
            groups=list(NeighbourGroup.objects.all()),
            last_year=timezone.localdate().year,
            nouns=nouns,
            examples=examples,
        )

    def subject(self, text: str, year: int | None) -> Subject | None:
        """
        What a code names in `year`. Codes may be reused over time (PI2 was a rate in the
        2018 framework and a percentage in 2024), so a code means what was in force at
        March of the year, or the nearest: the first, for a year before it, else the last.
        """
        versions = self.subjects.get(_folded(text))
        if not versions:
            return None
        if year is None:
            return versions[-1]
        march = Period(year, 3).first_day
        for subject in versions:
            if subject.covers(march):
                return subject
        first = versions[0]
        before = first.effective_from is not None and march < first.effective_from
        return first if before else versions[-1]

    def group(self, year: int) -> NeighbourGroup | None:
        day = figure_date(year)
        return next((group for group in self.groups if group.covers(day)), None)

    @property
    def authority_list(self) -> list[Authority]:
        """Each authority once (the lookup holds it by name and by ONS code)."""
        unique = {authority.pk: authority for authority in self.authorities.values()}
        return sorted(unique.values(), key=lambda a: (a.kind, a.name))

    def label(self, authority: Authority) -> str:
        """How the typed form names an authority: its name, with its ONS code where another
        authority has the same name ("Dorset (E06000059)")."""
        if _folded(authority.name) in self.ambiguous and authority.code:
            return f"{authority.name} ({authority.code})"
        return authority.name

    @property
    def codes(self) -> list[str]:
        """Every code once, in the order the sources list them (for the typed form)."""
        return list(dict.fromkeys(v[-1].code for v in self.subjects.values()))

    def unknown_code(self, text: str) -> str:
        nouns = _either(self.nouns) or "known"
        examples = _either(self.examples)
        such_as = f"a code such as {examples}" if examples else "a code"
        return (
            f"{shown(text)} is not a {nouns} code: expected {such_as} (the import page "
            "lists them all)."
        )


@dataclass(frozen=True)
class ComparatorRow:
    """One checked figure: an authority's (`authority`) or a published average's (`group`)."""

    code: str
    year: int
    value: Decimal
    source: str  # "" keeps the source already stored
    authority: Authority | None = None
    group: NeighbourGroup | None = None
    where: str = ""
    # A doubt to show before importing, not an error: "0.872: did you mean 87.2%?"
    warning: str = ""

    @property
    def key(self) -> tuple:
        if self.authority is not None:
            return (self.code, self.year, "authority", self.authority.pk)
        return (self.code, self.year, "group", self.group.pk)

    @property
    def name(self) -> str:
        if self.authority is not None:
            return self.authority.name
        return f"{PublishedAverage.LABEL} ({self.group.name})"


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None or cell.error is not None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _year(cell: Cell, *, last_year: int) -> int | str:
    """The year a cell names (2024, or 2023-24 for the year ending March 2024), or a message."""
    value = cell.value
    year = None
    if isinstance(value, bool) or cell.error is not None:
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _YEAR.match(text):
            year = int(text)
        else:
            try:
                year = FinancialYear.parse(text).start_year + 1
            except PeriodError:
                year = None
    expected = (
        f"expected a year from {FIRST_YEAR} to {last_year}, such as 2024 (at March 2024, or "
        "the financial year 2023-24)"
    )
    if year is None:
        found = cell.error if cell.error is not None else value
        if isinstance(value, datetime.date):
            return f"{shown(found)} is a date, not a year: {expected}."
        return f"{shown(found)} is not a year: {expected}."
    if not FIRST_YEAR <= year <= last_year:
        return f"{year} is out of range: {expected}."
    return year


def check_row(raw: TableRow, *, file: str, lookups: Lookups) -> tuple[ComparatorRow | None, list]:
    """One row's checked figure, or None and every problem with it."""
    cells = raw.cells
    problems: list[Problem] = []
    code_text = _text(cells["code"])
    year_cell = cells["year"]

    def problem(name: str, message: str) -> None:
        cell = cells[name]
        problems.append(
            Problem(
                severity=ERROR,
                message=message,
                file=file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=code_text,
                period=_text(year_cell),
                field=name,
            )
        )

    for name in REQUIRED:
        if cells[name].is_blank:
            problem(
                name,
                f"No {HEADINGS[name].lower()}: every row needs a code, an authority, a year and "
                "a value (delete a row that has no figure).",
            )
    year = None
    if not year_cell.is_blank:
        year = _year(year_cell, last_year=lookups.last_year)
        if isinstance(year, str):
            problem("year", year)
            year = None
    subject = None
    if code_text:
        subject = lookups.subject(code_text, year)
        if subject is None:
            problem("code", lookups.unknown_code(code_text))
    authority = group = None
    authority_text = _text(cells["authority"])
    if authority_text:
        if _folded(authority_text) in AVERAGE_NAMES:
            group = lookups.group(year) if year is not None else None
            if year is not None and group is None:
                problem(
                    "authority",
                    f"No statistical neighbour group covers March {year}, so there is no group "
                    f"for a published average of {year}: add the group first (Administration).",
                )
        else:
            authority = lookups.authorities.get(_folded(authority_text))
            shared = lookups.ambiguous.get(_folded(authority_text))
            if authority is None and shared:
                codes = ", ".join(a.code or "no code yet" for a in shared)
                problem(
                    "authority",
                    f"{len(shared)} authorities are called {shared[0].name} ({codes}): "
                    "give the ONS code of the one you mean instead of the name.",
                )
            elif authority is None:
                problem(
                    "authority",
                    f"{shown(authority_text)} is not an authority the portal knows: expected an "
                    "authority's name or ONS code (such as Sandwell or E08000028), a region, "
                    f"England, or '{PublishedAverage.LABEL}'.",
                )
    value = _value(cells["value"], subject, file=file, code=code_text, year=_text(year_cell))
    if isinstance(value, Problem):
        problems.append(value)
    elif isinstance(value, str):
        problem("value", value)
    source = _text(cells["source"]) if "source" in cells else ""
    if len(source) > MAX_SOURCE:
        problem(
            "source",
            f"The source is {len(source)} characters long, over the {MAX_SOURCE} allowed: "
            "shorten it (the import keeps the file's name anyway).",
        )
    if problems or subject is None or year is None or value is None:
        return None, problems
    hint = fraction_hint(cells["value"], value) if subject.percent else None
    row = ComparatorRow(
        code=subject.code,
        year=year,
        value=value,
        source=source,
        authority=authority,
        group=group,
        where=raw.where,
        warning=(
            f"{hint} {subject.code} is a percentage, and in a cell not formatted as one "
            f"{value} means {value}%: if you meant {tidy(value * 100)}%, type {tidy(value * 100)} "
            "(or format the cell as a percentage) and check the file again."
            if hint
            else ""
        ),
    )
    return row, problems


def _value(
    cell: Cell, subject: Subject | None, *, file, code, year
) -> Decimal | Problem | str | None:
    # An unknown code is reported on its own: its value is read leniently, not judged.
    percent = subject is None or subject.percent
    value = to_decimal(cell, percent=percent, file=file, measure=code, period=year)
    if not isinstance(value, Decimal) or subject is None:
        return value
    if value < 0:
        return f"{value} is negative: {subject.code} is a {subject.noun}, which cannot be below 0."
    if percent and value > 100:
        return f"{value}% is over 100: {subject.code} is a percentage, from 0 to 100."
    return value


def check_rows(
    raw_rows: Iterable[TableRow], *, file: str, lookups: Lookups
) -> tuple[list[ComparatorRow], list[Problem]]:
    """Every row checked, and a figure given twice reported at its second row.

    The problems are the first `MAX_PROBLEMS`, with how many more there were.
    """
    rows: list[ComparatorRow] = []
    problems = ProblemList()
    seen: dict[tuple, TableRow] = {}
    for raw in raw_rows:
        row, found = check_row(raw, file=file, lookups=lookups)
        problems.extend(found)
        if row is None:
            continue
        first = seen.get(row.key)
        if first is not None:
            cell = raw.cells["code"]
            problems.append(
                Problem(
                    severity=ERROR,
                    message=f"{row.code} for {row.name} in {row.year} is given twice (also at "
                    f"{first.where}): keep one row.",
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                    measure=row.code,
                    period=str(row.year),
                    field="code",
                )
            )
            continue
        seen[row.key] = raw
        rows.append(row)
    return rows, problems.finished(file=file)


def typed_row(
    *, code: str, authority: str, year: str, value: str, source: str, lookups: Lookups
) -> tuple[ComparatorRow | None, list[Problem]]:
    """The typed form's five fields, through the same checks as a file's row."""
    typed = {"code": code, "authority": authority, "year": year, "value": value, "source": source}
    cells = {
        name: Cell(sheet="", ref=HEADINGS[name], value=(text or "").strip() or None)
        for name, text in typed.items()
    }
    return check_row(TableRow(sheet="", number=0, cells=cells), file="", lookups=lookups)


# --- what saving would change ------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One checked figure beside the one stored now (`current`, None if there is none)."""

    row: ComparatorRow
    current: ComparatorValue | PublishedAverage | None

    @property
    def old_value(self) -> Decimal | None:
        return self.current.value if self.current is not None else None

    @property
    def old_source(self) -> str:
        return self.current.source if self.current is not None else ""

    @property
    def new_source(self) -> str:
        """A blank source keeps the one stored: leaving a cell empty never erases it."""
        return self.row.source or self.old_source

    @property
    def state(self) -> str:
        if self.current is None:
            return ADDED
        # Compared as numbers: 95.20 typed over 95.2 is the same figure.
        if self.current.value != self.row.value or self.new_source != self.old_source:
            return CHANGED
        return UNCHANGED

    @property
    def figure(self) -> str:
        """The figure's name in a preview's base: "children_in_care|2024|authority|7"."""
        return "|".join(map(str, self.row.key))

    @property
    def was(self) -> list[str] | None:
        """The figure as stored now ([value, source]), None where none is."""
        return None if self.current is None else [str(self.current.value), self.current.source]


@dataclass
class Plan(ByState):
    """What importing a file (or saving a typed figure) would do, or why it cannot."""

    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[Planned]:
        """Figures imported as they are but worth a second look (a fraction for a %)."""
        return [planned for planned in self.rows if planned.row.warning]

    @property
    def base(self) -> dict[str, list[str] | None]:
        """
        Every figure the file touches as it stands: {figure: [value, source]}, None where
        none is stored. What the preview was computed against (the staged file keeps it);
        the file's own figures are fixed by its SHA-256.
        """
        return {planned.figure: planned.was for planned in self.rows}

    @property
    def fingerprint(self) -> str:
        """
        The SHA-256 of `base` (`uploads.fingerprint`): the confirmation carries the one its
        author saw, so a preview made stale by someone else's change cannot apply.
        """
        return fingerprint(self.base)


def plan_rows(rows: list[ComparatorRow], *, lock: bool = False) -> list[Planned]:
    """
    Each row beside the figure stored now (2 queries: authorities' figures, published
    averages). `lock` holds those rows until the transaction ends, for the save.
    """
    codes = {row.code for row in rows}
    years = {row.year for row in rows}
    values = ComparatorValue.objects.filter(code__in=codes, year__in=years)
    averages = PublishedAverage.objects.filter(code__in=codes, year__in=years)
    if lock:
        values, averages = values.select_for_update(), averages.select_for_update()
    stored: dict[tuple, ComparatorValue | PublishedAverage] = {}
    if any(row.authority is not None for row in rows):
        for value in values:
            stored[(value.code, value.year, "authority", value.authority_id)] = value
    if any(row.group is not None for row in rows):
        for average in averages:
            stored[(average.code, average.year, "group", average.group_id)] = average
    return [Planned(row=row, current=stored.get(row.key)) for row in rows]


def plan_file(data: bytes, *, filename: str, lock: bool = False) -> Plan:
    """Read, check and compare a file: its problems, or every figure it would add or change."""
    reading = read_table(data, filename=filename, spec=TABLE)
    if reading.problems:
        return Plan(filename=filename, problems=reading.problems.finished(file=filename))
    rows, problems = check_rows(reading.rows, file=filename, lookups=Lookups.load())
    if problems:
        return Plan(filename=filename, problems=problems)
    return Plan(filename=filename, rows=plan_rows(rows, lock=lock))
