"""
What the KPI pages draw, expressed in the chart module's terms.

Drawing lives in `opb_portal.charts`; this module only turns a KPI's history
and rules into series, zones and reference lines.
"""

from opb_portal.charts import ReferenceLine, Series, Zone, line_chart
from opb_portal.reference.models import Polarity


def zones_for(rule) -> list[tuple[str, object, object]]:
    """(status, lower, upper) bands of a rule; None means the chart's edge."""
    if rule.polarity == Polarity.HIGHER_IS_BETTER:
        return [
            ("green", rule.green_lower, None),
            ("amber", rule.red_below, rule.green_lower),
            ("red", None, rule.red_below),
        ]
    if rule.polarity == Polarity.LOWER_IS_BETTER:
        return [
            ("green", None, rule.green_upper),
            ("amber", rule.green_upper, rule.red_above),
            ("red", rule.red_above, None),
        ]
    zones = [
        ("green", rule.green_lower, rule.green_upper),
        ("amber", rule.red_below, rule.green_lower),
        ("amber", rule.green_upper, rule.red_above),
        ("red", None, rule.red_below),
    ]
    if rule.red_above is not None:
        zones.append(("red", rule.red_above, None))
    return zones


def _rule_spans(months) -> list[tuple[int, int, object]]:
    """Consecutive runs of months that share a rule: a revised rule shows as a step."""
    spans = []
    for index, month in enumerate(months):
        if spans and spans[-1][2] is month.rule:
            spans[-1] = (spans[-1][0], index, month.rule)
        else:
            spans.append((index, index, month.rule))
    return [span for span in spans if span[2] is not None]


def history_chart(history, *, width=720, height=300, fluid=False):
    months = history.months
    zones = [
        Zone(status=status, start=start, end=end, lower=lower, upper=upper)
        for start, end, rule in _rule_spans(months)
        for status, lower, upper in zones_for(rule)
    ]
    references = [
        ReferenceLine(
            label=f"{c.get_kind_display()}: {history.kpi.format_value(c.value)} ({c.refers_to})",
            value=c.value,
        )
        for c in history.comparators
    ]
    return line_chart(
        title=f"{history.kpi.code}: {history.kpi.title}",
        labels=[month.period.short for month in months],
        series=[
            Series(
                name=history.kpi.code,
                values=[month.number for month in months],
                statuses=[month.status.value if month.value else None for month in months],
            )
        ],
        zones=zones,
        reference_lines=references,
        y_label=history.kpi.get_unit_display(),
        width=width,
        height=height,
        fluid=fluid,
    )
