"""Who chooses the scenarios the pack shows: a chair of a meeting to come, or an administrator."""

import datetime
from decimal import Decimal

import pytest

from finance.models import FinanceYear, Scenario
from finance.scenarios import services
from finance.scenarios.services import ScenarioError
from opb_portal.accounts.models import Role
from opb_portal.boardpack.models import Meeting
from opb_portal.periods import Period
from tests.factories import UserFactory


@pytest.fixture
def scenario(db):
    year = FinanceYear.objects.create(
        start_year=2025, contract_sum=Decimal(1), opening_cumulative_deficit=Decimal(0)
    )
    return Scenario.objects.create(year=year, name="Residential stays at 79")


def meeting(chair, date):
    return Meeting.objects.create(date=date, period=Period(2025, 3), chair=chair, created_by=chair)


def choose(scenario, user, in_pack=True):
    services.scenario_choose_for_pack(scenario=scenario, in_pack=in_pack, user=user)
    scenario.refresh_from_db()
    return scenario.in_pack


def test_the_chair_of_a_meeting_to_come_chooses(scenario):
    chair = UserFactory(role=Role.BOARD_MEMBER)
    meeting(chair, datetime.date.today() + datetime.timedelta(days=7))
    assert choose(scenario, chair) is True
    assert choose(scenario, chair, in_pack=False) is False


def test_the_chair_of_a_past_meeting_does_not(scenario):
    chair = UserFactory(role=Role.BOARD_MEMBER)
    meeting(chair, datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(ScenarioError, match="Only the chair of a meeting still to come"):
        choose(scenario, chair)
    scenario.refresh_from_db()
    assert scenario.in_pack is False


@pytest.mark.parametrize(
    ("role", "may"),
    [
        pytest.param(Role.ADMINISTRATOR, True, id="administrator-acts-for-the-chair"),
        pytest.param(Role.BOARD_MEMBER, False, id="board-member-who-chairs-nothing"),
        pytest.param(Role.REVIEWER, False, id="council-reviewer-builds-but-does-not-choose"),
        pytest.param("finance_submitter", False, id="trust-submitter"),
    ],
)
def test_who_else_may_choose(scenario, role, may):
    user = UserFactory(role=role)
    assert services.may_choose_for_pack(user) is may
    if not may:
        with pytest.raises(ScenarioError):
            choose(scenario, user)
    else:
        assert choose(scenario, user) is True
