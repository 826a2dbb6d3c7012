"""The portal's charts: server-side SVG for pages and the PDF board pack (see svg.py)."""

from opb_portal.charts.svg import (
    AMBER,
    GREEN,
    NEUTRAL,
    RED,
    REFERENCE,
    STATUS_COLOURS,
    Bar,
    ReferenceLine,
    Series,
    Zone,
    bar_chart,
    line_chart,
    ranking_chart,
    sparkline,
    table_rows,
)

__all__ = [
    "AMBER",
    "Bar",
    "GREEN",
    "NEUTRAL",
    "RED",
    "REFERENCE",
    "STATUS_COLOURS",
    "ReferenceLine",
    "Series",
    "Zone",
    "bar_chart",
    "line_chart",
    "ranking_chart",
    "sparkline",
    "table_rows",
]
