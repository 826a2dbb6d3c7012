"""
The workforce return: how the social work workforce plugs into the shared return machinery.

The Trust types the establishment, permanent social workers excluding ASYEs,
ASYEs, agency social workers and, per service, the children held and the
case-holding FTE (and, when it has them, starters, leavers and sickness days).
Totals, shares, vacancy rates and average caseloads are derived lines: a
workbook may carry them, as the Trust's own table does, and they are checked
against what the portal works out, never stored. Checks across the lines of a
month (the derived rows, the RAG of shares and caseloads, the PI12 cross-check
with the KPI return) run in `check_month`, once every line is cleaned.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from opb_portal.core.text import joined
from opb_portal.periods import Period, in_force
from opb_portal.rag import Status
from opb_portal.spreadsheets import ERROR, WARNING, LayoutSpec, Problem, to_decimal
from opb_portal.submissions import crosschecks, registry
from opb_portal.submissions.figures import save_rows
from opb_portal.submissions.registry import Entry, Line, ReturnSpec

from . import selectors
from .models import (
    DERIVED,
    IN_POST,
    TYPED,
    TYPED_BY_CODE,
    CaseloadFigure,
    CaseloadStandard,
    Service,
    WorkforceMonth,
    WorkforceRule,
    rounded,
    rule_for,
)

# A derived figure given in a workbook may differ from the portal's by rounding only.
TOLERANCE = Decimal("0.1")
# The key the permanent vacancy rate is registered under for another return's line to
# declare (`crosschecks`): PI12 of the 2024 KPIs, PI13 of the 2018 ones, declare it as data.
VACANCY_RATE = crosschecks.CrossCheck(
    key="workforce.permanent_vacancy_rate",
    domain="workforce",
    title="permanent vacancy rate",
    tolerance=TOLERANCE,
    figure=selectors.permanent_vacancy_rate,
)
# Other names people give the establishment line in their own tables.
ALIASES = {"establishment": "ESTABLISHMENT", "social work establishment": "ESTABLISHMENT"}
# The Trust's table first, then the rates, then caseloads, then the optional lines.
HEAD = (
    "ESTABLISHMENT",
    "TOTAL",
    "PERMANENT",
    "PERM_EXCL_ASYE",
    "PCT_PERM_EXCL_ASYE",
    "ASYE",
    "PCT_ASYE",
    "AGENCY",
    "PCT_AGENCY",
    "PERM_VACANCY_RATE",
    "RT_VACANCY_RATE",
)
TAIL = ("STARTERS", "LEAVERS", "SICKNESS_DAYS", "TURNOVER", "ABSENCE")
SHARE_RULES = {
    "ASYE": WorkforceRule.Measure.ASYE_SHARE,
    "AGENCY": WorkforceRule.Measure.AGENCY_SHARE,
}
SHARE_LINES = {"PCT_ASYE": "ASYE", "PCT_AGENCY": "AGENCY"}


@dataclass
class WorkforceContext:
    period: Period
    services: list[Service]
    standards: dict[int, CaseloadStandard] = field(default_factory=dict)
    rules: list[WorkforceRule] = field(default_factory=list)
    previous: WorkforceMonth | None = None
    # The line of another return that declares it is the permanent vacancy rate (PI12 of
    # the KPI return from April 2024), with its figure for the month.
    vacancy_kpi: crosschecks.Declared | None = None

    def rule(self, measure: str) -> WorkforceRule | None:
        return rule_for(self.rules, measure, self.period)


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


# Full-time equivalents are written at two places wherever they show (`58.40`).
FTE_PLACES = 2


def _typed_line(code: str) -> Line:
    typed = TYPED_BY_CODE[code]
    return Line(
        code=code,
        title=typed.title,
        unit=typed.unit,
        places=FTE_PLACES if typed.unit == "FTE" else None,
        numeric_fields=("value",),
        text_fields=("commentary",),
        required=("value",) if typed.required else (),
    )


def _derived_line(code: str, title: str, *, percent: bool, unit: str) -> Line:
    return Line(
        code=code,
        title=title,
        unit=unit,
        percent=percent,
        numeric_fields=("value",),
        text_fields=(),
        required=(),
        derived=True,
        places=FTE_PLACES if unit == "FTE" else None,
    )


def _line(code: str) -> Line:
    if code in TYPED_BY_CODE:
        return _typed_line(code)
    derivation = DERIVED[code]
    unit = "Percentage" if derivation.percent else "FTE"
    return _derived_line(code, derivation.title, percent=derivation.percent, unit=unit)


def service_lines(service: Service) -> list[Line]:
    return [
        Line(
            code=service.children_code,
            title=f"Children held - {service.name}",
            unit="Children",
            text_fields=("commentary",),
        ),
        Line(
            code=service.fte_code,
            title=f"Case-holding FTE - {service.name}",
            unit="FTE",
            places=FTE_PLACES,
            text_fields=("commentary",),
        ),
        _derived_line(
            service.average_code,
            f"Average caseload - {service.name}",
            percent=False,
            unit="Children per FTE",
        ),
    ]


class WorkforceReturnSpec(ReturnSpec):
    domain = "workforce"
    label = "workforce return"
    submitter_role = "workforce_submitter"  # registered with its label in apps.py
    words = (
        "total social workers",
        "agency social workers",
        "total workforce - level needed",
        "permanent excluding asye",
        "caseload",
        "vacancy rate",
    )

    @property
    def layout(self) -> LayoutSpec:
        lines = [_line(code) for code in (*HEAD, *TAIL)]
        for service in Service.objects.all():
            lines += service_lines(service)
        labels = dict(ALIASES)
        for line in lines:
            labels[line.code.lower()] = line.code
            labels[line.title.lower()] = line.code
        return LayoutSpec(
            domain=self.domain,
            template_sheet="Workforce return",
            not_returns=(
                (
                    ("month", "establishment", "total social workers", "asye rag"),
                    "is the portal's workforce monthly figures export (months down the side, "
                    "measures across), a report, not a return: "
                    "upload the return's own figures (from its page) or the template.",
                ),
                (
                    ("service", "children held", "% of model"),
                    "is the portal's workforce caseloads export, worked out from the return, so "
                    "not a return: "
                    "upload the return's own figures (from its page) or the template.",
                ),
            ),
            measure_headers=("code", "measure", "line", "workforce measure"),
            fields={"value": ("value",), "commentary": ("commentary", "comment", "comments")},
            measure_labels=labels,
            other_domains=registry.words_of_others(self.domain),
            measure_noun="workforce measure",
        )

    def lines(self, period: Period) -> list[Line]:
        lines = [_line(code) for code in HEAD]
        for service in selectors.services_in(period):
            lines += service_lines(service)
        return lines + [_line(code) for code in TAIL]

    def context(self, *, organisation, period: Period) -> WorkforceContext:
        services = selectors.services_in(period)
        standards = list(
            CaseloadStandard.objects.filter(service__in=services, effective_from__lte=period)
        )
        context = WorkforceContext(period, services)
        for service in services:
            standard = in_force([s for s in standards if s.service_id == service.pk], period)
            if standard is not None:
                context.standards[service.pk] = standard
        context.rules = list(WorkforceRule.objects.filter(effective_from__lte=period))
        context.previous = WorkforceMonth.objects.filter(period=period.shift(-1)).first()
        context.vacancy_kpi = crosschecks.declared(VACANCY_RATE.key, period)
        return context

    # --- checking one line -------------------------------------------------------

    def clean_entry(self, *, entry: Entry, line: Line, context: WorkforceContext, file: str):
        where = {"file": file, "measure": line.code, "period": entry.period.iso}

        def problem(message):
            cell = entry.fields.get("value") or entry.label
            return Problem(
                severity=ERROR,
                message=message,
                sheet=cell.sheet,
                cell=cell.ref,
                field="value",
                **where,
            )

        commentary_cell = entry.fields.get("commentary")
        commentary = str(commentary_cell.value or "").strip() if commentary_cell else ""
        value = None
        cell = entry.fields.get("value")
        if cell is not None:
            value = to_decimal(cell, percent=line.percent, **where, field="value")
            if isinstance(value, Problem):
                return {}, [value]
        data = {"value": "" if value is None else str(value)}
        if line.text_fields:
            data["commentary"] = commentary
        if value is None:
            return data, []
        name = f"{line.title} ({line.code})"
        if value < 0:
            what = "a share" if line.percent else f"a number of {line.unit.lower()}"
            return data, [problem(f"{name} is negative ({value}): {what} cannot be below zero.")]
        if line.percent and value > 100:
            return data, [
                problem(f"{name} is a percentage, so it must be between 0 and 100; found {value}.")
            ]
        if line.unit == "Children" and value != value.to_integral_value():
            return data, [problem(f"{name} is {value}: children are counted in whole numbers.")]
        if line.code == "ESTABLISHMENT" and value == 0:
            return data, [
                problem(
                    f"{name} is 0: the vacancy rates are worked out against the establishment, "
                    "so it must be above 0."
                )
            ]
        return data, []

    # --- checking a month as a whole ------------------------------------------------

    def check_month(
        self,
        *,
        period: Period,
        data: dict[str, dict[str, str]],
        entries: dict[str, Entry],
        context: WorkforceContext,
        file: str,
    ) -> list[Problem]:
        month = WorkforceMonth.from_data(period, data)
        check = _MonthCheck(period, month, data, entries, context, file)
        check.derived_rows()
        check.limits()
        check.caseloads()
        check.shares()
        check.establishment()
        check.vacancy_kpi()
        return check.problems

    def status_of(
        self, *, line: Line, data: dict[str, str], context: WorkforceContext
    ) -> Status | None:
        # Only a share given as a figure can be rated on its own; the others are rated
        # once the month is whole (check_month, the dashboard).
        if line.code not in SHARE_LINES or not data.get("value"):
            return None
        rule = context.rule(SHARE_RULES[SHARE_LINES[line.code]])
        return rule.evaluate(Decimal(data["value"])) if rule else None

    # --- what approval does --------------------------------------------------------

    def current(self, *, organisation, period: Period) -> dict[str, dict[str, str]]:
        data: dict[str, dict[str, str]] = {}
        month = WorkforceMonth.objects.filter(period=period).first()
        commentary = month.commentary if month else {}
        if month is not None:
            for typed in TYPED:
                value = getattr(month, typed.attribute)
                if value is not None:
                    data[typed.code] = {"value": str(value), "commentary": ""}
        figures = CaseloadFigure.objects.filter(period=period).select_related("service")
        for figure in figures:
            data[figure.service.children_code] = {"value": str(figure.children), "commentary": ""}
            data[figure.service.fte_code] = {"value": str(figure.fte), "commentary": ""}
        for code, text in commentary.items():
            if code in data:
                data[code]["commentary"] = text
        return data

    def figures(self, *, version) -> selectors.MonthFigures:
        """
        The version's figures, unsaved: the month's typed lines (a draft may lack some:
        `month.has`), and a caseload for each service with both its children and its FTE.
        """
        period = version.ret.period
        month = WorkforceMonth.from_data(period, version.data)
        month.version = version

        def caseloads() -> list[CaseloadFigure]:
            found = []
            for service in Service.objects.all():
                children = version.data.get(service.children_code, {}).get("value")
                fte = version.data.get(service.fte_code, {}).get("value")
                if children and fte:
                    found.append(
                        CaseloadFigure(
                            service=service,
                            period=period,
                            children=int(Decimal(children)),
                            fte=Decimal(fte),
                            illustrative=False,
                            source=f"{self.label}, version {version.number}",
                            version=version,
                        )
                    )
            return found

        return selectors.MonthFigures(month, caseloads)

    @transaction.atomic
    def apply(self, *, version) -> None:
        """Make the month's workforce figures exactly the approved version's."""
        figures = self.figures(version=version)
        # An approved version holds every required line: submission checks that it does.
        save_rows([figures.month], keys=("period",))
        CaseloadFigure.objects.filter(period=figures.month.period).exclude(
            service__in=[figure.service for figure in figures.caseloads]
        ).delete()
        save_rows(figures.caseloads, keys=("service", "period"))


class _MonthCheck:
    """The checks across one month's lines, collecting problems that name their cells."""

    def __init__(self, period, month, data, entries, context, file):
        self.period = period
        self.month: WorkforceMonth = month
        self.data = data
        self.entries: dict[str, Entry] = entries
        self.context: WorkforceContext = context
        self.file = file
        self.problems: list[Problem] = []

    def cell(self, code: str):
        entry = self.entries[code]
        return entry.fields.get("value") or entry.label

    def ref(self, code: str) -> str:
        cell = self.cell(code)
        return f"{cell.sheet}!{cell.ref}" if cell.sheet else cell.ref

    def add(self, severity: str, code: str, message: str, *, measure: str | None = None):
        cell = self.cell(code)
        self.problems.append(
            Problem(
                severity=severity,
                message=message,
                file=self.file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=measure or code,
                period=self.period.iso,
                field="value",
            )
        )

    def commented(self, code: str) -> bool:
        return bool(self.data.get(code, {}).get("commentary"))

    def given(self, code: str, *, percent: bool) -> Decimal:
        # check_month runs only when every line cleaned without error: this is a number.
        return to_decimal(self.cell(code), percent=percent, file=self.file)

    def number(self, code: str) -> Decimal | None:
        text = self.data.get(code, {}).get("value")
        return Decimal(text) if text else None

    def inputs(self, codes) -> str:
        named = [
            f"{self._title(code)} ({self.ref(code)})" for code in codes if code in self.entries
        ]
        return joined(named)

    def _title(self, code: str) -> str:
        if code in TYPED_BY_CODE:
            return TYPED_BY_CODE[code].title
        service = next(s for s in self.context.services if code.startswith(f"{s.code}_"))
        what = "children held" if code.endswith("_CHILDREN") else "case-holding FTE"
        return f"{service.name} {what}"

    # --- derived rows given in a workbook ----------------------------------------------

    def derived_rows(self) -> None:
        for code in self.entries:
            if code in DERIVED:
                self._derived(code)
            else:
                service = self._service_of_average(code)
                if service is not None:
                    self._average(service)

    def _derived(self, code: str) -> None:
        derivation = DERIVED[code]
        given = self.given(code, percent=derivation.percent)
        if given is None:
            return
        missing = [need for need in derivation.needs if self.number(need) is None]
        shown = _percent(given) if derivation.percent else str(given)
        if missing:
            titles = ", ".join(TYPED_BY_CODE[need].title for need in missing)
            self.add(
                WARNING,
                code,
                f"{derivation.title} for {self.period.long} is given as {shown} at "
                f"{self.ref(code)}, but it cannot be checked: the return has no {titles} "
                "for that month. The portal works it out from those lines and never stores it "
                "as typed.",
            )
            return
        exact = self.month.derived(code)
        if exact is None or abs(given - exact) <= TOLERANCE:
            return
        self.add(
            WARNING,
            code,
            f"{derivation.title} for {self.period.long} is {shown} at {self.ref(code)}, but "
            f"{self.inputs(derivation.needs)} give {self.month.working(code)} "
            f"({derivation.formula}): the two differ by more than {TOLERANCE}. The portal keeps "
            "its own figure; correct whichever cell is wrong.",
        )

    def _service_of_average(self, code: str) -> Service | None:
        return next((s for s in self.context.services if s.average_code == code), None)

    def _average(self, service: Service) -> None:
        code = service.average_code
        given = self.given(code, percent=False)
        children, fte = self.number(service.children_code), self.number(service.fte_code)
        if given is None or children is None or not fte:
            return
        exact = children / fte
        if abs(given - exact) > TOLERANCE:
            self.add(
                WARNING,
                code,
                f"Average caseload - {service.name} for {self.period.long} is {given} at "
                f"{self.ref(code)}, but {self.inputs([service.children_code, service.fte_code])} "
                f"give {children} ÷ {fte} = {rounded(exact, 2)} children per FTE: the two "
                f"differ by more than {TOLERANCE}. The portal keeps its own figure; correct "
                "whichever cell is wrong.",
            )

    # --- figures that cannot all be true ------------------------------------------------

    def limits(self) -> None:
        month = self.month
        if not month.has(IN_POST):
            return
        total = month.total_fte
        leavers = self.number("LEAVERS")
        if leavers is not None and leavers > month.total_fte:
            self.add(
                ERROR,
                "LEAVERS",
                f"Leavers ({leavers} FTE) are more than the {total} social workers in post in "
                f"{self.period.long}: check both.",
            )
        days = self.number("SICKNESS_DAYS")
        in_month = calendar.monthrange(self.period.year, self.period.month)[1]
        if days is not None and days > month.total_fte * in_month:
            self.add(
                ERROR,
                "SICKNESS_DAYS",
                f"Sickness days lost ({days}) are more than {total} social workers could lose "
                f"in the {in_month} days of {self.period.long}: check the figure.",
            )

    # --- caseloads ------------------------------------------------------------------------

    def caseloads(self) -> None:
        rule = self.context.rule(WorkforceRule.Measure.CASELOAD)
        share = self.month.pct_asye if self.month.has(IN_POST) else None
        case_holding = Decimal(0)
        last_fte = None
        for service in self.context.services:
            children, fte = self.number(service.children_code), self.number(service.fte_code)
            if fte is not None:
                case_holding += fte
                last_fte = service.fte_code
            if children is None or fte is None:
                continue
            if fte == 0:
                if children:
                    self.add(
                        ERROR,
                        service.fte_code,
                        f"{service.name} holds {children} children with no case-holding FTE in "
                        f"{self.period.long}: give the FTE of the social workers who hold them.",
                    )
                continue
            standard = self.context.standards.get(service.pk)
            if standard is None or rule is None:
                continue
            model = standard.model_for(share)
            average = children / fte
            ratio = average / model * 100
            if rule.evaluate(ratio) == Status.RED and not self.commented(service.children_code):
                self.add(
                    WARNING,
                    service.children_code,
                    f"{service.name}'s average caseload is red at {rounded(average, 2)} "
                    f"children per FTE, {rounded(ratio, 1)}% of the model of "
                    f"{rounded(model, 2)} (rule: {rule.describe()} of the model): explain it "
                    "in the commentary.",
                )
        in_post = self.month.has(IN_POST)
        if last_fte and in_post and case_holding > self.month.total_fte + TOLERANCE:
            self.add(
                WARNING,
                last_fte,
                f"Case-holding FTE across the services adds up to {case_holding}, more than "
                f"the {self.month.total_fte} social workers in post in "
                f"{self.period.long}: check the case-holding FTE.",
            )

    # --- the ASYE and agency shares -------------------------------------------------------

    def shares(self) -> None:
        if not self.month.has(IN_POST):
            return
        for code, measure in SHARE_RULES.items():
            rule = self.context.rule(measure)
            share = self.month.pct_asye if code == "ASYE" else self.month.pct_agency
            if rule is None or share is None or rule.evaluate(share) != Status.RED:
                continue
            if self.commented(code):
                continue
            what = "ASYEs" if code == "ASYE" else "Agency social workers"
            self.add(
                WARNING,
                code,
                f"{what} are {rounded(share, 1)}% of social workers in {self.period.long}, "
                f"red under the rule {rule.describe()}: explain it in the commentary.",
            )

    def establishment(self) -> None:
        previous, now = self.context.previous, self.number("ESTABLISHMENT")
        if previous is None or now is None or now == previous.establishment_fte:
            return
        self.add(
            WARNING,
            "ESTABLISHMENT",
            f"The establishment changed from {previous.establishment_fte} FTE in "
            f"{previous.period.long} to {now} FTE: the establishment is agreed, so "
            "say in the commentary when and why it changed.",
        )

    # --- the contract KPI that is the same figure -----------------------------------------

    def vacancy_kpi(self) -> None:
        declared = self.context.vacancy_kpi
        needs = DERIVED["PERM_VACANCY_RATE"].needs
        if declared is None or declared.value is None or not self.month.has(needs):
            return
        rate = self.month.permanent_vacancy_rate
        if rate is None or VACANCY_RATE.agrees(rate, declared.value):
            return
        code = "PERM_VACANCY_RATE" if "PERM_VACANCY_RATE" in self.entries else "ESTABLISHMENT"
        self.add(
            WARNING,
            code,
            f"{declared.line} in the {declared.return_label} for {self.period.long} is "
            f"{declared.value}%, but this return's {VACANCY_RATE.title} works out at "
            f"{rounded(rate, 2)}%: they should agree. Correct whichever return is wrong, or "
            "explain the difference.",
            measure="PERM_VACANCY_RATE",
        )


spec = WorkforceReturnSpec()
