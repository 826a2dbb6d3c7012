"""
Forecast test data built in code: stored `KpiForecast` rows in the shape the outlook
stores them, and `Outlook` objects as `kpis.outlook.outlooks` gives them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis import outlook
from kpis.models import KpiForecast
from kpis.outlook import Ahead, Outlook
from opb_portal.periods import Period
from opb_portal.rag import Status

ACCURACY = "Over the last 12 months, the 1-month forecast was within 2.1 points 9 times in 10."


@dataclass(frozen=True)
class SaidOutlook(Outlook):
    """An outlook whose signal is given in the test, as the outlook's own words would be."""

    signal: str = ""


def step(period: Period, value, lower, upper, *, red: float = 0.1, status=Status.AMBER) -> dict:
    """One month ahead as `KpiForecast.steps` keeps it."""
    return {
        "period": period.iso,
        "value": str(value),
        "lower": str(lower),
        "upper": str(upper),
        "red": red,
        "status": Status(status).value,
    }


def stored_forecast(kpi, last: Period, steps: list[dict]) -> KpiForecast:
    """A forecast kept from the figures to `last`; one already kept for the month stays."""
    stored, _ = KpiForecast.objects.get_or_create(
        kpi=kpi,
        last_period=last,
        defaults={
            "inputs": "0" * 64,
            "method": "holt_damped",
            "method_label": "a damped trend",
            "steps": steps,
            "accuracy": {"tries": 10, "within": "2.1", "hits": 9, "mase": 0.8, "coverage": 0.8},
        },
    )
    return stored


def an_outlook(kpi, last: Period, steps: list[Ahead], *, signal: str, **fields) -> SaidOutlook:
    """An outlook made from the figures to `last` (its `KpiForecast` unsaved)."""
    forecast = KpiForecast(kpi=kpi, last_period=last, method="ses", method_label="a level")
    arguments = {
        "accuracy": ACCURACY,
        "chance_red_next": steps[0].red if steps else 0.0,
        "turns_red_next": False,
        "trigger": None,
        "recovers_by": None,
    }
    return SaidOutlook(kpi, forecast, tuple(steps), **(arguments | fields), signal=signal)


def ahead(period: Period, value, lower, upper, *, red=0.1, status=Status.AMBER) -> Ahead:
    return Ahead(period, Decimal(str(value)), Decimal(str(lower)), Decimal(str(upper)), red, status)


def outlook_queries(kpis, period: Period) -> int:
    """
    The queries `kpis.outlook.outlooks` makes for these KPIs: its promise is one, whatever
    their number (none while it has nothing to read). A page's pinned count adds this.
    """
    kpis = list(kpis)  # fetched first: only the outlooks' own queries count
    with CaptureQueriesContext(connection) as queries:
        outlook.outlooks(kpis, period)
    assert len(queries) <= 1, [q["sql"] for q in queries]
    return len(queries)
