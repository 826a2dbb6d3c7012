"""
Fixtures for governance: the demonstration and its people (exception reports, rectification
plans); people of both organisations and meetings built in code (meetings, actions, decisions).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from kpis.models import KpiValue
from opb_portal.accounts.models import Organisation, Role, User
from opb_portal.boardpack.models import Meeting
from opb_portal.periods import Period

from ..factories import OrganisationFactory, UserFactory

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


# --- meetings, actions and decisions ------------------------------------------------------

APRIL_17, MAY_22, APRIL_24 = (
    datetime.date(2025, 4, 17),
    datetime.date(2025, 5, 22),
    datetime.date(2025, 4, 24),
)


def trust_person(role: str = Role.BOARD_MEMBER, **kwargs):
    return UserFactory(
        role=role, organisation=OrganisationFactory(kind=Organisation.Kind.TRUST), **kwargs
    )


def council_person(role: str = Role.REVIEWER, **kwargs):
    return UserFactory(
        role=role, organisation=OrganisationFactory(kind=Organisation.Kind.COUNCIL), **kwargs
    )


def make_meeting(date: datetime.date, chair, *, board=Meeting.Board.OPB, period=None) -> Meeting:
    return Meeting.objects.create(
        board=board,
        date=date,
        period=period or Period.from_date(date).shift(-1),
        chair=chair,
        created_by=chair,
    )


@pytest.fixture
def chair(db):
    """The OPB's chair: the Trust's Chief Executive, a board member."""
    return trust_person(Role.BOARD_MEMBER, username="chair", email="chair@example.org")


@pytest.fixture
def april(chair):
    return make_meeting(APRIL_17, chair)


@pytest.fixture
def may(chair, april):
    return make_meeting(MAY_22, chair)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
