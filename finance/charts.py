"""
What the finance dashboard draws, in the chart module's terms.

Drawing lives in `opb_portal.charts`; this module only turns a position into
series and reference lines. Money is drawn in millions of pounds, as the
headlines read.
"""

from opb_portal.charts import ReferenceLine, Series, bar_chart, line_chart
from opb_portal.formatting import in_millions, millions

from .model import level_text
from .models import CostDriver


def _labels(position) -> list[str]:
    return [month.short for month in position.period.financial_year.months()]


def _year_values(position, values: list) -> list:
    """Values from April to the reporting month, then gaps to March."""
    return values + [None] * (12 - len(values))


def deficit_series(position) -> list[Series]:
    values = [in_millions(point.forecast_deficit) for point in position.months]
    return [Series("Forecast in-year deficit (£m)", _year_values(position, values))]


def deficit_chart(position):
    """The forecast in-year deficit, month by month, against the plan's."""
    planned = position.planned_deficit
    return line_chart(
        title=f"Forecast in-year deficit, {position.period.financial_year}",
        labels=_labels(position),
        series=deficit_series(position),
        reference_lines=[
            ReferenceLine(label=f"Plan: {millions(planned)}", value=in_millions(planned))
        ],
        y_label="£ million",
        y_min=in_millions(min(planned, 0)),
        width=720,
        height=280,
        fluid=True,
    )


def deficit_table(position) -> list[tuple[str, str]]:
    """The chart's figures as rows, for the table under it."""
    return [(point.period.short, millions(point.forecast_deficit)) for point in position.months]


def savings_chart(position):
    """Each scheme's target, delivered and forecast savings."""
    schemes = position.savings.lines
    return bar_chart(
        title=f"Savings by scheme, {position.period.financial_year}",
        labels=[line.code for line in schemes],
        series=[
            Series("Target (£m)", [in_millions(line.budget) for line in schemes]),
            Series("Delivered (£m)", [in_millions(line.actual_to_date) for line in schemes]),
            Series("Forecast (£m)", [in_millions(line.forecast_outturn) for line in schemes]),
        ],
        y_label="£ million",
        width=640,
        height=240,
        fluid=True,
    )


def model_driver_chart(model, measure: str):
    """
    One driver of the driver model: its actual months, then the path the model costs
    drawn as a forecast (dashed, hollow, after a divider), against the plan's assumption.
    """
    path = model.paths[measure]
    label = CostDriver.Measure(measure).label
    months = model.year.financial_year.months()
    at = {month: level for month, level, _actual in path}
    values = [at.get(month) for month in months]
    ahead = [i for i, month in enumerate(months) if month > model.as_of and month in at]
    series = [Series(label, values, forecast_from=ahead[0] if ahead else None)]
    plan = model.plans.get(measure)
    references = (
        []
        if plan is None
        else [ReferenceLine(label=f"Plan: {level_text(measure, plan)}", value=plan)]
    )
    return line_chart(
        title=f"{label}, {model.year.financial_year}",
        labels=[month.short for month in months],
        series=series,
        reference_lines=references,
        # A rotated "%" alone is too short to read: the axis says it in words.
        y_label=_axis_words(CostDriver(measure=measure).unit),
        width=480,
        height=220,
        fluid=True,
    )


def _axis_words(unit: str) -> str:
    return "per cent" if unit == "%" else unit
