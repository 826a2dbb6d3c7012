"""
Reads the demand pages, the API and the tests share.

Every function fetches what it needs in a fixed number of queries (named in
each docstring), whatever the number of measures, months or authorities.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from finance.models import CostDriver, DriverFigure
from finance.selectors import DriverCost, plan_for, weeks_remaining
from kpis.models import ChildPopulation
from opb_portal import rag
from opb_portal.periods import Period

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


def _home_figure(measure: Measure, year: int, published: Decimal | None) -> BenchmarkRow:
    """
    Sandwell's own figure for the year (2 queries: its figures, the child population).

    A published figure for Sandwell wins; otherwise the portal's own figure at March of
    the year (as a rate where the comparators are rates). When the year has none (no
    child population to make a rate), the nearest later year is shown and labelled so.
    """
    if published is not None:
        return BenchmarkRow(HOME, "home", published, "published")
    values = MeasureValue.objects.filter(
        measure=measure, span=MeasureValue.Span.YEAR, period__gte=Period(year, 3).first_day
    ).order_by("period")
    children = populations()
    for value in values:
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


def benchmark(measure: Measure, year: int) -> Benchmark:
    """
    Everything the benchmark page shows (6 queries: neighbour groups, their members,
    every authority's figure, the published average, Sandwell's figures, the child
    population).
    """
    group = group_in_force(figure_date(year))
    members = {a.pk for a in group.members.all()} if group else set()
    comparators = list(
        ComparatorValue.objects.filter(code=measure.code, year=year).select_related("authority")
    )
    published = (
        PublishedAverage.objects.filter(code=measure.code, year=year, group=group).first()
        if group
        else None
    )
    average = NeighbourAverage(
        group=group,
        values={c.authority.name: c.value for c in comparators if c.authority_id in members},
        published=published,
    )
    own = next((c.value for c in comparators if c.authority.name == HOME), None)
    home = _home_figure(measure, year, own)
    rows = [BenchmarkRow(name, "neighbour", value) for name, value in average.values.items()]
    if home.value is not None:
        rows.append(home)
    rows.sort(key=lambda row: (-row.value, row.name))
    ranked = [
        BenchmarkRow(row.name, row.kind, row.value, row.note, rank=position)
        for position, row in enumerate(rows, start=1)
    ]
    home = next((row for row in ranked if row.kind == "home"), home)
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


# --- the demand dashboard -------------------------------------------------------------------

FOSTER_CODES = ("placed_internal_foster", "placed_external_foster")


@dataclass
class PlanAgainstActual:
    """The finance plan's residential assumptions beside the month's approved actuals."""

    plan_children: Decimal | None = None
    plan_weekly_cost: Decimal | None = None
    children: Decimal | None = None
    weekly_cost: Decimal | None = None
    weeks_remaining: Decimal = Decimal(0)

    @property
    def cost(self) -> DriverCost | None:
        """The cost of the difference, worked out by the finance module's own rule."""
        figures = (self.children, self.plan_children, self.weekly_cost, self.plan_weekly_cost)
        if None in figures:
            return None
        return DriverCost(
            children=self.children,
            planned_children=self.plan_children,
            weekly_cost=self.weekly_cost,
            planned_weekly_cost=self.plan_weekly_cost,
            weeks_remaining=self.weeks_remaining,
        )


def plan_against_actual(period: Period) -> PlanAgainstActual:
    """
    4 queries: the year's plan, its lines and its drivers (finance's `plan_for`),
    the month's driver figures.
    """
    plan = plan_for(period)
    if plan is None:
        return PlanAgainstActual()
    drivers = {d.measure: d for d in plan.drivers.all()}
    actual = dict(
        DriverFigure.objects.filter(driver__year=plan, period=period.first_day).values_list(
            "driver__measure", "value"
        )
    )
    children = drivers.get(CostDriver.Measure.RESIDENTIAL_CHILDREN)
    cost = drivers.get(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST)
    return PlanAgainstActual(
        plan_children=children.plan if children else None,
        plan_weekly_cost=cost.plan if cost else None,
        children=actual.get(CostDriver.Measure.RESIDENTIAL_CHILDREN),
        weekly_cost=actual.get(CostDriver.Measure.RESIDENTIAL_WEEKLY_COST),
        weeks_remaining=weeks_remaining(period),
    )


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
    plan: PlanAgainstActual

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
    What the demand dashboard shows for `period` in 7 queries: the measures, the child
    population, every figure to the end of the period's year, and the 4 of
    `plan_against_actual`.
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
        plan=plan_against_actual(period),
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
