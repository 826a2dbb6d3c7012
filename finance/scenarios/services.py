"""
Everything that changes saved scenarios: building one with its changes, editing it,
deleting it, and choosing which the board pack shows.

Keyword-only functions that check the person may (so a command obeys the pages' rules),
check every change against the year and the latest figures, `full_clean` each row and
save in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import Role, User
from opb_portal.accounts.permissions import Action, can
from opb_portal.boardpack.models import Meeting
from opb_portal.periods import FinancialYear, Period

from .. import selectors as finance_selectors
from ..models import CostDriver, FinanceYear, Scenario, ScenarioChange

Measure = CostDriver.Measure
# The drivers the model works lines out from (finance.model): the count of children we care
# for is demand's, beside the plan, and drives no line.
MODEL_MEASURES = [m for m in Measure if m != Measure.CHILDREN_IN_CARE]
PERCENT_MEASURES = frozenset({Measure.AGENCY_SHARE, Measure.SAVINGS_DELIVERED})
MONEY_MEASURES = frozenset(
    {
        Measure.RESIDENTIAL_WEEKLY_COST,
        Measure.SUPPORTED_WEEKLY_COST,
        Measure.FOSTER_INTERNAL_WEEKLY_COST,
        Measure.FOSTER_EXTERNAL_WEEKLY_COST,
        Measure.AGENCY_WEEKLY_COST,
        Measure.HOME_OFFICE_WEEKLY_RATE,
    }
)
# A scenario reaches into the medium term (finance.model.next_years): its year and two more.
YEARS_AHEAD = 2


class ScenarioError(Exception):
    """An act on a scenario that cannot be done, with a sentence saying why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def last_month(year: FinanceYear) -> Period:
    """The last month a change may name: the end of the medium term the scenario reaches."""
    return FinancialYear(year.start_year + YEARS_AHEAD).last


def change_problems(
    *, year: FinanceYear, measure: str, month: Period, value: Decimal, latest: Period | None
) -> dict[str, str]:
    """
    What is wrong with one change, by field: the form shows each beside its field and
    the service refuses with them. Months up to the latest figures are actuals: a
    scenario changes what is still to come.
    """
    problems = {}
    if measure not in MODEL_MEASURES:
        problems["measure"] = "Choose one of the drivers the model uses."
    end = last_month(year)
    if month < year.financial_year.first or month > end:
        problems["month"] = (
            f"Choose a month from {year.financial_year.first.long} to {end.long}: "
            f"{year.financial_year} and the medium term after it."
        )
    elif latest is not None and month <= latest:
        problems["month"] = (
            f"Choose a month after {latest.long}: the figures to {latest.long} are "
            "actuals, and a scenario changes only what is still to come."
        )
    if value < 0:
        problems["value"] = "A driver cannot be below zero."
    elif measure in PERCENT_MEASURES and value > 100:
        problems["value"] = "A share is a percentage: 100 at most."
    return problems


def _check(year: FinanceYear, changes: Sequence[ScenarioChange]) -> None:
    if not changes:
        raise ScenarioError("A scenario changes at least one driver.")
    latest = finance_selectors.latest_period()
    seen = set()
    for number, change in enumerate(changes, start=1):
        if change.measure in seen:
            label = Measure(change.measure).label
            raise ScenarioError(f"Change {number}: {label} is changed twice; one change a driver.")
        seen.add(change.measure)
        problems = change_problems(
            year=year,
            measure=change.measure,
            month=change.month,
            value=change.value,
            latest=latest,
        )
        if problems:
            field, message = next(iter(problems.items()))
            raise ScenarioError(f"Change {number}, {field}: {message}")


def _require(user: User) -> None:
    if not can(user, Action.BUILD_SCENARIOS):
        raise ScenarioError("Your role does not allow building scenarios.")


def _save(scenario: Scenario, changes: Sequence[ScenarioChange]) -> None:
    taken = Scenario.objects.filter(year=scenario.year, name=scenario.name).exclude(pk=scenario.pk)
    if taken.exists():
        raise ScenarioError(
            f"A scenario of {scenario.year.financial_year} is already called "
            f"“{scenario.name}”: choose another name."
        )
    try:
        scenario.full_clean()
    except ValidationError as invalid:
        raise ScenarioError(" ".join(invalid.messages)) from invalid
    scenario.save()
    scenario.changes.all().delete()
    for order, change in enumerate(changes):
        change.scenario = scenario
        change.order = order
        change.pk = None
        change.full_clean()
        change.save()


@transaction.atomic
def scenario_create(
    *,
    year: FinanceYear,
    name: str,
    description: str = "",
    changes: Sequence[ScenarioChange],
    user: User,
) -> Scenario:
    """Save a new scenario of `year` with its changes (unsaved `ScenarioChange`s, one a driver)."""
    _require(user)
    _check(year, changes)
    scenario = Scenario(year=year, name=name, description=description, created_by=user)
    _save(scenario, changes)
    return scenario


@transaction.atomic
def scenario_update(
    *,
    scenario: Scenario,
    name: str,
    description: str = "",
    changes: Sequence[ScenarioChange],
    user: User,
) -> Scenario:
    """Replace a scenario's name, description and changes: it is a question, not a record."""
    _require(user)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _check(scenario.year, changes)
    scenario.name, scenario.description = name, description
    _save(scenario, changes)
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, user: User) -> None:
    """
    Delete a scenario. Nothing refers to it: an issued pack keeps its PDF, so a scenario
    the board was shown stays in the pack it was shown in.
    """
    _require(user)
    scenario.delete()


def may_choose_for_pack(user: User, *, today=None) -> bool:
    """
    May `user` choose the scenarios the pack shows? The chair of a board meeting still to
    come (its pack is the one the choice goes into), or an administrator acting for the
    chair, as governance.chairing decides who acts for a meeting.
    """
    if not can(user, Action.SELECT_PACK_SCENARIOS):
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    today = today or timezone.localdate()
    return Meeting.objects.filter(chair=user, date__gte=today).exists()


@transaction.atomic
def scenario_choose_for_pack(*, scenario: Scenario, in_pack: bool, user: User) -> Scenario:
    """Show `scenario` in the board pack's "Deficit scenarios" section, or take it out."""
    if not may_choose_for_pack(user):
        raise ScenarioError(
            "Only the chair of a meeting still to come, or an administrator, "
            "chooses the scenarios the pack shows."
        )
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    scenario.in_pack = in_pack
    scenario.full_clean()
    scenario.save(update_fields=["in_pack", "updated_at"])
    return scenario
