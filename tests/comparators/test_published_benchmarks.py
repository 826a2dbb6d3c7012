"""
Issue 16's "done means": a published file, imported as downloaded over the shipped register and
mappings, gives benchmarks equal to the file's own figures and to a hand calculation.

The files are built in the DfE's published format (`tests.comparators.ees`): a children looked
after table over three years and every kind of place, with `c`, `x` and `z` in it, and the
social work workforce census, whose figures are at 30 September and so meet the statistical
neighbour group of June 2025. Nothing is downloaded.
"""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from demand.models import Measure
from opb_portal.accounts.models import Role
from opb_portal.comparators import benchmarks
from opb_portal.comparators.demo import load_demo_neighbours
from opb_portal.comparators.models import Authority, ComparatorChange, ComparatorValue
from opb_portal.comparators.services import ComparatorError
from opb_portal.comparators.statistics.services import (
    statistics_import_apply,
    statistics_import_preview,
)

from . import ees

SHIPPED = importlib.import_module("opb_portal.comparators.migrations.0004_stats_reference_shipped")
FIRST_YEARS = importlib.import_module("opb_portal.comparators.migrations.0005_mapping_first_year")

YORKSHIRE = ees.Place(ees.REGIONAL, "Yorkshire and The Humber", "E12000003")
NORTH_EAST = ees.Place(ees.REGIONAL, "North East", "E12000001")
EAST_MIDLANDS = ees.Place(ees.REGIONAL, "East Midlands", "E12000004")
EAST = ees.Place(ees.REGIONAL, "East of England", "E12000006")

HULL = "Kingston upon Hull, City of"
PLACES = {
    "Sandwell": ees.SANDWELL,
    "Birmingham": ees.BIRMINGHAM,
    "Dudley": ees.DUDLEY,
    "Walsall": ees.WALSALL,
    "Wolverhampton": ees.WOLVERHAMPTON,
    "Coventry": ees.la("E08000026", "Coventry", "331"),
    "Stoke-on-Trent": ees.la("E06000021", "Stoke-on-Trent", "861"),
    "Solihull": ees.la("E08000029", "Solihull", "334"),
    "Blackburn with Darwen": ees.la("E06000008", "Blackburn with Darwen", "889", ees.NORTH_WEST),
    "Rochdale": ees.la("E08000005", "Rochdale", "354", ees.NORTH_WEST),
    "Oldham": ees.la("E08000004", "Oldham", "353", ees.NORTH_WEST),
    "Derby": ees.la("E06000015", "Derby", "831", EAST_MIDLANDS),
    "Nottingham": ees.la("E06000018", "Nottingham", "892", EAST_MIDLANDS),
    "Luton": ees.la("E06000032", "Luton", "821", EAST),
    "Peterborough": ees.la("E06000031", "Peterborough", "874", EAST),
    HULL: ees.la("E06000010", HULL, "810", YORKSHIRE),
    "Bradford": ees.la("E08000032", "Bradford", "380", YORKSHIRE),
    "Middlesbrough": ees.la("E06000002", "Middlesbrough", "806", NORTH_EAST),
    "Cumbria": ees.CUMBRIA,
    "Cumberland": ees.CUMBERLAND,
    "Westmorland and Furness": ees.WESTMORLAND_AND_FURNESS,
}  # fmt: skip

# Children looked after at 31 March, rate per 10,000, as the file prints each. The old group
# (to May 2025): Birmingham, Blackburn with Darwen, Coventry, Derby, Luton, Nottingham,
# Peterborough, Stoke-on-Trent, Walsall, Wolverhampton.
CLA_RATES = {
    "2022": {
        # One neighbour publishes: no average, no rank.
        "Sandwell": "90", "Birmingham": "77", "Blackburn with Darwen": "c", "Coventry": "c",
        "Derby": "c", "Luton": "c", "Nottingham": "x", "Peterborough": "c",
        "Stoke-on-Trent": "c", "Walsall": "c", "Wolverhampton": "c",
        "Cumbria": "58", "Dudley": "61",
    },
    "2024": {
        "Sandwell": ees.noisy("94"), "Birmingham": "79", "Blackburn with Darwen": "86",
        "Coventry": "84", "Derby": "100", "Luton": "62", "Nottingham": "c",
        "Peterborough": "75", "Stoke-on-Trent": "191", "Walsall": "x", "Wolverhampton": "80",
        "Dudley": "60", "Solihull": "z", "Cumberland": "70", "Westmorland and Furness": "50",
        "Bradford": "90", "Rochdale": "110", "Oldham": "105",
        "Kingston upon Hull, City of": "120", "Middlesbrough": "200",
    },
}  # fmt: skip
CLA_NATIONAL = {"2022": {"England": "70", "West Midlands": "85"},
                "2024": {"England": "70", "West Midlands": "86"}}  # fmt: skip


def cla_file() -> bytes:
    """The rates at 31 March, with the starts' rows beside them (another filter value)."""
    rows = []
    for period, figures in CLA_RATES.items():
        places = [(ees.ENGLAND, CLA_NATIONAL[period]["England"]),
                  (ees.WEST_MIDLANDS, CLA_NATIONAL[period]["West Midlands"])]  # fmt: skip
        places += [(PLACES[name], value) for name, value in figures.items()]
        for place, value in places:
            for population, rate in ((ees.CLA_POPULATION, value), (STARTS, "25")):
                rows.append(
                    ees.row(
                        place,
                        period=period,
                        filters={"population_count": population},
                        values={"number": "1,234", "rate_per_10000": rate},
                    )
                )
    return ees.ees_csv(
        rows, filters=("population_count",), indicators=("number", "rate_per_10000"), bom=True
    )


STARTS = "Children starting to be looked after each year"

# The workforce census at 30 September 2025: the group from June 2025 is in force.
AGENCY_2025 = {
    "Sandwell": "14", "Wolverhampton": "10", "Kingston upon Hull, City of": "20",
    "Stoke-on-Trent": "30", "Walsall": "c", "Rochdale": "15", "Bradford": "25",
    "Middlesbrough": "5", "Coventry": "12", "Oldham": "18", "Luton": "22",
    "Birmingham": "40", "Derby": "8",
}  # fmt: skip


def workforce_file() -> bytes:
    rows = [
        ees.row(ees.ENGLAND, period="2025", values=_census("16.0")),
        ees.row(ees.WEST_MIDLANDS, period="2025", values=_census("19.5")),
        # A year before the 2024 framework: stored as the census's vacancy rate, not as PI12.
        ees.row(ees.SANDWELL, period="2023", values=_census("11")),
    ]
    rows += [
        ees.row(PLACES[name], period="2025", values=_census(value))
        for name, value in AGENCY_2025.items()
    ]
    return ees.ees_csv(rows, indicators=CENSUS).decode("utf-8").encode("cp1252")


CENSUS = ("agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte", "caseload_fte")


def _census(agency: str) -> dict[str, str]:
    return {
        "agency_rate_fte": agency,
        "vacancy_rate_fte": "20.5",
        "turnover_rate_fte": "15.1",
        "caseload_fte": "17.2",
    }


@pytest.fixture
def admin(db, people):
    # The register and the mappings as shipped, whatever an earlier test's flush left.
    SHIPPED.ship(django_apps, None)
    FIRST_YEARS.set_first_years(django_apps, None)
    load_demo_neighbours()
    return people[Role.ADMINISTRATOR]


def imported(admin, data: bytes, filename: str):
    plan = statistics_import_preview(data=data, filename=filename, user=admin)
    assert plan.ok, [str(problem) for problem in plan.problems]
    return statistics_import_apply(
        data=data,
        filename=filename,
        user=admin,
        fingerprint=plan.fingerprint,
        published_on=datetime.date(2024, 11, 14),
    )


def test_a_children_looked_after_file_gives_the_files_figures_and_the_hand_calculation(admin):
    imported(admin, cla_file(), ees.CLA_FILE)
    bench = benchmarks.benchmark("children_in_care", 2024)

    # The file's own figures: Sandwell's double read as 94.0; England and the region as
    # printed (the West Midlands' authorities in the file average 85.6, not 86).
    assert bench.home_value == Decimal("94.0")
    assert (bench.england.value, bench.region.value) == (Decimal("70"), Decimal("86"))
    # By hand: 8 of the 10 published (Nottingham c, Walsall x); (79 + 86 + 84 + 100 + 62 + 75
    # + 191 + 80) / 8 = 757 / 8 = 94.625, written 94.6.
    assert bench.n_of == "8 of 10 published"
    assert bench.average.mean == Decimal("94.6")
    assert bench.not_published == [
        "Nottingham: c (suppressed)",
        "Walsall: x (not available)",
    ]
    # Lower is better: 62, 75, 79, 80, 84, 86, then Sandwell's 94: 7th of the 9 with a figure.
    assert (bench.rank, bench.of) == (7, 9)
    # Among all 17 authorities with a figure (Solihull's z is not one): 50, 60, 62, 70, 75,
    # 79, 80, 84, 86, 90, then 94: 11th. 11 of 17 is in the third quarter: band C.
    assert bench.national_position == "11th of 17"
    assert bench.band == "C"
    assert bench.source == "DfE, children looked after"


def test_a_year_with_one_neighbours_figure_has_no_average_and_no_rank(admin, client):
    # The demand measure whose benchmark page shows the rate (as `make demo` defines it).
    Measure.objects.create(
        code="children_in_care",
        title="Children we care for",
        group=Measure.Group.CARE,
        unit="count",
        kind=Measure.Kind.AT_END,
        per_10000=True,
    )
    imported(admin, cla_file(), ees.CLA_FILE)
    bench = benchmarks.benchmark("children_in_care", 2022)
    assert (bench.n_of, bench.average.mean, bench.rank, bench.band) == (
        "1 of 10 published",
        None,
        None,
        None,
    )
    client.force_login(admin)
    html = client.get(
        reverse("demand:benchmark", args=["children_in_care"]), {"year": "2022"}
    ).content.decode()
    assert "too few to rank Sandwell" in html
    assert "Sandwell ranks" not in html


def test_cumbria_and_its_successors_are_three_series_in_the_shipped_register(admin):
    plan = statistics_import_preview(data=cla_file(), filename=ees.CLA_FILE, user=admin)
    # The register ships the reorganisation: no authority is new, none is joined.
    assert plan.summary["new_authorities"] == [
        a for a in plan.summary["new_authorities"] if a["code"] not in {
            ees.CUMBRIA.code, ees.CUMBERLAND.code, ees.WESTMORLAND_AND_FURNESS.code}
    ]  # fmt: skip
    imported(admin, cla_file(), ees.CLA_FILE)
    years = {
        code: sorted(
            ComparatorValue.objects.filter(
                code="children_in_care", authority__code=code
            ).values_list("year", flat=True)
        )
        for code in (ees.CUMBRIA.code, ees.CUMBERLAND.code, ees.WESTMORLAND_AND_FURNESS.code)
    }
    assert years == {"E10000006": [2022], "E06000063": [2024], "E06000064": [2024]}


def test_a_workforce_file_is_compared_with_the_group_in_force_at_30_september(admin):
    imported(admin, workforce_file(), ees.WORKFORCE_FILE)
    bench = benchmarks.benchmark("csww_agency_rate", 2025)

    assert bench.group.name == "Statistical neighbours from June 2025 (LIAT)"
    assert bench.home_value == Decimal("14")
    assert (bench.england.value, bench.region.value) == (Decimal("16.0"), Decimal("19.5"))
    # By hand: 9 of the 10 (Walsall c): (10 + 20 + 30 + 15 + 25 + 5 + 12 + 18 + 22) / 9 =
    # 157 / 9 = 17.44..., written 17.4. Birmingham and Derby are not in this group.
    assert (bench.n_of, bench.average.mean) == ("9 of 10 published", Decimal("17.4"))
    # Lower is better: 5, 10, 12, then Sandwell's 14: 4th of 10.
    assert (bench.rank, bench.of) == (4, 10)
    # All 12 with a figure: 5, 8, 10, 12, 14: 5th; 5 of 12 is in the second quarter: band B.
    assert (bench.national_position, bench.band) == ("5th of 12", "B")


def test_a_kpi_codes_mapping_stores_nothing_before_the_kpis_framework(admin):
    plan = statistics_import_preview(data=workforce_file(), filename=ees.WORKFORCE_FILE, user=admin)
    assert "1 figure of PI12 before 2024 not read" in " ".join(plan.summary["notes"])
    imported(admin, workforce_file(), ees.WORKFORCE_FILE)
    sandwell = Authority.objects.get(code=ees.SANDWELL.code)
    assert list(
        ComparatorValue.objects.filter(code="PI12", authority=sandwell).values_list(
            "year", flat=True
        )
    ) == [2025]
    assert sorted(
        ComparatorValue.objects.filter(code="csww_vacancy_rate", authority=sandwell).values_list(
            "year", flat=True
        )
    ) == [2023, 2025]


@pytest.mark.parametrize(
    ("make", "filename"),
    [
        pytest.param(cla_file, ees.CLA_FILE, id="children-looked-after"),
        pytest.param(workforce_file, ees.WORKFORCE_FILE, id="workforce"),
    ],
)
def test_importing_the_same_file_again_changes_nothing(admin, make, filename):
    imported(admin, make(), filename)
    figures = list(ComparatorValue.objects.order_by("pk").values_list("pk", "value", "symbol"))
    changes = ComparatorChange.objects.count()

    with pytest.raises(ComparatorError, match="Nothing to change"):
        imported(admin, make(), filename)

    assert list(ComparatorValue.objects.order_by("pk").values_list("pk", "value", "symbol")) == (
        figures
    )
    assert ComparatorChange.objects.count() == changes
