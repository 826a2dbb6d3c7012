"""
Migration 0004 ships the authority register and the mappings of the DfE's published files:
on an empty database, and over one where the demonstration loaded authorities by name
without codes (the same rows are given their codes, none is made twice). Every mapping's
code is one the comparator store accepts, meaning the domain's subject where a domain has
the code. The demonstration keys its authorities by ONS code.

The migration tests take the comparators app back to 0003, write rows through the
historical models, and migrate forward again (as tests/comparators/test_fold_migration.py).
"""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from opb_portal.accounts.models import Role
from opb_portal.comparators import demo, imports, registry, services
from opb_portal.comparators.models import (
    Authority,
    ComparatorValue,
    FormerCode,
    NeighbourGroup,
    PublishedAverage,
    PublishedMeasure,
)
from opb_portal.comparators.published import NOUN

SHIPPED = importlib.import_module("opb_portal.comparators.migrations.0004_stats_reference_shipped")
BEFORE = ("comparators", "0003_published_statistics")
# 0004 and every migration after it: the tests read through today's models, which later
# migrations may have given columns 0004 did not (0005: a mapping's first year).
AFTER = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("comparators")[0]
# England, nine regions, 31 local authorities (the demonstration's 16, the reorganised
# 11, and 4 whose code changed).
REGISTER_SIZE = 1 + 9 + 31


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor


def _empty() -> None:
    ComparatorValue.objects.all().delete()
    PublishedAverage.objects.all().delete()
    NeighbourGroup.objects.all().delete()
    FormerCode.objects.all().delete()
    PublishedMeasure.objects.all().delete()
    Authority.objects.all().delete()


@pytest.fixture
def before_0004():
    """The comparators app at 0003 with no authority, mapping or group: yields its models."""
    executor = _migrate(BEFORE)
    _empty()
    yield executor.loader.project_state([BEFORE]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _register() -> dict[str, Authority]:
    return {a.code: a for a in Authority.objects.prefetch_related("replaced_by")}


@pytest.mark.django_db(transaction=True)
def test_on_an_empty_database_it_ships_england_the_regions_and_the_authorities_by_code(
    before_0004,
):
    _migrate(AFTER)

    register = _register()
    assert len(register) == Authority.objects.count() == REGISTER_SIZE
    assert (register["E92000001"].name, register["E92000001"].kind) == ("England", "england")
    regions = {code: a.name for code, a in register.items() if a.kind == "region"}
    assert regions == {
        "E12000001": "North East",
        "E12000002": "North West",
        "E12000003": "Yorkshire and The Humber",
        "E12000004": "East Midlands",
        "E12000005": "West Midlands",
        "E12000006": "East of England",
        "E12000007": "London",
        "E12000008": "South East",
        "E12000009": "South West",
    }
    sandwell = register["E08000028"]
    assert (sandwell.name, sandwell.la_code) == ("Sandwell", "333")
    for name, (code, la_code, region) in demo.AUTHORITIES.items():
        assert (register[code].name, register[code].la_code, register[code].region) == (
            name,
            la_code,
            region,
        )


@pytest.mark.django_db(transaction=True)
def test_reorganised_authorities_end_and_their_successors_start_as_series_of_their_own(
    before_0004,
):
    _migrate(AFTER)

    register = _register()

    def after(code):
        return {a.code for a in register[code].replaced_by.all()}

    assert after("E10000006") == {"E06000063", "E06000064"}  # Cumbria
    assert after("E10000021") == {"E06000061", "E06000062"}  # Northamptonshire
    assert after("E06000028") == after("E06000029") == {"E06000058"}  # Bournemouth, Poole
    assert after("E10000009") == {"E06000059"}  # Dorset county
    assert register["E10000006"].active_to == datetime.date(2023, 3, 31)
    assert register["E06000064"].active_from == datetime.date(2023, 4, 1)
    assert register["E10000021"].active_to == datetime.date(2021, 3, 31)
    assert register["E06000058"].active_from == datetime.date(2019, 4, 1)
    # Two authorities called Dorset, told apart by their codes.
    dorsets = Authority.objects.filter(name="Dorset").order_by("code")
    assert [(d.code, d.active_from, d.active_to) for d in dorsets] == [
        ("E06000059", datetime.date(2019, 4, 1), None),
        ("E10000009", None, datetime.date(2019, 3, 31)),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_code_that_changed_is_a_former_code_of_the_same_authority(before_0004):
    _migrate(AFTER)

    former = {f.code: (f.authority.code, f.authority.name) for f in FormerCode.objects.all()}
    assert former == {
        "E08000020": ("E08000037", "Gateshead"),
        "E06000048": ("E06000057", "Northumberland"),
        "E10000023": ("E06000065", "North Yorkshire"),
        "E10000027": ("E06000066", "Somerset"),
    }
    assert not Authority.objects.filter(code__in=former).exists()


@pytest.mark.django_db(transaction=True)
def test_over_authorities_loaded_by_name_it_gives_the_same_rows_their_codes(before_0004):
    old = before_0004.get_model("comparators", "Authority")
    group_model = before_0004.get_model("comparators", "NeighbourGroup")
    value_model = before_0004.get_model("comparators", "ComparatorValue")
    # As the demonstration loaded them before: names, Sandwell's code only.
    made = {
        name: old.objects.create(
            name=name,
            kind="local_authority",
            region=region,
            code="E08000028" if name == demo.SANDWELL else "",
        )
        for name, (_code, _la, region) in demo.AUTHORITIES.items()
    }
    made["West Midlands"] = old.objects.create(name="West Midlands", kind="region")
    made["England"] = old.objects.create(name="England", kind="england")
    group = group_model.objects.create(name="Statistical neighbours to May 2025")
    group.members.set([made[name] for name in demo.GROUP_TO_MAY_2025])
    value_model.objects.create(
        code="children_in_care", authority=made["Coventry"], year=2024, value=Decimal("84")
    )
    # Kept under its old code by hand; and a Dorset of no code, which the register cannot
    # tell from the other Dorset: left alone.
    yorkshire = old.objects.create(name="North Yorkshire", kind="local_authority", code="E10000023")
    unclear = old.objects.create(name="Dorset", kind="local_authority")

    _migrate(AFTER)

    register = _register()
    for name, (code, la_code, _region) in demo.AUTHORITIES.items():
        assert (register[code].pk, register[code].la_code) == (made[name].pk, la_code)
    assert register["E12000005"].pk == made["West Midlands"].pk
    assert register["E92000001"].pk == made["England"].pk
    assert register["E06000065"].pk == yorkshire.pk
    assert FormerCode.objects.get(code="E10000023").authority_id == yorkshire.pk
    assert Authority.objects.get(pk=unclear.pk).code == ""
    assert Authority.objects.count() == REGISTER_SIZE + 1
    assert ComparatorValue.objects.get().authority.code == "E08000026"
    members = NeighbourGroup.objects.get().members.values_list("code", flat=True)
    assert set(members) == {demo.AUTHORITIES[name][0] for name in demo.GROUP_TO_MAY_2025}


@pytest.mark.django_db(transaction=True)
def test_shipping_again_changes_nothing_and_keeps_an_administrators_edits(before_0004):
    _migrate(AFTER)
    mapping = PublishedMeasure.objects.get(code="csww_caseload")
    mapping.indicator = "average_caseload"
    mapping.save()
    before = (
        sorted(Authority.objects.values_list("pk", "code", "name", "la_code")),
        sorted(PublishedMeasure.objects.values_list("pk", "code", "indicator")),
        FormerCode.objects.count(),
    )

    SHIPPED.ship(django_apps, None)

    assert before == (
        sorted(Authority.objects.values_list("pk", "code", "name", "la_code")),
        sorted(PublishedMeasure.objects.values_list("pk", "code", "indicator")),
        FormerCode.objects.count(),
    )


# --- the mappings ----------------------------------------------------------------------------


@pytest.fixture
def shipped(db):
    """The register and mappings as shipped, whatever an earlier test's flush left."""
    SHIPPED.ship(django_apps, None)


@pytest.fixture
def administrator(people):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def domains_loaded(shipped, frameworks):
    """Both KPI frameworks and the demand measures: the domains' codes registered."""
    from demand.demo import load_demo_demand

    load_demo_demand()


def test_every_shipped_mapping_is_complete_and_passes_its_own_checks(shipped):
    mappings = list(PublishedMeasure.objects.all())
    assert len(mappings) == len(SHIPPED.MAPPINGS) == 24
    for mapping in mappings:
        mapping.full_clean()
        assert mapping.cited_as.startswith("DfE, ")
        assert mapping.time_identifier == "Reporting year"
    workforce = PublishedMeasure.objects.filter(publication="Children's social work workforce")
    assert set(workforce.values_list("year_basis", flat=True)) == {"at_september"}


def test_every_shipped_mapping_code_is_accepted_by_the_comparator_import(domains_loaded):
    lookups = imports.Lookups.load()
    for mapping in PublishedMeasure.objects.all():
        # In the years the mapping is published for now: the 2024 framework's KPIs.
        subject = lookups.subject(mapping.code, 2025)
        assert subject is not None, mapping.code
        assert subject.unit == mapping.unit, mapping.code
    assert NOUN in lookups.nouns


@pytest.mark.parametrize(
    ("code", "title"),
    [
        pytest.param("children_in_care", "Children we care for", id="a-demand-measure"),
        pytest.param("referrals", "Referrals", id="a-count-benchmarked-as-a-rate"),
        pytest.param(
            "PI12",
            "Vacancy rate (% of case holding social worker posts not filled by a permanent "
            "employee)",
            id="a-kpi-of-the-2024-framework",
        ),
        pytest.param(
            "cla_placed_foster_pct",
            "Children looked after at 31 March in foster placements (%)",
            id="a-published-statistic-only",
        ),
        pytest.param(
            "care_leavers_eet",
            "Care leavers aged 19 to 21 in education, employment or training",
            id="a-published-statistic-with-a-demand-measure-of-its-code",
        ),
    ],
)
def test_a_code_a_domain_has_means_the_domains_subject(domains_loaded, code, title):
    lookups = imports.Lookups.load()

    assert [s.title for s in lookups.subjects[code.casefold()]][-1] == title
    assert lookups.subject(code, None).title == title
    assert registry.titles()[code] == title


def test_a_published_statistic_is_listed_once_among_the_codes(domains_loaded):
    codes = imports.Lookups.load().codes

    assert len(codes) == len(set(codes))
    assert {"care_leavers_in_touch", "csww_agency_rate", "cla_placed_foster_pct"} <= set(codes)


def test_a_figure_of_a_published_statistic_can_be_typed_for_an_authority_by_its_code(
    domains_loaded, administrator
):
    record = services.comparator_save(
        user=administrator, code="care_leavers_eet", authority="E08000028", year="2024", value="52"
    )

    stored = ComparatorValue.objects.get(code="care_leavers_eet", authority__name="Sandwell")
    assert (stored.authority.name, stored.value, record.added) == ("Sandwell", Decimal("52"), 1)


def test_an_unknown_code_names_every_kind_of_code_the_store_accepts(shipped, frameworks):
    message = imports.Lookups.load().unknown_code("nope")

    assert message == (
        "'nope' is not a demand measure, KPI or published statistic code: expected a code such "
        "as children_in_care, PI1 or cla_placed_foster_pct (the import page lists them all)."
    )


# --- the demonstration by code -------------------------------------------------------------


def test_the_demonstration_finds_the_shipped_authorities_by_code_and_makes_none_twice(shipped):
    before = {a.code: a.pk for a in Authority.objects.all()}

    neighbours = demo.load_demo_neighbours()
    demo.load_demo_neighbours()

    assert {a.code: a.pk for a in Authority.objects.all()} == before
    assert neighbours.authorities["Coventry"].pk == before["E08000026"]
    assert neighbours.authorities[demo.ENGLAND].pk == before["E92000001"]


def test_the_demonstration_loads_its_authorities_with_codes_on_an_empty_register(db):
    _empty()

    neighbours = demo.load_demo_neighbours()

    assert Authority.objects.count() == len(demo.AUTHORITIES) + 2
    assert neighbours.authorities["Luton"].code == "E06000032"
    assert neighbours.authorities["Luton"].la_code == "821"
    assert neighbours.authorities[demo.WEST_MIDLANDS].code == "E12000005"
