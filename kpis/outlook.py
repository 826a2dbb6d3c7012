"""
Early warning on the KPIs: each KPI's outlook, from its stored forecast.

(Skeleton: the shape the scorecard, the KPI page, the home page, the pack, the exports
and the API read. `refresh_forecasts` and `outlooks` are filled in behind these names.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from opb_portal.periods import Period
from opb_portal.rag import Status

from .models import KpiDefinition, KpiForecast

# A KPI red for more than three consecutive months outside grace is a contract exception.
TRIGGER_STREAK = 4


@dataclass(frozen=True)
class Ahead:
    """One forecast month: never a figure, always shown as a forecast."""

    period: Period
    value: Decimal  # at the KPI's precision
    lower: Decimal  # the 80% prediction interval
    upper: Decimal
    red: float  # the chance the month is red, 0 to 1
    status: Status  # the colour the point forecast would have under the rule in force then


@dataclass(frozen=True)
class Outlook:
    kpi: KpiDefinition
    forecast: KpiForecast
    steps: tuple[Ahead, ...]
    # "Over the last 12 months, the 1-month forecast was within 2.1 points 9 times in 10."
    accuracy: str
    chance_red_next: float
    turns_red_next: bool  # not red now, and red next month on trajectory
    trigger: Period | None  # the month of the 4th consecutive red outside grace, on trajectory
    recovers_by: Period | None  # not green now: the first month green on trajectory

    @property
    def signal(self) -> str:
        """The scorecard's outlook in a few words."""
        raise NotImplementedError


def outlooks(kpis: list[KpiDefinition], period: Period) -> dict[int, Outlook]:
    """Each KPI's outlook from the latest forecast made from `period` or before (1 query)."""
    return {}


def refresh_forecasts(*, period: Period) -> list[KpiForecast]:
    """Forecast every KPI of the framework in force in `period` from its history to then."""
    return []
