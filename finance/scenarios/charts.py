"""
What the scenario pages draw, in the chart module's terms: the sensitivity ("tornado")
chart of the year-end deficit, and each changed driver's path under a scenario against
the base model. Money in millions, as the finance headlines read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from opb_portal.charts import Series, Swing, line_chart, tornado_chart
from opb_portal.formatting import in_millions, millions
from opb_portal.periods import Period

from ..models import FinanceYear
from . import selectors
from .words import unit


@dataclass
class Sensitivity:
    """The tornado chart and its figures as rows, for the table under it."""

    year: FinanceYear
    at: Period
    base_deficit: Decimal | None
    chart: SafeString | None
    rows: list[tuple[str, str, str, str, str]]  # driver, realistic change, low, high, why

    @property
    def nothing_left(self) -> bool:
        """The year's figures run to its last month: no driver can move its deficit now."""
        return not self.rows


def tornado(title: str, found: list) -> SafeString:
    swings = [
        Swing(
            label=f"{s.label} ({s.step_text})",
            low=in_millions(s.low_deficit),
            high=in_millions(s.high_deficit),
            low_text=millions(s.low_deficit),
            high_text=millions(s.high_deficit),
        )
        for s in found
    ]
    base = found[0].base_deficit
    return tornado_chart(
        title=title,
        base=in_millions(base),
        base_text=millions(base),
        swings=swings,
        x_label="Year-end in-year deficit, £ million (model)",
        width=720,
        fluid=True,
    )


def sensitivity_for(comparison: selectors.Comparison, *, at=None) -> Sensitivity | None:
    """How far each driver moves the model's year-end deficit of the latest figures' year."""
    at = at or comparison.at
    year = selectors.year_for_sensitivity(at)
    if year is None:
        return None
    found = selectors.sensitivity(year, at)
    if not found:
        return Sensitivity(year, at, None, None, [])
    title = f"Model: how much each driver moves the {year.financial_year} deficit"
    rows = [
        (s.label, s.step_text, millions(s.low_deficit), millions(s.high_deficit), s.reason)
        for s in found
    ]
    return Sensitivity(year, at, found[0].base_deficit, tornado(title, found), rows)


def path_charts(worked: selectors.Worked) -> list[tuple[selectors.DriverPath, SafeString]]:
    """Each changed driver month by month: the base model's path and the scenario's (dashed)."""
    drawn = []
    for path in worked.paths:
        chart = line_chart(
            title=f"{path.label}: base model and scenario",
            labels=[month.short for month in path.months],
            series=[
                Series("Base model", path.base),
                Series(f"Scenario: {worked.scenario.name}", path.scenario),
            ],
            y_label=unit(path.measure),
            width=560,
            height=220,
            fluid=True,
        )
        drawn.append((path, chart))
    return drawn
