"""
Reads that the KPI pages, the API and (later) the board pack share.

Each selector fetches everything a page needs in a fixed number of queries,
whatever the length of the history or the number of KPIs, then assembles
plain objects the templates only have to render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial

from django.db.models import Prefetch, Q

from opb_portal import rag
from opb_portal.comparators.registry import Subject
from opb_portal.comparators.selectors import ComparatorLine, ComparatorLines, comparator_lines
from opb_portal.core import reporting
from opb_portal.core.text import joined
from opb_portal.periods import FinancialYear, Period, schedule
from opb_portal.rag import Status
from opb_portal.reference.models import Polarity
from opb_portal.submissions import crosschecks, registry
from opb_portal.submissions.figures import Source, VersionShown, version_shown
from opb_portal.submissions.models import Return
from opb_portal.submissions.selectors import return_with_history, return_with_versions

from .models import Framework, KpiDefinition, KpiForecast, KpiValue, ThresholdRule

DOMAIN = "kpis"
SPARKLINE_MONTHS = 12
# Escalation needs "more than three" consecutive red months; two years of
# history is ample to count the streak and to draw the sparkline.
HISTORY_MONTHS = 24


@dataclass(repr=False)
class Month:
    """One KPI in one month: the value, the rule in force then, and its colour.

    `number` is the figure at its KPI's precision: what every page, export and the API
    show. A figure stored before precision existed keeps its digits in the database
    (97.40000000000001 from a spreadsheet double) and is shown, rated and compared with
    last month as 97.4: nothing stored is rewritten. It is worked out once, when the
    month is rated (`months_of`), not on every reading: a page reads it many times.
    """

    period: Period
    value: KpiValue | None
    rule: ThresholdRule | None
    status: Status
    in_grace: bool
    number: Decimal | None = None


@dataclass(frozen=True)
class ChangeSaid:
    """A month's change in words: `▼` `0.9 points` `further below target`."""

    arrow: str  # ▲ rose, ▼ fell, = the same figure
    amount: str
    words: str

    def __str__(self) -> str:
        return " ".join(part for part in (self.arrow, self.amount, self.words) if part)


def off_target(side: str, polarity: str) -> str:
    """
    Where a figure off target is, in a reader's words: short of a target is "below target"
    whichever way the KPI runs (PI3's rise past its target is "below target", never
    "above"); a band's figure is below or above its range.
    """
    if polarity == Polarity.BAND:
        return f"{side} the target range"
    return "below target"


def change_words(*, now: Month, before: Month) -> str:
    """
    What a move from `before` to `now` did against the target (the green zone of each
    month's own rule): `still on target`, `now on target`, `now below target`,
    `further below target`, `closer to target`, with `, now red` when a figure off
    target changed colour.
    """
    if now.rule is None or before.rule is None:
        return "no rule to rate it against"
    where = rag.side(now.number, now.rule.bounds)
    was = rag.side(before.number, before.rule.bounds)
    if where is None:
        return "still on target" if was is None else "now on target"
    off = off_target(where, now.rule.polarity)
    if was != where:
        return f"now {off}"
    distance = rag.distance(now.number, now.rule.bounds)
    distance_before = rag.distance(before.number, before.rule.bounds)
    if distance > distance_before:
        words = f"further {off}"
    elif distance < distance_before:
        words = "closer to target"
    else:
        words = f"still {off}"
    if now.status != before.status:
        words += f", now {now.status.value}"
    return words


@dataclass(repr=False)
class ScorecardRow:
    """
    One KPI on the scorecard: the month, the month before, and its history.

    The history is `recent` (the sparkline's months, ending with the month shown) after
    `earlier` (the months before them, back to HISTORY_MONTHS). The page and the API show
    only the recent months, so the earlier ones are rated when first asked for: by the
    pack, which draws them, or by the red streak when every recent month is red. A
    scorecard's time so stays that of the months it shows, however long the history.
    """

    kpi: KpiDefinition
    month: Month
    previous: Month
    recent: list[Month]
    comparators: list[ComparatorLine] = field(default_factory=list)
    # The month's figure is one not yet approved that differs from the approved one (a
    # draft pack's, from the version sent for approval): marked wherever it is shown.
    awaiting_approval: bool = False
    # The Trust's own latest figure, shown beside the approved one when they differ.
    unapproved: Month | None = None
    earlier_months: Callable[[], list[Month]] = list

    @cached_property
    def earlier(self) -> list[Month]:
        return self.earlier_months()

    @property
    def history(self) -> list[Month]:
        """Every month fetched, oldest first, ending with the month shown."""
        return [*self.earlier, *self.recent]

    @property
    def consecutive_red(self) -> int:
        """Red months outside grace ending with this one: the earlier months only if needed."""
        streak = consecutive_red_months(self.recent)
        if streak == len(self.recent):
            streak += consecutive_red_months(self.earlier)
        return streak

    @property
    def status(self) -> Status:
        return self.month.status

    @property
    def escalated(self) -> bool:
        """The contract's trigger: red for more than three consecutive months outside grace."""
        return self.consecutive_red > 3

    @property
    def change(self) -> Decimal | None:
        if self.month.number is None or self.previous.number is None:
            return None
        return self.month.number - self.previous.number

    @property
    def change_said(self) -> ChangeSaid | None:
        """The change on last month in words; None without both figures."""
        change = self.change
        if change is None:
            return None
        if change == 0:
            return ChangeSaid("=", "no change", f"the same figure as {self.previous.period.short}")
        return ChangeSaid(
            "▲" if change > 0 else "▼",
            self.kpi.format_difference(abs(change)),
            change_words(now=self.month, before=self.previous),
        )

    @property
    def direction(self) -> str | None:
        """`better`, `worse` or `same`, knowing that a rise in PI3 is bad news."""
        change, rule = self.change, self.month.rule
        if change is None or rule is None:
            return None
        if change == 0:
            return "same"
        if rule.polarity == Polarity.BAND:
            if self.status.rank != self.previous.status.rank:
                return "better" if self.status.rank < self.previous.status.rank else "worse"
            return "same"
        rising_is_good = rule.polarity == Polarity.HIGHER_IS_BETTER
        return "better" if (change > 0) == rising_is_good else "worse"

    @property
    def sparkline(self) -> list[Month]:
        return self.recent


@dataclass
class Scorecard:
    period: Period
    framework: Framework | None
    rows: list[ScorecardRow]
    ret: Return | None = None
    shown: VersionShown | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for row in self.rows:
            counts[row.status.value] += 1
        return counts

    @property
    def exceptions(self) -> list[ScorecardRow]:
        return [row for row in self.rows if row.escalated]

    @property
    def illustrative(self) -> bool:
        return any(row.month.value and row.month.value.illustrative for row in self.rows)


def framework_in_force(period: Period) -> Framework | None:
    day = period.first_day
    return (
        Framework.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


def latest_period() -> Period | None:
    return reporting.latest_period(KpiValue.objects)


def reporting_years() -> list[FinancialYear]:
    """Every financial year that has a KPI figure, oldest first (for the year summary's links)."""
    periods = KpiValue.objects.order_by("period").values_list("period", flat=True).distinct()
    return sorted({period.financial_year for period in periods}, key=lambda y: y.start_year)


def reporting_periods() -> list[Period]:
    """Every month that has a KPI figure, newest first (for the period picker)."""
    return list(KpiValue.objects.order_by("-period").values_list("period", flat=True).distinct())


def kpis_of(framework: Framework):
    return (
        KpiDefinition.objects.filter(framework=framework)
        .select_related("framework")
        .prefetch_related(
            Prefetch("rules", queryset=ThresholdRule.objects.order_by("effective_from"))
        )
    )


class _Fetched(Mapping):
    """
    One KPI's figures by month, each fetched as a row and made a `KpiValue` (with its KPI,
    already fetched: no query per value) only when a page first asks for that month.

    The scorecard fetches two years of figures in its one query, but rates the months
    before the sparkline only when something asks for them (`ScorecardRow.earlier`):
    building a model for every row it never shows was most of what a long history cost.
    """

    def __init__(self, kpi: KpiDefinition, names: list[str], db: str):
        self.kpi, self.names, self.db = kpi, names, db
        self.rows: dict[Period, tuple] = {}
        self.made: dict[Period, KpiValue] = {}

    def __getitem__(self, period: Period) -> KpiValue:
        value = self.made.get(period)
        if value is None:
            value = KpiValue.from_db(self.db, self.names, self.rows[period])
            KpiValue.kpi.field.set_cached_value(value, self.kpi)
            self.made[period] = value
        return value

    def get(self, period: Period, default: KpiValue | None = None) -> KpiValue | None:
        return self[period] if period in self.rows else default

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _values_by_kpi(kpis, first: Period, last: Period) -> dict[int, Mapping[Period, KpiValue]]:
    """Each KPI's figures from `first` to `last` (1 query), made models as they are read."""
    names = [f.attname for f in KpiValue._meta.concrete_fields]
    kpi_field, period_field = names.index("kpi_id"), names.index("period")
    # In no order (a dict by month is what is built): ordering by KPI would join the KPIs
    # and their frameworks again, and sort, only to be forgotten.
    values = KpiValue.objects.filter(kpi__in=kpis, period__gte=first, period__lte=last).order_by()
    by_kpi = {kpi.pk: _Fetched(kpi, names, values.db) for kpi in kpis}
    for row in values.values_list(*names):
        by_kpi[row[kpi_field]].rows[row[period_field]] = row
    return by_kpi


def month_of(kpi: KpiDefinition, period: Period, value: KpiValue | None) -> Month:
    """One month of `kpi` rated under the rule in force then (`months_of` for a run of them)."""
    return months_of(kpi, [period], {period: value} if value is not None else {})[0]


def months_of(
    kpi: KpiDefinition, periods: Iterable[Period], values: Mapping[Period, KpiValue]
) -> list[Month]:
    """
    Each of `periods` as a `Month` of `kpi`: its value from `values` (none if absent), the
    rule in force then and its colour.

    The per-month work of every page that shows a KPI over time, so it is done once per
    KPI where it can be: the rules put in date order once and each month's found by
    bisection (`periods.schedule`), the grace period's end and the precision read once.
    A page's time then grows with the months it shows, not with the history kept.
    """
    rule_for = schedule(kpi.rules.all())
    grace_ends = kpi.framework.first_period.shift(kpi.grace_months)
    months = []
    for period in periods:
        value = values.get(period)
        rule = rule_for(period)
        # Rated as shown: 75.00000000000001 stored for a "> 75" target is amber, as 75.0 reads.
        number = kpi.at_precision(value.value) if value is not None else None
        status = rule.evaluate(number) if rule else Status.MISSING
        months.append(Month(period, value, rule, status, period < grace_ends, number))
    return months


def consecutive_red_months(history: list[Month]) -> int:
    streak = 0
    for month in reversed(history):
        if month.status != Status.RED or month.in_grace:
            break
        streak += 1
    return streak


def scorecard(
    period: Period,
    *,
    source: Source = Source.APPROVED,
    beside: Source | None = None,
    with_comparators: bool = True,
) -> Scorecard:
    """
    Every KPI of the framework in force in `period`, with history and comparators.

    The month's figures come from `source`: the approved ones, or (for a draft pack) the
    version sent for approval, read by the return spec's `figures`. With `beside` (the
    Trust's own people: `Source.LATEST`) each row also carries the figure of that version
    where it differs from the one shown. Comparators are those published by `period`
    (`kpi_comparators`: 1 query, as the KPIs' own comparators once were); the API, which
    does not show them, asks for none.
    """
    framework = framework_in_force(period)
    ret = return_with_history(domain=DOMAIN, period=period)
    shown = version_shown(domain=DOMAIN, period=period, ret=ret, source=source, beside=beside)
    if framework is None:
        return Scorecard(period, None, [], ret, shown)
    kpis = list(kpis_of(framework))
    first = max(period.shift(-(HISTORY_MONTHS - 1)), framework.first_period)
    values = _values_by_kpi(kpis, first, period)
    benchmarks = kpi_comparators(kpis, until=period) if with_comparators and kpis else {}
    rows = []
    months = [month for month in period.last_n(HISTORY_MONTHS) if month >= first]
    earlier, recent = months[:-SPARKLINE_MONTHS], months[-SPARKLINE_MONTHS:]
    for kpi in kpis:
        shown_months = months_of(kpi, recent, values[kpi.pk])
        previous = (
            shown_months[-2] if len(shown_months) > 1 else month_of(kpi, period.shift(-1), None)
        )
        rows.append(
            ScorecardRow(
                kpi=kpi,
                month=shown_months[-1],
                previous=previous,
                recent=shown_months,
                comparators=benchmarks.get(kpi.pk, []),
                earlier_months=partial(months_of, kpi, earlier, values[kpi.pk]),
            )
        )
    if shown.unapproved:
        _show_version(rows, period, shown.figures())
    if shown.beside is not None:
        _beside(rows, period, shown.beside_figures())
    return Scorecard(period, framework, rows, ret, shown)


def _by_code(values: list[KpiValue]) -> dict[str, KpiValue]:
    return {value.kpi.code: value for value in values}


def _show_version(rows: list[ScorecardRow], period: Period, values: list[KpiValue]) -> None:
    """The month's figures from a version not approved, in place of the approved ones."""
    given = _by_code(values)
    for row in rows:
        approved = row.month.number
        value = given.get(row.kpi.code)
        if value is not None:
            value.kpi = row.kpi  # with its rules already fetched
        month = month_of(row.kpi, period, value)
        row.month = row.recent[-1] = month
        row.awaiting_approval = month.number is not None and month.number != approved


def _beside(rows: list[ScorecardRow], period: Period, values: list[KpiValue]) -> None:
    """The Trust's latest figures beside the shown ones, where they differ."""
    given = _by_code(values)
    for row in rows:
        value = given.get(row.kpi.code)
        if value is None:
            continue
        value.kpi = row.kpi
        month = month_of(row.kpi, period, value)
        if month.number != row.month.number:
            row.unapproved = month


def declared_figure(key: str, period: Period) -> crosschecks.Declared | None:
    """
    The KPI in force in `period` that declares it is another return's figure `key`
    (`KpiDefinition.cross_check`), with its figure for the month: from the latest version
    of the KPI return, approved or not (the two returns are prepared together), else the
    approved value. Registered with `crosschecks` for the other return's check.
    """
    day = period.first_day
    kpi = (
        KpiDefinition.objects.filter(framework__effective_from__lte=day, cross_check=key)
        .filter(Q(framework__effective_to__isnull=True) | Q(framework__effective_to__gte=day))
        .order_by("-framework__effective_from")
        .first()
    )
    if kpi is None:
        return None
    version = Source.LATEST.version(return_with_versions(domain=DOMAIN, period=period))
    if version is not None:
        given = _by_code(registry.get(DOMAIN).figures(version=version)).get(kpi.code)
        if given is not None:
            return crosschecks.Declared(DOMAIN, kpi.code, given.value)
    value = kpi.values.filter(period=period).values_list("value", flat=True).first()
    return crosschecks.Declared(DOMAIN, kpi.code, value)


# --- a KPI's benchmarks ----------------------------------------------------------


def kpi_comparators(kpis: list[KpiDefinition], *, until: Period) -> dict[int, list[ComparatorLine]]:
    """
    Every benchmark of each KPI, gathered in this one place for the scorecard, its page
    and its pack page: the comparator store's figures under its code for their latest
    year to `until` (`comparators.selectors.comparator_lines`: 1 query, 3 when a
    neighbour's figure is among them).
    """
    lines = comparator_lines({kpi.code for kpi in kpis}, until=until)
    return {kpi.pk: lines.get(kpi.code) or ComparatorLines() for kpi in kpis}


def compared(kpi: KpiDefinition, comparators: list[ComparatorLine]) -> str:
    """How a KPI's page and its pack page write its benchmarks: "Sandwell 94.0, neighbours
    95.2 (10 of 10), England 70.0 (DfE, children looked after, year to 31 March 2024)", each
    at the KPI's precision; "" without the store's figures (`kpi_comparators`)."""
    if not isinstance(comparators, ComparatorLines):
        return ""
    return comparators.sentence(kpi.format_value)


def comparator_subjects() -> list[Subject]:
    """Every KPI of every framework, oldest framework first (1 query), for the comparator
    import: a KPI code reused between frameworks means the KPI in force that March."""
    kpis = KpiDefinition.objects.select_related("framework").order_by(
        "framework__effective_from", "order"
    )
    return [
        Subject(
            kpi.code,
            kpi.title,
            kpi.unit,
            effective_from=kpi.framework.effective_from,
            effective_to=kpi.framework.effective_to,
        )
        for kpi in kpis
    ]


# --- one KPI -------------------------------------------------------------------


@dataclass
class KpiHistory:
    kpi: KpiDefinition
    months: list[Month]
    comparators: list[ComparatorLine]

    @property
    def compared(self) -> str:
        return compared(self.kpi, self.comparators)

    @property
    def last_period(self) -> Period:
        """The month the history runs to: the latest with a figure, else the framework's first."""
        return self.months[-1].period if self.months else self.kpi.framework.first_period


def kpi_for_page(framework_code: str, code: str) -> KpiDefinition:
    return _kpis_all().get(framework__code=framework_code, code=code)


def _kpis_all():
    return KpiDefinition.objects.select_related("framework").prefetch_related(
        Prefetch("rules", queryset=ThresholdRule.objects.order_by("effective_from"))
    )


def kpi_history(kpi: KpiDefinition) -> KpiHistory:
    """
    Every month of the KPI's framework up to its latest figure, each value with the
    version of the return it came from and that version's author (the commentary's).
    """
    values = {
        v.period: v for v in kpi.values.select_related("version__created_by").order_by("period")
    }
    start = kpi.framework.first_period
    end = max(values, default=start)
    months = months_of(kpi, (start.shift(i) for i in range(end.months_since(start) + 1)), values)
    until = months[-1].period if months else start
    return KpiHistory(kpi, months, kpi_comparators([kpi], until=until)[kpi.pk])


# --- how earlier forecasts did ----------------------------------------------------

# The honest record on a KPI's page: this many of its latest checkable forecasts.
RECORD_MONTHS = 12


@dataclass(frozen=True)
class ForecastCheck:
    """An earlier forecast of a KPI's next month, beside the figure that month turned out."""

    made_from: Period  # the last month of figures the forecast was made from
    period: Period  # the month it forecast, now actual
    method_label: str
    forecast: Decimal
    lower: Decimal  # its 80% prediction interval
    upper: Decimal
    actual: Decimal

    @property
    def within(self) -> bool:
        return self.lower <= self.actual <= self.upper

    @property
    def error(self) -> Decimal:
        """The actual less the forecast: positive when the figure came in above it."""
        return self.actual - self.forecast


@dataclass(frozen=True)
class ForecastRecord:
    checks: list[ForecastCheck]

    @property
    def within(self) -> int:
        return sum(1 for check in self.checks if check.within)

    @property
    def sentence(self) -> str:
        """How often the actual fell inside the interval: an 80% interval should, 8 in 10."""
        n = len(self.checks)
        if not n:
            return ""
        forecasts = "forecast" if n == 1 else "forecasts"
        return (
            f"{self.within} of the last {n} one-month {forecasts} had the actual figure inside"
            " its 80% interval."
        )


def forecast_record(history: KpiHistory) -> ForecastRecord:
    """
    The KPI's stored forecasts whose next month now has a figure, newest first, each beside
    that figure (1 query; the figures are the history's own, rated as shown).
    """
    actual = {m.period: m.number for m in history.months if m.value is not None}
    forecasts = (
        KpiForecast.objects.filter(kpi=history.kpi, last_period__lt=history.last_period)
        .only("last_period", "method_label", "steps")
        .order_by("-last_period")[: RECORD_MONTHS * 2]
    )
    checks = []
    for stored in forecasts:
        first = stored.steps[0] if stored.steps else {}
        period = Period.parse(first["period"]) if first.get("period") else None
        if period not in actual:
            continue
        checks.append(
            ForecastCheck(
                made_from=stored.last_period,
                period=period,
                method_label=stored.method_label,
                forecast=Decimal(str(first["value"])),
                lower=Decimal(str(first["lower"])),
                upper=Decimal(str(first["upper"])),
                actual=actual[period],
            )
        )
    return ForecastRecord(checks[:RECORD_MONTHS])


# --- a financial year ------------------------------------------------------------

# The year in a reader's words: a KPI short of its target is "below target" whichever way
# it runs (never "above target" for PI3 when it is worse); red is outside the tolerance.
STATUS_PHRASES = {
    Status.GREEN: "on target",
    Status.AMBER: "below target but within tolerance",
    Status.RED: "outside tolerance",
}
BAND_PHRASES = {
    Status.GREEN: "within the target range",
    Status.AMBER: "outside the target range but within tolerance",
    Status.RED: "outside tolerance",
}


@dataclass
class YearRow:
    kpi: KpiDefinition
    months: list[Month]

    def count(self, status: Status) -> int:
        return sum(1 for month in self.months if month.status == status)

    @property
    def green(self) -> int:
        return self.count(Status.GREEN)

    @property
    def amber(self) -> int:
        return self.count(Status.AMBER)

    @property
    def red(self) -> int:
        return self.count(Status.RED)

    @property
    def missing(self) -> int:
        return self.count(Status.MISSING)

    @property
    def _with_values(self) -> list[Month]:
        return [month for month in self.months if month.value is not None]

    @property
    def minimum(self) -> Month | None:
        # The earliest month wins a tie, as a reader scanning the year would find it.
        return min(self._with_values, key=lambda m: m.number, default=None)

    @property
    def maximum(self) -> Month | None:
        return max(reversed(self._with_values), key=lambda m: m.number, default=None)

    @property
    def mean(self) -> Decimal | None:
        numbers = [month.number for month in self._with_values]
        if not numbers:
            return None
        return self.kpi.at_precision(sum(numbers) / len(numbers))

    @property
    def phrases(self) -> dict[Status, str]:
        rules = [month.rule for month in self.months if month.rule is not None]
        band = bool(rules) and rules[-1].polarity == Polarity.BAND
        return BAND_PHRASES if band else STATUS_PHRASES

    def sentence(self, *, with_average: bool = False) -> str:
        """The year in one sentence, in the words a reader of the annual review uses."""
        phrases = self.phrases
        counts = [(phrases[s], self.count(s)) for s in phrases if self.count(s)]
        if not counts:
            return "No figures were reported this year."
        parts = [f"{phrase} for {_months(count)}" for phrase, count in counts]
        text = "Performance was " + joined(parts)
        if self.minimum is not None and self.minimum.number != self.maximum.number:
            fmt = self.kpi.format_value
            text += (
                f", ranging from {fmt(self.minimum.number)} in {self.minimum.period.long}"
                f" to {fmt(self.maximum.number)} in {self.maximum.period.long}"
            )
        if with_average and self.mean is not None:
            text += f", with an average of {self.kpi.format_value(self.mean)}"
        if self.missing:
            text += f"; no figure was reported for {_months(self.missing)}"
        return text + "."


def _months(count: int) -> str:
    return f"{count} month" + ("" if count == 1 else "s")


@dataclass
class YearSummary:
    year: FinancialYear
    framework: Framework | None
    rows: list[YearRow]


def year_summary(year: FinancialYear) -> YearSummary:
    framework = framework_in_force(year.first)
    if framework is None:
        return YearSummary(year, None, [])
    kpis = list(kpis_of(framework))
    values = _values_by_kpi(kpis, year.first, year.last)
    rows = [YearRow(kpi, months_of(kpi, year.months(), values[kpi.pk])) for kpi in kpis]
    return YearSummary(year, framework, rows)
