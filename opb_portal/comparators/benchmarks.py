"""
The one benchmark of a code in a year, worked out from the comparator store: Sandwell's
published figure, its statistical neighbours' mean with "n of 10 published", its rank among
the neighbours and among every local authority, its quartile band, and England and the
region as the file printed them.

Every page, pack and API that benchmarks reads here, so a rank or band is worked out once.
The machinery names no domain: a code is a code, and its polarity comes from its
`PublishedMeasure` (or is given by the caller).

Ranks (as the DfE's LAIT ranked): 1 is the best by the code's polarity (the highest where
higher is better, the lowest where lower is); with no polarity (or a band) 1 is the highest,
and the page says "highest first". Tied figures share the better rank and the next rank
skips (1, 2, 2, 4): "standard competition" ranking.

Quartile bands (as LAIT banded): the authorities with a figure are put in rank order and cut
into four quarters by position: an authority ranked r of n is in band A when r <= n/4, B when
r <= n/2, C when r <= 3n/4, else D (band = ceil(4r/n)). With polarity A is the best quarter
and D the worst; with none A is the highest quarter. Ties share a rank and so a band; where n
is not divisible by 4 a cut falls between positions (of 10: A is ranks 1-2, B 3-5, C 6-7, D
8-10), so a band may hold one authority more or less than another.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from opb_portal import formatting
from opb_portal.reference.models import Polarity, Unit

from . import registry
from .models import (
    Authority,
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
    NeighbourGroup,
    PublishedAverage,
    PublishedMeasure,
    Symbol,
    YearBasis,
)
from .selectors import (
    HOME_CODE,
    HOME_NAME,
    MIN_NEIGHBOURS,
    NeighbourAverage,
    Stored,
    cited_source,
    cited_year,
    compared,
    groups,
)

BANDS = "ABCD"
_LOCAL = Authority.Kind.LOCAL_AUTHORITY

# Why a neighbour's figure is not in the average, in a few words: "Coventry: c (suppressed)".
REASONS = {
    Symbol.CONFIDENTIAL: "suppressed",
    Symbol.NOT_AVAILABLE: "not available",
    Symbol.NOT_APPLICABLE: "not applicable",
    Symbol.LOW: "rounds to 0",
    Symbol.LOW_RELIABILITY: "low reliability",
    Symbol.NOT_COLLECTED: "not collected",
}


def ranks(values: dict, polarity: str = "") -> dict:
    """
    Each key's rank by its value: 1 the best by `polarity` (the highest unless lower is
    better); ties share the better rank and the next rank skips (1, 2, 2, 4).
    """
    ordered = sorted(values.values(), reverse=polarity != Polarity.LOWER_IS_BETTER)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items()}


def band(rank: int, count: int) -> str:
    """The quartile band of rank `rank` of `count`: A (the best or highest quarter) to D."""
    return BANDS[math.ceil(4 * rank / count) - 1]


def ordinal(number: int) -> str:
    """`1st`, `2nd`, `12th`, `23rd`."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


@dataclass(frozen=True)
class Entry:
    """One authority in a benchmark: its figure, or the symbol printed instead, or nothing."""

    authority: Authority
    value: Decimal | None = None
    symbol: str = ""
    rank: int | None = None

    @property
    def name(self) -> str:
        return self.authority.name

    @property
    def published(self) -> bool:
        return self.value is not None

    @property
    def reason(self) -> str:
        """Why there is no figure: "c (suppressed)", or "no figure" where no row was published."""
        if self.published:
            return ""
        if self.symbol:
            return f"{self.symbol} ({REASONS.get(self.symbol, 'not published')})"
        return "no figure"

    @property
    def said(self) -> str:
        """ "Coventry: c (suppressed)"."""
        return f"{self.name}: {self.reason}"


@dataclass
class Benchmark:
    """
    One code in one year. `rank` is among the neighbours with Sandwell (`of` of them),
    `national_rank` among every local authority with a figure (`national_of`), `band` the
    quartile band among those; each None with fewer than `MIN_NEIGHBOURS` neighbours'
    figures or without Sandwell's.
    """

    code: str
    year: int
    year_basis: str
    polarity: str
    home: Entry | None
    group: NeighbourGroup | None
    neighbours: list[Entry]  # every member but Sandwell: published ones by rank, then the rest
    average: NeighbourAverage
    england: ComparatorValue | None
    region: ComparatorValue | None
    source: str
    national: dict[int, int] = field(default_factory=dict)  # authority pk -> rank
    rows: int = 0  # the figures and symbols stored for the year, any authority's

    @property
    def home_value(self) -> Decimal | None:
        return self.home.value if self.home else None

    @property
    def rankable(self) -> bool:
        return self.home_value is not None and self.average.enough

    @property
    def rank(self) -> int | None:
        return self.home.rank if self.rankable else None

    @property
    def of(self) -> int:
        """Sandwell and the neighbours with a figure."""
        return self.average.used + (1 if self.home_value is not None else 0)

    @property
    def published_count(self) -> int:
        return self.average.used

    @property
    def group_size(self) -> int:
        return len(self.neighbours)

    @property
    def n_of(self) -> str:
        """ "9 of 10 published"."""
        return f"{self.published_count} of {self.group_size} published"

    @property
    def not_published(self) -> list[str]:
        """ "Coventry: c (suppressed)", each neighbour without a figure, by name."""
        return [entry.said for entry in self.neighbours if not entry.published]

    @property
    def national_of(self) -> int:
        return len(self.national)

    @property
    def national_rank(self) -> int | None:
        if not self.rankable or self.home is None:
            return None
        return self.national.get(self.home.authority.pk)

    @property
    def band(self) -> str | None:
        rank = self.national_rank
        return band(rank, self.national_of) if rank else None

    @property
    def order(self) -> str:
        """Which way rank 1 lies."""
        if self.polarity == Polarity.HIGHER_IS_BETTER:
            return "highest is best"
        if self.polarity == Polarity.LOWER_IS_BETTER:
            return "lowest is best"
        return "highest first"

    @property
    def band_meaning(self) -> str:
        if self.polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
            return "A is the best quarter, D the worst"
        return "A is the highest quarter, D the lowest"

    @property
    def national_position(self) -> str:
        """ "12th of 152", or empty."""
        rank = self.national_rank
        return f"{ordinal(rank)} of {self.national_of}" if rank else ""

    @property
    def when(self) -> str:
        return cited_year(self.year, self.year_basis)

    def citation(self) -> str:
        """ "DfE, children looked after, year to 31 March 2024"."""
        return ", ".join(part for part in (self.source, self.when) if part)

    def sentence(self, written: Callable[[Decimal], str] | None = None) -> str:
        """
        "Sandwell 94.0, neighbours 95.2 (10 of 10), England 70.0 (DfE, children looked after,
        year to 31 March 2024)" (`selectors.compared`): each figure `written` alike, at one
        decimal place unless told otherwise.
        """
        return compared(
            home=self.home_value,
            mean=self.average.mean,
            used=self.published_count,
            of=self.group_size,
            england=self.england.value if self.england else None,
            source=self.source,
            year=self.year,
            year_basis=self.year_basis,
            written=written or (lambda value: formatting.number(value, 1)),
        )


@dataclass
class Figures:
    """Every stored figure of one code (or of one year of it), fetched once: the neighbour
    groups and their members, the figures with their authorities, the published averages,
    and the code's polarity (5 queries)."""

    code: str
    stored: Stored
    polarity: str

    @classmethod
    def of(cls, code: str, *, year: int | None = None, polarity: str | None = None) -> Figures:
        """The store's figures of `code` (4 queries: `Stored.of`) and its polarity from its
        published mapping (1 query; none when `polarity` is given)."""
        if polarity is None:
            polarity = code_polarity(code)
        return cls(code=code, stored=Stored.of(code, year=year), polarity=polarity)

    @property
    def years(self) -> list[int]:
        return self.stored.years

    @property
    def home_authority(self) -> Authority | None:
        """Sandwell, from any of the fetched figures or groups (no query)."""
        authorities = [v.authority for v in self.stored.values]
        authorities += [a for g in self.stored.groups for a in g.members.all()]
        return next((a for a in authorities if a.code == HOME_CODE), None)

    def benchmark(self, year: int, *, home: Decimal | None = None) -> Benchmark:
        """
        The benchmark of `year` from what was fetched (no query). `home` is Sandwell's figure
        where the store has none published (a domain's own, worked out the same way): it is
        ranked as a published one would be.
        """
        in_year = self.stored.in_year(year)
        basis = in_year[0].year_basis if in_year else YearBasis.AT_MARCH
        day = YearBasis.last_day(year, basis)
        group = next((g for g in self.stored.groups if g.covers(day)), None)
        by_authority = {v.authority_id: v for v in in_year}
        local = [v for v in in_year if v.authority.kind == _LOCAL]
        home_row = next((v for v in local if v.authority.code == HOME_CODE), None)
        home_authority = home_row.authority if home_row else self.home_authority
        if home_authority is None and home is not None:
            # Sandwell's own figure where the store knows no Sandwell: still ranked.
            home_authority = Authority(name=HOME_NAME, code=HOME_CODE, kind=_LOCAL)
        home_value = home_row.value if home_row and home_row.value is not None else home
        members = [a for a in (group.members.all() if group else []) if a.code != HOME_CODE]
        published = {
            a.pk: by_authority[a.pk].value
            for a in members
            if a.pk in by_authority and by_authority[a.pk].value is not None
        }
        among = dict(published)
        if home_authority is not None and home_value is not None:
            among[home_authority.pk] = home_value
        # No rank among fewer than MIN_NEIGHBOURS neighbours' figures: it would say nothing.
        in_group = ranks(among, self.polarity) if len(published) >= MIN_NEIGHBOURS else {}
        neighbours = [
            Entry(
                a,
                published.get(a.pk),
                by_authority[a.pk].symbol if a.pk in by_authority else "",
                in_group.get(a.pk),
            )
            for a in members
        ]
        neighbours.sort(key=lambda e: (not e.published, e.rank or 0, e.name))
        everyone = {v.authority_id: v.value for v in local if v.value is not None}
        if home_authority is not None and home_value is not None:
            everyone[home_authority.pk] = home_value
        average = NeighbourAverage(
            group=group,
            values={a.name: v for a in members if (v := published.get(a.pk)) is not None},
            published=next(
                (
                    p
                    for p in self.stored.published
                    if group and (p.year, p.group_id) == (year, group.pk)
                ),
                None,
            ),
        )
        home_entry = None
        if home_authority is not None:
            home_entry = Entry(
                home_authority,
                home_value,
                home_row.symbol if home_row else "",
                in_group.get(home_authority.pk),
            )
        region = home_authority.region if home_authority else ""
        others = [v for v in in_year if v.authority.kind != Authority.Kind.LOCAL_AUTHORITY]
        enough_nationally = len(everyone) > MIN_NEIGHBOURS
        return Benchmark(
            code=self.code,
            year=year,
            year_basis=basis,
            polarity=self.polarity,
            home=home_entry,
            group=group,
            neighbours=neighbours,
            average=average,
            england=next((v for v in others if v.authority.kind == Authority.Kind.ENGLAND), None),
            region=next(
                (
                    v
                    for v in others
                    if v.authority.kind == Authority.Kind.REGION
                    and region
                    and v.authority.name == region
                ),
                None,
            ),
            source=cited_source(in_year),
            national=ranks(everyone, self.polarity) if enough_nationally else {},
            rows=len(in_year),
        )


def code_polarity(code: str) -> str:
    """Which way is better for `code`, from its active published mapping (1 query): blank
    where no mapping says."""
    found = (
        PublishedMeasure.objects.filter(code=code, active=True)
        .exclude(polarity="")
        .values_list("polarity", flat=True)
        .first()
    )
    return found or ""


def benchmark(code: str, year: int, *, polarity: str | None = None) -> Benchmark:
    """The benchmark of `code` in `year` (5 queries: see `Figures.of`; 4 with `polarity`)."""
    return Figures.of(code, year=year, polarity=polarity).benchmark(year)


@dataclass
class Revision:
    """The release that last set a year's figures: when it was published, and what it changed."""

    release: ComparatorImport | None
    changes: list[ComparatorChange]

    @property
    def published(self) -> str:
        """ "Figures published 14 November 2024 (Children looked after in England ...)"."""
        release = self.release
        if release is None or release.published_on is None:
            return ""
        text = f"Figures published {_long_date(release.published_on)}"
        return f"{text} ({release.publication})" if release.publication else text

    @property
    def revised(self) -> list[ComparatorChange]:
        """The figures the release changed (not those it added)."""
        return [change for change in self.changes if not change.added]


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def revision(code: str, year: int) -> Revision:
    """
    The latest release that set any figure of `code` in `year`, and its changes to them
    (1 query, and 1 more when a release set them: its changes with their authorities and
    groups). Typed figures are releases too; one loaded by the code is none.
    """
    release = (
        ComparatorImport.objects.filter(
            pk__in=ComparatorValue.objects.filter(code=code, year=year).values("comparator_import")
        )
        .order_by("-published_on", "-at", "-pk")
        .first()
    )
    if release is None:
        return Revision(None, [])
    changes = ComparatorChange.objects.filter(
        comparator_import=release, code=code, year=year
    ).select_related("authority", "group")
    return Revision(release, list(changes))


def latest_benchmarks() -> list[Benchmark]:
    """
    Every code with figures in its latest year, by code: the published statistics page
    (5 queries: the latest year's figures of every code with their authorities, the
    neighbour groups, their members, those years' published averages, the polarities).
    """
    latest = (
        ComparatorValue.objects.filter(code=OuterRef("code")).order_by("-year").values("year")[:1]
    )
    values = list(ComparatorValue.objects.filter(year=Subquery(latest)).select_related("authority"))
    known = groups()
    years = {(v.code, v.year) for v in values}
    published = [
        p
        for p in PublishedAverage.objects.filter(
            code__in={code for code, _ in years}, year__in={year for _, year in years}
        )
        if (p.code, p.year) in years
    ]
    polarities = dict(
        PublishedMeasure.objects.filter(active=True)
        .exclude(polarity="")
        .order_by("-pk")
        .values_list("code", "polarity")
    )
    found = []
    for code, year in sorted(years):
        stored = Stored(
            groups=known,
            values=[v for v in values if v.code == code],
            published=[p for p in published if p.code == code],
        )
        found.append(Figures(code, stored, polarities.get(code, "")).benchmark(year))
    return found


@dataclass(frozen=True)
class Listed:
    """One code on the published statistics page: its latest benchmark, its title, its page."""

    benchmark: Benchmark
    title: str
    url: str
    unit: str = ""  # a `reference.Unit`; "" for a code no source describes

    def written(self, value: Decimal | None) -> str:
        """A figure of this code as every page writes its unit: `2.6%`, `94.0`, `1,234`."""
        if not self.unit:
            return formatting.as_given(value)
        return formatting.measure(value, self.unit, Unit(self.unit).usual_places)

    @property
    def home(self) -> str:
        return self.written(self.benchmark.home_value)

    @property
    def mean(self) -> str:
        return self.written(self.benchmark.average.mean)

    @property
    def england(self) -> str:
        england = self.benchmark.england
        return self.written(england.value if england else None)


def published_statistics() -> list[Listed]:
    """Every code with figures, its latest year benchmarked (5 queries: `latest_benchmarks`),
    with its title, page and unit where a domain registered them (1 query per domain:
    `registry.described`)."""
    about = registry.described()
    return [
        Listed(found, *about.get(found.code, (found.code, "", ""))) for found in latest_benchmarks()
    ]
