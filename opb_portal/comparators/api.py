"""
`/api/v1/benchmarks/?measure=CODE&year=YYYY`: the benchmark of any code the comparator store
holds figures for, in any year it covers (`benchmarks.benchmark`): Sandwell, each neighbour's
figure or the symbol printed instead, the neighbours' mean with "n of N", the ranks and the
quartile band, England and the region as published, the source and the release's date.
"""

import re
from typing import Annotated

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from opb_portal.core.api import BadParameter, Figure, figure, read

from . import benchmarks
from .models import FIRST_YEAR, ComparatorValue

router = Router(tags=["Benchmarks"])

YEAR_PATTERN = r"^(20[1-9][0-9]|2100)$"
YEAR_SENTENCE = "must be a year written as YYYY, for example 2024."


class Entry(Schema):
    name: str
    code: str
    value: Figure
    symbol: str
    reason: str
    rank: int | None


class Published(Schema):
    name: str
    code: str
    value: Figure


class Neighbours(Schema):
    group: str | None
    published: int
    of: int
    mean: Figure
    published_average: Figure
    not_published: list[str]
    members: list[Entry]


class BenchmarkAnswer(Schema):
    measure: str
    year: int
    year_basis: str
    refers_to: str
    order: str
    home: Entry | None
    neighbours: Neighbours
    rank: int | None
    of: int
    national_rank: int | None
    national_of: int
    band: str | None
    england: Published | None
    region: Published | None
    source: str
    publication: str
    published_on: str | None
    sentence: str


def _entry(entry: benchmarks.Entry) -> dict:
    return {
        "name": entry.name,
        "code": entry.authority.code,
        "value": figure(entry.value),
        "symbol": entry.symbol,
        "reason": entry.reason,
        "rank": entry.rank,
    }


def _published(value: ComparatorValue | None) -> dict | None:
    if value is None:
        return None
    return {
        "name": value.authority.name,
        "code": value.authority.code,
        "value": figure(value.value),
    }


def _no_figures(code: str, year: int) -> HttpError:
    """The 404 for a code or year the store has no figures of, saying which years it has."""
    years = sorted(set(ComparatorValue.objects.filter(code=code).values_list("year", flat=True)))
    if not years:
        return HttpError(404, f"No published figures are stored under the code {code!r}.")
    return HttpError(
        404,
        f"{code} has no published figures for {year}: it has figures for "
        f"{', '.join(str(y) for y in years)}.",
    )


@read(
    router,
    "/benchmarks/",
    name="benchmarks",
    response=BenchmarkAnswer,
    summary="Sandwell against its statistical neighbours, every authority, the region and England",
    may_find_nothing=True,
)
def benchmark(
    request,
    measure: Annotated[
        str,
        Query(
            description="The code the figures are stored under: a demand measure's, a KPI's "
            "or a published statistic's.",
            example="children_in_care",
        ),
    ],
    year: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "pattern": YEAR_PATTERN,
                "description": "A year written as YYYY (2010 to 2100): the year the figures "
                "describe (at or to March, or at September, as published).",
                "example": "2024",
            }
        ),
    ],
):
    if not re.fullmatch(YEAR_PATTERN, year) or int(year) < FIRST_YEAR:
        raise BadParameter("year", YEAR_SENTENCE)
    found = benchmarks.benchmark(measure, int(year))
    if not found.rows:
        raise _no_figures(measure, int(year))
    release = benchmarks.revision(measure, found.year).release
    average = found.average
    return {
        "measure": measure,
        "year": found.year,
        "year_basis": found.year_basis,
        "refers_to": found.when,
        "order": found.order,
        "home": _entry(found.home) if found.home else None,
        "neighbours": {
            "group": found.group.name if found.group else None,
            "published": found.published_count,
            "of": found.group_size,
            "mean": figure(average.mean),
            "published_average": figure(average.published.value) if average.published else None,
            "not_published": found.not_published,
            "members": [_entry(entry) for entry in found.neighbours],
        },
        "rank": found.rank,
        "of": found.of,
        "national_rank": found.national_rank,
        "national_of": found.national_of,
        "band": found.band,
        "england": _published(found.england),
        "region": _published(found.region),
        "source": found.source,
        "publication": release.publication if release else "",
        "published_on": release.published_on.isoformat()
        if release and release.published_on
        else None,
        "sentence": found.sentence(),
    }
