"""
Reads the demand pages, the API and the tests share.

Every function fetches what it needs in a fixed number of queries (named in
each docstring), whatever the number of measures, months or authorities.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from opb_portal import formatting, rag
from opb_portal.comparators import benchmarks
from opb_portal.comparators.models import ComparatorValue, YearBasis
from opb_portal.comparators.registry import Subject
from opb_portal.comparators.selectors import (
    PUBLISHED_NEIGHBOURS,
    STATISTICAL_NEIGHBOURS,
    ComparatorLines,
    NeighbourAverage,
    comparator_lines,
)
from opb_portal.core import panels, projections, reporting
from opb_portal.core.counts import Count
from opb_portal.periods import Period
from opb_portal.reference.models import ChildPopulation, Polarity, Unit
from opb_portal.submissions.figures import VersionShown, version_shown
from opb_portal.submissions.selectors import return_with_versions

from . import projection
from .models import Measure, MeasureValue, illustrative_source
from .projection import History

HOME = benchmarks.HOME_NAME
ILLUSTRATIVE_NOTE = "illustrative: a demonstration figure, not published"
# The return the Trust's monthly demand figures arrive in (demand.returns).
ACTIVITY_RETURN = "activity"


def comparator_subjects() -> list[Subject]:
    """The measures comparators may be stored for (1 query), for the comparator import.

    A count with a rate per 10,000 is benchmarked as the rate, as published.
    """
    return [
        Subject(m.code, m.title, Unit.RATE_PER_10000 if m.per_10000 else m.unit)
        for m in Measure.objects.all()
    ]


def populations() -> dict[int, int]:
    """The child population by the first year of its financial year (1 query)."""
    return dict(ChildPopulation.objects.values_list("financial_year_start", "children"))


@dataclass(frozen=True)
class Figure:
    """One stored figure with the rate per 10,000 derived from its year's child population."""

    value: MeasureValue
    children: int | None

    @property
    def measure(self) -> Measure:
        return self.value.measure

    @property
    def number(self) -> Decimal:
        return self.value.value

    @property
    def shown(self) -> str:
        """The figure as every page writes it: `3,728`, at the measure's precision."""
        return self.measure.format_value(self.value.value)

    @property
    def rate(self) -> Decimal | None:
        if not self.measure.per_10000 or self.children is None:
            return None
        return Measure.rate(self.value.value, self.children)

    @property
    def rate_difference(self) -> Decimal | None:
        """The derived rate less the published one, where both exist."""
        if self.rate is None or self.value.published_rate is None:
            return None
        return self.rate - self.value.published_rate

    @property
    def status(self) -> rag.Status | None:
        target_on = self.rate if self.measure.target_applies_to_rate else self.number
        return self.measure.evaluate(target_on)


def figure(value: MeasureValue, children_by_year: dict[int, int]) -> Figure:
    year = value.period.financial_year.start_year
    return Figure(value=value, children=children_by_year.get(year))


def figures(*, span: str, codes=None, since: Period | None = None) -> list[Figure]:
    """Stored figures of one span with their measures and rates (2 queries: values, population)."""
    values = MeasureValue.objects.filter(span=span).select_related("measure")
    if codes is not None:
        values = values.filter(measure__code__in=codes)
    if since is not None:
        values = values.filter(period__gte=since)
    children = populations()
    return [figure(v, children) for v in values.order_by("measure__order", "period")]


@dataclass(frozen=True)
class BenchmarkRow:
    name: str
    kind: str  # "home", "neighbour", "average", "published_average", "region", "england"
    value: Decimal | None
    note: str = ""
    rank: int | None = None
    # When the figure is not the year's own (Sandwell's from a later March): its date,
    # said beside it wherever it is shown. Empty for a figure of the page's year.
    other_date: str = ""
    text: str = "–"  # the figure as written (`written`)


def written(measure: Measure, value: Decimal | None) -> str:
    """A benchmark figure as every page writes it: a rate per 10,000 at one place, or the
    measure's own figure at its precision (opb_portal.formatting)."""
    if measure.per_10000:
        return formatting.number(value, 1)
    return measure.format_value(value)


@dataclass
class Benchmark:
    """
    Sandwell against each neighbour, their average, the region and England, in one year: the
    comparator store's benchmark (`opb_portal.comparators.benchmarks`, which ranks and bands)
    with Sandwell's figure as this page shows it, and the rows the page and chart list.
    """

    measure: Measure
    year: int
    result: benchmarks.Benchmark
    home: BenchmarkRow
    ranked: list[BenchmarkRow]  # Sandwell and the neighbours with a figure, best first
    others: list[BenchmarkRow]  # the averages, the region, England
    # The release that last set the year's figures and what it revised (the page's year only).
    revision: benchmarks.Revision | None = None

    @property
    def average(self) -> NeighbourAverage:
        return self.result.average

    @property
    def group_size(self) -> int:
        return len(self.ranked)

    @property
    def like_for_like(self) -> bool:
        """Sandwell has a figure of the year itself, not one of another date."""
        return self.home.value is not None and not self.home.other_date

    @property
    def rankable(self) -> bool:
        """A rank compares the same year's figures, among at least `MIN_NEIGHBOURS`."""
        return self.like_for_like and self.result.rankable

    @property
    def rank(self) -> int | None:
        return self.result.rank if self.rankable else None

    @property
    def band(self) -> str | None:
        """The quartile band among every local authority with a figure (A to D)."""
        return self.result.band if self.rankable else None

    @property
    def no_rank(self) -> str:
        """Why no rank or quartile is given (empty when one is)."""
        if self.rankable:
            return ""
        if self.home.value is None:
            return f"Sandwell has no figure for {self.year}, so it is not ranked."
        if not self.like_for_like:
            return (
                f"Sandwell's figure is for {self.home.other_date}, not {self.when}, so it is"
                " not ranked against its neighbours' figures for "
                f"{self.when}."
            )
        return f"{self.average.how_many} for {self.when}: too few to rank Sandwell."

    @property
    def when(self) -> str:
        """ "March 2024", or "2023-24" for a measure counted over the year."""
        at_end = self.measure.kind == Measure.Kind.AT_END
        return YearBasis.describe(
            self.year, YearBasis.AT_MARCH if at_end else YearBasis.FINANCIAL_YEAR
        )

    @property
    def unit_label(self) -> str:
        return (
            "rate per 10,000 children"
            if self.measure.per_10000
            else self.measure.get_unit_display()
        )

    @property
    def chart_rows(self) -> list[BenchmarkRow]:
        return [*self.ranked, *(row for row in self.others if row.value is not None)]


def benchmark_measure(code: str) -> Measure:
    """The measure a benchmark page is about (1 query); raises Measure.DoesNotExist."""
    return Measure.objects.get(code=code)


def _home_figure(
    measure: Measure,
    year: int,
    published: Decimal | None,
    values: list[MeasureValue],
    children: dict[int, int],
) -> BenchmarkRow:
    """
    Sandwell's own figure for the year, from its year figures in period order.

    A published figure for Sandwell wins; otherwise the portal's own figure at March of
    the year (as a rate where the comparators are rates). When the year has none (no
    child population to make a rate), the nearest later year is shown and labelled so.
    """
    if published is not None:
        return BenchmarkRow(HOME, "home", published, "published")
    for value in values:
        if value.period < Period(year, 3):
            continue
        value.measure = measure
        found = figure(value, children)
        number = found.rate if measure.per_10000 else found.number
        if number is None:
            continue
        label = value.label
        # A demonstration figure nobody published says so wherever it is shown.
        made_up = f"; {ILLUSTRATIVE_NOTE}" if value.illustrative else ""
        if value.period.year == year:
            return BenchmarkRow(HOME, "home", number, f"{label}, worked out by the portal{made_up}")
        return BenchmarkRow(
            HOME,
            "home",
            number,
            f"{label}: no figure for {year}, so the next year's is shown{made_up}",
            other_date=label,
        )
    return BenchmarkRow(HOME, "home", None, f"no figure for {year}")


@dataclass
class _Sources:
    """What benchmarks of one measure are worked out from, fetched once (7 queries)."""

    figures: benchmarks.Figures
    own: list[MeasureValue]
    children: dict[int, int]

    @classmethod
    def fetch(cls, measure: Measure, *, year: int | None = None) -> _Sources:
        """The comparator store's figures of the measure and its polarity (5:
        `benchmarks.Figures.of`), Sandwell's year figures, the child population: for one
        year, or for every year."""
        own = MeasureValue.objects.filter(measure=measure, span=MeasureValue.Span.YEAR)
        if year is not None:
            own = own.filter(period__gte=Period(year, 3))
        return cls(
            figures=benchmarks.Figures.of(measure.code, year=year),
            own=list(own.order_by("period")),
            children=populations(),
        )

    def benchmark(self, measure: Measure, year: int) -> Benchmark:
        result = self.figures.benchmark(year)
        home = _home_figure(measure, year, result.home_value, self.own, self.children)
        if result.home_value is None and home.value is not None and not home.other_date:
            # The portal's own figure of the year is ranked as a published one would be.
            result = self.figures.benchmark(year, home=home.value)
        return _rows(measure, year, result, home)


def _rows(
    measure: Measure, year: int, result: benchmarks.Benchmark, home: BenchmarkRow
) -> Benchmark:
    """The page's rows from the store's benchmark: ranks and bands are the store's own."""
    average = result.average
    rows = [
        BenchmarkRow(entry.name, "neighbour", entry.value, rank=entry.rank)
        for entry in result.neighbours
        if entry.published
    ]
    if home.value is not None:
        rows.append(replace(home, rank=result.home.rank if result.rank else None))
    lowest_first = result.polarity == Polarity.LOWER_IS_BETTER
    rows.sort(key=lambda row: (row.value if lowest_first else -row.value, row.name))
    if not result.rankable or home.other_date:
        rows = [replace(row, rank=None) for row in rows]
    published = average.published
    others = [
        BenchmarkRow(
            STATISTICAL_NEIGHBOURS,
            "average",
            average.mean,
            f"mean of {average.used} of {average.of}"
            if average.enough
            else f"{average.how_many.lower()}: too few to average",
        ),
        BenchmarkRow(
            PUBLISHED_NEIGHBOURS,
            "published_average",
            published.value if published else None,
            published.source if published else "not published",
        ),
    ]
    for kind, found in (("region", result.region), ("england", result.england)):
        if found is not None:
            others.append(BenchmarkRow(found.authority.name, kind, found.value, found.source))
    ranked, others = (
        [replace(row, text=written(measure, row.value)) for row in rows] for rows in (rows, others)
    )
    home = next((row for row in ranked if row.kind == "home"), home)
    return Benchmark(
        measure=measure,
        year=year,
        result=result,
        home=replace(home, text=written(measure, home.value)),
        ranked=ranked,
        others=others,
    )


def benchmark(measure: Measure, year: int) -> Benchmark:
    """Everything the benchmark page shows for one year, with the release that set its
    figures (8 queries, see `_Sources`, and `benchmarks.revision`'s 1 or 2)."""
    found = _Sources.fetch(measure, year=year).benchmark(measure, year)
    found.revision = benchmarks.revision(measure.code, year)
    return found


@dataclass
class BenchmarkHistory:
    """Every year's benchmark of a measure, oldest first, with the same columns each year."""

    years: list[Benchmark]

    def __bool__(self) -> bool:
        return bool(self.years)

    @property
    def comparators(self) -> list[str]:
        """The region and England, as named in any year."""
        names = [
            row.name for b in self.years for row in b.others if row.kind in ("region", "england")
        ]
        return list(dict.fromkeys(names))

    @staticmethod
    def value(bench: Benchmark, name: str) -> Decimal | None:
        return next((row.value for row in bench.others if row.name == name), None)

    @property
    def rows(self) -> list[tuple[Benchmark, list[Decimal | None]]]:
        return [(b, [self.value(b, name) for name in self.comparators]) for b in self.years]

    @property
    def opening(self) -> Benchmark | None:
        """The year a page opens on: the latest that compares like with like (Sandwell's
        figure of the year among enough neighbours'), else the latest where Sandwell and
        any neighbour have a figure, else the latest with any comparator."""
        for test in (
            lambda b: b.rankable,
            lambda b: b.home.value is not None and b.average.used,
            lambda b: True,
        ):
            found = [b for b in self.years if test(b)]
            if found:
                return found[-1]
        return None


def benchmark_with_history(
    measure: Measure, year: int | None = None
) -> tuple[Benchmark | None, BenchmarkHistory]:
    """
    The benchmark page: one year in full (`year`, or the one it opens on: see
    `BenchmarkHistory.opening`), and every year with comparator figures, oldest first,
    for Sandwell's rank and figure beside the averages over time (7 queries, however
    many years: see `_Sources`), and the release that set the chosen year's figures with
    what it revised (1 query, 2 when a release set them: `benchmarks.revision`). No year
    without a year asked for when nothing is stored.
    """
    sources = _Sources.fetch(measure)
    years = sources.figures.years
    history = BenchmarkHistory([sources.benchmark(measure, each) for each in years])
    if year is None:
        chosen = history.opening
    else:
        chosen = next((b for b in history.years if b.year == year), None)
        chosen = chosen or sources.benchmark(measure, year)
    if chosen is not None:
        chosen.revision = benchmarks.revision(measure.code, chosen.year)
    return chosen, history


# --- the demand dashboard -------------------------------------------------------------------

FOSTER_CODES = ("placed_internal_foster", "placed_external_foster")
IN_CARE = "children_in_care"
# The panel of the plan's assumptions beside the month's actuals that finance offers.
AGAINST_PLAN = "finance.against_plan"


def latest_in_care(period: Period) -> Count | None:
    """
    The latest count of children we care for by `period`, monthly or at March (1 query).

    Registered under the key "children_in_care" (`opb_portal.core.counts`), for the finance
    plan's demand against its assumptions to set beside a plan that makes none.
    """
    value = (
        MeasureValue.objects.filter(measure__code=IN_CARE, period__lte=period)
        .select_related("measure")
        .order_by("-period", "span")
        .first()
    )
    if value is None:
        return None
    return Count(title=value.measure.title, number=value.value, as_of=value.label)


@dataclass
class Trend:
    measure: Measure
    figures: dict[Period, Figure]


@dataclass
class DemandPosition:
    period: Period
    year_ends: list[Period]  # March of each year with a figure, oldest first
    trends: list[Trend]  # yearly figures, measure by measure
    months: list[Period]  # the 13 months to `period`
    foster: list[Trend]  # monthly foster placements
    placements: list[Figure]  # the latest figure of each placement type by `period`
    # Demand against the finance plan's assumptions: finance's panel, None without finance.
    plan: panels.Shown | None
    # The counts and flows the projection of children we care for reads (`demand.projection`).
    history: History | None = None

    @cached_property
    def ahead(self) -> LookingAhead | None:
        """Children we care for and their placements projected a year on (no query)."""
        return None if self.history is None else looking_ahead(self.history, self.period, self)

    @property
    def illustrative(self) -> bool:
        """Whether a yearly figure shown is a demonstration value nobody published (no query)."""
        return any(f.value.illustrative for trend in self.trends for f in trend.figures.values())

    @property
    def year_end(self) -> Period:
        """The March that ends the financial year of `period`."""
        return self.period.financial_year.last

    @property
    def trend_rows(self) -> list[tuple[Measure, list[Figure | None]]]:
        return [
            (trend.measure, [trend.figures.get(p) for p in self.year_ends]) for trend in self.trends
        ]

    @property
    def rates(self) -> list[Figure]:
        """This year's figures that have a rate per 10,000."""
        found = []
        for trend in self.trends:
            current = trend.figures.get(self.year_end)
            if current is not None and trend.measure.per_10000:
                found.append(current)
        return found


def demand_position(period: Period) -> DemandPosition:
    """
    What the demand dashboard shows for `period` in 8 queries: the measures, the child
    population, every figure to the end of the period's year, and the 5 of finance's
    "demand against plan" panel (`AGAINST_PLAN`).
    """
    year_end = period.financial_year.last
    measures = list(Measure.objects.all())
    by_pk = {m.pk: m for m in measures}
    children = populations()
    values = MeasureValue.objects.filter(period__lte=year_end).order_by("period")
    yearly: dict[int, dict[Period, Figure]] = {m.pk: {} for m in measures}
    monthly: dict[int, dict[Period, Figure]] = {m.pk: {} for m in measures}
    history = History({}, {}, children)
    for value in values:
        value.measure = by_pk[value.measure_id]
        is_year = value.span == MeasureValue.Span.YEAR
        target = yearly if is_year else monthly
        target[value.measure_id][value.period] = figure(value, children)
        kept = history.yearly if is_year else history.monthly
        kept.setdefault(value.measure.code, {})[value.period] = value.value
    year_ends = sorted({p for found in yearly.values() for p in found})
    months = period.last_n(13)
    placements = []
    for measure in measures:
        if measure.group != Measure.Group.PLACEMENTS:
            continue
        seen = [f for p, f in monthly[measure.pk].items() if p <= period]
        if seen:
            placements.append(seen[-1])
    return DemandPosition(
        period=period,
        year_ends=year_ends,
        trends=[Trend(m, yearly[m.pk]) for m in measures if yearly[m.pk]],
        months=months,
        foster=[Trend(m, monthly[m.pk]) for m in measures if m.code in FOSTER_CODES],
        placements=placements,
        plan=panels.shown(AGAINST_PLAN, period),
        history=history,
    )


def in_care_history(by: Period) -> History:
    """
    The counts and flows of children we care for and their placements by `by` (2 queries:
    the figures, the child population), for the projections `demand.projection` registers.
    """
    history = History({}, {}, populations())
    rows = MeasureValue.objects.filter(measure__code__in=projection.CODES, period__lte=by)
    for code, span, period, value in rows.values_list("measure__code", "span", "period", "value"):
        kept = history.yearly if span == MeasureValue.Span.YEAR else history.monthly
        kept.setdefault(code, {})[period] = value
    return history


@dataclass(frozen=True)
class AheadMonth:
    period: Period
    in_care: Decimal
    placements: list[Decimal | None]  # in the order of `projection.PLACEMENTS`


@dataclass
class LookingAhead:
    """
    The dashboard's "Looking ahead": children we care for and their placements projected
    for the next months, what the projection rests on and how it has done, beside the
    finance plan's assumption for residential children (read from finance's panel's data).
    """

    model: projection.StockAndFlow
    children: projections.Projected
    placements: list[projections.Projected | None]
    backtest: projection.Backtest | None
    plan_residential: Decimal | None  # the plan's assumption, where finance offers it
    finance_residential: Decimal | None  # the finance return's count in the month

    @property
    def titles(self) -> list[str]:
        return [p.title for p in projection.PLACEMENTS]

    @property
    def months(self) -> list[AheadMonth]:
        after = self.children.after
        periods = [after.shift(k) for k in range(1, len(self.children.values) + 1)]
        return [
            AheadMonth(p, self.children.at(p), [found and found.at(p) for found in self.placements])
            for p in periods
        ]

    @property
    def mix(self) -> list[tuple[str, str]]:
        """Each placement type's share at its latest count, in words, for the page."""
        history, by = self.model.history, self.model.origin
        found = [(p, projection.mix(history, p, by)) for p in projection.PLACEMENTS]
        return [(p.title, projection.mix_words(history, p, s)) for p, s in found if s]

    @property
    def mix_total(self) -> Decimal:
        """The shares added up: over 100% where they come from different dates."""
        history, by = self.model.history, self.model.origin
        shares = [s.share for p in projection.PLACEMENTS for s in projection.mix(history, p, by)]
        return sum(shares, Decimal(0)) * 100

    @property
    def first(self) -> Period:
        return self.children.after.shift(1)

    @property
    def last(self) -> Period:
        return self.children.after.shift(len(self.children.values))

    @property
    def residential(self) -> projections.Projected | None:
        return self.placements[0]

    @property
    def residential_last(self) -> Decimal | None:
        return self.residential.values[-1] if self.residential else None


def looking_ahead(
    history: History, period: Period, position: DemandPosition, months: int = 12
) -> LookingAhead | None:
    """The projection a year on from `period`, from figures already read (no query)."""
    model = projection.model(history, period)
    if model is None:
        return None
    plan = (position.plan.data if position.plan else {}).get("residential_children", {})
    return LookingAhead(
        model=model,
        children=projection.children_in_care(history, period, months),
        placements=[
            projection.placements(history, p, period, months) for p in projection.PLACEMENTS
        ],
        backtest=projection.backtest(history, period),
        plan_residential=plan.get("plan"),
        finance_residential=plan.get("actual"),
    )


def benchmarked() -> set[str]:
    """The measures with comparators stored (1 query): only they have a benchmark page."""
    codes = ComparatorValue.objects.filter(code__in=Measure.objects.values("code"))
    return set(codes.values_list("code", flat=True).distinct())


def latest_period() -> Period | None:
    """The latest month with a monthly figure (1 query)."""
    return reporting.latest_period(MeasureValue.objects.filter(span=MeasureValue.Span.MONTH))


def reporting_periods() -> list[Period]:
    """Every month with a monthly figure, newest first (for the month picker; 1 query)."""
    months = MeasureValue.objects.filter(span=MeasureValue.Span.MONTH).order_by("-period")
    return list(months.values_list("period", flat=True).distinct())


def activity_shown(period: Period) -> VersionShown:
    """Which version of the month's activity return the dashboard shows (1 query)."""
    ret = return_with_versions(domain=ACTIVITY_RETURN, period=period)
    return version_shown(domain=ACTIVITY_RETURN, period=period, ret=ret)


# --- care experienced young people (section (f) of the annual review) ------------------------

CARE_EXPERIENCED = "care_experienced"
# The care leavers' outcomes (aged 19 to 21), as the DfE publishes them for the year to
# 31 March: measures of their own (demand 0008), benchmarked under the same codes.
CARE_LEAVERS = ("care_leavers_in_touch", "care_leavers_eet", "care_leavers_suitable_accommodation")


@dataclass
class CareExperienced:
    """The care experienced young people at each 31 March to `year_end`, and the care
    leavers' outcomes year by year, each with its comparators in its latest year."""

    year_end: Period
    cohort: Trend | None  # the count of care experienced young people, by March
    outcomes: list[Trend]  # the care leavers' outcomes, in measure order
    comparators: dict[str, ComparatorLines]

    @property
    def year_ends(self) -> list[Period]:
        """Every March with a count, oldest first."""
        return sorted(self.cohort.figures) if self.cohort else []

    @property
    def outcome_years(self) -> list[Period]:
        """Every March with an outcome figure, oldest first."""
        return sorted({p for trend in self.outcomes for p in trend.figures})

    @property
    def illustrative(self) -> bool:
        """Whether any figure or comparator shown is a demonstration figure nobody published."""
        figures = [*(self.cohort.figures.values() if self.cohort else ()), *self._outcome_figures]
        lines = [line for found in self.comparators.values() for line in found]
        return any(f.value.illustrative for f in figures) or any(
            illustrative_source(line.source) for line in lines
        )

    @property
    def _outcome_figures(self) -> list[Figure]:
        return [f for trend in self.outcomes for f in trend.figures.values()]


def care_experienced(year_end: Period) -> CareExperienced:
    """
    Section (f)'s care experienced young people to the March `year_end` (2 queries: the
    figures with their measures, the child population; and `comparator_lines`' 1, or 3
    where a neighbour's figure is stored).
    """
    codes = (CARE_EXPERIENCED, *CARE_LEAVERS)
    found = figures(span=MeasureValue.Span.YEAR, codes=codes)
    trends: dict[str, Trend] = {}
    for each in found:
        if each.value.period > year_end:
            continue
        trend = trends.setdefault(each.measure.code, Trend(each.measure, {}))
        trend.figures[each.value.period] = each
    outcomes = [trends[code] for code in CARE_LEAVERS if code in trends]
    return CareExperienced(
        year_end=year_end,
        cohort=trends.get(CARE_EXPERIENCED),
        outcomes=outcomes,
        comparators=comparator_lines([t.measure.code for t in outcomes], until=year_end)
        if outcomes
        else {},
    )
