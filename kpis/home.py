"""
The KPIs' panel on the home page (`opb_portal.core.home`): "Looking ahead", the KPIs whose
forecast warns of red (turning red next month, the contract's trigger within the forecast's
months, or an even chance or more of red next month), for everyone who reads the dashboards.
"""

from __future__ import annotations

from dataclasses import dataclass

from opb_portal.accounts.permissions import SUBMITTERS
from opb_portal.accounts.roles import Role
from opb_portal.core import home
from opb_portal.periods import Period

from . import outlook, selectors
from .models import KpiDefinition


@dataclass(frozen=True)
class LookingAhead:
    period: Period
    warnings: list[outlook.Outlook]
    forecast: int  # how many KPIs have a forecast at all

    @property
    def horizon(self) -> int:
        return outlook.HORIZON


def looking_ahead(user) -> LookingAhead | None:
    """
    The warnings of the latest month with approved KPI figures: the month (1 query), the
    framework in force then (1), its KPIs (1) and their latest forecasts (1). None, leaving
    the panel out, before any KPI figure is approved.
    """
    period = selectors.latest_period()
    framework = selectors.framework_in_force(period) if period else None
    if framework is None:
        return None
    kpis = list(KpiDefinition.objects.filter(framework=framework).select_related("framework"))
    found = outlook.outlooks(kpis, period)
    warnings = [found[kpi.pk] for kpi in kpis if kpi.pk in found and found[kpi.pk].warning]
    return LookingAhead(period, warnings, len(found))


def register() -> None:
    """Called from `KpisConfig.ready()`: every role reads the dashboards."""
    home.register(
        home.HomePanel(
            key="kpis.looking_ahead",
            title="Looking ahead",
            order=110,
            template="kpis/home/looking_ahead.html",
            build=looking_ahead,
            audience=frozenset({*Role.values, SUBMITTERS}),
        )
    )
