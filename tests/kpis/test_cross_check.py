"""
PI12 against the workforce return: a check across two returns by a declared key.

The KPI that is the workforce return's permanent vacancy rate declares so as data
(`KpiDefinition.cross_check`); neither return finds the other by a title, and neither
domain imports the other (`opb_portal.submissions.crosschecks`).
"""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from kpis.models import KpiDefinition
from opb_portal.periods import Period
from opb_portal.spreadsheets import Cell
from opb_portal.submissions import crosschecks, registry
from opb_portal.submissions.pipeline import check_entries
from opb_portal.submissions.registry import Entry

MARCH = Period(2025, 3)
KEY = "workforce.permanent_vacancy_rate"
WARNING_WORDS = "works out a permanent vacancy rate of 23.94%"


def _pi12_warnings(value: str) -> list[str]:
    entry = Entry(
        code="PI12",
        label=Cell(sheet="KPI return", ref="A6", value="PI12"),
        period=MARCH,
        fields={"value": Cell(sheet="KPI return", ref="D6", value=value)},
    )
    checked = check_entries(
        spec=registry.get("kpis"), organisation=None, entries=[entry], file="march.xlsx"
    )
    return [p.message for p in checked.warnings if p.measure == "PI12"]


def test_the_workforce_app_registers_the_permanent_vacancy_rate_under_its_key(demo):
    check = crosschecks.get(KEY)
    assert (check.domain, check.title, check.tolerance) == (
        "workforce",
        "permanent vacancy rate",
        Decimal("0.1"),
    )
    assert check.figure(MARCH) == Decimal("23.94")


def test_pi12_is_checked_because_it_declares_the_key_whatever_its_title(demo):
    KpiDefinition.objects.filter(framework__code="2024", code="PI12").update(
        title="Posts not filled by a permanent employee"
    )
    assert any(WARNING_WORDS in m for m in _pi12_warnings("25.0"))


def test_a_kpi_without_the_key_is_not_checked_whatever_its_title(demo):
    KpiDefinition.objects.filter(framework__code="2024", code="PI12").update(cross_check="")
    assert not any(WARNING_WORDS in m for m in _pi12_warnings("25.0"))


def test_the_workforce_return_finds_the_kpi_by_the_key_not_the_title(demo):
    KpiDefinition.objects.filter(framework__code="2024", code="PI12").update(title="Renamed")
    declared = crosschecks.declared(KEY, MARCH)
    assert (declared.domain, declared.line, declared.return_label) == ("kpis", "PI12", "KPI return")
    assert (
        declared.value
        == KpiDefinition.objects.get(framework__code="2024", code="PI12")
        .values.get(period=MARCH)
        .value
    )
    KpiDefinition.objects.filter(cross_check=KEY).update(cross_check="")
    assert crosschecks.declared(KEY, MARCH) is None


def test_a_kpi_may_declare_only_a_key_some_return_registered(frameworks):
    kpi = KpiDefinition.objects.get(framework__code="2024", code="PI1")
    kpi.cross_check = "workforce.vacancy_rate"
    with pytest.raises(ValidationError, match=r"workforce\.permanent_vacancy_rate"):
        kpi.full_clean()
    kpi.cross_check = KEY
    kpi.full_clean()


def test_the_frameworks_declare_pi12_and_the_2018_pi13_and_nothing_else(frameworks):
    declared = KpiDefinition.objects.exclude(cross_check="").values_list(
        "framework__code", "code", "cross_check"
    )
    assert sorted(declared) == [("2018", "PI13", KEY), ("2024", "PI12", KEY)]


def test_the_migration_declares_the_key_on_the_vacancy_kpis_already_stored(frameworks):
    KpiDefinition.objects.update(cross_check="")
    migration = importlib.import_module("kpis.migrations.0009_kpidefinition_cross_check")
    migration.declare_the_vacancy_kpis(apps, None)
    assert sorted(
        KpiDefinition.objects.exclude(cross_check="").values_list("framework__code", "code")
    ) == [("2018", "PI13"), ("2024", "PI12")]
