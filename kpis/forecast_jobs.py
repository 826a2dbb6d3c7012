"""
Making the KPIs' forecasts again, for every month with approved figures: nightly (a
`Periodic`), as a job an administrator starts from a KPI's page, and by hand
(`manage.py refresh_forecasts`). Approval makes a month's forecasts as it goes; this catches
up after the method changed or for months approved before forecasts existed. A forecast whose
inputs are unchanged is kept as it is, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.urls import reverse

from opb_portal.accounts.permissions import Action
from opb_portal.jobs import registry
from opb_portal.periods import Period

from . import selectors
from .outlook import refresh_forecasts

KIND = "kpis.refresh_forecasts"


def forecasts_refresh(*, periods: list[Period] | None = None, progress=None) -> list[tuple]:
    """
    Forecast every KPI to each of `periods` (every month with approved figures if None), one
    month per transaction. Returns (month, forecasts made) for each month.
    """
    periods = sorted(selectors.reporting_periods()) if periods is None else periods
    done = []
    for number, period in enumerate(periods):
        if progress is not None:
            progress(
                number,
                len(periods),
                f"Forecasting from {period.long}: month {number + 1} of {len(periods)}",
            )
        with transaction.atomic():
            done.append((period, len(refresh_forecasts(period=period))))
    return done


def _nightly() -> str:
    done = forecasts_refresh()
    return f"{sum(made for _, made in done)} KPI forecasts over {len(done)} months"


def _run(job, progress) -> registry.Outcome:
    done = forecasts_refresh(progress=progress)
    if not done:
        raise registry.JobRefused("No month has approved KPI figures: nothing to forecast.")
    last = done[-1][0]
    return registry.Outcome(
        url=reverse("kpis:scorecard") + f"?period={last.iso}",
        message=f"The KPIs' forecasts are made again: {sum(m for _, m in done)} forecasts "
        f"over {len(done)} months, the latest from {last.long}.",
    )


def _fingerprint(params: dict) -> str:
    # One refresh at a time: two clicks while it runs are one job; a later click makes a new
    # one (reuse_result=False), since the figures may have moved since.
    return hashlib.sha256(KIND.encode()).hexdigest()


def register() -> None:
    registry.register(
        registry.JobKind(
            name=KIND,
            title=lambda params: "Making the KPIs' forecasts again",
            run=_run,
            fingerprint=_fingerprint,
            view_action=Action.MANAGE_FRAMEWORKS,
            reuse_result=False,
        )
    )
    registry.register_periodic(
        registry.Periodic(
            name="kpis.refresh_forecasts", run=_nightly, every=datetime.timedelta(days=1)
        )
    )
