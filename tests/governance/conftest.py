"""Fixtures for exception reports and rectification plans: the demonstration and its people."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kpis.models import KpiValue
from opb_portal.accounts.models import Organisation, User
from opb_portal.periods import Period

MARCH, DECEMBER = Period(2025, 3), Period(2024, 12)
PI1, PI11, PI13 = "kpi:2024/PI1", "kpi:2024/PI11", "kpi:2024/PI13"


@pytest.fixture
def users(demo) -> dict[str, User]:
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def trust(demo) -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.TRUST)


def written(trust: Organisation, **changes) -> dict:
    """What a submitter writes in the form, as the service takes it."""
    return {
        "cause": "Two teams carried vacancies.",
        "action_taken": "Agency cover from October.",
        "owner_name": "Head of Service, Assessment",
        "owner_organisation": trust,
        "back_on_target": datetime.date(2025, 6, 30),
        **changes,
    }


def make_red(code: str, months: list[Period], value: str = "60") -> None:
    """Set the approved figures of a KPI of 2024 to a red value in each month."""
    for month in months:
        KpiValue.objects.filter(kpi__framework__code="2024", kpi__code=code, period=month).update(
            value=Decimal(value)
        )


@pytest.fixture
def escalated(demo) -> Period:
    """PI13 red from September to December 2024: four months in a row, outside grace."""
    make_red("PI13", [Period(2024, 9), Period(2024, 10), Period(2024, 11), DECEMBER])
    return DECEMBER
