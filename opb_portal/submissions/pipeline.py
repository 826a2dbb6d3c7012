"""
Checking a return's figures on the way in, whatever they came from.

The typed form and a workbook both arrive as `Entry` objects; the same checks
run on both, every problem is collected (never just the first: the first
`MAX_PROBLEMS`, and how many more), and nothing is stored here: storing is the
services' job once the user has seen this.

The length of every field is limited here, once, for both ways in: the typed
form takes its `max_length` from `field_max_characters`, and an entry from a
workbook, a CSV or `manage.py import_return` is refused past the same limit,
naming its cell, before any of it is cleaned or stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.spreadsheets import (
    ERROR,
    WARNING,
    Cell,
    Problem,
    ProblemList,
    Reading,
    SpreadsheetRejected,
    read_returns,
)
from opb_portal.spreadsheets.cells import shown
from opb_portal.spreadsheets.limits import MAX_NUMBER_CHARACTERS

from .models import LockedPeriod, Return
from .registry import Entry, Line, ReturnSpec

TEXT_MAX_CHARACTERS = 4000
"""Commentary, explanations, reasons and notes: a long paragraph. Every text field of a
return is limited to this, typed or uploaded; an 8 MB commentary that came in through an
upload made the month's board pack time out."""

MAX_MONTHS = 240
"""Months one upload may give: twenty years. Each month is checked against its own
framework and history (a few queries), so ten thousand months would tie a worker up."""


def field_max_characters(line: Line, name: str) -> int:
    """The most characters field `name` of `line` may hold, typed or uploaded.

    Figures are limited as `to_decimal` reads them (`MAX_NUMBER_CHARACTERS`), every
    other field (commentary, and any text a workbook gives) to `TEXT_MAX_CHARACTERS`.
    """
    return MAX_NUMBER_CHARACTERS if name in line.numeric_fields else TEXT_MAX_CHARACTERS


@dataclass
class Change:
    """One figure that a save would change, with its RAG before and after."""

    period: Period
    line: Line
    field: str
    before: str | None
    after: str | None
    status_before: Status | None = None
    status_after: Status | None = None


@dataclass
class MonthCheck:
    period: Period
    data: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: ProblemList = field(default_factory=ProblemList)
    changes: list[Change] = field(default_factory=list)
    statuses: dict[str, Status | None] = field(default_factory=dict)


@dataclass
class Checked:
    months: dict[Period, MonthCheck] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    reading: Reading | None = None  # what a file gave, and which of its sheets (uploads.stage)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(message: str, *, file: str, cell: Cell | None = None, **where) -> Problem:
    location = {"sheet": cell.sheet, "cell": cell.ref} if cell else {}
    return Problem(severity=ERROR, message=message, file=file, **location, **where)


def _too_long(entry: Entry, line: Line, *, file: str, period: Period) -> Problem | None:
    """The first field of `entry` longer than its limit, as an error at its cell."""
    for name, cell in entry.fields.items():
        value = cell.value
        if not isinstance(value, str):
            continue
        most = field_max_characters(line, name)
        if len(value) > most:
            return _error(
                f"The {name} of {line.code} for {period.long} is {len(value):,} characters "
                f"long ({shown(value, limit=30)}); it may have at most {most:,}: shorten it.",
                file=file,
                cell=cell,
                measure=line.code,
                period=period.iso,
                field=name,
            )
    return None


def locked_periods(periods) -> set[Period]:
    return set(LockedPeriod.objects.filter(period__in=periods).values_list("period", flat=True))


def _check_month(
    *,
    spec: ReturnSpec,
    organisation,
    period: Period,
    entries: list[Entry],
    file: str,
    submitting: bool,
) -> MonthCheck:
    month = MonthCheck(period)
    lines = {line.code: line for line in spec.lines(period)}
    if not lines:
        month.problems.append(
            _error(
                f"No {spec.label} is expected for {period.long}: no framework is in force then.",
                file=file,
                cell=entries[0].label if entries else None,
                period=period.iso,
            )
        )
        return month
    context = spec.context(organisation=organisation, period=period)
    seen: dict[str, Entry] = {}
    for entry in entries:
        where = {"measure": entry.code or "", "period": period.iso}
        if entry.code is None or entry.code not in lines:
            month.problems.append(
                _error(
                    f"{entry.label.value!r} is not a line of the {spec.label} for {period.long}: "
                    f"expected one of {', '.join(lines)}.",
                    file=file,
                    cell=entry.label,
                    **where,
                )
            )
            continue
        if entry.code in seen:
            first = seen[entry.code].label
            month.problems.append(
                _error(
                    f"{entry.code} appears twice for {period.long} (also at "
                    f"{first.sheet + '!' if first.sheet else ''}{first.ref}): keep one row.",
                    file=file,
                    cell=entry.label,
                    **where,
                )
            )
            continue
        seen[entry.code] = entry
        line = lines[entry.code]
        too_long = _too_long(entry, line, file=file, period=period)
        if too_long is not None:
            # Nothing of an entry over a limit is cleaned, kept or shown again.
            month.problems.append(too_long)
            continue
        data, problems = spec.clean_entry(entry=entry, line=line, context=context, file=file)
        if not line.derived:
            month.data[entry.code] = data
        month.problems.extend(problems)
        month.statuses[entry.code] = spec.status_of(line=line, data=data, context=context)
    if not month.problems.has_errors:
        month.problems.extend(
            spec.check_month(
                period=period, data=month.data, entries=seen, context=context, file=file
            )
        )
    if submitting:
        for code, line in lines.items():
            if line.derived:
                continue
            missing = [f for f in line.required if not month.data.get(code, {}).get(f)]
            if missing:
                month.problems.append(
                    _error(
                        f"{code} ({line.title}) has no {' or '.join(missing)} for {period.long}: "
                        "every line of the return needs one before it can be submitted.",
                        file=file,
                        cell=seen[code].label if code in seen else None,
                        measure=code,
                        period=period.iso,
                        field=missing[0],
                    )
                )
    return month


def check_entries(
    *,
    spec: ReturnSpec,
    organisation,
    entries: list[Entry],
    file: str = "",
    submitting: bool = False,
    today: Period | None = None,
    found: ProblemList | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Checked:
    """Check every entry, month by month, and report every problem at once.

    `found` are problems met before (reading the file): they come first. The problems
    are capped at `MAX_PROBLEMS`, the last one saying how many more there were.
    `progress(done, total, message)` hears of each month as it is checked (a job's page).
    """
    today = today or Period.current()
    by_period: dict[Period, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_period[entry.period].append(entry)
    problems = ProblemList(found or ())
    if len(by_period) > MAX_MONTHS:
        first = sorted(by_period)
        problems.append(
            _error(
                f"{file or 'The return'} gives figures for {len(by_period):,} months, from "
                f"{first[0].long} to {first[-1].long}: upload at most {MAX_MONTHS:,} months "
                "(twenty years) at a time.",
                file=file,
            )
        )
        return Checked(problems=problems.finished(file=file))
    checked = Checked()
    locked = locked_periods(by_period)
    for number, period in enumerate(sorted(by_period), start=1):
        if progress is not None:
            progress(
                number - 1,
                len(by_period),
                f"Checking {file or 'the return'}: {period.long}, month {number} of "
                f"{len(by_period)}",
            )
        first = by_period[period][0]
        cell = first.period_cell or first.label
        if period > today:
            problems.append(
                _error(
                    f"{period.long} is in the future: a return can only be sent for a month "
                    f"that has started (up to {today.long}).",
                    file=file,
                    cell=cell,
                    period=period.iso,
                )
            )
            continue
        if period in locked:
            problems.append(
                _error(
                    f"{period.long} is locked: the OPB has met on its figures. "
                    "Ask an administrator to unlock it if a correction is needed.",
                    file=file,
                    cell=cell,
                    period=period.iso,
                )
            )
            continue
        month = _check_month(
            spec=spec,
            organisation=organisation,
            period=period,
            entries=by_period[period],
            file=file,
            submitting=submitting,
        )
        checked.months[period] = month
        problems.extend(month.problems)
    checked.problems = problems.finished(file=file)
    return checked


def preview(*, spec: ReturnSpec, organisation, checked: Checked) -> Checked:
    """Fill in, month by month, every figure that would change against the current ones."""
    returns = {
        r.period: r
        for r in Return.objects.filter(
            organisation=organisation,
            domain=spec.domain,
            period__in=list(checked.months),
        ).select_related("current_version")
    }
    for period, month in checked.months.items():
        ret = returns.get(period)
        before_data = ret.current_version.data if ret and ret.current_version else {}
        context = spec.context(organisation=organisation, period=period)
        for line in spec.lines(period):
            new, old = month.data.get(line.code), before_data.get(line.code)
            if new is None:
                continue
            old = old or {}
            status_before = spec.status_of(line=line, data=old, context=context) if old else None
            for name in line.fields:
                if (old.get(name) or "") != (new.get(name) or ""):
                    month.changes.append(
                        Change(
                            period,
                            line,
                            name,
                            old.get(name) or None,
                            new.get(name) or None,
                            status_before,
                            month.statuses.get(line.code),
                        )
                    )
    return checked


def check_upload(
    *,
    spec: ReturnSpec,
    organisation,
    data: bytes,
    filename: str,
    submitting: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Checked:
    """
    Read a workbook and check every month in it, for the upload's check (a job, whose
    page hears `progress` month by month), the preview and the command line.

    A file refused as a whole (not a workbook, macros, a zip bomb...) comes
    back as a single error, never as an exception.
    """
    try:
        reading = read_returns(data, filename=filename, spec=spec.layout)
    except SpreadsheetRejected as refused:
        return Checked(problems=[refused.problem])
    entries = [
        Entry(
            code=record.code,
            label=record.measure,
            period=record.period,
            fields=record.fields,
            period_cell=record.period_cell,
        )
        for record in reading.records
    ]
    checked = check_entries(
        spec=spec,
        organisation=organisation,
        entries=entries,
        file=filename,
        submitting=submitting,
        found=reading.problems,
        progress=progress,
    )
    checked.reading = reading
    if not reading.records and not checked.problems:
        checked.problems.append(
            _error(
                f"{filename} holds no figures the portal could find for the {spec.label}.",
                file=filename,
            )
        )
    return checked


def rate_typed(
    *, spec: ReturnSpec, organisation, period: Period, line: Line, number: Decimal
) -> Status | None:
    """
    The RAG of one figure as it is typed; None ("Not rated") for a figure the form would
    refuse (150 for a percentage, too many places, below zero), whatever colour its number
    would have.
    """
    context = spec.context(organisation=organisation, period=period)
    cell = Cell(sheet="", ref=line.code, value=str(number))
    entry = Entry(code=line.code, label=cell, period=period, fields={"value": cell})
    _, problems = spec.clean_entry(entry=entry, line=line, context=context, file="")
    if any(p.is_error and p.field == "value" for p in problems):
        return None
    return spec.status_of(line=line, data={"value": str(number)}, context=context)
