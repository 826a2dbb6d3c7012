"""
Checking a return's figures on the way in, whatever they came from.

The typed form and a workbook both arrive as `Entry` objects; the same checks
run on both, every problem is collected (never just the first), and nothing
is stored here: storing is the services' job once the user has seen this.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.spreadsheets import ERROR, WARNING, Cell, Problem, SpreadsheetRejected, read_returns

from .models import LockedPeriod, Return
from .registry import Entry, Line, ReturnSpec


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
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    statuses: dict[str, Status | None] = field(default_factory=dict)


@dataclass
class Checked:
    months: dict[Period, MonthCheck] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

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


def locked_periods(periods) -> set[Period]:
    days = [p.first_day for p in periods]
    return {
        Period.from_date(d)
        for d in LockedPeriod.objects.filter(period__in=days).values_list("period", flat=True)
    }


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
        data, problems = spec.clean_entry(entry=entry, line=line, context=context, file=file)
        if not line.derived:
            month.data[entry.code] = data
        month.problems.extend(problems)
        month.statuses[entry.code] = spec.status_of(line=line, data=data, context=context)
    if not any(p.severity == ERROR for p in month.problems):
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
) -> Checked:
    """Check every entry, month by month, and report every problem at once."""
    today = today or Period.current()
    by_period: dict[Period, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_period[entry.period].append(entry)
    checked = Checked()
    locked = locked_periods(by_period)
    for period in sorted(by_period):
        first = by_period[period][0]
        cell = first.period_cell or first.label
        if period > today:
            checked.problems.append(
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
            checked.problems.append(
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
        checked.problems.extend(month.problems)
    return checked


def preview(*, spec: ReturnSpec, organisation, checked: Checked) -> Checked:
    """Fill in, month by month, every figure that would change against the current ones."""
    returns = {
        Period.from_date(r.period): r
        for r in Return.objects.filter(
            organisation=organisation,
            domain=spec.domain,
            period__in=[p.first_day for p in checked.months],
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
    *, spec: ReturnSpec, organisation, data: bytes, filename: str, submitting: bool = False
) -> Checked:
    """
    Read a workbook and check every month in it, for the upload page and the command line.

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
        spec=spec, organisation=organisation, entries=entries, file=filename, submitting=submitting
    )
    checked.problems[:0] = reading.problems
    if not reading.records and not checked.problems:
        checked.problems.append(
            _error(
                f"{filename} holds no figures the portal could find for the {spec.label}.",
                file=filename,
            )
        )
    return checked
