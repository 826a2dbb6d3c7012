"""Importing a statistics file: authorities by code, the preview's summary, the atomic import."""

import datetime
from decimal import Decimal

import pytest

from opb_portal.accounts import roles
from opb_portal.accounts.models import Role
from opb_portal.comparators.models import (
    Authority,
    ComparatorImport,
    ComparatorValue,
    FormerCode,
    YearBasis,
)
from opb_portal.comparators.services import ComparatorError
from opb_portal.comparators.statistics.services import (
    statistics_import_apply,
    statistics_import_preview,
)
from opb_portal.submissions.models import UploadedFile

from .. import ees
from .test_reading import RATE, cla_file, cla_row

CODE = "children_in_care_rate"
CITED = "DfE, children looked after"


@pytest.fixture
def admin(people):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def mapping(db):
    return ees.measure()


@pytest.fixture
def register(db):
    """England, the West Midlands and two of its authorities, by their codes."""
    made = {}
    for place, kind in [
        (ees.ENGLAND, Authority.Kind.ENGLAND),
        (ees.WEST_MIDLANDS, Authority.Kind.REGION),
        (ees.SANDWELL, Authority.Kind.LOCAL_AUTHORITY),
        (ees.DUDLEY, Authority.Kind.LOCAL_AUTHORITY),
    ]:
        made[place.code] = Authority.objects.create(
            name=place.name, kind=kind, code=place.code, la_code=place.la_code
        )
    return made


def preview(admin, data, filename=ees.CLA_FILE):
    return statistics_import_preview(data=data, filename=filename, user=admin)


def apply(admin, data, filename=ees.CLA_FILE, **options):
    plan = preview(admin, data, filename)
    assert plan.ok, [str(p) for p in plan.problems]
    return statistics_import_apply(
        data=data, filename=filename, user=admin, fingerprint=plan.fingerprint, **options
    )


def stored(code=CODE) -> dict[tuple[str, int], str]:
    return {
        (v.authority.code, v.year): v.shown_raw
        for v in ComparatorValue.objects.filter(code=code).select_related("authority")
    }


def a_year(year, sandwell="94", dudley="50", england="70", region="86"):
    period = str(year)
    return [
        cla_row(ees.ENGLAND, england, period=period),
        cla_row(ees.WEST_MIDLANDS, region, period=period),
        cla_row(ees.SANDWELL, sandwell, period=period),
        cla_row(ees.DUDLEY, dudley, period=period),
    ]


def test_an_import_stores_every_figure_with_its_source_basis_and_symbols_as_reasons(
    admin, mapping, register
):
    record = apply(
        admin,
        cla_file(*a_year(2024, sandwell=ees.noisy("94"), dudley="c")),
        published_on=datetime.date(2024, 11, 14),
    )
    assert stored() == {
        ("E92000001", 2024): "70",
        ("E12000005", 2024): "86",
        ("E08000028", 2024): "94",
        ("E08000027", 2024): "c",
    }
    dudley = ComparatorValue.objects.get(authority__code="E08000027")
    assert (dudley.value, dudley.symbol, dudley.published) == (None, "c", False)
    value = ComparatorValue.objects.get(authority__code="E08000028")
    assert (value.source, value.year_basis, value.comparator_import) == (
        CITED,
        YearBasis.AT_MARCH,
        record,
    )
    assert (record.source, record.publication, record.published_on) == (
        ComparatorImport.Source.STATISTICS,
        "Children looked after in England including adoptions",
        datetime.date(2024, 11, 14),
    )
    assert (record.added, record.changed, record.unchanged) == (4, 0, 0)
    assert UploadedFile.objects.get().sha256 == record.sha256
    assert record.changes.count() == 4


def test_the_preview_summarises_by_measure_and_year_and_stores_nothing(admin, mapping, register):
    apply(admin, cla_file(*a_year(2023)))
    data = cla_file(
        *a_year(2023, sandwell="95.5", dudley="x"),
        *a_year(2024, dudley=""),
        {**cla_row(), "geographic_level": "Local authority district"},
        ees.row(ees.SANDWELL, filters={"population_count": "Starting"}, values={RATE: "5"}),
    )
    before = ComparatorValue.objects.count()
    plan = preview(admin, data)
    assert ComparatorValue.objects.count() == before
    summary = plan.summary
    assert (plan.added, plan.changed, plan.unchanged) == (3, 2, 2)
    assert summary["levels"] == {"National": 2, "Regional": 2, "Local authority": 5}
    assert summary["other_levels"] == {"Local authority district": 1}
    assert summary["skipped"] == 1
    by_year = {m["year"]: m for m in summary["measures"]}
    assert by_year[2023]["examples"] == [
        {"authority": "Sandwell", "code": "E08000028", "old": "94", "new": "95.5",
         "old_source": CITED},
        {"authority": "Dudley", "code": "E08000027", "old": "50", "new": "x",
         "old_source": CITED},
    ]  # fmt: skip
    assert (by_year[2023]["changed"], by_year[2023]["unchanged"]) == (2, 2)
    assert by_year[2023]["symbols"] == {"x": 1}
    assert (by_year[2024]["added"], by_year[2024]["blank"]) == (3, 1)
    assert summary["periods"] == [
        {"time_period": "2023", "year": 2023,
         "meaning": "2023 (Reporting year): March 2023, at 31 March 2023"},
        {"time_period": "2024", "year": 2024,
         "meaning": "2024 (Reporting year): March 2024, at 31 March 2024"},
    ]  # fmt: skip


def test_changed_figures_are_named_up_to_five_then_counted(admin, mapping, register):
    places = [ees.la(f"E0600{n:04d}", f"Authority {n}", f"{800 + n}") for n in range(8)]
    apply(admin, cla_file(*(cla_row(p, "10") for p in places)))
    plan = preview(admin, cla_file(*(cla_row(p, "11") for p in places)))
    [measure] = plan.summary["measures"]
    assert (len(measure["examples"]), measure["more"], measure["changed"]) == (5, 3, 8)


def test_a_new_release_replaces_the_figures_it_covers_and_keeps_the_old_in_the_history(
    admin, mapping, register
):
    first = apply(admin, cla_file(*a_year(2024, dudley="c")))
    second = apply(admin, cla_file(*a_year(2024, sandwell="93.8", dudley="51")))
    assert stored()[("E08000028", 2024)] == "93.8"
    assert stored()[("E08000027", 2024)] == "51"
    changes = {c.authority.code: c for c in second.changes.select_related("authority")}
    assert set(changes) == {"E08000028", "E08000027"}
    sandwell, dudley = changes["E08000028"], changes["E08000027"]
    assert (sandwell.old_value, sandwell.new_value) == (Decimal("94"), Decimal("93.8"))
    assert (dudley.old_symbol, dudley.old_value, dudley.new_value) == ("c", None, Decimal("51"))
    assert first.changes.count() == 4  # the first release's history stays as it was


def test_a_blank_leaves_a_stored_figure_as_it_is(admin, mapping, register):
    apply(admin, cla_file(*a_year(2024)))
    plan = preview(admin, cla_file(*a_year(2024, sandwell="")))
    assert (plan.added, plan.changed, plan.unchanged) == (0, 0, 3)
    assert plan.summary["measures"][0]["blank"] == 1
    assert stored()[("E08000028", 2024)] == "94"


def test_reimporting_the_same_file_is_refused_as_nothing_to_change(admin, mapping, register):
    data = cla_file(*a_year(2024, sandwell=ees.noisy("94"), dudley="c"))
    apply(admin, data)
    plan = preview(admin, data)
    assert (plan.added, plan.changed, plan.unchanged) == (0, 0, 4)
    with pytest.raises(ComparatorError, match="Nothing to change"):
        statistics_import_apply(
            data=data, filename=ees.CLA_FILE, user=admin, fingerprint=plan.fingerprint
        )
    assert ComparatorImport.objects.count() == 1
    assert UploadedFile.objects.count() == 1


def test_a_stale_preview_is_refused_saying_which_figures_moved(admin, mapping, register):
    data = cla_file(*a_year(2024))
    plan = preview(admin, data)
    apply(admin, cla_file(cla_row(ees.SANDWELL, "90")))
    with pytest.raises(ComparatorError, match=f"the figures of {CODE} in 2024 moved"):
        statistics_import_apply(
            data=data,
            filename=ees.CLA_FILE,
            user=admin,
            fingerprint=plan.fingerprint,
            previewed=plan.base,
        )
    assert stored() == {("E08000028", 2024): "90"}


def test_a_file_with_any_problem_stores_nothing(admin, mapping, register):
    data = cla_file(*a_year(2024), cla_row(ees.WALSALL, "abc"))
    plan = preview(admin, data)
    assert [p.field for p in plan.problems] == [RATE]
    with pytest.raises(ComparatorError) as refused:
        statistics_import_apply(data=data, filename=ees.CLA_FILE, user=admin, fingerprint="")
    assert "Row 6, column rate_per_10000" in str(refused.value.problems[0])
    assert not ComparatorValue.objects.exists()
    assert not Authority.objects.filter(code=ees.WALSALL.code).exists()
    assert not UploadedFile.objects.exists()


def test_the_import_is_atomic_when_a_write_fails(admin, mapping, register, monkeypatch):
    from opb_portal.comparators.statistics import services

    def failing(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.ComparatorChange.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        apply(admin, cla_file(*a_year(2024), cla_row(ees.WALSALL, "60")))
    assert not ComparatorValue.objects.exists()
    assert not ComparatorImport.objects.exists()
    assert not Authority.objects.filter(code=ees.WALSALL.code).exists()
    assert not UploadedFile.objects.exists()
    assert _upload_files() == []


def _upload_files():
    from django.conf import settings

    root = settings.UPLOAD_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("role", [r for r in [*roles.values(), "none"] if r != Role.ADMINISTRATOR])
def test_only_an_administrator_previews_or_imports(people, mapping, role):
    with pytest.raises(ComparatorError, match="only administrators"):
        statistics_import_preview(data=cla_file(), filename=ees.CLA_FILE, user=people[role])
    with pytest.raises(ComparatorError, match="only administrators"):
        statistics_import_apply(
            data=cla_file(), filename=ees.CLA_FILE, user=people[role], fingerprint=""
        )


# --- authorities by code, never by name ----------------------------------------------------


def test_cumbria_and_its_two_successors_stay_three_series(admin, mapping, register):
    cumbria = Authority.objects.create(
        name="Cumbria", kind=Authority.Kind.LOCAL_AUTHORITY, code=ees.CUMBRIA.code, la_code="909"
    )
    data = cla_file(
        cla_row(ees.CUMBRIA, "60", period="2022"),
        cla_row(ees.CUMBERLAND, "70", period="2023"),
        cla_row(ees.WESTMORLAND_AND_FURNESS, "50", period="2023"),
    )
    plan = preview(admin, data)
    assert [(a["name"], a["code"]) for a in plan.summary["new_authorities"]] == [
        ("Cumberland", "E06000063"),
        ("Westmorland and Furness", "E06000064"),
    ]
    apply(admin, data)
    assert stored() == {
        ("E10000006", 2022): "60",
        ("E06000063", 2023): "70",
        ("E06000064", 2023): "50",
    }
    cumberland = Authority.objects.get(code="E06000063")
    assert (cumberland.name, cumberland.la_code, cumberland.region, cumberland.kind) == (
        "Cumberland",
        "942",
        "North West",
        Authority.Kind.LOCAL_AUTHORITY,
    )
    assert cumbria.values.get().year == 2022


def test_a_former_code_joins_its_authoritys_series(admin, mapping, register):
    gateshead = Authority.objects.create(
        name="Gateshead", kind=Authority.Kind.LOCAL_AUTHORITY, code="E08000037", la_code="390"
    )
    FormerCode.objects.create(authority=gateshead, code="E08000020")
    old = ees.la("E08000020", "Gateshead", "390", ees.NORTH_WEST)
    new = ees.la("E08000037", "Gateshead", "390", ees.NORTH_WEST)
    data = cla_file(cla_row(old, "80", period="2013"), cla_row(new, "85", period="2015"))
    plan = preview(admin, data)
    assert plan.summary["new_authorities"] == []
    assert plan.summary["notes"] == [
        "Gateshead (E08000020) is Gateshead's former code: its figures join Gateshead's series."
    ]
    apply(admin, data)
    assert sorted(gateshead.values.values_list("year", flat=True)) == [2013, 2015]


def test_a_new_code_with_a_stored_authoritys_name_is_a_new_authority_and_the_preview_says_so(
    admin, mapping, register
):
    Authority.objects.create(
        name="Dorset", kind=Authority.Kind.LOCAL_AUTHORITY, code=ees.DORSET_COUNTY.code
    )
    plan = preview(admin, cla_file(cla_row(ees.DORSET, "55")))
    assert plan.summary["new_authorities"] == [
        {"name": "Dorset", "code": "E06000059", "kind": "Local authority", "la_code": "838",
         "region": "South West", "same_name_as": ["Dorset (E10000009)"]},
    ]  # fmt: skip
    apply(admin, cla_file(cla_row(ees.DORSET, "55")))
    assert Authority.objects.filter(name="Dorset").count() == 2
    assert stored() == {("E06000059", 2024): "55"}


def test_a_known_code_with_another_name_keeps_the_stored_name_and_the_preview_notes_it(
    admin, mapping, register
):
    renamed = ees.la(ees.SANDWELL.code, "Sandwell Metropolitan Borough", "333")
    plan = preview(admin, cla_file(cla_row(renamed)))
    assert plan.summary["notes"] == [
        "E08000028 is called Sandwell Metropolitan Borough in the file and Sandwell in the "
        "portal: the portal's name is kept."
    ]
    apply(admin, cla_file(cla_row(renamed)))
    assert Authority.objects.get(code=ees.SANDWELL.code).name == "Sandwell"


def test_england_without_its_code_yet_is_the_portals_one_england(admin, mapping):
    england = Authority.objects.create(name="England", kind=Authority.Kind.ENGLAND)
    apply(admin, cla_file(cla_row(ees.ENGLAND, "70")))
    assert england.values.get().value == Decimal("70")


def test_a_region_is_found_by_its_code_or_added(admin, mapping):
    plan = preview(admin, cla_file(cla_row(ees.WEST_MIDLANDS, "86")))
    assert plan.summary["new_authorities"][0]["kind"] == "Region"
    apply(admin, cla_file(cla_row(ees.WEST_MIDLANDS, "86")))
    assert Authority.objects.get(code="E12000005").kind == Authority.Kind.REGION


def test_one_authoritys_figure_under_its_former_code_and_its_code_is_given_twice(
    admin, mapping, register
):
    gateshead = Authority.objects.create(
        name="Gateshead", kind=Authority.Kind.LOCAL_AUTHORITY, code="E08000037"
    )
    FormerCode.objects.create(authority=gateshead, code="E08000020")
    old = ees.la("E08000020", "Gateshead", "390", ees.NORTH_WEST)
    new = ees.la("E08000037", "Gateshead", "390", ees.NORTH_WEST)
    plan = preview(admin, cla_file(cla_row(old, "80"), cla_row(new, "81")))
    assert [str(p) for p in plan.problems] == [
        f"{ees.CLA_FILE} ({CODE}, 2024): Row 3, column rate_per_10000: {CODE} for Gateshead "
        "in 2024 is given twice, under E08000020 (row 2) and E08000037, codes of the same "
        "authority: keep one of the rows."
    ]
