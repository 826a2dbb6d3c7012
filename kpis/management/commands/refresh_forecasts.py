"""
`manage.py refresh_forecasts [--period YYYY-MM]`: make the KPIs' forecasts again, for an
administrator (after the forecasting method changed, say, or for months approved before
forecasts existed); the worker's scheduler does it nightly and an administrator can start
it from a KPI's page (kpis/forecast_jobs.py). Approval makes them as it goes; a forecast
whose inputs are unchanged is kept as it is, so running it twice changes nothing.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from kpis.forecast_jobs import forecasts_refresh
from opb_portal.periods import Period, PeriodError


class Command(BaseCommand):
    help = "Forecast every KPI from its approved figures to a month (every month if none)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", help="The last month of figures, YYYY-MM (default: every month)."
        )

    def handle(self, *args, **options):
        asked = options["period"]
        if asked:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}", asked):
                    raise PeriodError(asked)
                periods = [Period.parse(asked)]
            except PeriodError:
                raise CommandError(f"{asked!r} is not a month: write 2025-03.") from None
        else:
            periods = None
        done = forecasts_refresh(periods=periods)
        for period, made in done:
            self.stdout.write(f"{period.short}: {made} KPI forecast{'s' * (made != 1)}.")
        if not done:
            self.stdout.write("No month has approved KPI figures: nothing to forecast.")
