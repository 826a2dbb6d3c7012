"""
Reads of the comparator store that every domain shares: "the comparators of a code".

A KPI's page and pack page, the demand benchmark page, the demand pack and the APIs
all read here, by code, so a figure is the same wherever it is shown. Each function
fetches what it needs in a fixed number of queries, named in its docstring.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, DateField, IntegerField, Value

from opb_portal.periods import Period

from .models import (
    Authority,
    ComparatorValue,
    NeighbourGroup,
    PublishedAverage,
    YearBasis,
)

STATISTICAL_NEIGHBOURS = "Statistical neighbour average"
PUBLISHED_NEIGHBOURS = "Statistical neighbour average (published)"
# Fewer neighbours' figures than this make no average, rank or quartile: "the mean of one"
# is one authority's figure, and a rank among one says nothing.
MIN_NEIGHBOURS = 2
# The home authority every benchmark is about, by its ONS code (Sandwell): the one place
# the portal says which authority is its own.
HOME_CODE = "E08000028"
HOME_NAME = "Sandwell"


def cited_year(year: int, basis: str) -> str:
    """How a citation words a figure's year: "year to 31 March 2024" (a reporting or
    financial year, and a count at its end), "at 30 September 2024", "academic year 2023/24"."""
    if basis == YearBasis.AT_SEPTEMBER:
        return f"at 30 September {year}"
    if basis == YearBasis.ACADEMIC_YEAR:
        return f"academic year {year - 1}/{str(year)[-2:]}"
    return f"year to 31 March {year}"


def cited_source(values: Iterable[ComparatorValue]) -> str:
    """The source a year's figures are cited by: England's (the file's own National row),
    else Sandwell's, else the first authority's by name with one; "" with none."""
    ordered = sorted(
        values,
        key=lambda v: (
            v.authority.kind != Authority.Kind.ENGLAND,
            v.authority.code != HOME_CODE,
            v.authority.name,
        ),
    )
    return next((v.source for v in ordered if v.source), "")


def compared(
    *,
    home: Decimal | None,
    mean: Decimal | None,
    used: int,
    of: int,
    england: Decimal | None,
    source: str,
    year: int,
    year_basis: str,
    written: Callable[[Decimal], str],
) -> str:
    """
    The one sentence a KPI's page, the packs and the benchmark API write a code's
    benchmarks in: "Sandwell 94.0, neighbours 95.2 (10 of 10), England 70.0 (DfE, children
    looked after, year to 31 March 2024)", each figure `written` alike (the measure's own
    precision through `opb_portal.formatting`); a part without a figure is left out, and
    nothing at all is "" .
    """
    parts = []
    if home is not None:
        parts.append(f"{HOME_NAME} {written(home)}")
    if mean is not None:
        parts.append(f"neighbours {written(mean)} ({used} of {of})")
    if england is not None:
        parts.append(f"England {written(england)}")
    if not parts:
        return ""
    cited = ", ".join(part for part in (source, cited_year(year, year_basis)) if part)
    return f"{', '.join(parts)} ({cited})"


def groups() -> list[NeighbourGroup]:
    """Every statistical neighbour group with its members (2 queries)."""
    return list(NeighbourGroup.objects.prefetch_related("members"))


def group_in_force(day: datetime.date) -> NeighbourGroup | None:
    """The statistical neighbour group on `day`, with its members (2 queries)."""
    return next((g for g in groups() if g.covers(day)), None)


def figure_date(year: int, basis: str = YearBasis.AT_MARCH) -> datetime.date:
    """The day comparators of `year` describe: March of that year (the end of a financial
    year) unless the publication counts at another date (`YearBasis.last_day`)."""
    return YearBasis.last_day(year, basis)


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
    def enough(self) -> bool:
        """At least `MIN_NEIGHBOURS` of the group have a figure: enough to average and rank."""
        return self.used >= MIN_NEIGHBOURS

    @property
    def mean(self) -> Decimal | None:
        if not self.enough:
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
        if not self.enough:
            text = f"{self.how_many} ({self.group.name}): too few to average"
        else:
            text = f"Mean of {self.used} of {self.of} ({self.group.name})"
        if self.missing:
            text += f"; no figure for {', '.join(self.missing)}"
        if self.published is not None:
            text += f". Published average {self.published.value}"
            if self.difference:
                text += f", a difference of {self.difference:+}"
        return text + "."

    @property
    def how_many(self) -> str:
        """ "None of the 10 neighbours has a figure", "Only 1 of the 10 neighbours has a figure"."""
        if not self.used:
            return f"None of the {self.of} neighbours has a figure"
        verb = "has" if self.used == 1 else "have"
        return f"Only {self.used} of the {self.of} neighbours {verb} a figure"


def neighbour_average(code: str, year: int) -> NeighbourAverage:
    """
    The statistical neighbour average of a code in a year (4 queries: group,
    its members, the members' figures, the published average).
    """
    group = group_in_force(figure_date(year))
    if group is None:
        return NeighbourAverage(group=None)
    member_ids = [a.pk for a in group.members.all()]
    values = dict(
        ComparatorValue.objects.filter(
            code=code, year=year, authority_id__in=member_ids, value__isnull=False
        ).values_list("authority__name", "value")
    )
    published = PublishedAverage.objects.filter(code=code, year=year, group=group).first()
    return NeighbourAverage(group=group, values=values, published=published)


@dataclass
class Stored:
    """Every stored figure of one code, with the neighbour groups (4 queries)."""

    groups: list[NeighbourGroup]
    values: list[ComparatorValue]  # with their authorities
    published: list[PublishedAverage]

    @classmethod
    def of(cls, code: str, *, year: int | None = None) -> Stored:
        """The neighbour groups and their members, the figures with their authorities,
        the published averages: for one year, or for every year."""
        values = ComparatorValue.objects.filter(code=code).select_related("authority")
        published = PublishedAverage.objects.filter(code=code)
        if year is not None:
            values = values.filter(year=year)
            published = published.filter(year=year)
        return cls(groups=groups(), values=list(values), published=list(published))

    @property
    def years(self) -> list[int]:
        """The years with an authority's figure, oldest first."""
        return sorted({value.year for value in self.values})

    def group(self, year: int) -> NeighbourGroup | None:
        return next((g for g in self.groups if g.covers(figure_date(year))), None)

    def average(self, year: int) -> NeighbourAverage:
        """The neighbour average of `year` from what was fetched (no query)."""
        group = self.group(year)
        members = {a.pk for a in group.members.all()} if group else set()
        return NeighbourAverage(
            group=group,
            values={
                v.authority.name: v.value
                for v in self.values
                if v.year == year and v.authority_id in members and v.value is not None
            },
            published=next(
                (p for p in self.published if group and p.year == year and p.group_id == group.pk),
                None,
            ),
        )

    def in_year(self, year: int) -> list[ComparatorValue]:
        return [value for value in self.values if value.year == year]


# --- comparators drawn on charts and listed beside a figure ----------------------------------


@dataclass(frozen=True)
class ComparatorLine:
    """
    A benchmark drawn as a dashed line on a chart, or listed beside a figure: the
    statistical neighbours, a region, England.
    """

    kind: str  # "statistical_neighbour", "region" or "england"
    label: str
    value: Decimal
    year: int
    note: str = ""  # how an average was worked out: "mean of 10 of 10"
    source: str = ""
    year_basis: str = YearBasis.AT_MARCH

    @property
    def when(self) -> str:
        """ "March 2024", or "2023-24" for a figure over the financial year to then."""
        return YearBasis.describe(self.year, self.year_basis)

    @property
    def refers_to(self) -> str:
        return f"{self.when}, {self.note}" if self.note else self.when

    def get_kind_display(self) -> str:
        return self.label


class ComparatorLines(list):
    """
    The comparator lines of one code in its latest year (a list of `ComparatorLine`, drawn
    and listed as ever), with what the sentence about them needs: Sandwell's published
    figure, the neighbours' mean with how many of the group published, England, the source.
    """

    def __init__(self, lines=(), *, average: NeighbourAverage | None = None, **about):
        super().__init__(lines)
        self.average = average
        self.home: Decimal | None = about.get("home")
        self.england: Decimal | None = about.get("england")
        self.source: str = about.get("source", "")
        self.year: int | None = about.get("year")
        self.year_basis: str = about.get("year_basis", YearBasis.AT_MARCH)

    def sentence(self, written: Callable[[Decimal], str]) -> str:
        """ "Sandwell 94.0, neighbours 95.2 (10 of 10), England 70.0 (DfE, children looked
        after, year to 31 March 2024)" (`compared`), or "" with no figure."""
        if self.year is None:
            return ""
        average = self.average
        return compared(
            home=self.home,
            mean=average.mean if average else None,
            used=average.used if average else 0,
            of=average.of if average else 0,
            england=self.england,
            source=self.source,
            year=self.year,
            year_basis=self.year_basis,
            written=written,
        )


def last_comparator_year(until: Period) -> int:
    """The latest comparator year a chart ending in `until` may show (its March is not later)."""
    return until.year if until.month >= 3 else until.year - 1


def _latest(codes: list[str], last: int) -> tuple[list[ComparatorValue], list[PublishedAverage]]:
    """
    The authorities' figures and the published averages of `codes` to `last`, in one
    query: the two tables' rows side by side (a UNION), each with its authority or group.
    """
    none_int = Value(None, output_field=IntegerField())
    none_text = Value("", output_field=CharField())
    none_day = Value(None, output_field=DateField())
    # Unordered: a UNION's parts may not be ordered on SQLite, and the order is not needed.
    values = (
        ComparatorValue.objects.filter(code__in=codes, year__lte=last, value__isnull=False)
        .order_by()
        .values_list(
            "code",
            "year",
            "year_basis",
            "value",
            "source",
            "authority_id",
            "authority__name",
            "authority__kind",
            "authority__code",
            none_int,
            none_text,
            none_day,
            none_day,
        )
    )
    averages = (
        PublishedAverage.objects.filter(code__in=codes, year__lte=last)
        .order_by()
        .values_list(
            "code",
            "year",
            "year_basis",
            "value",
            "source",
            none_int,
            none_text,
            none_text,
            none_text,
            "group_id",
            "group__name",
            "group__effective_from",
            "group__effective_to",
        )
    )
    found_values, found_averages = [], []
    for code, year, basis, value, source, *authority, group_id, name, start, end in values.union(
        averages, all=True
    ):
        fields = {"code": code, "year": year, "year_basis": basis, "value": value}
        if authority[0] is not None:
            pk, authority_name, kind, ons_code = authority
            figure = ComparatorValue(authority_id=pk, source=source, **fields)
            figure.authority = Authority(pk=pk, name=authority_name, kind=kind, code=ons_code)
            found_values.append(figure)
        else:
            average = PublishedAverage(group_id=group_id, source=source, **fields)
            average.group = NeighbourGroup(
                pk=group_id, name=name, effective_from=start, effective_to=end
            )
            found_averages.append(average)
    return found_values, found_averages


def comparator_lines(codes: Iterable[str], *, until: Period) -> dict[str, ComparatorLines]:
    """
    The comparators of each code (a demand measure's or a KPI's) in its latest year to `until`.

    For that year: the statistical neighbour average worked out from the group's own figures
    (saying how many of the group it used) for the group in force at the figures' date, the
    published average where none can be worked out or the two differ, each region, and
    England; and Sandwell's own published figure for the sentence (`ComparatorLines`).

    1 query (the figures with their authorities and the published averages with their
    groups, together), and 2 more (the neighbour groups, their members) when a
    local authority's figure is among them.
    """
    last = last_comparator_year(until)
    values, published = _latest(list(codes), last)
    latest: dict[str, int] = {}
    for item in (*values, *published):
        latest[item.code] = max(latest.get(item.code, item.year), item.year)
    neighbours = any(v.authority.kind == Authority.Kind.LOCAL_AUTHORITY for v in values)
    known = groups() if neighbours else []
    found = {}
    for code, year in latest.items():
        in_year = [v for v in values if (v.code, v.year) == (code, year)]
        basis = in_year[0].year_basis if in_year else YearBasis.AT_MARCH
        day = figure_date(year, basis)
        group = next((g for g in known if g.covers(day)), None)
        members = {a.pk for a in group.members.all() if a.code != HOME_CODE} if group else set()
        average = NeighbourAverage(
            group=group,
            values={v.authority.name: v.value for v in in_year if v.authority_id in members},
            published=next(
                (p for p in published if (p.code, p.year) == (code, year) and p.group.covers(day)),
                None,
            ),
        )
        used = [v for v in in_year if v.authority_id in members]
        others = [v for v in in_year if v.authority.kind != Authority.Kind.LOCAL_AUTHORITY]
        england = next((v for v in others if v.authority.kind == Authority.Kind.ENGLAND), None)
        found[code] = ComparatorLines(
            _lines(average, used, others, year),
            average=average if group else None,
            home=next((v.value for v in in_year if v.authority.code == HOME_CODE), None),
            england=england.value if england else None,
            source=cited_source(in_year),
            year=year,
            year_basis=basis,
        )
    return found


def _lines(average: NeighbourAverage, used, others, year: int) -> list[ComparatorLine]:
    lines = []
    if average.mean is not None:
        lines.append(
            ComparatorLine(
                "statistical_neighbour",
                STATISTICAL_NEIGHBOURS,
                average.mean,
                year,
                f"mean of {average.used} of {average.of}",
                average.group.source,
                # The members' figures are published alike; the first says how.
                used[0].year_basis,
            )
        )
    if average.published is not None and average.published.value != average.mean:
        lines.append(
            ComparatorLine(
                "statistical_neighbour",
                PUBLISHED_NEIGHBOURS,
                average.published.value,
                year,
                source=average.published.source,
                year_basis=average.published.year_basis,
            )
        )
    # Regions first, then England: the order of the benchmark page.
    england = Authority.Kind.ENGLAND
    for value in sorted(others, key=lambda v: (v.authority.kind == england, v.authority.name)):
        kind = "england" if value.authority.kind == england else "region"
        lines.append(
            ComparatorLine(
                kind,
                value.authority.name,
                value.value,
                year,
                source=value.source,
                year_basis=value.year_basis,
            )
        )
    return lines
