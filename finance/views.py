from django.shortcuts import render

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.db_router import replica_reader
from opb_portal.core.reporting import period_from_request

from . import charts, selectors
from . import model as driver_model
from .tables import DriversTable, FinanceLinesTable, ModelLinesTable, SavingsTable


@replica_reader
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
            "savings_chart": charts.savings_chart(position) if savings.lines else "",
            "published": selectors.published_outturns(),
        }
        context |= _driver_model(position)
    return render(request, "finance/dashboard.html", context, status=asked.status)


def _driver_model(position) -> dict:
    """The driver model of the month (from the position's own figures), and the years after."""
    model = driver_model.position_outturn(position)
    if model is None:
        return {}
    return {
        "model": model,
        "model_table": ModelLinesTable(model.lines),
        "model_charts": [
            (measure, charts.model_driver_chart(model, measure)) for measure in model.paths
        ],
        "ahead": driver_model.next_years(from_year=position.year, as_of=position.period),
        "inflation": list(driver_model.INFLATION.values()),
    }
