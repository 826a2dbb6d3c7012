"""
kpis' migration 0006 folds a KPI's own comparators (the old `kpis.Comparator`) into the one
comparator store: no figure lost, none written twice, and a figure that cannot be placed
stops the migration rather than disappearing.

Each test takes the kpis app back to 0005 (the comparator table back, empty), writes old
comparators through the historical model, and migrates forward again.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kpis import demo as kpi_demo
from kpis.frameworks import load_frameworks
from opb_portal.comparators.demo import load_demo_neighbours
from opb_portal.comparators.models import (
    Authority,
    ComparatorValue,
    NeighbourGroup,
    PublishedAverage,
)

BEFORE = ("kpis", "0005_childpopulation_to_reference")
FOLD = ("kpis", "0007_delete_comparator")
SOURCE = "Annual review 2024-25, section (b)"
# The old demonstration's comparators, as `kpis.Comparator` rows held them.
OLD_DEMO = [
    ("PI4", "statistical_neighbour", "50.2", "March 2024"),
    ("PI4", "england", "41.6", "March 2024"),
    ("PI7", "statistical_neighbour", "95.2", "March 2024"),
    ("PI7", "england", "70", "March 2024"),
    ("PI8", "statistical_neighbour", "9.8", "2023-24"),
    ("PI8", "england", "10", "2023-24"),
    ("PI8", "west_midlands", "10", "2023-24"),
    ("PI9", "statistical_neighbour", "67.3", "2023-24"),
    ("PI9", "england", "68", "2023-24"),
    ("PI9", "west_midlands", "68", "2023-24"),
    ("PI11", "statistical_neighbour", "2.8", "2023-24"),
    ("PI11", "england", "2.6", "2023-24"),
    ("PI11", "west_midlands", "2.4", "2023-24"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


@pytest.fixture
def old_comparators():
    """Frameworks and neighbour groups loaded, the kpis app at 0005: add old comparators."""
    load_frameworks()
    load_demo_neighbours()
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state([BEFORE]).apps
    comparator = apps.get_model("kpis", "Comparator")
    kpis = apps.get_model("kpis", "KpiDefinition")

    def add(code, kind, value, refers_to, framework="2024"):
        return comparator.objects.create(
            kpi=kpis.objects.get(framework__code=framework, code=code),
            kind=kind,
            value=Decimal(value),
            refers_to=refers_to,
            source=SOURCE,
        )

    yield add
    # Back to the present, whatever the test left: a refused fold leaves its rows behind.
    # The present is every app's latest migration, not the fold: kpis has migrations after it.
    if "kpis_comparator" in connection.introspection.table_names():
        comparator.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _stored() -> set[tuple]:
    values = {
        (v.code, v.authority.name, v.value, v.year, v.year_basis, v.source)
        for v in ComparatorValue.objects.select_related("authority").filter(code__startswith="PI")
    }
    averages = {
        (a.code, a.group.name, a.value, a.year, a.year_basis, a.source)
        for a in PublishedAverage.objects.select_related("group").filter(code__startswith="PI")
    }
    return values | averages


def test_the_old_demonstration_folds_into_what_the_demonstration_now_loads(old_comparators):
    for row in OLD_DEMO:
        old_comparators(*row)

    _migrate(FOLD)
    folded = _stored()
    assert (ComparatorValue.objects.count(), PublishedAverage.objects.count()) == (8, 5)
    assert ("PI9", "England", Decimal("68"), 2024, "financial_year", SOURCE) in folded
    assert ("PI4", "England", Decimal("41.6"), 2024, "at_march", SOURCE) in folded
    neighbours = "Statistical neighbours to May 2025"
    assert ("PI7", neighbours, Decimal("95.2"), 2024, "at_march", SOURCE) in folded

    ComparatorValue.objects.all().delete()
    PublishedAverage.objects.all().delete()
    kpi_demo.load_demo_comparators()
    assert _stored() == folded


def test_a_figure_the_store_already_holds_is_not_written_twice(old_comparators):
    england = Authority.objects.get(name="England")
    ComparatorValue.objects.create(code="PI4", authority=england, year=2024, value=Decimal("41.60"))
    old_comparators("PI4", "england", "41.6", "31 March 2024")

    _migrate(FOLD)

    (stored,) = ComparatorValue.objects.filter(code="PI4")
    assert stored.value == Decimal("41.60")


def test_a_figure_that_would_be_lost_stops_the_migration(old_comparators):
    england = Authority.objects.get(name="England")
    ComparatorValue.objects.create(code="PI4", authority=england, year=2024, value=Decimal("40"))
    old_comparators("PI4", "england", "41.6", "March 2024")

    with pytest.raises(RuntimeError, match=r"PI4 \(2024\) england 41.6.*already holds 40"):
        _migrate(FOLD)

    assert "kpis_comparator" in connection.introspection.table_names()
    assert ComparatorValue.objects.get(code="PI4").value == Decimal("40")


def test_a_comparator_without_a_year_stops_the_migration(old_comparators):
    old_comparators("PI8", "england", "10", "Quarter 3")

    with pytest.raises(RuntimeError, match="no year such as 'March 2024' or '2023-24'"):
        _migrate(FOLD)

    assert not ComparatorValue.objects.filter(code="PI8").exists()


def test_an_average_no_neighbour_group_covers_keeps_a_group_of_its_own(old_comparators):
    # Once the current group ends in 2030, no group covers March 2031.
    NeighbourGroup.objects.filter(effective_to__isnull=True).update(
        effective_to=datetime.date(2030, 12, 31)
    )
    old_comparators("PI8", "statistical_neighbour", "9.1", "2030-31")

    _migrate(FOLD)

    average = PublishedAverage.objects.select_related("group").get(code="PI8")
    assert (average.value, average.year, average.year_basis) == (
        Decimal("9.1"),
        2031,
        "financial_year",
    )
    assert average.group.covers(datetime.date(2031, 3, 31))
    assert not average.group.members.exists()
    assert "members not recorded" in average.group.name
