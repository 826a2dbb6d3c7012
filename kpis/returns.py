"""
The KPI return: how the contract KPIs plug into the shared return machinery.

One line per KPI of the framework in force, with a value, an optional
numerator and denominator (the value is then derived from them) and
commentary. The checks here are the ones that need to know what a KPI is;
the machinery does the rest (months, locks, duplicates, missing lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from opb_portal.core.precision import places_of
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.reference.models import ChildPopulation, Polarity, Unit
from opb_portal.spreadsheets import (
    ERROR,
    NOTE,
    WARNING,
    LayoutSpec,
    Problem,
    as_found,
    fraction_hint,
    to_decimal,
)
from opb_portal.submissions import crosschecks, registry
from opb_portal.submissions.figures import save_rows
from opb_portal.submissions.registry import Entry, Line, ReturnSpec

from . import outlook, selectors
from .models import KpiDefinition, KpiValue

NUMBERS = ("value", "numerator", "denominator")
RANGE_MONTHS = 24
PI_CODES = tuple(f"pi{n}" for n in range(1, 16))


@dataclass
class KpiContext:
    period: Period
    kpis: dict[str, KpiDefinition]
    previous: dict[str, Decimal] = field(default_factory=dict)
    ranges: dict[str, tuple[Decimal, Decimal, int]] = field(default_factory=dict)
    population: int | None = None
    # Another return's figure a KPI declares it is (`KpiDefinition.cross_check`), by KPI
    # code: PI12 and the permanent vacancy rate the workforce return works out.
    cross_checks: dict[str, tuple[crosschecks.CrossCheck, Decimal]] = field(default_factory=dict)


def _fmt(value: Decimal) -> str:
    return f"{value:,}" if value == value.to_integral() else str(value)


def _places(places: int) -> str:
    return f"{places} decimal place{'' if places == 1 else 's'}"


def _too_precise(kpi: KpiDefinition, value: Decimal) -> str:
    """A typed figure with more places than published: refused, never changed unasked."""
    return (
        f"{kpi.code} is published to {_places(kpi.decimal_places)}, and {value} has "
        f"{places_of(value)}: type {kpi.at_precision(value)} (or the figure you mean at that "
        "precision). A typed figure is kept as typed, so it is not rounded for you."
    )


class KpiReturnSpec(ReturnSpec):
    domain = "kpis"
    label = "KPI return"
    submitter_role = "kpi_submitter"  # registered with its label in apps.py
    # A KPI sheet's rows are PI codes, which are never another return's lines.
    words = ("kpi", "numerator", "denominator", "single assessments", *PI_CODES)
    # PI12 (PI13 in 2018) is the "vacancy rate": in a KPI workbook, that is no workforce sign.
    shared_words = ("vacancy rate",)

    @property
    def layout(self) -> LayoutSpec:
        labels = {}
        for code, title in KpiDefinition.objects.values_list("code", "title"):
            labels[code.lower()] = code
            labels[title.lower()] = code
        return LayoutSpec(
            domain=self.domain,
            template_sheet="KPI return",
            measure_headers=("kpi", "code", "kpi code", "measure", "pi"),
            fields={
                "value": ("value",),
                "numerator": ("numerator",),
                "denominator": ("denominator",),
                "commentary": ("commentary", "comment", "comments"),
            },
            measure_labels=labels,
            other_domains=registry.words_of_others(self.domain),
            measure_noun="KPI",
            not_returns=(
                (
                    ("rule applied", "contract exception", "value (exact)"),
                    "is the portal's KPI scorecard export, a report, not a return: "
                    "upload the return's own figures (from its page) or the template.",
                ),
                (
                    ("the year in a sentence", "mean (exact)"),
                    "is the portal's KPI year summary export, a report of approved values "
                    "without numerators, denominators or commentary, so not a return: "
                    "upload the return's own figures (from its page) or the template.",
                ),
            ),
        )

    def lines(self, period: Period) -> list[Line]:
        framework = selectors.framework_in_force(period)
        if framework is None:
            return []
        return [
            Line(
                code=kpi.code,
                title=kpi.title,
                unit=kpi.get_unit_display(),
                percent=kpi.unit == Unit.PERCENT,
                numeric_fields=NUMBERS,
                text_fields=("commentary",),
                required=("value",),
            )
            for kpi in framework.kpis.order_by("order")
        ]

    def context(self, *, organisation, period: Period) -> KpiContext:
        framework = selectors.framework_in_force(period)
        if framework is None:
            return KpiContext(period, {})
        kpis = {k.code: k for k in selectors.kpis_of(framework)}
        context = KpiContext(period, kpis)
        history = KpiValue.objects.filter(
            kpi__in=kpis.values(),
            period__gte=period.shift(-RANGE_MONTHS),
            period__lt=period,
        ).values_list("kpi__code", "period", "value")
        last_month = period.shift(-1)
        seen: dict[str, list[Decimal]] = {}
        for code, month, value in history:
            seen.setdefault(code, []).append(value)
            if month == last_month:
                context.previous[code] = value
        context.ranges = {code: (min(v), max(v), len(v)) for code, v in seen.items()}
        population = ChildPopulation.objects.filter(
            financial_year_start=period.financial_year.start_year
        ).first()
        context.population = population.children if population else None
        for kpi in kpis.values():
            check = crosschecks.get(kpi.cross_check) if kpi.cross_check else None
            figure = check.figure(period) if check else None
            if figure is not None:
                context.cross_checks[kpi.code] = (check, figure)
        return context

    # --- checking one line -------------------------------------------------------

    def clean_entry(self, *, entry: Entry, line: Line, context: KpiContext, file: str):
        kpi = context.kpis[line.code]
        where = {"file": file, "measure": line.code, "period": entry.period.iso}
        problems: list[Problem] = []
        numbers: dict[str, Decimal | None] = {}
        for name in NUMBERS:
            cell = entry.fields.get(name)
            if cell is None:
                numbers[name] = None
                continue
            result = to_decimal(
                cell,
                percent=line.percent and name == "value",
                file=file,
                measure=line.code,
                period=entry.period.iso,
                field=name,
            )
            if isinstance(result, Problem):
                problems.append(result)
                numbers[name] = None
            else:
                numbers[name] = result
        commentary_cell = entry.fields.get("commentary")
        commentary = str(commentary_cell.value or "").strip() if commentary_cell else ""

        def problem(severity, message, name):
            cell = entry.fields.get(name) or entry.label
            return Problem(
                severity=severity,
                message=message,
                sheet=cell.sheet,
                cell=cell.ref,
                field=name,
                **where,
            )

        if problems:
            return {}, problems
        value, numerator, denominator = (numbers[n] for n in NUMBERS)
        value_cell = entry.fields.get("value")
        hint = fraction_hint(value_cell, value) if line.percent and value is not None else None
        if kpi.unit == Unit.RATE_PER_10000 and numerator is not None and denominator is None:
            denominator = Decimal(context.population) if context.population else None
        problems += self._check_signs(kpi, line, numbers, problem)
        if value is not None and not file and places_of(value) > kpi.decimal_places:
            problems.append(problem(ERROR, _too_precise(kpi, value), "value"))
        if numerator is not None and denominator is not None and not problems:
            value, more = self._check_fraction(
                kpi, line, value, numerator, denominator, problem, hint=hint
            )
            problems += more
        elif (numerator is None) != (denominator is None) and not problems:
            given = "numerator" if numerator is not None else "denominator"
            problems.append(
                problem(
                    ERROR,
                    f"{line.code} has a {given} but no "
                    f"{'denominator' if given == 'numerator' else 'numerator'}: "
                    "give both or neither.",
                    given,
                )
            )
        if hint and denominator is None and not problems:
            # With a numerator and denominator, their check says whether it was a fraction.
            problems.append(
                problem(
                    WARNING,
                    f"{hint} {line.code} is a percentage, and in a cell not formatted as one "
                    f"{value} means {value}%: type {kpi.at_precision(value * 100)} (or format the "
                    "cell as a percentage), or explain in the commentary why it is below 1%.",
                    "value",
                )
            )
        if numbers["value"] is not None and not any(p.is_error for p in problems):
            # Kept at the KPI's precision, and the person told whenever that changes what
            # the file held (a computed double, or more places than are published).
            note = kpi.read_as(value, shown=as_found(value_cell, percent=line.percent))
            if note:
                problems.append(problem(NOTE, note, "value"))
            if places_of(value) > kpi.decimal_places:
                value = kpi.at_precision(value)  # 88 stays 88: fewer places lose nothing
        data = {
            "value": "" if value is None else str(value),
            "numerator": "" if numerator is None else str(numerator),
            "denominator": "" if denominator is None else str(denominator),
            "commentary": commentary,
        }
        if value is not None and not any(p.severity == ERROR for p in problems):
            problems += self._warnings(kpi, line, value, commentary, context, problem)
        return data, problems

    def _check_signs(self, kpi, line, numbers, problem) -> list[Problem]:
        problems = []
        value = numbers["value"]
        if value is not None and line.percent and not (0 <= value <= 100):
            problems.append(
                problem(
                    ERROR,
                    f"{line.code} is a percentage, so its value must be between 0 and 100; "
                    f"found {value}.",
                    "value",
                )
            )
        for name in NUMBERS:
            number = numbers[name]
            if number is not None and number < 0 and not (name == "value" and line.percent):
                what = "a count" if name != "value" else kpi.get_unit_display().lower()
                problems.append(
                    problem(
                        ERROR,
                        f"{line.code}'s {name} is negative ({number}); "
                        f"{what} cannot be below zero.",
                        name,
                    )
                )
        return problems

    def _check_fraction(self, kpi, line, value, numerator, denominator, problem, *, hint=None):
        if denominator == 0:
            return value, [
                problem(
                    ERROR,
                    f"{line.code}'s denominator is 0: a rate needs a denominator above 0.",
                    "denominator",
                )
            ]
        if numerator > denominator:
            return value, [
                problem(
                    ERROR,
                    f"{line.code}'s numerator ({_fmt(numerator)}) is larger than its denominator "
                    f"({_fmt(denominator)}): the numerator counts part of the denominator.",
                    "numerator",
                )
            ]
        derived = kpi.derive_value(numerator, denominator)
        if value is None:
            return derived, []
        # Compared at the precision the KPI is published with: 87.2 (a spreadsheet's
        # 87.19999999999999) is what 872 of 1,000 gives, and so is 33.3 for 1 of 3.
        kept = kpi.at_precision(value)
        if kept != derived:
            places = kpi.decimal_places
            at = "" if kept == value else f" ({kept} to {_places(places)})"
            return value, [
                problem(
                    ERROR,
                    (f"{hint} " if hint else "")
                    + f"{line.code}'s value {value}{at} does not match its numerator and "
                    f"denominator: {_fmt(numerator)} of {_fmt(denominator)} gives {derived} "
                    f"({line.code} is kept to {_places(places)}). "
                    "Correct one of the three, or leave the value empty to have it worked out.",
                    "value",
                )
            ]
        return value, []

    def _warnings(self, kpi, line, value, commentary, context, problem) -> list[Problem]:
        warnings = []
        rule = kpi.rule_for(context.period)
        status = rule.evaluate(kpi.at_precision(value)) if rule else None
        if status in (Status.RED, Status.AMBER) and not commentary:
            warnings.append(
                problem(
                    WARNING,
                    f"{line.code} is {status.value} at {kpi.format_value(value)} "
                    f"(rule: {rule.describe()}): explain it in the commentary.",
                    "commentary",
                )
            )
        previous = context.previous.get(line.code)
        if previous is not None and kpi.change_tolerance is not None:
            change = value - previous
            if abs(change) > kpi.change_tolerance and not improved_to_green(
                kpi, value, than=previous, at=context.period, than_at=context.period.shift(-1)
            ):
                warnings.append(
                    problem(
                        WARNING,
                        f"{line.code} moved by {change:+} since last month "
                        f"({previous} to {value}), "
                        f"more than the {kpi.change_tolerance} the administrator expects: "
                        "check it, and explain it in the commentary.",
                        "value",
                    )
                )
        check, figure = context.cross_checks.get(line.code, (None, None))
        if check is not None and not check.agrees(value, figure):
            unit = "%" if kpi.unit == Unit.PERCENT else ""
            warnings.append(
                problem(
                    WARNING,
                    f"{line.code} is {kpi.format_value(value)}, but the {check.return_label} for "
                    f"{context.period.long} works out a {check.title} of {figure}{unit}: "
                    f"the two should agree to within {check.tolerance} points.",
                    "value",
                )
            )
        low, high, count = context.ranges.get(line.code, (None, None, 0))
        if (
            count >= 3
            and not (low <= value <= high)
            and not improved_to_green(
                kpi, value, than=high if value > high else low, at=context.period
            )
        ):
            warnings.append(
                problem(
                    WARNING,
                    f"{line.code} at {kpi.format_value(value)} is outside the range of the last "
                    f"{RANGE_MONTHS} months ({kpi.format_value(low)} to {kpi.format_value(high)}): "
                    "check it, and explain it in the commentary.",
                    "value",
                )
            )
        return warnings

    def status_of(self, *, line: Line, data: dict[str, str], context: KpiContext) -> Status | None:
        kpi = context.kpis.get(line.code)
        if kpi is None or not data.get("value"):
            return None
        rule = kpi.rule_for(context.period)
        return rule.evaluate(Decimal(data["value"])) if rule else None

    # --- what approval does --------------------------------------------------------

    def current(self, *, organisation, period: Period) -> dict[str, dict[str, str]]:
        values = KpiValue.objects.filter(period=period).select_related("kpi")
        return {
            v.kpi.code: {
                "value": str(v.value),
                "numerator": "" if v.numerator is None else str(v.numerator),
                "denominator": "" if v.denominator is None else str(v.denominator),
                "commentary": v.commentary,
            }
            for v in values
        }

    def figures(self, *, version) -> list[KpiValue]:
        """The version's KPI values, unsaved: one per KPI of the framework in force with a value."""
        period = version.ret.period
        framework = selectors.framework_in_force(period)
        kpis = {k.code: k for k in framework.kpis.all()} if framework else {}
        return [
            KpiValue(
                kpi=kpis[code],
                period=period,
                value=Decimal(line["value"]),
                numerator=_decimal(line.get("numerator")),
                denominator=_decimal(line.get("denominator")),
                commentary=line.get("commentary", ""),
                illustrative=False,
                version=version,
            )
            for code, line in version.data.items()
            if line.get("value") and code in kpis
        ]

    @transaction.atomic
    def apply(self, *, version) -> None:
        """Make the month's KPI values exactly the approved version's figures."""
        values = self.figures(version=version)
        period = version.ret.period
        framework = selectors.framework_in_force(period)
        KpiValue.objects.filter(kpi__framework=framework, period=period).exclude(
            kpi__in=[value.kpi for value in values]
        ).delete()
        save_rows(values, keys=("kpi", "period"))
        # The month's outlook, from the figures just approved (a correction of an older month
        # remakes that month's; later months' forecasts are kept as they were made).
        outlook.refresh_forecasts(period=period)


def improved_to_green(
    kpi: KpiDefinition, value: Decimal, *, than: Decimal, at: Period, than_at: Period | None = None
) -> bool:
    """
    Whether `value` (in `at`) is green and better than `than` (in `than_at`, else `at`): the
    board needs no explanation of a figure that got better and is on target.

    A figure that was not green and now is has improved; one green before and after has
    improved only if it moved the way the KPI's polarity calls good. Within a band (PI9)
    neither way is better, so a big move inside the band is still asked about.
    """
    rule = kpi.rule_for(at)
    if rule is None or rule.evaluate(kpi.at_precision(value)) != Status.GREEN:
        return False
    before = kpi.rule_for(than_at or at)
    if before is None or before.evaluate(kpi.at_precision(than)) != Status.GREEN:
        return True
    if rule.polarity == Polarity.BAND or value == than:
        return False
    return (value > than) == (rule.polarity == Polarity.HIGHER_IS_BETTER)


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


spec = KpiReturnSpec()
