"""
Reads the demand pages, the API and the tests share.

Every function fetches what it needs in a fixed number of queries (named in
each docstring), whatever the number of measures, months or authorities.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from opb_portal import rag
from opb_portal.core import panels
from opb_portal.core.counts import Count
from opb_portal.periods import Period
from opb_portal.reference.models import ChildPopulation

from .models import (
    Authority,
    ComparatorValue,
    Measure,
    MeasureValue,
    NeighbourGroup,
    PublishedAverage,
)

HOME = "Sandwell"


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
    year = value.reporting_period.financial_year.start_year
    return Figure(value=value, children=children_by_year.get(year))


def figures(*, span: str, codes=None, since: Period | None = None) -> list[Figure]:
    """Stored figures of one span with their measures and rates (2 queries: values, population)."""
    values = MeasureValue.objects.filter(span=span).select_related("measure")
    if codes is not None:
        values = values.filter(measure__code__in=codes)
    if since is not None:
        values = values.filter(period__gte=since.first_day)
    children = populations()
    return [figure(v, children) for v in values.order_by("measure__order", "period")]


def group_in_force(day: datetime.date) -> NeighbourGroup | None:
    """The statistical neighbour group on `day`, with its members (2 queries)."""
    groups = NeighbourGroup.objects.prefetch_related("members")
    return next((g for g in groups if g.covers(day)), None)


def figure_date(year: int) -> datetime.date:
    """Comparators of `year` describe March of that year (the end of a financial year)."""
    return Period(year, 3).last_day


@dataclass
class NeighbourAverage:
    """The mean of the group's figures that exist, and the published average beside it."""

    group: NeighbourGroup | None
    values: dict[str, Decimal] = field(default_factory=dict)
    published: PublishedAverage | None = None

    @property
    def members(self) -> list[Authority]:
        return list(self.group.members.all()) if self.group else []

    @property
    def used(self) -> int:
        return len(self.values)

    @property
    def of(self) -> int:
        return len(self.members)

    @property
    def missing(self) -> list[str]:
        return [a.name for a in self.members if a.name not in self.values]

    @property
    def mean(self) -> Decimal | None:
        if not self.values:
            return None
        exact = sum(self.values.values(), Decimal(0)) / len(self.values)
        return exact.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def difference(self) -> Decimal | None:
        """Computed mean less the published average: shown, never hidden."""
        if self.mean is None or self.published is None:
            return None
        return self.mean - self.published.value

    def explain(self) -> str:
        if self.group is None:
            return "No statistical neighbour group covers this year."
        text = f"Mean of {self.used} of {self.of} ({self.group.name})"
        if self.missing:
            text += f"; no figure for {', '.join(self.missing)}"
        if self.published is not None:
            text += f". Published average {self.published.value}"
            if self.difference:
                text += f", a difference of {self.difference:+}"
        return text + "."


def neighbour_average(code: str, year: int) -> NeighbourAverage:
    """
    The statistical neighbour average of a measure in a year (4 queries: group,
    its members, the members' figures, the published average).
    """
    group = group_in_force(figure_date(year))
    if group is None:
        return NeighbourAverage(group=None)
    member_ids = [a.pk for a in group.members.all()]
    values = dict(
        ComparatorValue.objects.filter(
            code=code, year=year, authority_id__in=member_ids
        ).values_list("authority__name", "value")
    )
    published = PublishedAverage.objects.filter(code=code, year=year, group=group).first()
    return NeighbourAverage(group=group, values=values, published=published)


@dataclass(frozen=True)
class BenchmarkRow:
    name: str
    kind: str  # "home", "neighbour", "average", "published_average", "region", "england"
    value: Decimal | None
    note: str = ""
    rank: int | None = None


@dataclass
class Benchmark:
    """Sandwell against each neighbour, their average, the region and England, in one year."""

    measure: Measure
    year: int
    average: NeighbourAverage
    home: BenchmarkRow
    ranked: list[BenchmarkRow]  # Sandwell and the neighbours with a figure, highest first
    others: list[BenchmarkRow]  # the averages, the region, England

    @property
    def group_size(self) -> int:
        return len(self.ranked)

    @property
    def rank(self) -> int | None:
        return self.home.rank

    @property
    def quartile(self) -> int | None:
        """1 is the highest quarter of the group (the most children), 4 the lowest."""
        if self.rank is None:
            return None
        return -(-self.rank * 4 // self.group_size)

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
        if value.period < Period(year, 3).first_day:
            continue
        value.measure = measure
        found = figure(value, children)
        number = found.rate if measure.per_10000 else found.number
        if number is None:
            continue
        label = value.label
        if value.period.year == year:
            return BenchmarkRow(HOME, "home", number, f"{label}, worked out by the portal")
        return BenchmarkRow(
            HOME, "home", number, f"{label}: no figure for {year}, so the next year's is shown"
        )
    return BenchmarkRow(HOME, "home", None, f"no figure for {year}")


@dataclass
class _Sources:
    """What benchmarks of one measure are worked out from, fetched once (6 queries)."""

    groups: list[NeighbourGroup]
    comparators: list[ComparatorValue]
    published: list[PublishedAverage]
    own: list[MeasureValue]
    children: dict[int, int]

    @classmethod
    def fetch(cls, measure: Measure, *, year: int | None = None) -> _Sources:
        """Neighbour groups, their members, comparators, published averages, Sandwell's
        year figures, the child population: for one year, or for every year."""
        comparators = ComparatorValue.objects.filter(code=measure.code).select_related("authority")
        published = PublishedAverage.objects.filter(code=measure.code)
        own = MeasureValue.objects.filter(measure=measure, span=MeasureValue.Span.YEAR)
        if year is not None:
            comparators = comparators.filter(year=year)
            published = published.filter(year=year)
            own = own.filter(period__gte=Period(year, 3).first_day)
        return cls(
            groups=list(NeighbourGroup.objects.prefetch_related("members")),
            comparators=list(comparators),
            published=list(published),
            own=list(own.order_by("period")),
            children=populations(),
        )

    def benchmark(self, measure: Measure, year: int) -> Benchmark:
        group = next((g for g in self.groups if g.covers(figure_date(year))), None)
        members = {a.pk for a in group.members.all()} if group else set()
        comparators = [c for c in self.comparators if c.year == year]
        published = next(
            (p for p in self.published if group and p.year == year and p.group_id == group.pk),
            None,
        )
        average = NeighbourAverage(
            group=group,
            values={c.authority.name: c.value for c in comparators if c.authority_id in members},
            published=published,
        )
        own = next((c.value for c in comparators if c.authority.name == HOME), None)
        home = _home_figure(measure, year, own, self.own, self.children)
        return _ranked(measure, year, average, home, comparators)


def _ranked(measure, year, average, home, comparators) -> Benchmark:
    rows = [BenchmarkRow(name, "neighbour", value) for name, value in average.values.items()]
    if home.value is not None:
        rows.append(home)
    rows.sort(key=lambda row: (-row.value, row.name))
    ranked = [
        BenchmarkRow(row.name, row.kind, row.value, row.note, rank=position)
        for position, row in enumerate(rows, start=1)
    ]
    home = next((row for row in ranked if row.kind == "home"), home)
    published = average.published
    others = [
        BenchmarkRow(
            "Statistical neighbour average",
            "average",
            average.mean,
            f"mean of {average.used} of {average.of}",
        ),
        BenchmarkRow(
            "Statistical neighbour average (published)",
            "published_average",
            published.value if published else None,
            published.source if published else "not published",
        ),
    ]
    for kind in (Authority.Kind.REGION, Authority.Kind.ENGLAND):
        others += [
            BenchmarkRow(c.authority.name, kind.value, c.value, c.source)
            for c in comparators
            if c.authority.kind == kind
        ]
    return Benchmark(
        measure=measure, year=year, average=average, home=home, ranked=ranked, others=others
    )


def benchmark(measure: Measure, year: int) -> Benchmark:
    """Everything the benchmark page shows for one year (6 queries, see `_Sources`)."""
    return _Sources.fetch(measure, year=year).benchmark(measure, year)


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


def benchmark_with_history(measure: Measure, year: int) -> tuple[Benchmark, BenchmarkHistory]:
    """
    The benchmark page: one year in full, and every year with comparator figures,
    oldest first, for Sandwell's rank and figure beside the averages over time
    (6 queries, however many years: see `_Sources`).
    """
    sources = _Sources.fetch(measure)
    years = sorted({c.year for c in sources.comparators})
    history = BenchmarkHistory([sources.benchmark(measure, each) for each in years])
    chosen = next((b for b in history.years if b.year == year), None)
    return chosen or sources.benchmark(measure, year), history


# --- comparators drawn on charts ------------------------------------------------------------


@dataclass(frozen=True)
class ComparatorLine:
    """
    A benchmark drawn as a dashed line on a chart: the statistical neighbours, a region, England.

    It answers to the names of a KPI's own `kpis.models.Comparator` (`get_kind_display()`,
    `value`, `refers_to`), so a KPI's page and chart draw both kinds alike.
    """

    kind: str  # "statistical_neighbour", "region" or "england"
    label: str
    value: Decimal
    year: int
    note: str = ""  # how an average was worked out: "mean of 10 of 10"
    source: str = ""

    @property
    def refers_to(self) -> str:
        when = f"March {self.year}"
        return f"{when}, {self.note}" if self.note else when

    def get_kind_display(self) -> str:
        return self.label


def last_comparator_year(until: Period) -> int:
    """The latest comparator year a chart ending in `until` may show (its March is not later)."""
    return until.year if until.month >= 3 else until.year - 1


def comparator_lines(codes, *, until: Period) -> dict[str, list[ComparatorLine]]:
    """
    The comparators of each code (a demand measure's or a KPI's) in its latest year to `until`.

    For that year: the statistical neighbour average worked out from the group's own figures
    (saying how many of the group it used), the published average where none can be worked
    out or the two differ, each region, and England.

    2 queries (the figures with their authorities, the published averages with their groups),
    and 2 more (the neighbour groups, their members) when a neighbour's figure is among them.
    """
    last = last_comparator_year(until)
    values = list(
        ComparatorValue.objects.filter(code__in=list(codes), year__lte=last).select_related(
            "authority"
        )
    )
    published = list(
        PublishedAverage.objects.filter(code__in=list(codes), year__lte=last).select_related(
            "group"
        )
    )
    latest: dict[str, int] = {}
    for item in (*values, *published):
        latest[item.code] = max(latest.get(item.code, item.year), item.year)
    neighbours = any(v.authority.kind == Authority.Kind.LOCAL_AUTHORITY for v in values)
    groups = list(NeighbourGroup.objects.prefetch_related("members")) if neighbours else []
    found = {}
    for code, year in latest.items():
        day = figure_date(year)
        group = next((g for g in groups if g.covers(day)), None)
        members = {a.pk for a in group.members.all()} if group else set()
        average = NeighbourAverage(
            group=group,
            values={
                v.authority.name: v.value
                for v in values
                if (v.code, v.year) == (code, year) and v.authority_id in members
            },
            published=next(
                (p for p in published if (p.code, p.year) == (code, year) and p.group.covers(day)),
                None,
            ),
        )
        others = [
            v
            for v in values
            if (v.code, v.year) == (code, year)
            and v.authority.kind != Authority.Kind.LOCAL_AUTHORITY
        ]
        found[code] = _lines(average, others, year)
    return found


def _lines(average: NeighbourAverage, others, year: int) -> list[ComparatorLine]:
    lines = []
    if average.mean is not None:
        lines.append(
            ComparatorLine(
                "statistical_neighbour",
                "Statistical neighbour average",
                average.mean,
                year,
                f"mean of {average.used} of {average.of}",
                average.group.source,
            )
        )
    if average.published is not None and average.published.value != average.mean:
        lines.append(
            ComparatorLine(
                "statistical_neighbour",
                "Statistical neighbour average (published)",
                average.published.value,
                year,
                source=average.published.source,
            )
        )
    # Regions first, then England: the order of the benchmark page.
    england = Authority.Kind.ENGLAND
    for value in sorted(others, key=lambda v: (v.authority.kind == england, v.authority.name)):
        kind = "england" if value.authority.kind == england else "region"
        lines.append(
            ComparatorLine(kind, value.authority.name, value.value, year, source=value.source)
        )
    return lines


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
        MeasureValue.objects.filter(measure__code=IN_CARE, period__lte=period.first_day)
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
    values = MeasureValue.objects.filter(period__lte=year_end.first_day).order_by("period")
    yearly: dict[int, dict[Period, Figure]] = {m.pk: {} for m in measures}
    monthly: dict[int, dict[Period, Figure]] = {m.pk: {} for m in measures}
    for value in values:
        value.measure = by_pk[value.measure_id]
        target = yearly if value.span == MeasureValue.Span.YEAR else monthly
        target[value.measure_id][value.reporting_period] = figure(value, children)
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
    )


def latest_period() -> Period | None:
    """The latest month with a monthly figure (1 query)."""
    latest = (
        MeasureValue.objects.filter(span=MeasureValue.Span.MONTH)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return Period.from_date(latest) if latest else None
