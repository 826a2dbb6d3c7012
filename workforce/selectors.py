"""
Reads that the workforce dashboard, the API and (later) the board pack share.

Each selector fetches what it needs in a fixed number of queries, however long
the history, then assembles plain objects that pages only render. Every figure
is the approved one; shares and rates come from the model's formulas and are
rated with `opb_portal.rag` through the rules in force that month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from opb_portal.core import reporting
from opb_portal.periods import Period, in_force
from opb_portal.rag import Status
from opb_portal.submissions import registry
from opb_portal.submissions.figures import Source, VersionShown, version_shown
from opb_portal.submissions.models import Return
from opb_portal.submissions.selectors import return_with_history, return_with_versions

from .models import (
    DERIVATIONS,
    DERIVED,
    REQUIRED,
    CaseloadFigure,
    CaseloadStandard,
    Service,
    WorkforceMonth,
    WorkforceRule,
    rounded,
    rule_for,
)

DOMAIN = "workforce"
# Two years: enough to see a year on year change in every chart.
HISTORY_MONTHS = 24
Measure = WorkforceRule.Measure


def services_in(period: Period) -> list[Service]:
    """The services whose caseloads a return for `period` holds, in display order."""
    return list(
        Service.objects.filter(first_month__lte=period).filter(
            Q(last_month__isnull=True) | Q(last_month__gte=period)
        )
    )


def _status(rule: WorkforceRule | None, value: Decimal | None) -> Status:
    if rule is None or value is None:
        return Status.MISSING
    return rule.evaluate(value)


class MonthFigures:
    """
    A month's workforce figures as one return version gives them (`WorkforceReturnSpec.figures`).

    `month` holds the typed lines the version has: a draft may lack some (`month.has`).
    `caseloads` are read when first asked for (one query, the services): the vacancy rate
    the KPI return checks PI12 against needs only the month.
    """

    def __init__(self, month: WorkforceMonth, caseloads: Callable[[], list[CaseloadFigure]]):
        self.month = month
        self._caseloads = caseloads

    @cached_property
    def caseloads(self) -> list[CaseloadFigure]:
        return self._caseloads()


@dataclass
class Caseload:
    """One service's caseload in a month against the model in force then."""

    service: Service
    figure: CaseloadFigure | None
    standard: CaseloadStandard | None
    rule: WorkforceRule | None
    asye_share: Decimal | None  # of the whole workforce: the model allows for ASYEs by it

    @property
    def children(self) -> int | None:
        return self.figure.children if self.figure else None

    @property
    def fte(self) -> Decimal | None:
        return self.figure.fte if self.figure else None

    @property
    def average(self) -> Decimal | None:
        """Children per case-holding FTE, to two places."""
        return rounded(self.figure.average, 2) if self.figure else None

    @property
    def model(self) -> Decimal | None:
        """The average the model expects this month, ASYEs allowed for, to two places."""
        if self.standard is None:
            return None
        return rounded(self.standard.model_for(self.asye_share), 2)

    @property
    def percent_of_model(self) -> Decimal | None:
        if self.figure is None or self.figure.average is None or self.standard is None:
            return None
        return self.figure.average / self.standard.model_for(self.asye_share) * 100

    @property
    def status(self) -> Status:
        return _status(self.rule, self.percent_of_model)

    @property
    def illustrative(self) -> bool:
        return bool(self.figure and self.figure.illustrative)


@dataclass
class Position:
    """The workforce in one month: figures, shares and their RAG, caseloads, the return."""

    period: Period
    month: WorkforceMonth | None
    caseloads: list[Caseload]
    rules: list[WorkforceRule]
    ret: Return | None = None
    shown: VersionShown | None = None

    def rule(self, measure: str) -> WorkforceRule | None:
        return rule_for(self.rules, measure, self.period)

    @property
    def asye_rule(self) -> WorkforceRule | None:
        return self.rule(Measure.ASYE_SHARE)

    @property
    def agency_rule(self) -> WorkforceRule | None:
        return self.rule(Measure.AGENCY_SHARE)

    @property
    def figures(self) -> dict[str, Decimal | None]:
        """Every derived figure of the month at its published precision, by code."""
        if self.month is None:
            return {}
        return {d.code: self.month.published(d.code) for d in DERIVATIONS}

    @property
    def asye_status(self) -> Status:
        month = self.month
        return _status(self.rule(Measure.ASYE_SHARE), month.pct_asye if month else None)

    @property
    def agency_status(self) -> Status:
        month = self.month
        return _status(self.rule(Measure.AGENCY_SHARE), month.pct_agency if month else None)

    @property
    def caseload_rule(self) -> WorkforceRule | None:
        return self.rule(Measure.CASELOAD)

    @property
    def overall_caseload(self) -> Decimal | None:
        """Children held per case-holding FTE across the services: the average workload."""
        figures = [c.figure for c in self.caseloads if c.figure is not None]
        fte = sum((f.fte for f in figures), Decimal(0))
        if not fte:
            return None
        return rounded(sum(f.children for f in figures) / fte, 2)

    @property
    def caseloads_illustrative(self) -> bool:
        return any(c.illustrative for c in self.caseloads)

    @property
    def has_caseloads(self) -> bool:
        return any(c.figure is not None for c in self.caseloads)

    @property
    def workings(self) -> list[tuple[object, str]]:
        """Each derived figure's formula with the month's figures in it, where they allow."""
        if self.month is None:
            return []
        found = [(d, self.month.working(d.code)) for d in DERIVATIONS]
        return [(derivation, working) for derivation, working in found if working]


def workforce_position(
    period: Period,
    *,
    rules: list[WorkforceRule] | None = None,
    source: Source = Source.APPROVED,
) -> Position:
    """
    The month's figures, its caseloads against the model and the return behind them.

    The figures come from `source`: the approved ones, or (for a draft pack) the version
    sent for approval, read by the return spec's `figures`. Seven queries: the month, the
    services that run then, their caseload figures, the caseload models and the rules in
    force by then, the return and its events (one more to read a version not approved).
    Pass `rules` (from `rules_until`) to spare one.
    """
    month = WorkforceMonth.objects.filter(period=period).first()
    figures = {
        f.service_id: f
        for f in CaseloadFigure.objects.filter(period=period).select_related("service")
    }
    running = {s.pk: s for s in services_in(period)}
    # Every service's: a version not yet approved may give a service no approved figure has.
    standards = list(CaseloadStandard.objects.filter(effective_from__lte=period))
    rules = rules_until(period) if rules is None else rules
    ret = return_with_history(domain=DOMAIN, period=period)
    shown = version_shown(domain=DOMAIN, period=period, ret=ret, source=source)
    if shown.unapproved:
        given: MonthFigures = shown.figures()
        month = given.month if given.month.has(REQUIRED) else None
        figures = {f.service_id: f for f in given.caseloads}
    # A service that has stopped still shows the figures it reported.
    services = sorted(
        {**running, **{f.service_id: f.service for f in figures.values()}}.values(),
        key=lambda s: (s.order, s.code),
    )
    asye_share = month.pct_asye if month else None
    rule = rule_for(rules, Measure.CASELOAD, period)
    caseloads = [
        Caseload(
            service=service,
            figure=figures.get(service.pk),
            standard=in_force([s for s in standards if s.service_id == service.pk], period),
            rule=rule,
            asye_share=asye_share,
        )
        for service in services
    ]
    return Position(period, month, caseloads, rules, ret, shown)


def rules_until(period: Period) -> list[WorkforceRule]:
    """Every rule that has started by `period`: enough to rate it and any month before."""
    return list(WorkforceRule.objects.filter(effective_from__lte=period))


@dataclass
class HistoryMonth:
    period: Period
    month: WorkforceMonth | None
    asye_status: Status = Status.MISSING
    agency_status: Status = Status.MISSING


@dataclass
class History:
    months: list[HistoryMonth] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [m.period.short for m in self.months]

    def series(self, attribute: str, places: int | None) -> list[Decimal | None]:
        return [
            rounded(getattr(m.month, attribute), places) if m.month else None for m in self.months
        ]

    @property
    def with_figures(self) -> list[HistoryMonth]:
        return [m for m in self.months if m.month is not None]


def workforce_history(
    period: Period,
    *,
    months: int = HISTORY_MONTHS,
    rules: list[WorkforceRule],
    position: Position | None = None,
) -> History:
    """
    The `months` months to `period`, oldest first, each rated under the rules then in force.

    One query, however many months: `rules` come from `rules_until(period)`.
    Leading months without figures are left out, so a chart starts at the first figure.
    Given `period`'s `position` read from a version not approved (a draft pack's), its
    month ends the history in place of the approved one, so the charts draw what the page says.
    """
    first = period.shift(-(months - 1))
    found = {
        m.period: m for m in WorkforceMonth.objects.filter(period__gte=first, period__lte=period)
    }
    history = History()
    for when in period.last_n(months):
        month = found.get(when)
        if month is None and not history.months and when != period:
            continue
        history.months.append(
            HistoryMonth(
                when,
                month,
                _status(rule_for(rules, Measure.ASYE_SHARE, when), month and month.pct_asye),
                _status(rule_for(rules, Measure.AGENCY_SHARE, when), month and month.pct_agency),
            )
        )
    if position is not None and position.shown is not None and position.shown.unapproved:
        latest = history.months[-1]
        latest.month = position.month
        latest.asye_status = position.asye_status
        latest.agency_status = position.agency_status
    return history


@dataclass
class Dashboard:
    position: Position
    history: History
    periods: list[Period]


def workforce_dashboard(period: Period) -> Dashboard:
    """
    Everything the dashboard shows, in ten queries however long the history: the
    rules, the month's position (six), its history (one), the months for the picker.
    """
    rules = rules_until(period)
    return Dashboard(
        position=workforce_position(period, rules=rules),
        history=workforce_history(period, rules=rules),
        periods=reporting_periods(),
    )


def reporting_periods() -> list[Period]:
    """Every month with workforce or caseload figures, newest first (for the period picker)."""
    # A compound query may not order its parts (SQLite refuses): clear the models' ordering.
    months = WorkforceMonth.objects.order_by().values_list("period", flat=True)
    caseloads = CaseloadFigure.objects.order_by().values_list("period", flat=True)
    return list(months.union(caseloads).order_by("-period"))


def latest_period() -> Period | None:
    return reporting.latest_period(WorkforceMonth.objects)


def permanent_vacancy_rate(period: Period) -> Decimal | None:
    """
    The month's permanent vacancy rate to two places: the figure registered for the KPI
    return's check (`crosschecks`, key `workforce.permanent_vacancy_rate`).

    From the latest version of the month's workforce return, approved or not
    (the two returns are usually prepared together), else the approved figures.
    """
    version = Source.LATEST.version(return_with_versions(domain=DOMAIN, period=period))
    month = None
    if version is not None:
        month = registry.get(DOMAIN).figures(version=version).month
        if not month.has(DERIVED["PERM_VACANCY_RATE"].needs):
            month = None
    if month is None:
        month = WorkforceMonth.objects.filter(period=period).first()
    # Two places, the precision PI12 is kept at, so that the KPI return compares like with like.
    return rounded(month.permanent_vacancy_rate, 2) if month else None
