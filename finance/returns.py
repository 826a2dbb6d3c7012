"""
The finance return: how the monthly finance figures plug into the shared return machinery.

The lines of a month come from its financial year's plan (`FinanceYear`):

- each expenditure budget line, third-party income source and savings scheme
  takes `actual_to_date` (spent, received or delivered since 1 April) and
  `value`, the forecast outturn for the year (forecast spending, income or
  savings), with commentary;
- each cost driver takes `value`, this month's level (children, or pounds a
  week), with commentary;
- the totals (TOTAL-STAFFING ... TOTAL-SAVINGS) are derived: a workbook may
  give them, and they are then checked against the sum of their lines, but
  they are never stored.

Why the forecast outturn is the field called `value`: it is each line's
headline figure, and the shared machinery treats `value` as the headline. A
wide table (months across) then reads as each line's forecast month by month,
the tracker finance teams keep; the form and the template show last month's
forecast beside each line; and the RAG follows the forecast as it is typed.

Money is whole pounds. `1234`, `1,234`, `£1,234` and `£ 1,234` are read alike;
a figure with pence is an error rather than rounded, because a figure the
portal changed is a figure nobody approved. Nothing in the return can be
negative (a refund or a credit is netted off its line).

Checks, besides the machinery's own (months, locks, duplicates, missing lines):

- errors: not a number, pence, negative, a figure in a column the line does
  not take, a total that does not match its lines;
- warnings (answered by the line's commentary, or an explanation at
  submission): a forecast below the actual to date, a forecast that moved
  since last month by more than the year's `movement_tolerance`, an actual to
  date lower than last month's, a red line (see `finance.variance`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from opb_portal.formatting import pounds
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.spreadsheets import ERROR, WARNING, Cell, LayoutSpec, Problem, to_decimal
from opb_portal.spreadsheets.cells import shown
from opb_portal.submissions import registry
from opb_portal.submissions.figures import save_rows
from opb_portal.submissions.registry import Entry, Line, ReturnSpec

from . import selectors, variance
from .models import (
    EXPENDITURE_GROUPS,
    CostDriver,
    DriverFigure,
    FinanceFigure,
    FinanceLine,
    FinanceYear,
    LineGroup,
    LineKind,
)

MONEY_FIELDS = ("actual_to_date", "value")
DRIVER = "driver"
TOTAL = "total"
# The derived totals: code, title, the groups they add up.
TOTALS = (
    ("TOTAL-STAFFING", "Staffing total", (LineGroup.STAFFING,)),
    ("TOTAL-PLACEMENTS", "Placements total", (LineGroup.PLACEMENTS,)),
    ("TOTAL-OVERHEADS", "Overheads total", (LineGroup.OVERHEADS,)),
    ("TOTAL-EXPENDITURE", "Total expenditure", EXPENDITURE_GROUPS),
    ("TOTAL-INCOME", "Third-party income total", (LineGroup.INCOME,)),
    ("TOTAL-SAVINGS", "Savings total", (LineGroup.SAVINGS,)),
)
UNITS = {
    LineKind.EXPENDITURE: "£ forecast outturn",
    LineKind.INCOME: "£ forecast income",
    LineKind.SAVINGS: "£ forecast savings",
    TOTAL: "£, worked out: leave empty, or give it to have it checked",
}
# What each figure is called in messages, by kind of line.
FIELD_WORDS = {
    LineKind.EXPENDITURE: {"actual_to_date": "actual to date", "value": "forecast outturn"},
    LineKind.INCOME: {"actual_to_date": "income received to date", "value": "forecast income"},
    LineKind.SAVINGS: {"actual_to_date": "savings delivered to date", "value": "forecast savings"},
    TOTAL: {"actual_to_date": "actual to date", "value": "forecast"},
    DRIVER: {"value": "value"},
}
_POUND = re.compile(r"^([+\-\u2212]?)\s*£\s*")


@dataclass(frozen=True)
class LineInfo:
    """What the checks know about one line of the month."""

    code: str
    title: str
    kind: str  # expenditure, income, savings, driver or total
    budget: Decimal | None = None
    money: bool = True
    whole: bool = True
    unit: str = ""  # a driver's: children, £ a week, FTE, %
    components: tuple[str, ...] = ()  # the lines a total adds up
    total_kind: str = ""  # what a total adds up: expenditure, income or savings

    @property
    def rated_kind(self) -> str:
        return self.total_kind or self.kind


@dataclass
class FinanceContext:
    period: Period
    year: FinanceYear | None
    lines: dict[str, LineInfo] = field(default_factory=dict)
    # Last month's approved figures of the same financial year, by code and field.
    previous: dict[str, dict[str, Decimal | None]] = field(default_factory=dict)

    def allowed(self, info: LineInfo) -> Decimal:
        return variance.tolerance(
            info.budget,
            percent=self.year.variance_tolerance_percent,
            amount=self.year.variance_tolerance_amount,
        )


def line_infos(year: FinanceYear) -> dict[str, LineInfo]:
    """Every line of a year's return, in display order: plan lines, drivers, then totals."""
    infos: dict[str, LineInfo] = {}
    lines: list[FinanceLine] = list(year.lines.all())
    for line in lines:
        infos[line.code] = LineInfo(line.code, line.name, line.kind, line.budget)
    for driver in year.drivers.all():
        infos[driver.code] = LineInfo(
            driver.code,
            driver.name,
            DRIVER,
            money=driver.is_money,
            whole=driver.is_whole,
            unit=driver.unit,
        )
    for code, title, groups in TOTALS:
        parts = [line for line in lines if line.group in groups]
        if not parts:
            continue
        infos[code] = LineInfo(
            code,
            title,
            TOTAL,
            sum((line.budget for line in parts), Decimal(0)),
            components=tuple(line.code for line in parts),
            total_kind=parts[0].kind,
        )
    return infos


def _line(info: LineInfo) -> Line:
    if info.kind == DRIVER:
        return Line(
            code=info.code,
            title=info.title,
            unit=info.unit or ("£ a week" if info.money else "children"),
            money=info.money,
            # A share is written with its % (17.4%), staff in FTE at two places (179.42).
            percent=info.unit == "%",
            places=2 if info.unit == "FTE" else None,
            numeric_fields=("value",),
        )
    derived = info.kind == TOTAL
    return Line(
        code=info.code,
        title=info.title,
        unit=UNITS[info.kind],
        money=True,
        numeric_fields=MONEY_FIELDS,
        text_fields=() if derived else ("commentary",),
        required=() if derived else MONEY_FIELDS,
        derived=derived,
    )


def _without_pound_sign(cell: Cell) -> Cell:
    """`£1,234` as `1,234`, keeping the cell's place, for `to_decimal` to read."""
    if not isinstance(cell.value, str):
        return cell
    text = _POUND.sub(lambda match: match[1], cell.value.strip(), count=1)
    return dataclasses.replace(cell, value=text)


class FinanceReturnSpec(ReturnSpec):
    domain = "finance"
    label = "finance return"
    submitter_role = "finance_submitter"  # registered with its label in apps.py
    words = ("forecast outturn", "actual to date", "budget", "expenditure", "contract sum")

    @property
    def layout(self) -> LayoutSpec:
        labels: dict[str, str] = {}
        for code, name in FinanceLine.objects.values_list("code", "name"):
            labels[code.lower()] = code
            labels[name.lower()] = code
        for code, measure in CostDriver.objects.values_list("code", "measure"):
            labels[code.lower()] = code
            labels[CostDriver.Measure(measure).label.lower()] = code
        for code, title, _groups in TOTALS:
            labels[code.lower()] = code
            labels[title.lower()] = code
        return LayoutSpec(
            domain=self.domain,
            template_sheet="Finance return",
            not_returns=(
                (
                    ("row", "rule applied", "variance (£)"),
                    "is the portal's finance budget lines export, a report with totals and "
                    "figures as text, not a return: "
                    "upload the return's own figures (from its page) or the template.",
                ),
            ),
            measure_headers=("line", "code", "budget line", "line code"),
            fields={
                "actual_to_date": (
                    "actual to date (received, delivered)",
                    "actual to date",
                    "actual",
                    "actuals",
                    "spend to date",
                    "received",
                    "received to date",
                    "income received",
                    "delivered",
                    "delivered to date",
                ),
                "value": (
                    "forecast outturn (drivers: this month)",
                    "forecast outturn",
                    "forecast",
                    "outturn",
                    "forecast income",
                    "forecast savings",
                    "value",
                ),
                "commentary": ("commentary", "comment", "comments", "narrative"),
            },
            measure_labels=labels,
            other_domains=registry.words_of_others(self.domain),
            measure_noun="budget line",
        )

    def lines(self, period: Period) -> list[Line]:
        year = selectors.plan_for(period)
        if year is None:
            return []
        return [_line(info) for info in line_infos(year).values()]

    def context(self, *, organisation, period: Period) -> FinanceContext:
        year = selectors.plan_for(period)
        if year is None:
            return FinanceContext(period, None)
        context = FinanceContext(period, year, line_infos(year))
        if period.month_of_year > 1:  # April's last month belongs to another year's plan
            last_month = period.shift(-1)
            for code, actual, forecast in FinanceFigure.objects.filter(
                line__year=year, period=last_month
            ).values_list("line__code", "actual_to_date", "forecast_outturn"):
                context.previous[code] = {"actual_to_date": actual, "value": forecast}
            for code, value in DriverFigure.objects.filter(
                driver__year=year, period=last_month
            ).values_list("driver__code", "value"):
                context.previous[code] = {"value": value}
        return context

    # --- checking one line -------------------------------------------------------

    def _number(self, cell: Cell, info: LineInfo, name: str, *, file: str, period: str):
        """The cell's figure (Decimal or None) or the Problem with it."""
        found = to_decimal(
            _without_pound_sign(cell),
            percent=False,
            file=file,
            measure=info.code,
            period=period,
            field=name,
        )
        if found is None or isinstance(found, Problem):
            return found
        word = FIELD_WORDS[info.kind][name]

        def problem(message: str) -> Problem:
            return Problem(
                severity=ERROR,
                message=message,
                file=file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=info.code,
                period=period,
                field=name,
            )

        if found < 0:
            return problem(
                f"{info.code}'s {word} is negative ({shown(cell.value)}): it cannot be below "
                "zero. Net a refund or a credit off the line's figure."
            )
        if info.whole and found != found.to_integral_value():
            rounded = found.quantize(Decimal(1), ROUND_HALF_UP)
            if info.money:
                return problem(
                    f"{info.code}'s {word} {shown(cell.value)} has pence: the finance return is "
                    f"in whole pounds. Type {rounded:,}."
                )
            return problem(
                f"{info.code}'s {word} {shown(cell.value)} is not a whole number of children."
            )
        return found

    def clean_entry(self, *, entry: Entry, line: Line, context: FinanceContext, file: str):
        info = context.lines[line.code]
        iso = entry.period.iso
        problems: list[Problem] = []
        numbers: dict[str, Decimal | None] = {}
        for name in MONEY_FIELDS:
            cell = entry.fields.get(name)
            if cell is None or cell.is_blank:
                numbers[name] = None
                continue
            if name not in line.numeric_fields:
                problems.append(
                    Problem(
                        severity=ERROR,
                        message=(
                            f"{line.code} ({line.title}) takes one figure, this month's value, "
                            f"and no actual to date: leave this cell empty (found "
                            f"{shown(cell.value)})."
                        ),
                        file=file,
                        sheet=cell.sheet,
                        cell=cell.ref,
                        measure=line.code,
                        period=iso,
                        field=name,
                    )
                )
                continue
            found = self._number(cell, info, name, file=file, period=iso)
            if isinstance(found, Problem):
                problems.append(found)
                found = None
            numbers[name] = found
        commentary_cell = entry.fields.get("commentary")
        commentary = str(commentary_cell.value or "").strip() if commentary_cell else ""
        data = {name: _text(numbers.get(name)) for name in line.numeric_fields}
        data.update(dict.fromkeys(line.text_fields, commentary))
        if problems or info.kind in (DRIVER, TOTAL):
            return data, problems
        return data, self._warnings(entry, line, info, numbers, commentary, context, file)

    def _warnings(self, entry, line, info, numbers, commentary, context, file) -> list[Problem]:
        words = FIELD_WORDS[info.kind]
        actual, forecast = numbers["actual_to_date"], numbers["value"]
        warnings: list[Problem] = []

        def warn(message: str, name: str) -> None:
            cell = entry.fields.get(name) or entry.label
            warnings.append(
                Problem(
                    severity=WARNING,
                    message=message,
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                    measure=line.code,
                    period=entry.period.iso,
                    field=name,
                )
            )

        if actual is not None and forecast is not None and forecast < actual:
            warn(
                f"{line.code}'s {words['value']} ({pounds(forecast)}) is below its "
                f"{words['actual_to_date']} ({pounds(actual)}): the year's figure cannot end "
                "below what has already happened. Check both, and explain it in the commentary.",
                "value",
            )
        before = context.previous.get(line.code, {})
        last_month = entry.period.shift(-1).long
        moved_from = before.get("value")
        if forecast is not None and moved_from is not None:
            change = forecast - moved_from
            if abs(change) > context.year.movement_tolerance:
                warn(
                    f"{line.code}'s {words['value']} moved by {pounds(change, signed=True)} since "
                    f"{last_month} ({pounds(moved_from)} to {pounds(forecast)}), more than the "
                    f"{pounds(context.year.movement_tolerance)} the administrator expects: check "
                    "it, and explain it in the commentary.",
                    "value",
                )
        fell_from = before.get("actual_to_date")
        if actual is not None and fell_from is not None and actual < fell_from:
            warn(
                f"{line.code}'s {words['actual_to_date']} fell from {pounds(fell_from)} in "
                f"{last_month} to {pounds(actual)}: a year-to-date figure only falls with a "
                "correction. Check it, and explain it in the commentary.",
                "actual_to_date",
            )
        if forecast is not None and not commentary:
            allowed = context.allowed(info)
            if variance.status(info.kind, info.budget, forecast, allowed=allowed) == Status.RED:
                adverse = variance.adverse(info.kind, info.budget, forecast)
                warn(
                    f"{line.code} is red: {words['value']} {pounds(forecast)} against "
                    f"{pounds(info.budget)}, {variance.adverse_phrase(info.kind, adverse)} (red "
                    f"beyond {pounds(2 * allowed)}): explain it in the commentary.",
                    "commentary",
                )
        return warnings

    def check_month(self, *, period, data, entries, context: FinanceContext, file):
        """A total given in a workbook must be the sum of its lines, to the pound."""
        problems = []
        for code, info in context.lines.items():
            entry = entries.get(code)
            if info.kind != TOTAL or entry is None:
                continue
            for name in MONEY_FIELDS:
                cell = entry.fields.get(name)
                if cell is None or cell.is_blank:
                    continue
                given = self._number(cell, info, name, file=file, period=period.iso)
                parts = [data.get(part, {}).get(name) for part in info.components]
                if not isinstance(given, Decimal) or not all(parts):
                    continue  # checked only when every line of the total is given
                worked = sum((Decimal(part) for part in parts), Decimal(0))
                if given != worked:
                    problems.append(
                        Problem(
                            severity=ERROR,
                            message=(
                                f"{code} ({info.title}) gives {FIELD_WORDS[TOTAL][name]} "
                                f"{pounds(given)}, but its lines add up to {pounds(worked)} (a "
                                f"difference of {pounds(given - worked, signed=True)}): correct "
                                "the lines or the total, or leave the total empty."
                            ),
                            file=file,
                            sheet=cell.sheet,
                            cell=cell.ref,
                            measure=code,
                            period=period.iso,
                            field=name,
                        )
                    )
        return problems

    def status_of(self, *, line: Line, data: dict[str, str], context: FinanceContext):
        info = context.lines.get(line.code)
        if info is None or info.kind == DRIVER or not data.get("value"):
            return None
        forecast = Decimal(data["value"])
        return variance.status(
            info.rated_kind, info.budget, forecast, allowed=context.allowed(info)
        )

    # --- what approval does --------------------------------------------------------

    def current(self, *, organisation, period: Period) -> dict[str, dict[str, str]]:
        figures = {
            code: {
                "actual_to_date": _text(actual),
                "value": _text(forecast),
                "commentary": commentary,
            }
            for code, actual, forecast, commentary in FinanceFigure.objects.filter(
                period=period
            ).values_list("line__code", "actual_to_date", "forecast_outturn", "commentary")
        }
        figures.update(
            {
                code: {"value": _text(value), "commentary": commentary}
                for code, value, commentary in DriverFigure.objects.filter(
                    period=period
                ).values_list("driver__code", "value", "commentary")
            }
        )
        return figures

    def figures(self, *, version) -> selectors.MonthFigures:
        """
        The version's figures, unsaved: one per budget line with an actual or a forecast,
        one per cost driver with a value. A line with neither figure has none.
        """
        period = version.ret.period
        year = selectors.plan_for(period)
        found = selectors.MonthFigures()
        if year is None:
            return found
        lines = {line.code: line for line in year.lines.all()}
        drivers = {driver.code: driver for driver in year.drivers.all()}
        for code, fields in version.data.items():
            if code in lines and (fields.get("actual_to_date") or fields.get("value")):
                found.lines.append(
                    FinanceFigure(
                        line=lines[code],
                        period=period,
                        actual_to_date=_number(fields.get("actual_to_date")),
                        forecast_outturn=_number(fields.get("value")),
                        commentary=fields.get("commentary", ""),
                        illustrative=False,
                        version=version,
                    )
                )
            elif code in drivers and fields.get("value"):
                found.drivers.append(
                    DriverFigure(
                        driver=drivers[code],
                        period=period,
                        value=Decimal(fields["value"]),
                        commentary=fields.get("commentary", ""),
                        illustrative=False,
                        version=version,
                    )
                )
        return found

    @transaction.atomic
    def apply(self, *, version) -> None:
        """Make the month's finance figures exactly the approved version's figures."""
        figures = self.figures(version=version)
        period = version.ret.period
        year = selectors.plan_for(period)
        FinanceFigure.objects.filter(line__year=year, period=period).exclude(
            line__in=[figure.line for figure in figures.lines]
        ).delete()
        DriverFigure.objects.filter(driver__year=year, period=period).exclude(
            driver__in=[figure.driver for figure in figures.drivers]
        ).delete()
        save_rows(figures.lines, keys=("line", "period"))
        save_rows(figures.drivers, keys=("driver", "period"))


def _text(number: Decimal | None) -> str:
    return "" if number is None else str(number)


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


spec = FinanceReturnSpec()
