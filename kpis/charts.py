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


def _rule_spans(rules) -> list[tuple[int, int, object]]:
    """Consecutive runs of months that share a rule: a revised rule shows as a step."""
    spans = []
    for index, rule in enumerate(rules):
        if spans and spans[-1][2] is rule:
            spans[-1] = (spans[-1][0], index, rule)
        else:
            spans.append((index, index, rule))
    return [span for span in spans if span[2] is not None]


def ahead_of(history, outlook) -> list:
    """The outlook's months after the history's last: a stale forecast never covers a figure."""
    if outlook is None or not history.months:
        return []
    last = history.months[-1].period
    return [step for step in outlook.steps if step.period > last]


def history_chart(history, *, outlook=None, width=720, height=300, fluid=False):
    """
    A KPI's months over the zones of the rule in force each month; with an `outlook`
    (`kpis.outlook.Outlook`), its forecast months follow, dashed and hollow with their 80%
    interval, over the zones of the rules in force then.
    """
    kpi, months = history.kpi, history.months
    steps = ahead_of(history, outlook)
    rules = [month.rule for month in months] + [kpi.rule_for(step.period) for step in steps]
    zones = [
        Zone(status=status, start=start, end=end, lower=lower, upper=upper)
        for start, end, rule in _rule_spans(rules)
        for status, lower, upper in zones_for(rule)
    ]
    references = [
        ReferenceLine(
            label=f"{c.get_kind_display()}: {kpi.format_value(c.value)} ({c.refers_to})",
            value=c.value,
        )
        for c in history.comparators
    ]
    actual = [None] * len(months)
    series = Series(
        name=kpi.code,
        values=[month.number for month in months] + [step.value for step in steps],
        statuses=[month.status.value if month.value else None for month in months]
        + [step.status.value for step in steps],
        forecast_from=len(months) if steps else None,
        lower=actual + [step.lower for step in steps] if steps else None,
        upper=actual + [step.upper for step in steps] if steps else None,
    )
    return line_chart(
        title=f"{kpi.code}: {kpi.title}",
        labels=[month.period.short for month in months] + [step.period.short for step in steps],
        series=[series],
        zones=zones,
        reference_lines=references,
        y_label=kpi.get_unit_display(),
        width=width,
        height=height,
        fluid=fluid,
    )
