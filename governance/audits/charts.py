"""An audit's figures over time: one line a measure, drawn by the one chart module."""

from __future__ import annotations

from django.utils.safestring import SafeString

from opb_portal.charts.svg import Series, line_chart

from .selectors import AuditRow


def figures(row: AuditRow) -> SafeString | str:
    """Each measure's figures on the days any was taken (a gap where one was not)."""
    days = sorted({f.as_at for m in row.measures for f in m.figures})
    if not days:
        return ""
    series = []
    for measure in row.measures:
        by_day = {f.as_at: f.percent for f in measure.figures}
        series.append(Series(measure.name, [by_day.get(day) for day in days]))
    return line_chart(
        title=f"{row.audit.title}: figures over time (%)",
        labels=[f"{day:%b %Y}" for day in days],
        series=series,
        y_label="%",
        y_unit="%",
        fluid=True,
    )
