from django.shortcuts import render

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.reporting import period_from_request

from . import charts, selectors
from .tables import DriversTable, FinanceLinesTable, SavingsTable


@require(Action.VIEW_DASHBOARDS)
def dashboard(request):
    asked = period_from_request(request, latest=selectors.latest_period)
    position = selectors.finance_position(asked.period)
    context = {"form": asked.form, "position": position, "periods": selectors.reporting_periods()}
    if position.year is not None:
        savings = position.savings
        context |= {
            "lines_table": FinanceLinesTable(position.rows),
            "savings_table": SavingsTable([*savings.lines, savings]),
            "drivers_table": DriversTable(position.drivers),
            "deficit_chart": charts.deficit_chart(position),
            "deficit_table": charts.deficit_table(position),
            "driver_charts": [
                (driver, charts.driver_chart(position, driver))
                for driver in position.drivers
                if driver.plan is not None
            ],
            "savings_chart": charts.savings_chart(position) if savings.lines else "",
            "published": selectors.published_outturns(),
        }
    return render(request, "finance/dashboard.html", context, status=asked.status)
