"""Server-side SVG charts: one module for HTML pages and the WeasyPrint board pack.

Plain SVG 1.1 with presentation attributes only, because WeasyPrint draws SVG itself and
ignores CSS variables, scripts and foreignObject. Geometry is done in Decimal and written
with one decimal place so the same input always gives byte-identical markup (cacheable,
diffable, testable). Status is never colour alone: every RAG marker has its own shape and
every zone its own pattern and word, so a black-and-white print still reads.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import itertools
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from opb_portal import formatting

# The screen's and the pack's RAG colours (static/css/rag.css; tests/test_colours.py keeps
# them equal): each at least 4.5:1 on white, well over the 3:1 a marker needs.
GREEN = "#00703c"
AMBER = "#a04f00"
RED = "#b72d18"
NEUTRAL = "#1d70b8"
REFERENCE = "#505a5f"
TEXT = "#0b0c0c"
AXIS = "#6f777b"
GRID = "#dcdcdc"
STATUS_COLOURS = {"green": GREEN, "amber": AMBER, "red": RED}
# Series differ in lightness, dash and bar pattern as well as hue, for greyscale printing.
SERIES_COLOURS = (NEUTRAL, "#003078", "#5694ca", "#505a5f", "#912b88")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")
FONT = "Arial, Helvetica, sans-serif"
# A forecast is never a figure: it is named so, dashed, hollow, and its interval is a band.
FORECAST = "Forecast"
FORECAST_LEGEND = "Forecast (80% interval)"
FORECAST_DASH = "5 4"
BAND_OPACITY = "0.18"
MISSING = "\u2013"
MAX_X_LABELS = 12
CHAR_WIDTH = 6  # rough width of an 11px Arial character: enough to lay labels out

# A page's chart (fluid=True) comes twice: as asked, and drawn again this wide for a phone,
# where the wide one would be scaled down until its 11-unit text is 5 pixels high. At 390
# pixels a column is about 366 wide: 320 units scale up by 1.14, so the text is 12.6 px.
# The page's CSS shows one of the two (static/css/portal.css, "Charts"); the pack's shows
# the wide one (static/css/pack.css).
PHONE_WIDTH = 320
ONE_POINT = "A trend needs two or more figures over time, so it is not drawn yet."
ONE_BAR = "One bar compares nothing, so it is not drawn."

_PLACES = Decimal("0.1")
_BAR_MARKS = (
    "",
    '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.5"/>',
    '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
    '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#fff"/>',
    '<path d="M0,3 L6,3" stroke="#fff" stroke-width="1.5"/>',
)
_ZONE_MARKS = {
    "red": f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{RED}" stroke-opacity="0.45"/>',
    "amber": f'<circle cx="3" cy="3" r="1" fill="{AMBER}" fill-opacity="0.6"/>',
}
_SMALL = {"font_size": 11, "fill": TEXT}


@dataclass(frozen=True)
class Series:
    """
    One line (or set of bars): a value, and optionally a status, per label.

    A line may end in a forecast: `values[forecast_from:]` are projections, never figures,
    drawn dashed with hollow markers after the last actual, with their 80% prediction
    interval (`lower`, `upper`: one per label, None where there is none) as a shaded band.
    """

    name: str
    values: list[Decimal | None]
    statuses: list[str | None] | None = None
    # Out of the repr (so out of a chart's id) unless set: charts without forecasts keep
    # their byte-identical markup.
    forecast_from: int | None = field(default=None, repr=False)
    lower: list[Decimal | None] | None = field(default=None, repr=False)
    upper: list[Decimal | None] | None = field(default=None, repr=False)

    @property
    def forecasts(self) -> range:
        """The indexes of the forecast values (empty without a forecast)."""
        start = len(self.values) if self.forecast_from is None else self.forecast_from
        return range(start, len(self.values))

    def actuals(self) -> Series:
        """The series with its forecast values left out: what is a figure."""
        ahead = self.forecasts
        if not ahead:
            return self
        return replace(self, values=self.values[: ahead.start] + [None] * len(ahead))

    def interval(self, i: int) -> tuple[Decimal, Decimal] | None:
        """The 80% interval of the forecast at `i`, where one was given."""
        if i not in self.forecasts or self.lower is None or self.upper is None:
            return None
        lower, upper = self.lower[i], self.upper[i]
        return None if lower is None or upper is None else (lower, upper)


@dataclass(frozen=True)
class Zone:
    """A RAG band over labels[start..end] inclusive; a rule revised mid-year is two zones."""

    status: str
    start: int
    end: int
    lower: Decimal | None = None  # None: the chart's edge
    upper: Decimal | None = None


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: Decimal


def table_rows(labels: list[str], series: list[Series]) -> list[tuple[str, list[str]]]:
    """
    The chart's numbers for the table that goes with every chart, for screen readers; a
    forecast is written as one: "Forecast 81.2 (76.0 to 86.1)".
    """
    _check(labels, series)
    return [(label, [_cell(s, i) for s in series]) for i, label in enumerate(labels)]


def _cell(s: Series, i: int) -> str:
    if i not in s.forecasts or s.values[i] is None:
        return _text(s.values[i])
    interval = s.interval(i)
    between = f" ({_text(interval[0])} to {_text(interval[1])})" if interval else ""
    return f"{FORECAST} {_text(s.values[i])}{between}"


def sparkline(
    values: list[Decimal | None],
    *,
    title: str,
    statuses: list[str | None] | None = None,
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """A trend for a table cell; the latest point is always marked so "now" is findable."""
    _check([""] * len(values), [Series(title, values, statuses)])
    present = [v for v in values if v is not None]
    lo, hi = (min(present), max(present)) if present else (Decimal(0), Decimal(1))
    lo, hi = (lo - 1, hi + 1) if lo == hi else (lo, hi)
    pad, n = Decimal(4), len(values)
    step = (width - 2 * pad) / (n - 1) if n > 1 else Decimal(0)
    points = [
        None if v is None else (pad + i * step, pad + (hi - v) * (height - 2 * pad) / (hi - lo))
        for i, v in enumerate(values)
    ]
    body = _line_paths(points, NEUTRAL, "", "1.5")
    body += _markers(points, statuses, NEUTRAL, Decimal("2.5"), Decimal("3.5"))
    desc = "No values to show."
    if present:
        last = max(i for i, v in enumerate(values) if v is not None)
        status = f" ({statuses[last]})" if statuses and statuses[last] in STATUS_COLOURS else ""
        gaps = f", {n - len(present)} missing" if len(present) < n else ""
        desc = (
            f"Trend over {n} periods, lowest {_text(min(present))}, highest {_text(max(present))}"
            f", latest {_text(values[last])}{status}{gaps}."
        )
    uid = _uid("spark", values, title, statuses, width, height)
    return _svg(uid, title, desc, width, height, body, fluid=False)


def _responsive(draw):
    """A fluid chart as drawn, and again `PHONE_WIDTH` wide, each in its own wrapper."""

    @functools.wraps(draw)
    def both(**kwargs) -> SafeString:
        wide = draw(**kwargs)
        if not kwargs.get("fluid") or not wide.startswith("<svg"):
            return wide
        phone = {"width": PHONE_WIDTH}
        if "height" in inspect.signature(draw).parameters:
            # A little taller than the wide chart's shape, for labels wrapped into rows.
            phone["height"] = max(220, int(kwargs.get("height", 280) * Decimal("0.9")))
        narrow = draw(**(kwargs | phone))
        # Both were built here from escaped text and numbers.
        return mark_safe(  # noqa: S308
            f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'
        )

    return both


@_responsive
def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    zones: list[Zone] | None = None,
    reference_lines: list[ReferenceLine] | None = None,
    y_label: str = "",
    width: int = 640,
    height: int = 280,
    y_min: Decimal | None = None,
    y_max: Decimal | None = None,
    fluid: bool = False,
    y_unit: str = "",
) -> SafeString:
    """Monthly values over RAG zones. y_min/y_max fix an end of the axis unless data passes it.

    Months are bands with points mid-band, so a zone revised from one month to the next
    steps exactly between the two. fluid=True gives width="100%" and lets the page size it.
    `y_unit` ("%") follows each figure where one point is said as a sentence.
    """
    zones, refs = zones or [], reference_lines or []
    _check(labels, series)
    actuals = [s.actuals() for s in series]
    sentence = _too_few(title, labels, actuals, "points", ONE_POINT, unit=y_unit)
    if sentence is not None:
        return sentence
    for z in zones:
        if z.status not in STATUS_COLOURS or not 0 <= z.start <= z.end < len(labels):
            raise ValueError(f"{z!r} has an unknown status or lies outside the labels.")
    ahead = [(k, s) for k, s in enumerate(series) if s.forecasts]
    bounds = [v for s in series for v in s.values if v is not None]
    bounds += [b for _, s in ahead for i in s.forecasts for b in s.interval(i) or ()]
    bounds += [b for z in zones for b in (z.lower, z.upper) if b is not None]
    bounds += [r.value for r in refs]
    # A forecast's values and interval join the chart's id only where there is one.
    extra = [[(s.forecast_from, s.lower, s.upper) for s in series]] if ahead else []
    uid = _uid(
        "line", title, labels, series, zones, refs, y_label, width, height, y_min, y_max, *extra
    )
    legend = [(_line_swatch(k), s.name) for k, s in enumerate(series)]
    legend = legend if len(series) > 1 or ahead else []
    legend += [(_band_swatch(k), _forecast_name(s, series)) for k, s in ahead]
    # Zone words sit in a right-hand margin so they never collide with the latest point.
    size = (width, height, 52 if zones else 12)
    frame, body = _frame(bounds, labels, legend, y_label, size, y_min, y_max)
    now = min((s.forecast_from for _, s in ahead), default=len(labels)) - 1
    body = _zone_defs(uid, zones) + body + _zones(uid, frame, zones)
    body += _x_labels(frame, labels, anchor=now)
    body += _reference_lines(frame, refs)  # under the series so a line never hides a point
    body += "".join(_band(frame, s, k) for k, s in ahead)  # under every line and point
    marks: list[Box] = []
    for k, s in enumerate(actuals):
        points = [None if v is None else (frame.x(i), frame.y(v)) for i, v in enumerate(s.values)]
        tips = [f"{label}: {s.name} {_text(v)}" for label, v in zip(labels, s.values, strict=True)]
        body += _line_paths(points, SERIES_COLOURS[k % 5], SERIES_DASHES[k % 5], "2")
        body += _markers(points, s.statuses, SERIES_COLOURS[k % 5], Decimal(4), Decimal(4), tips)
        marks += [Box(x - 6, y - 6, x + 6, y + 6) for x, y in filter(None, points)]
    for k, s in ahead:
        forecast, points = _forecast(frame, s, k, labels)
        body += forecast
        marks += [Box(x - 6, y - 6, x + 6, y + 6) for x, y in points]
    if ahead:
        body += _forecast_divider(frame, now + 1)
    # Labels last, placed clear of every line and, where there is room, of every point.
    body += _reference_labels(frame, refs, marks)
    desc = f"Line chart of {_names(series)}{_period(labels)}"
    latest = [text for s in actuals if (text := _latest(s, labels))]
    desc += "; latest " + ", ".join(latest) if latest else ""
    if zones:
        bands = " and ".join(s for s in STATUS_COLOURS if any(z.status == s for z in zones))
        desc += f"; shaded bands mark the {bands} ranges"
    desc += "".join(_forecast_desc(s, labels) for _, s in ahead)
    return _svg(uid, title, desc + ".", width, height, body, fluid)


# -- forecasts ----------------------------------------------------------------------------


def _forecast_name(s: Series, series: list[Series]) -> str:
    """The legend's words: the interval is named only where the series gives one."""
    banded = s.lower is not None and s.upper is not None
    if len(series) == 1:
        return FORECAST_LEGEND if banded else FORECAST
    return f"{s.name}: forecast" + (" (80% interval)" if banded else "")


def _anchor(frame: _Frame, s: Series) -> tuple[Decimal, Decimal] | None:
    """The last actual point: where a forecast's line and band start from."""
    before = [i for i in range(s.forecasts.start) if s.values[i] is not None]
    return (frame.x(before[-1]), frame.y(s.values[before[-1]])) if before else None


def _band(frame: _Frame, s: Series, k: int) -> str:
    """The 80% interval as a shaded band with dashed edges, widening from the last actual."""
    spans = [(i, s.interval(i)) for i in s.forecasts if s.interval(i)]
    if not spans:
        return ""
    start = _anchor(frame, s)
    top = ([start] if start else []) + [(frame.x(i), frame.y(hi)) for i, (_, hi) in spans]
    under = [(frame.x(i), frame.y(lo)) for i, (lo, _) in reversed(spans)]
    outline = " ".join(f"{'M' if j == 0 else 'L'}{_n(x)},{_n(y)}" for j, (x, y) in enumerate(top))
    outline += " " + " ".join(f"L{_n(x)},{_n(y)}" for x, y in under) + " Z"
    colour = SERIES_COLOURS[k % 5]
    return _el(
        "path",
        class_="forecast-band",
        d=outline,
        fill=colour,
        fill_opacity=BAND_OPACITY,
        stroke=colour,
        stroke_width="1",
        stroke_dasharray="2 2",
    )


def _forecast(frame: _Frame, s: Series, k: int, labels: list[str]) -> tuple[str, list]:
    """A dashed line on from the last actual, and a hollow marker at every forecast month."""
    colour, start = SERIES_COLOURS[k % 5], _anchor(frame, s)
    points = [
        (frame.x(i), frame.y(s.values[i])) if s.values[i] is not None else None for i in s.forecasts
    ]
    line = _line_paths([start, *points], colour, FORECAST_DASH, "2", "line forecast")
    markers = ""
    for i, point in zip(s.forecasts, points, strict=True):
        if point is None:
            continue
        status = s.statuses[i] if s.statuses and s.statuses[i] in STATUS_COLOURS else None
        tip = f"{labels[i]}: {s.name} {_cell(s, i).lower()}" + (f" ({status})" if status else "")
        markers += _hollow_marker(status, point, Decimal(4), colour, tip)
    return line + markers, [p for p in points if p]


def _hollow_marker(status, point, size: Decimal, colour: str, tip: str) -> str:
    """A forecast's marker: the status's own shape, drawn as an outline on white."""
    x, y = point
    stroke = STATUS_COLOURS.get(status, colour)
    common = {"class_": "marker forecast", "data_status": status or "none", "fill": "#fff"}
    common |= {"stroke": stroke, "stroke_width": "2"}
    tip = _el("title", escape(tip))
    if status == "amber":
        s = size * Decimal("0.9")
        return _el("rect", tip, x=x - s, y=y - s, width=2 * s, height=2 * s, **common)
    if status == "red":
        d = size * Decimal("1.35")
        corners = f"{_n(x)},{_n(y - d)} {_n(x + d)},{_n(y)} {_n(x)},{_n(y + d)} {_n(x - d)},{_n(y)}"
        return _el("polygon", tip, points=corners, **common)
    return _el("circle", tip, cx=x, cy=y, r=size, **common)


def _forecast_divider(frame: _Frame, first: int) -> str:
    """A dashed rule between the last actual month and the first forecast one, named."""
    x = frame.left + first * frame.band
    rule = {"stroke": REFERENCE, "stroke_width": "1", "stroke_dasharray": "4 3"}
    markup = _el(
        "line", class_="forecast-divider", x1=x, x2=x, y1=frame.top, y2=frame.bottom, **rule
    )
    backing = {"width": text_width(FORECAST) + 6, "height": LABEL_HEIGHT, "fill": "#fff"}
    markup += _el("rect", x=x + 1, y=frame.top + 1, fill_opacity="0.85", **backing)
    label = {"class_": "forecast-label", "font_size": 11, "font_style": "italic", "fill": TEXT}
    return markup + _el("text", FORECAST, x=x + 4, y=frame.top + 12, **label)


def _forecast_desc(s: Series, labels: list[str]) -> str:
    """Which months are forecast, and the first and last forecast with their intervals."""
    shown = [i for i in s.forecasts if s.values[i] is not None]
    if not shown:
        return ""
    months = labels[shown[0]] if len(shown) == 1 else f"{labels[shown[0]]} to {labels[shown[-1]]}"

    def said(i: int) -> str:
        interval = s.interval(i)
        within = f" (80% interval {_text(interval[0])} to {_text(interval[1])})" if interval else ""
        return f"{_text(s.values[i])} in {labels[i]}{within}"

    ends = said(shown[0]) + (f", {said(shown[-1])}" if len(shown) > 1 else "")
    return (
        f"; {months} {'is a forecast' if len(shown) == 1 else 'are a forecast'}, not figures,"
        f" drawn dashed with hollow markers: {s.name} {ends}"
    )


@_responsive
def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[Series],
    stacked: bool = False,
    reference_lines: list[ReferenceLine] | None = None,
    y_label: str = "",
    width: int = 640,
    height: int = 280,
    fluid: bool = False,
) -> SafeString:
    """Grouped or stacked bars; negatives stack down from zero and missing values are gaps."""
    refs = reference_lines or []
    _check(labels, series)
    if (sentence := _too_few(title, labels, series, "bars", ONE_BAR)) is not None:
        return sentence
    bounds = [r.value for r in refs] + [Decimal(0)]
    for column in zip(*(s.values for s in series), strict=True):
        present = [v for v in column if v is not None]
        if stacked:
            bounds += [
                sum((v for v in present if v > 0), Decimal(0)),
                sum((v for v in present if v < 0), Decimal(0)),
            ]
        else:
            bounds += present
    uid = _uid("bar", title, labels, series, stacked, refs, y_label, width, height)
    legend = [
        (_bar(uid, k, "", "swatch", width=14, height=12), s.name) for k, s in enumerate(series)
    ]
    bottom = _bar_label_depth(labels, width, y_label)
    frame, body = _frame(bounds, labels, legend, y_label, (width, height, 12), None, None, bottom)
    defs = "".join(_pattern(f"{uid}-s{k}", _BAR_MARKS[k]) for k in range(1, min(len(series), 5)))
    body = (f"<defs>{defs}</defs>" if defs else "") + body + _x_labels(frame, labels, every=1)
    group = frame.band * Decimal("0.6" if stacked else "0.8")
    bar_width = group if stacked else group / max(len(series), 1)
    values_markup = ""
    for i, label in enumerate(labels):
        up = down = Decimal(0)
        for k, s in enumerate(series):
            if (v := s.values[i]) is None:
                continue
            start = Decimal(0)
            if stacked and v >= 0:
                start, up = up, up + v
            elif stacked:
                start, down = down, down + v
            # Bars sit on rounded edges so stacked segment heights add up exactly.
            y0, y1 = _q(frame.y(start)), _q(frame.y(start + v))
            x = frame.x(i) - group / 2 + (0 if stacked else k * bar_width)
            tip = _el("title", escape(f"{label}: {s.name} {_text(v)}"))
            body += _bar(
                uid, k, tip, "bar", x=x, y=min(y0, y1), width=bar_width, height=abs(y0 - y1)
            )
            if not stacked:
                values_markup += _bar_value(v, x + bar_width / 2, y1, bar_width, v < 0)
        if stacked and (total := _stack_total(series, i)) is not None:
            end = frame.y(up if total >= 0 else down)
            values_markup += _bar_value(total, frame.x(i), end, group, total < 0)
    body += _reference_lines(frame, refs) + values_markup + _reference_labels(frame, refs)
    kind = "Stacked bar chart" if stacked else "Bar chart"
    return _svg(
        uid, title, f"{kind} of {_names(series)}{_period(labels)}.", width, height, body, fluid
    )


@dataclass(frozen=True)
class Bar:
    """One labelled bar of a ranking: `text` is its figure as written (opb_portal.formatting)."""

    label: str
    value: Decimal
    text: str
    highlight: bool = False


ROW = Decimal(22)


@_responsive
def ranking_chart(
    *,
    title: str,
    bars: list[Bar],
    reference_lines: list[ReferenceLine] | None = None,
    x_label: str = "",
    width: int = 640,
    fluid: bool = False,
) -> SafeString:
    """
    Horizontal bars, largest first, every one named at its left and its figure at its end;
    a highlighted bar (Sandwell) in its own colour and pattern, named in bold. Reference
    lines (an average, England) run down the bars, each labelled above the bars, clear
    of every other line (`ranking_label_boxes`). One bar is a sentence, not a chart.
    """
    refs = reference_lines or []
    if len(bars) < 2:
        figures = "; ".join(f"{bar.label} {bar.text}" for bar in bars)
        text = f"{title}: {figures}. {ONE_BAR}" if bars else f"{title}: no figures to show yet."
        return format_html('<p class="chart-sentence">{}</p>', text)
    bars = sorted(bars, key=lambda bar: (-bar.value, bar.label))
    uid = _uid("rank", title, bars, refs, x_label, width)
    left = max(text_width(bar.label, 12) for bar in bars) + 12
    # Names longer than a third of the drawing (a phone's) go on a line of their own above
    # each bar, so the bars keep the width to compare.
    above = left > Decimal(width) / 3
    left, row = (Decimal(8), ROW + 14) if above else (left, ROW)
    right = max(text_width(bar.text) for bar in bars) + 14
    lo, hi, ticks, places = _y_axis(
        [b.value for b in bars] + [r.value for r in refs] + [0], None, None
    )
    plot_width = width - left - right
    scale = plot_width / (hi - lo)

    def x(value: Decimal) -> Decimal:
        return left + (value - lo) * scale

    label_rows = ranking_label_boxes(refs, x, left, width)
    header = max((box.bottom for box in label_rows), default=Decimal(0)) + 6
    top = header
    bottom = top + row * len(bars)
    height = int(bottom + 22 + (16 if x_label else 0))
    body = f"<defs>{_pattern(f'{uid}-s1', _BAR_MARKS[1])}</defs>"
    texts = [f"{tick:,.{places}f}" for tick in ticks]
    # On a narrow drawing every other tick is named, so the figures never touch.
    spacing = plot_width / max(len(ticks) - 1, 1)
    every = 2 if spacing < max(text_width(t) for t in texts) + 8 else 1
    for j, (tick, text) in enumerate(zip(ticks, texts, strict=True)):
        body += _el("line", x1=x(tick), x2=x(tick), y1=top, y2=bottom, stroke=GRID)
        if j % every:
            continue
        body += _el(
            "text", text, class_="x-tick", x=x(tick), y=bottom + 14, text_anchor="middle", **_SMALL
        )
    body += _el("line", x1=x(max(lo, 0)), x2=x(max(lo, 0)), y1=top, y2=bottom, stroke=AXIS)
    if x_label:
        body += _el(
            "text",
            escape(x_label),
            x=left + plot_width / 2,
            y=bottom + 32,
            text_anchor="middle",
            **_SMALL,
        )
    for i, bar in enumerate(bars):
        y = top + i * row + 4 + (row - ROW)
        start, end = x(max(lo, 0)), x(bar.value)
        k = 1 if bar.highlight else 0
        tip = _el("title", escape(f"{bar.label}: {bar.text}"))
        box = {"x": min(start, end), "y": y, "width": abs(end - start), "height": ROW - 8}
        body += _bar(uid, k, tip, "bar", **box)
        name = {"font_size": 12, "fill": TEXT, "font_weight": "bold" if bar.highlight else ""}
        body += _el(
            "text",
            escape(bar.label),
            class_="bar-label",
            x=left if above else left - 6,
            y=y - 4 if above else y + 11,
            text_anchor="start" if above else "end",
            **name,
        )
        # Figures in a column of their own at the right, where no line runs.
        body += _el(
            "text",
            escape(bar.text),
            class_="bar-value",
            x=width - 4,
            y=y + 11,
            text_anchor="end",
            **_SMALL,
        )
    dashed = {"stroke": REFERENCE, "stroke_width": "1.5", "stroke_dasharray": "5 3"}
    # Each line starts at its own label and runs down through the bars; where names sit
    # above their bars it breaks at each name, so no name is struck through.
    spans = [(None, bottom)]
    if above:
        spans = [(None, top + 2)] + [
            (top + i * row + row - ROW + 2, top + (i + 1) * row) for i in range(len(bars))
        ]
    for ref, box in zip(refs, label_rows, strict=True):
        for start, end in spans:
            body += _el(
                "line",
                class_="reference",
                x1=x(ref.value),
                x2=x(ref.value),
                y1=box.bottom if start is None else start,
                y2=end,
                **dashed,
            )
    for ref, box in zip(refs, label_rows, strict=True):
        backing = {"width": box.right - box.left, "height": LABEL_HEIGHT, "fill": "#fff"}
        body += _el("rect", x=box.left, y=box.top, **backing)
        label = {"class_": "reference-label", "font_size": 11, "fill": REFERENCE}
        body += _el("text", escape(ref.label), x=box.left + 4, y=box.bottom - 3, **label)
    highlighted = [bar.label for bar in bars if bar.highlight]
    desc = f"Bar chart of {len(bars)} figures, largest first: " + ", ".join(
        f"{bar.label} {bar.text}" for bar in bars
    )
    if highlighted:
        desc += f"; {' and '.join(highlighted)} highlighted"
    if refs:
        desc += "; lines mark " + ", ".join(ref.label for ref in refs)
    return _svg(uid, title, desc + ".", width, height, body, fluid)


def ranking_label_boxes(refs, x, left, width) -> list[Box]:
    """
    Rows above the bars for the vertical reference lines' labels. A line runs from its
    own label down, so no label may sit below another label in the way of that one's
    line: each label goes in the lowest row where it overlaps no label, no line from
    above crosses it and its own line crosses no label below. Labels are tried in order
    of value, text right of its line, then in other orders and sides until one places
    every label cleanly.
    """
    by_value = sorted(range(len(refs)), key=lambda i: -refs[i].value)
    first = None
    tries = itertools.product(itertools.permutations(by_value), (False, True))
    for order, left_first in itertools.islice(tries, 1440):
        boxes, clean = _place_ranking_labels(refs, x, width, order, left_first)
        first = first or boxes
        if clean:
            break
    else:
        boxes = first or {}
    # Close up the rows nobody used, keeping their order.
    used = sorted({b.top for b in boxes.values()})
    shift = {top: Decimal(4) + n * (LABEL_HEIGHT + 2) for n, top in enumerate(used)}
    return [
        Box(boxes[i].left, shift[boxes[i].top], boxes[i].right, shift[boxes[i].top] + LABEL_HEIGHT)
        for i in range(len(refs))
    ]


def _place_ranking_labels(refs, x, width, order, left_first) -> tuple[dict[int, Box], bool]:
    placed: list[tuple[Box, Decimal]] = []
    boxes: dict[int, Box] = {}
    clean, rows = True, len(refs) + 1
    for i in order:
        line = x(refs[i].value)
        w = text_width(refs[i].label) + 8
        sides = (line - 2 - w, line + 2) if left_first else (line + 2, line - 2 - w)
        sides = [s for s in sides if s >= 0 and s + w <= width] or [
            max(Decimal(0), min(line - w / 2, width - w))
        ]
        chosen = None
        for row in reversed(range(rows)):  # the last row is the one nearest the bars
            top = 4 + row * (LABEL_HEIGHT + 2)
            for side in sides:
                box = Box(side, top, side + w, top + LABEL_HEIGHT)
                if all(
                    not box.overlaps(other)
                    and not (other.top < box.top and box.crosses_x(other_line))
                    and not (box.top < other.top and other.crosses_x(line))
                    for other, other_line in placed
                ):
                    chosen = box
                    break
            if chosen:
                break
        if chosen is None:
            clean = False
            chosen = Box(sides[0], Decimal(4), sides[0] + w, 4 + LABEL_HEIGHT)
        placed.append((chosen, line))
        boxes[i] = chosen
    return boxes, clean


# -- layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    left: Decimal
    top: Decimal
    width: Decimal
    height: Decimal
    lo: Decimal
    hi: Decimal
    count: int

    @property
    def band(self) -> Decimal:
        return self.width / max(self.count, 1)

    @property
    def bottom(self) -> Decimal:
        return self.top + self.height

    def x(self, i: int) -> Decimal:
        return self.left + (2 * i + 1) * self.band / 2

    def y(self, value: Decimal) -> Decimal:
        return self.top + (self.hi - value) * self.height / (self.hi - self.lo)


def _frame(bounds, labels, legend, y_label, size, y_min, y_max, bottom=Decimal(24)):
    """The plot area, sized around tick labels and legend, with its gridlines and y axis."""
    width, height, right = size
    lo, hi, ticks, places = _y_axis(bounds, y_min, y_max)
    tick_texts = [f"{t:,.{places}f}" for t in ticks]
    left = Decimal(max(map(len, tick_texts)) * CHAR_WIDTH + 10 + (18 if y_label else 0))
    body, legend_height = _legend(legend, left, width - right)
    top = 10 + legend_height
    frame = _Frame(left, top, width - left - right, height - top - bottom, lo, hi, len(labels))
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = frame.y(tick)
        body += _el("line", x1=left, x2=left + frame.width, y1=y, y2=y, stroke=GRID)
        body += _el("text", text, class_="y-tick", x=left - 6, y=y + 4, text_anchor="end", **_SMALL)
    base = frame.y(Decimal(0)) if lo <= 0 <= hi else frame.bottom
    body += _el("line", x1=left, x2=left + frame.width, y1=base, y2=base, stroke=AXIS)
    if y_label:
        mid = frame.top + frame.height / 2
        turn = f"rotate(-90 12 {_n(mid)})"
        body += _el(
            "text", escape(y_label), x=12, y=mid, transform=turn, text_anchor="middle", **_SMALL
        )
    return frame, body


def _y_axis(values, pin_lo, pin_hi):
    """A padded range rounded out to "nice" ticks: 4 to 6 steps of 1, 2, 2.5 or 5 x 10^n."""
    values = list(values) or [Decimal(0), Decimal(1)]
    lo, hi = min(values), max(values)
    if lo == hi:
        spread = abs(lo) / 10 or Decimal(1)
        lo, hi = (lo - spread, hi + spread) if lo else (lo, hi + spread)
    pad = (hi - lo) / 20
    # Padding must not invent a negative axis for data that never goes below zero.
    lo = Decimal(0) if lo >= 0 > lo - pad else lo - pad
    hi = Decimal(0) if hi <= 0 < hi + pad else hi + pad
    pinned = (
        pin_lo is not None and pin_lo <= min(values),
        pin_hi is not None and pin_hi >= max(values),
    )
    lo, hi = pin_lo if pinned[0] else lo, pin_hi if pinned[1] else hi
    exponent, best = ((hi - lo) / 5).adjusted(), None
    for power in (exponent - 1, exponent, exponent + 1):
        # 25 and 250 are nice steps; 2.5 is not, for counts of children or staff.
        for mantissa in (1, 2, Decimal("2.5"), 5) if power > 0 else (1, 2, 5):
            step = Decimal(mantissa).scaleb(power)
            first = (lo / step).to_integral_value(ROUND_CEILING if pinned[0] else ROUND_FLOOR)
            last = (hi / step).to_integral_value(ROUND_FLOOR if pinned[1] else ROUND_CEILING)
            count = int(last - first) + 1
            # 4 to 6 ticks, then the least wasted space, then the count nearest 5.
            key = (not 4 <= count <= 6, (last - first) * step, abs(count - 5))
            if best is None or key < best[0]:
                best = (key, step, first, last)
    _, step, first, last = best
    ticks = [(first + j) * step for j in range(int(last - first) + 1)]
    lo, hi = lo if pinned[0] else ticks[0], hi if pinned[1] else ticks[-1]
    return lo, hi, ticks, max(0, -step.normalize().as_tuple().exponent)


def _x_labels(
    frame: _Frame, labels: list[str], every: int | None = None, anchor: int | None = None
) -> str:
    """
    Every nth label, counted from the latest actual month (`anchor`, else the last label) so
    "now" is always labelled; a bar chart (`every=1`) labels every bar, turned to a slant
    when the words do not fit across.
    """
    anchor = len(labels) - 1 if anchor is None else anchor
    longest = max(map(len, labels), default=1)
    fits = max(1, int(frame.width // (longest * CHAR_WIDTH + 10)))
    slant = every == 1 and fits < len(labels)
    every = every or -(-len(labels) // min(MAX_X_LABELS, fits))
    y = frame.bottom + 16
    return "".join(
        _el(
            "text",
            escape(label),
            class_="x-label",
            x=frame.x(i),
            y=y - (4 if slant else 0),
            text_anchor="end" if slant else "middle",
            transform=f"rotate(-40 {_n(frame.x(i))} {_n(y - 4)})" if slant else "",
            **_SMALL,
        )
        for i, label in enumerate(labels)
        if (anchor - i) % every == 0
    )


def _bar_label_depth(labels: list[str], width: int, y_label: str) -> Decimal:
    """Room under a bar chart for its labels: one line, or their slanted length."""
    longest = max(map(len, labels), default=1)
    plot = width - 60 - (18 if y_label else 0)  # a fair guess before the ticks are known
    if plot // (longest * CHAR_WIDTH + 10) >= len(labels):
        return Decimal(24)
    return Decimal(int(longest * CHAR_WIDTH * Decimal("0.65")) + 22)


def _bar_value(value: Decimal, x: Decimal, end: Decimal, room: Decimal, below: bool) -> str:
    """A bar's figure at its end (above it, or under a bar going down), where it fits."""
    text = _text(value)
    if text_width(text) > room + 10:
        return ""
    y = end + 12 if below else end - 3
    return _el("text", text, class_="bar-value", x=x, y=y, text_anchor="middle", **_SMALL)


def _stack_total(series: list[Series], i: int) -> Decimal | None:
    present = [s.values[i] for s in series if s.values[i] is not None]
    return sum(present, Decimal(0)) if present else None


def _legend(items, left: Decimal, right: int) -> tuple[str, int]:
    markup, x, row = "", left, 0
    for swatch, name in items:
        item_width = 22 + len(name) * CHAR_WIDTH + 16
        if x > left and x + item_width > right:
            x, row = left, row + 1
        markup += f'<g transform="translate({_n(x)},{10 + row * 18})">{swatch}'
        markup += _el("text", escape(name), x=22, y=10, **_SMALL) + "</g>"
        x += item_width
    return markup, (row + 1) * 18 + 6 if items else 0


# -- pieces -------------------------------------------------------------------------------


def _zone_defs(uid: str, zones: list[Zone]) -> str:
    used = {z.status for z in zones}
    defs = "".join(_pattern(f"{uid}-{s}", m) for s, m in _ZONE_MARKS.items() if s in used)
    return f"<defs>{defs}</defs>" if defs else ""


def _zones(uid: str, frame: _Frame, zones: list[Zone]) -> str:
    """Tint plus hatching (red) or dots (amber), and a word beside each band's latest span."""
    markup, labels, last = "", [], {}
    for z in zones:
        last[z.status] = max(last.get(z.status, z.end), z.end)
    for z in zones:
        top = frame.y(min(z.upper, frame.hi)) if z.upper is not None else frame.top
        bottom = frame.y(max(z.lower, frame.lo)) if z.lower is not None else frame.bottom
        if bottom <= top:
            continue
        box = {"x": frame.left + z.start * frame.band, "y": top, "height": bottom - top}
        box["width"] = (z.end - z.start + 1) * frame.band
        colour = STATUS_COLOURS[z.status]
        markup += _el(
            "rect", class_="zone", data_status=z.status, fill=colour, fill_opacity="0.12", **box
        )
        if z.status in _ZONE_MARKS:
            markup += _el("rect", class_="zone-pattern", fill=f"url(#{uid}-{z.status})", **box)
        if z.end == last[z.status] and bottom - top >= 12:
            x, y = frame.left + frame.width + 4, (top + bottom) / 2 + 4
            bold = {"font_size": 11, "font_weight": "bold", "fill": colour}
            labels.append(_el("text", z.status.capitalize(), class_="zone-label", x=x, y=y, **bold))
    return markup + "".join(labels)


def _reference_lines(frame: _Frame, refs: list[ReferenceLine]) -> str:
    """The dashed lines alone: their labels are drawn last (`_reference_labels`)."""
    markup, right = "", frame.left + frame.width
    dashed = {"stroke": REFERENCE, "stroke_width": "1.5", "stroke_dasharray": "5 3"}
    for ref in refs:
        y = frame.y(ref.value)
        markup += _el("line", class_="reference", x1=frame.left, x2=right, y1=y, y2=y, **dashed)
    return markup


@dataclass(frozen=True)
class Box:
    """A label's extent, for laying labels out clear of lines and of each other."""

    left: Decimal
    top: Decimal
    right: Decimal
    bottom: Decimal

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def crosses_y(self, y: Decimal) -> bool:
        return self.top <= y <= self.bottom

    def crosses_x(self, x: Decimal) -> bool:
        return self.left <= x <= self.right


LABEL_HEIGHT = Decimal(14)


def text_width(text: str, size: int = 11) -> Decimal:
    """A generous estimate of the width of `text` in Arial at `size`: enough to lay out by."""
    return Decimal(len(text) * CHAR_WIDTH * size) / 11


def reference_label_boxes(
    frame: _Frame, refs: list[ReferenceLine], obstacles: list[Box] = ()
) -> list[Box]:
    """
    Where each horizontal reference line's label goes: just above or just below its own
    line, at the plot's left or right, never across another reference line or another
    label, and clear of the points (`obstacles`) where it can be. A label pushed further
    off by its neighbours keeps the nearest free place; it never sits on a line.
    """
    lines = [frame.y(ref.value) for ref in refs]
    placed: list[Box] = []
    for ref, y in zip(refs, lines, strict=True):
        width = text_width(ref.label) + 8
        lefts = (frame.left + 2, frame.left + frame.width - width - 2)
        candidates = []
        for step in range(8):  # above, below, then further off each way
            gap = 2 + step * (LABEL_HEIGHT + 1)
            for top in (y - gap - LABEL_HEIGHT, y + gap):
                candidates += [Box(left, top, left + width, top + LABEL_HEIGHT) for left in lefts]
        inside = [
            box for box in candidates if frame.top <= box.top and box.bottom <= frame.bottom
        ] or candidates

        def clear(box: Box, avoid: list[Box]) -> bool:
            return not any(box.crosses_y(line) for line in lines) and not any(
                box.overlaps(other) for other in avoid
            )

        box = next((b for b in inside if clear(b, placed + list(obstacles))), None)
        box = box or next((b for b in inside if clear(b, placed)), inside[0])
        placed.append(box)
    return placed


def _reference_labels(frame: _Frame, refs: list[ReferenceLine], obstacles=()) -> str:
    """Each label on a white backing (over bars, hatching and series), in its own place."""
    markup = ""
    for ref, box in zip(refs, reference_label_boxes(frame, refs, obstacles), strict=True):
        backing = {"width": box.right - box.left, "height": LABEL_HEIGHT, "fill": "#fff"}
        markup += _el("rect", x=box.left, y=box.top, fill_opacity="0.85", **backing)
        label = {"class_": "reference-label", "font_size": 11, "fill": REFERENCE}
        markup += _el("text", escape(ref.label), x=box.left + 4, y=box.bottom - 3, **label)
    return markup


def _line_paths(points, colour: str, dash: str, stroke_width: str, css_class="line") -> str:
    """One path per unbroken run: a missing month is a gap, never a line drawn across it."""
    runs, run = [], []
    for point in [*points, None]:
        if point:
            run.append(f"{'L' if run else 'M'}{_n(point[0])},{_n(point[1])}")
        else:
            runs += [run] if len(run) > 1 else []
            run = []
    style = {"stroke": colour, "stroke_width": stroke_width, "stroke_dasharray": dash}
    style |= {"class_": css_class, "fill": "none", "stroke_linejoin": "round"}
    return "".join(_el("path", d=" ".join(run), **style) for run in runs)


def _markers(points, statuses, colour, size, last_size, tips=None) -> str:
    """Status points, the latest point, and any point with no neighbour to draw a line to."""
    last = max((i for i, p in enumerate(points) if p), default=None)
    markup = ""
    for i, point in enumerate(points):
        status = statuses[i] if statuses else None
        status = None if status == "missing" else status
        alone = not (i and points[i - 1]) and not (i + 1 < len(points) and points[i + 1])
        if point and (status or i == last or alone):
            tip = f"{tips[i]} ({status})" if tips and status else tips[i] if tips else ""
            markup += _marker(status, point, last_size if i == last else size, colour, tip)
    return markup


def _marker(status, point, size: Decimal, colour: str, tip: str = "") -> str:
    """Circle for green, square for amber, diamond for red: the shape says it without colour."""
    x, y = point
    common = {"class_": "marker", "data_status": status or "none", "stroke": "#fff"}
    tip = _el("title", escape(tip)) if tip else ""
    if status == "amber":
        s = size * Decimal("0.9")
        return _el("rect", tip, x=x - s, y=y - s, width=2 * s, height=2 * s, fill=AMBER, **common)
    if status == "red":
        d = size * Decimal("1.35")
        corners = f"{_n(x)},{_n(y - d)} {_n(x + d)},{_n(y)} {_n(x)},{_n(y + d)} {_n(x - d)},{_n(y)}"
        return _el("polygon", tip, points=corners, fill=RED, **common)
    fill = GREEN if status == "green" else colour
    return _el("circle", tip, cx=x, cy=y, r=size, fill=fill, **common)


def _line_swatch(k: int) -> str:
    stroke = {"stroke": SERIES_COLOURS[k % 5], "stroke_dasharray": SERIES_DASHES[k % 5]}
    return _el("line", x1=0, x2=18, y1=6, y2=6, stroke_width=2, **stroke)


def _band_swatch(k: int) -> str:
    """The legend's forecast: a shaded band with a dashed line and a hollow point on it."""
    colour = SERIES_COLOURS[k % 5]
    band = _el("rect", x=0, y=1, width=18, height=10, fill=colour, fill_opacity=BAND_OPACITY)
    dashed = {"stroke": colour, "stroke_width": 2, "stroke_dasharray": FORECAST_DASH}
    line = _el("line", x1=0, x2=18, y1=6, y2=6, **dashed)
    point = _el("circle", cx=9, cy=6, r=3, fill="#fff", stroke=colour, stroke_width=2)
    return band + line + point


def _bar(uid: str, k: int, tip: str, css_class: str, **box) -> str:
    """A solid bar with its series' marks laid over it: patterns tile without seams that way."""
    colour, pattern = SERIES_COLOURS[k % 5], f"url(#{uid}-s{k % 5})"
    bar = _el("rect", tip, class_=css_class, data_series=k, fill=colour, stroke=colour, **box)
    return bar + (_el("rect", class_=f"{css_class}-pattern", fill=pattern, **box) if k % 5 else "")


def _pattern(pattern_id: str, content: str) -> str:
    size = 'patternUnits="userSpaceOnUse" width="6" height="6"'
    return f'<pattern id="{pattern_id}" {size}>{content}</pattern>'


def _svg(uid, title, desc, width, height, body, fluid) -> SafeString:
    attrs = {"width": "100%"} if fluid else {"width": width, "height": height}
    attrs |= {"viewBox": f"0 0 {width} {height}", "role": "img", "font_family": FONT}
    attrs["aria_labelledby"] = f"{uid}-title {uid}-desc"
    heading = _el("title", escape(title), id=f"{uid}-title")
    heading += _el("desc", escape(desc), id=f"{uid}-desc")
    svg = _el("svg", heading + body, xmlns="http://www.w3.org/2000/svg", **attrs)
    # Every piece of caller text went through escape() on its way in (_el escapes attributes).
    return mark_safe(svg)  # noqa: S308 built here from escaped text and numbers


# -- small helpers ------------------------------------------------------------------------


def _el(tag: str, children: str = "", **attrs) -> str:
    """An element; keyword names become attributes (fill_opacity: fill-opacity, class_: class)."""
    text = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(_n(v) if isinstance(v, Decimal) else v)}"'
        for name, v in attrs.items()
        if v != ""
    )
    return f"<{tag}{text}>{children}</{tag}>" if children else f"<{tag}{text}/>"


def _n(value: Decimal) -> str:
    """Fixed one-decimal coordinates: stable output and no 0.30000000000000004 noise."""
    text = str(value.quantize(_PLACES) + 0)  # + 0 turns -0.0 into 0.0
    return text.removesuffix(".0")


def _q(value: Decimal) -> Decimal:
    return value.quantize(_PLACES)


def _text(value: Decimal | None) -> str:
    """A figure in a chart's words, as formatting writes it: at its own places, grouped."""
    if value is None:
        return MISSING
    figure = Decimal(value)
    return formatting.number(figure, max(0, -figure.as_tuple().exponent))


def _too_few(title, labels, series, things: str, how: str, unit: str = "") -> SafeString | None:
    """
    A sentence instead of a chart of one point or one bar: a line needs two points to be
    a trend, and one bar compares nothing. None when there is enough to draw.
    """
    shown = [
        (label, s, v)
        for i, label in enumerate(labels)
        for s in series
        if (v := s.values[i]) is not None
    ]
    drawn = {label for label, _, _ in shown} if things != "bars" else shown
    if len(drawn) >= 2:
        return None
    if not shown:
        text = f"{title}: no figures to show yet."
    else:
        figures = "; ".join(f"{s.name} {_text(v)}{unit} in {label}" for label, s, v in shown)
        text = f"{title}: {figures}. {how}"
    return format_html('<p class="chart-sentence">{}</p>', text)


def _names(series: list[Series]) -> str:
    return " and ".join(s.name for s in series) or "no series"


def _period(labels: list[str]) -> str:
    if len(labels) < 2:
        return f" for {labels[0]}" if labels else ""
    return f" from {labels[0]} to {labels[-1]}"


def _latest(s: Series, labels: list[str]) -> str:
    for i in reversed(range(len(s.values))):
        if s.values[i] is not None:
            status = f" ({s.statuses[i]})" if s.statuses and s.statuses[i] in STATUS_COLOURS else ""
            return f"{s.name} {_text(s.values[i])} in {labels[i]}{status}"
    return ""


def _uid(*parts) -> str:
    """Ids from the content: deterministic, and different for the different charts on a page."""
    return "chart-" + hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def _check(labels: list[str], series: list[Series]) -> None:
    """Wrong lengths or a misspelt status would draw a misleading chart, so refuse them."""
    allowed = {*STATUS_COLOURS, "missing", None}  # "missing" is opb_portal.rag.Status.MISSING
    for s in series:
        if len(s.values) != len(labels) or (
            s.statuses is not None and len(s.statuses) != len(labels)
        ):
            raise ValueError(f"Series {s.name!r} needs one value (and status) per label.")
        if s.statuses and any(status not in allowed for status in s.statuses):
            raise ValueError(f"Series {s.name!r} has a status not in {sorted(STATUS_COLOURS)}.")
        if s.forecast_from is not None and not 0 < s.forecast_from < len(labels):
            raise ValueError(f"Series {s.name!r} must have figures before its forecast.")
        if any(b is not None and len(b) != len(labels) for b in (s.lower, s.upper)):
            raise ValueError(f"Series {s.name!r} needs one interval bound per label.")


# -- the tornado chart (sensitivity) ------------------------------------------------------


@dataclass(frozen=True)
class Swing:
    """
    How far one input moves a result: to `low` and to `high` (each written, as formatting
    writes it, in `low_text` and `high_text`), either side of the chart's base.
    """

    label: str
    low: Decimal
    high: Decimal
    low_text: str
    high_text: str


@_responsive
def tornado_chart(
    *,
    title: str,
    base: Decimal,
    base_text: str,
    swings: list[Swing],
    x_label: str = "",
    width: int = 640,
    fluid: bool = False,
) -> SafeString:
    """
    A sensitivity ("tornado") chart: one row per input, widest swing first, a bar from the
    base to its low and another to its high, the base a dashed line labelled above the bars.
    Each row's name sits above its bars and its two figures in a column at the right; the
    side below the base is solid, the side above patterned, so print in grey still reads.
    """
    if not swings:
        return format_html('<p class="chart-sentence">{}: no figures to show yet.</p>', title)
    swings = sorted(swings, key=lambda s: (-abs(s.high - s.low), s.label))
    uid = _uid("tornado", title, base, swings, x_label, width)
    figures = [f"{s.low_text} to {s.high_text}" for s in swings]
    right = max(text_width(text) for text in figures) + 14
    left, row = Decimal(8), ROW + 14
    lo, hi, ticks, places = _y_axis(
        [base] + [s.low for s in swings] + [s.high for s in swings], None, None
    )
    plot_width = width - left - right
    scale = plot_width / (hi - lo)

    def x(value: Decimal) -> Decimal:
        return left + (value - lo) * scale

    top = LABEL_HEIGHT + 10
    bottom = top + row * len(swings)
    height = int(bottom + 22 + (16 if x_label else 0))
    body = f"<defs>{_pattern(f'{uid}-s1', _BAR_MARKS[1])}</defs>"
    for tick in ticks:
        body += _el("line", x1=x(tick), x2=x(tick), y1=top, y2=bottom, stroke=GRID)
        body += _el(
            "text",
            f"{tick:,.{places}f}",
            class_="x-tick",
            x=x(tick),
            y=bottom + 14,
            text_anchor="middle",
            **_SMALL,
        )
    if x_label:
        body += _el(
            "text",
            escape(x_label),
            x=left + plot_width / 2,
            y=bottom + 32,
            text_anchor="middle",
            **_SMALL,
        )
    for i, (swing, text) in enumerate(zip(swings, figures, strict=True)):
        y = top + i * row + 14 + 4
        for k, end in enumerate((min(swing.low, swing.high), max(swing.low, swing.high))):
            side = "lower" if k == 0 else "higher"
            value = swing.low if end == swing.low else swing.high
            written = swing.low_text if end == swing.low else swing.high_text
            tip = _el("title", escape(f"{swing.label}, {side}: {written}"))
            start, stop = sorted((x(base), x(value)))
            box = {"x": start, "y": y, "width": stop - start, "height": ROW - 8}
            body += _bar(uid, k, tip, f"bar bar-{side}", **box)
        body += _el(
            "text",
            escape(swing.label),
            class_="bar-label",
            x=left,
            y=y - 4,
            text_anchor="start",
            font_size=12,
            fill=TEXT,
        )
        body += _el(
            "text",
            escape(text),
            class_="bar-value",
            x=width - 4,
            y=y + 11,
            text_anchor="end",
            **_SMALL,
        )
    dashed = {"stroke": REFERENCE, "stroke_width": "1.5", "stroke_dasharray": "5 3"}
    body += _el("line", class_="reference", x1=x(base), x2=x(base), y1=top - 4, y2=bottom, **dashed)
    label = f"Base: {base_text}"
    w = text_width(label) + 8
    at = max(Decimal(0), min(x(base) - w / 2, width - w))
    body += _el("rect", x=at, y=Decimal(2), width=w, height=LABEL_HEIGHT, fill="#fff")
    body += _el(
        "text",
        escape(label),
        class_="reference-label",
        x=at + 4,
        y=LABEL_HEIGHT - 1,
        font_size=11,
        fill=REFERENCE,
    )
    desc = (
        f"Sensitivity of {len(swings)} inputs either side of the base, {base_text}, widest "
        "first: " + "; ".join(f"{s.label} {t}" for s, t in zip(swings, figures, strict=True))
    )
    return _svg(uid, title, desc + ".", width, height, body, fluid)
