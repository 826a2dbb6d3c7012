"""
The activity return: the demand measures' monthly figures, in the shared return machinery.

The Trust's performance team sends it beside the KPI return (the same role
submits both), one line per demand measure: a count at the end of the month
(children on a plan, in care, by placement type, foster carer households), a
total over the month (referrals, section 47 enquiries, children entering care)
or, for the re-referral rate, the rolling percentage. Why a return of its own
and not more lines of the KPI return: docs/decisions/0004-activity-return.md.

Approval writes month figures, and in March the year's figure too: the count
at 31 March for a count at the end, the sum of the year's twelve months for a
total (only once all twelve are in). A yearly measure (`Measure.yearly`: the care
leavers' outcomes, published for the year to 31 March) is a line of March's return
only, and gives the year's figure alone. A figure loaded from a published source
(an annual review) is never overwritten by a return; where the two differ, the
checks say so and the portal keeps the published one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.reference.models import ChildPopulation, Unit
from opb_portal.spreadsheets import ERROR, WARNING, LayoutSpec, Problem, to_decimal
from opb_portal.submissions import registry
from opb_portal.submissions.figures import save_rows
from opb_portal.submissions.registry import Entry, Line, ReturnSpec

from .models import Measure, MeasureValue

Span = MeasureValue.Span
IN_CARE = "children_in_care"
ENTERED, CEASED = "entered_care", "ceased_care"


def summed(measure: Measure) -> bool:
    """Whether a year's figure is the sum of its months (a count over the period)."""
    return measure.kind == Measure.Kind.TOTAL and measure.unit == Unit.COUNT


@dataclass
class ActivityContext:
    period: Period
    measures: dict[str, Measure]
    population: int | None = None
    # Children we care for at the end of last month, to check this month's flow against.
    in_care_before: Decimal | None = None
    # March only: the published year figures (which a return never overwrites), and
    # the months of the year already approved, by measure, for the year's totals.
    published_year: dict[str, MeasureValue] = field(default_factory=dict)
    months_before: dict[str, list[Decimal]] = field(default_factory=dict)

    def rate_or_number(self, measure: Measure, value: Decimal) -> Decimal | None:
        if not measure.target_applies_to_rate:
            return value
        return Measure.rate(value, self.population) if self.population else None


class ActivityReturnSpec(ReturnSpec):
    domain = "activity"
    label = "activity return"
    # Sent by the Trust's performance team, whose role another domain registers.
    submitter_role = "kpi_submitter"
    words = ("foster carer", "placed with", "section 47 enquiries", "placement type")

    @property
    def layout(self) -> LayoutSpec:
        labels = {}
        for code, title in Measure.objects.values_list("code", "title"):
            labels[code.lower()] = code
            labels[title.lower()] = code
        return LayoutSpec(
            domain=self.domain,
            template_sheet="Activity return",
            measure_headers=("code", "measure", "activity measure"),
            fields={"value": ("value",), "commentary": ("commentary", "comment", "comments")},
            measure_labels=labels,
            other_domains=registry.words_of_others(self.domain),
            measure_noun="activity measure",
        )

    def lines(self, period: Period) -> list[Line]:
        return [
            Line(
                code=measure.code,
                title=measure.title,
                unit=measure.get_unit_display(),
                percent=measure.unit == Unit.PERCENT,
                numeric_fields=("value",),
                text_fields=("commentary",),
                required=("value",),
            )
            for measure in Measure.objects.all()
            if period.month == 3 or not measure.yearly
        ]

    def context(self, *, organisation, period: Period) -> ActivityContext:
        measures = {m.code: m for m in Measure.objects.all()}
        population = ChildPopulation.objects.filter(
            financial_year_start=period.financial_year.start_year
        ).first()
        context = ActivityContext(period, measures, population.children if population else None)
        context.in_care_before = (
            MeasureValue.objects.filter(
                measure__code=IN_CARE, span=Span.MONTH, period=period.shift(-1)
            )
            .values_list("value", flat=True)
            .first()
        )
        if period.month == 3:
            context.published_year = {
                v.measure.code: v
                for v in MeasureValue.objects.filter(
                    span=Span.YEAR, period=period, version__isnull=True
                ).select_related("measure")
            }
            earlier = MeasureValue.objects.filter(
                span=Span.MONTH,
                period__gte=period.financial_year.first,
                period__lt=period,
            ).values_list("measure__code", "value")
            for code, value in earlier:
                context.months_before.setdefault(code, []).append(value)
        return context

    # --- checking one line -------------------------------------------------------

    def clean_entry(self, *, entry: Entry, line: Line, context: ActivityContext, file: str):
        measure = context.measures[line.code]
        where = {"file": file, "measure": line.code, "period": entry.period.iso}
        commentary_cell = entry.fields.get("commentary")
        commentary = str(commentary_cell.value or "").strip() if commentary_cell else ""
        cell = entry.fields.get("value")
        value = None
        if cell is not None:
            value = to_decimal(cell, percent=line.percent, **where, field="value")
            if isinstance(value, Problem):
                return {}, [value]
        data = {"value": "" if value is None else str(value), "commentary": commentary}
        if value is None:
            return data, []

        def problem(severity, message, name="value"):
            at = entry.fields.get(name) or entry.label
            return Problem(
                severity=severity, message=message, sheet=at.sheet, cell=at.ref, field=name, **where
            )

        name = f"{measure.title} ({line.code})"
        if value < 0:
            return data, [problem(ERROR, f"{name} is negative ({value}): it cannot be below zero.")]
        if line.percent and value > 100:
            return data, [
                problem(ERROR, f"{name} is a percentage, so it must be 0 to 100; found {value}.")
            ]
        if measure.unit == Unit.COUNT and value != value.to_integral_value():
            return data, [problem(ERROR, f"{name} is {value}: it counts whole children.")]
        if self._status(measure, value, context) == Status.RED and not commentary:
            return data, [
                problem(
                    WARNING,
                    f"{name} is red at {self._shown(measure, value, context)} against the local "
                    f"target ({measure.describe_target()}): explain it in the commentary.",
                    "commentary",
                )
            ]
        return data, []

    def _status(self, measure: Measure, value: Decimal, context: ActivityContext):
        # A month's total cannot be held to a target set for a year.
        if summed(measure):
            return None
        figure = context.rate_or_number(measure, value)
        return None if figure is None else measure.evaluate(figure)

    def _shown(self, measure: Measure, value: Decimal, context: ActivityContext) -> str:
        if measure.target_applies_to_rate and context.population:
            rate = Measure.rate(value, context.population)
            return f"{rate} per 10,000 children ({measure.format_value(value)})"
        return measure.format_value(value)

    def status_of(self, *, line: Line, data: dict[str, str], context: ActivityContext):
        measure = context.measures.get(line.code)
        if measure is None or not data.get("value"):
            return None
        return self._status(measure, Decimal(data["value"]), context)

    # --- checking a month as a whole ------------------------------------------------

    def check_month(self, *, period, data, entries, context, file) -> list[Problem]:
        check = _MonthCheck(period, data, entries, context, file)
        check.placements()
        check.flow()
        if period.month == 3:
            check.published()
        return check.problems

    # --- what approval does --------------------------------------------------------

    def current(self, *, organisation, period: Period) -> dict[str, dict[str, str]]:
        """The month's figures, and in March the yearly measures' figures for the year."""
        values = MeasureValue.objects.filter(
            Q(span=Span.MONTH) | Q(span=Span.YEAR, measure__yearly=True), period=period
        ).select_related("measure")
        return {v.measure.code: {"value": str(v.value), "commentary": ""} for v in values}

    def figures(self, *, version) -> list[MeasureValue]:
        """
        The version's figures, unsaved: the month's, and in March the year's (March's count
        at the end, or the twelve months summed once all are in). A figure loaded from a
        published source stands: the version gives none in its place (the checks say where
        the two differ).
        """
        period = version.ret.period
        measures = {m.code: m for m in Measure.objects.all()}
        given = {
            code: Decimal(line["value"])
            for code, line in version.data.items()
            if line.get("value") and code in measures
        }
        published = set(
            MeasureValue.objects.filter(period=period, version__isnull=True).values_list(
                "measure__code", "span"
            )
        )

        def row(code: str, span: str, value: Decimal) -> MeasureValue:
            return MeasureValue(
                measure=measures[code],
                period=period,
                span=span,
                value=value,
                version=version,
                source=f"{self.label}, version {version.number}",
            )

        # A yearly measure (the care leavers' outcomes) has the year's figure only.
        rows = [
            row(code, Span.MONTH, value)
            for code, value in given.items()
            if not measures[code].yearly
        ]
        if period.month == 3:
            year = year_figures(measures, period, given)
            rows += [row(code, Span.YEAR, value) for code, value in year.items()]
        return [r for r in rows if (r.measure.code, r.span) not in published]

    @transaction.atomic
    def apply(self, *, version) -> None:
        """Make the month's figures the approved version's; published figures stand."""
        rows = self.figures(version=version)
        for span in (Span.MONTH, Span.YEAR):
            MeasureValue.objects.filter(
                span=span, period=version.ret.period, version__isnull=False
            ).exclude(measure__in=[row.measure for row in rows if row.span == span]).delete()
        save_rows(rows, keys=("measure", "period", "span"))


def year_figures(
    measures: dict[str, Measure], period: Period, given: dict[str, Decimal]
) -> dict[str, Decimal]:
    """
    The year's figures a March return makes: March's count, or twelve months summed.

    `given` is March as the return gives it; where a published March figure is kept, it
    is the one summed, as it is the one the tables hold (1 query).
    """
    months: dict[str, list[Decimal]] = {}
    published: dict[str, Decimal] = {}
    for code, month, value, version in MeasureValue.objects.filter(
        span=Span.MONTH,
        period__gte=period.financial_year.first,
        period__lte=period,
    ).values_list("measure__code", "period", "value", "version"):
        if month < period:
            months.setdefault(code, []).append(value)
        elif version is None:
            published[code] = value
    figures = {}
    for code, value in given.items():
        if not summed(measures[code]):
            figures[code] = value
        elif len(months.get(code, [])) == 11:
            figures[code] = sum(months[code], published.get(code, value))
    return figures


class _MonthCheck:
    """The checks across one month's lines, each naming the cells it read."""

    def __init__(self, period, data, entries, context, file):
        self.period: Period = period
        self.data: dict[str, dict[str, str]] = data
        self.entries: dict[str, Entry] = entries
        self.context: ActivityContext = context
        self.file = file
        self.problems: list[Problem] = []

    def number(self, code: str) -> Decimal | None:
        text = self.data.get(code, {}).get("value")
        return Decimal(text) if text else None

    def ref(self, code: str) -> str:
        cell = self._cell(code)
        return f"{cell.sheet}!{cell.ref}" if cell.sheet else cell.ref

    def _cell(self, code: str):
        entry = self.entries[code]
        return entry.fields.get("value") or entry.label

    def warn(self, code: str, message: str) -> None:
        if self.data.get(code, {}).get("commentary"):
            return  # explained: the reviewer reads the commentary instead
        cell = self._cell(code)
        self.problems.append(
            Problem(
                severity=WARNING,
                message=message,
                file=self.file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=code,
                period=self.period.iso,
                field="value",
            )
        )

    def placements(self) -> None:
        codes = [
            code
            for code, measure in self.context.measures.items()
            if measure.group == Measure.Group.PLACEMENTS and code in self.entries
        ]
        in_care = self.number(IN_CARE)
        numbers = [self.number(code) for code in codes]
        if in_care is None or not codes or None in numbers:
            return
        placed = sum(numbers, Decimal(0))
        if placed != in_care:
            self.warn(
                IN_CARE,
                f"The children we care for by placement type add up to {placed:,} "
                f"({self.ref(codes[0])} to {self.ref(codes[-1])}), but Children we care for is "
                f"{in_care:,} at {self.ref(IN_CARE)} for {self.period.long}: they count the same "
                "children. Correct whichever is wrong, or explain the difference in the "
                "commentary.",
            )

    def flow(self) -> None:
        before = self.context.in_care_before
        now, entered, ceased = (self.number(c) for c in (IN_CARE, ENTERED, CEASED))
        if before is None or None in (now, entered, ceased):
            return
        expected = before + entered - ceased
        if expected != now:
            self.warn(
                IN_CARE,
                f"Children we care for is {now:,} at {self.ref(IN_CARE)}, but "
                f"{before:,} at the end of {self.period.shift(-1).long}, with {entered:,} entering "
                f"({self.ref(ENTERED)}) and {ceased:,} ceasing care ({self.ref(CEASED)}), gives "
                f"{expected:,}. Correct whichever is wrong, or explain the difference in the "
                "commentary.",
            )

    def published(self) -> None:
        """In March, where the year's figure this return makes differs from a published one."""
        given = {
            code: value
            for code in self.entries
            if code in self.context.measures and (value := self.number(code)) is not None
        }
        for code, published in self.context.published_year.items():
            if code not in given:
                continue
            measure = self.context.measures[code]
            months = self.context.months_before.get(code, [])
            if not summed(measure):
                figure, how = given[code], "this return's March figure"
            elif len(months) == 11:
                figure = sum(months, given[code])
                how = "this return's March figure and the year's eleven months before it"
            else:
                continue
            if figure != published.value:
                self.warn(
                    code,
                    f"{measure.title} for {published.label} is {measure.format_value(figure)} "
                    f"from {how} ({self.ref(code)}), but the published figure is "
                    f"{measure.format_value(published.value)} ({published.source}). The "
                    "portal keeps the published figure: explain the difference in the "
                    "commentary.",
                )


spec = ActivityReturnSpec()
