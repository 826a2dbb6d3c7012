"""
Small explore-education-statistics (EES) files, built in code in the published format.

The DfE publishes its underlying data as "tidy" CSVs: one row per time period, place
and combination of filters, then one column per indicator. This module writes such files
the way EES does (the geography columns first, in the published order; CRLF line ends;
UTF-8, with a byte order mark if asked; numbers as pandas writes doubles), so tests of the
statistics import, the benchmarks and the pages read what a real download holds. No test
downloads anything.

    from tests.comparators import ees

    data = ees.ees_csv(
        [
            ees.row(ees.ENGLAND, period="2024", values={"rate_per_10000": "70"}),
            ees.row(ees.WEST_MIDLANDS, period="2024", values={"rate_per_10000": "86"}),
            ees.row(ees.SANDWELL, period="2024", values={"rate_per_10000": ees.noisy("94")}),
            ees.row(ees.WALSALL, period="2024", values={"rate_per_10000": "c"}),
        ],
        filters=("population_count",),
        indicators=("rate_per_10000",),
    )

Values are written as given: a str as it is ("c", "1,234", "" for a blank; the CSV
writer quotes "1,234" as EES does), an int or Decimal with `str`, a float as pandas
writes it (`repr`). `noisy("94")` is 94 as a double with its float noise, written with
17 significant digits ("94.000000000000014"), as pandas' `to_csv` leaves some figures.

`grid(...)` writes every place x year x filter combination with a value from a
function: the files a benchmark test (or bench/statistics_import.py) needs.

`measure(...)` stores a `PublishedMeasure` mapping a file's rows to a code (tests make
their own until the shipped mappings exist; it needs the database).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

# The geography columns, in the order EES publishes them.
GEOGRAPHY = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "la_name",
    "old_la_code",
)

NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"

CLA_FILE = "cla_number_and_rate_per_10k_children.csv"
CLA_POPULATION = "Children looked after at 31 March each year"
WORKFORCE_FILE = "csww_indicators_2017_to_2024.csv"


@dataclass(frozen=True)
class Place:
    """A row's geography: England, a region or a local authority, as EES writes it."""

    level: str
    name: str
    code: str = ""  # the ONS code of England, the region or the authority
    la_code: str = ""  # the DfE's three digits (old_la_code), authorities only
    region_code: str = ""
    region_name: str = ""

    def columns(self) -> dict[str, str]:
        cells = {
            "geographic_level": self.level,
            "country_code": "E92000001",
            "country_name": "England",
            "region_code": "",
            "region_name": "",
            "new_la_code": "",
            "la_name": "",
            "old_la_code": "",
        }
        if self.level == REGIONAL:
            cells.update(region_code=self.code, region_name=self.name)
        elif self.level == LOCAL_AUTHORITY:
            cells.update(
                region_code=self.region_code,
                region_name=self.region_name,
                new_la_code=self.code,
                la_name=self.name,
                old_la_code=self.la_code,
            )
        return cells


ENGLAND = Place(NATIONAL, "England", "E92000001")
WEST_MIDLANDS = Place(REGIONAL, "West Midlands", "E12000005")
NORTH_WEST = Place(REGIONAL, "North West", "E12000002")
SOUTH_WEST = Place(REGIONAL, "South West", "E12000009")


def la(code: str, name: str, la_code: str, region: Place = WEST_MIDLANDS) -> Place:
    """A local authority in `region`."""
    return Place(LOCAL_AUTHORITY, name, code, la_code, region.code, region.name)


SANDWELL = la("E08000028", "Sandwell", "333")
BIRMINGHAM = la("E08000025", "Birmingham", "330")
DUDLEY = la("E08000027", "Dudley", "332")
WALSALL = la("E08000030", "Walsall", "335")
WOLVERHAMPTON = la("E08000031", "Wolverhampton", "336")
WEST_MIDLANDS_LAS = (SANDWELL, BIRMINGHAM, DUDLEY, WALSALL, WOLVERHAMPTON)
# Cumbria was split from April 2023: three series, never joined.
CUMBRIA = la("E10000006", "Cumbria", "909", NORTH_WEST)
CUMBERLAND = la("E06000063", "Cumberland", "942", NORTH_WEST)
WESTMORLAND_AND_FURNESS = la("E06000064", "Westmorland and Furness", "943", NORTH_WEST)
# Two authorities called Dorset: the county to March 2019, the unitary since.
DORSET_COUNTY = la("E10000009", "Dorset", "835", SOUTH_WEST)
DORSET = la("E06000059", "Dorset", "838", SOUTH_WEST)


def noisy(value) -> str:
    """`value` as a double one step above it, written with 17 significant digits as pandas
    leaves float noise: noisy("94") == "94.000000000000014"."""
    return format(math.nextafter(float(value), math.inf), ".17g")


def _written(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def row(
    place: Place,
    *,
    period: str | int = "2024",
    identifier: str = "Reporting year",
    filters: Mapping[str, str] | None = None,
    values: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """One row: its period (`2024`, or `202324` for 2023-24), place, filters and indicators."""
    cells = {"time_period": str(period), "time_identifier": identifier, **place.columns()}
    cells.update(filters or {})
    cells.update({name: _written(value) for name, value in (values or {}).items()})
    return cells


def ees_csv(
    rows: Iterable[Mapping[str, str]],
    *,
    filters: Iterable[str] = (),
    indicators: Iterable[str] = (),
    columns: Iterable[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    """
    The file's bytes: a header of `GEOGRAPHY`, then `filters`, then `indicators` (or
    exactly `columns`, to build a file with columns missing or out of order), and `rows`
    (a cell a row lacks is blank). `encoding="cp1252"` writes Windows-1252 (a name with
    an accent is one byte); `bom` puts UTF-8's byte order mark first; `newline="\\n"`
    writes LF line ends.
    """
    header = list(columns) if columns is not None else [*GEOGRAPHY, *filters, *indicators]
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=newline)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in header])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def grid(
    *,
    places: Iterable[Place],
    periods: Iterable[str | int],
    value: Callable[[Place, str, Mapping[str, str]], object],
    indicator: str = "rate_per_10000",
    filters: Mapping[str, Iterable[str]] | None = None,
    identifier: str = "Reporting year",
    extra_indicators: Mapping[str, Callable[[Place, str, Mapping[str, str]], object]] | None = None,
    **options,
) -> bytes:
    """Every place x period x combination of filter values, `value(place, period, filters)`
    in `indicator` (and each of `extra_indicators`), as `ees_csv` writes them."""
    filters = {name: list(values) for name, values in (filters or {}).items()}
    combinations: list[dict[str, str]] = [{}]
    for name, options_of in filters.items():
        combinations = [
            {**chosen, name: option} for chosen in combinations for option in options_of
        ]
    extra = dict(extra_indicators or {})
    rows = []
    for period in periods:
        for place in places:
            for chosen in combinations:
                values = {indicator: value(place, str(period), chosen)}
                values.update({name: fn(place, str(period), chosen) for name, fn in extra.items()})
                rows.append(
                    row(place, period=period, identifier=identifier, filters=chosen, values=values)
                )
    return ees_csv(rows, filters=list(filters), indicators=[indicator, *extra], **options)


def measure_fields(**overrides) -> dict:
    """A `PublishedMeasure`'s fields: the children looked after rate per 10,000 unless told."""
    fields = {
        "code": "children_in_care_rate",
        "title": "Children looked after per 10,000 children",
        "publication": "Children looked after in England including adoptions",
        "cited_as": "DfE, children looked after",
        "file_pattern": "cla_number_and_rate*.csv",
        "time_identifier": "Reporting year",
        "year_basis": "at_march",
        "filters": {"population_count": CLA_POPULATION},
        "indicator": "rate_per_10000",
        "unit": "rate_per_10000",
        "polarity": "",
    }
    fields.update(overrides)
    return fields


def measure(**overrides):
    """A stored `PublishedMeasure` (`measure_fields`); it needs the database."""
    from opb_portal.comparators.models import PublishedMeasure

    mapping = PublishedMeasure(**measure_fields(**overrides))
    mapping.full_clean()
    mapping.save()
    return mapping
