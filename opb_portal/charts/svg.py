"""Server-side SVG charts: one module for HTML pages and the WeasyPrint board pack.

Plain SVG 1.1 with presentation attributes only, because WeasyPrint draws SVG itself and
ignores CSS variables, scripts and foreignObject. Geometry is done in Decimal and written
with one decimal place so the same input always gives byte-identical markup (cacheable,
diffable, testable). Status is never colour alone: every RAG marker has its own shape and
every zone its own pattern and word, so a black-and-white print still reads.
"""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
MISSING = "\u2013"
MAX_X_LABELS = 12
CHAR_WIDTH = 6  # rough width of an 11px Arial character: enough to lay labels out

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
    name: str
    values: list[Decimal | None]
    statuses: list[str | None] | None = None


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
    """The chart's numbers for the table that goes with every chart, for screen readers."""
    _check(labels, series)
    return [(label, [_text(s.values[i]) for s in series]) for i, label in enumerate(labels)]


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
) -> SafeString:
    """Monthly values over RAG zones. y_min/y_max fix an end of the axis unless data passes it.

    Months are bands with points mid-band, so a zone revised from one month to the next
    steps exactly between the two. fluid=True gives width="100%" and lets the page size it.
    """
    zones, refs = zones or [], reference_lines or []
    _check(labels, series)
    for z in zones:
        if z.status not in STATUS_COLOURS or not 0 <= z.start <= z.end < len(labels):
            raise ValueError(f"{z!r} has an unknown status or lies outside the labels.")
    bounds = [v for s in series for v in s.values if v is not None]
    bounds += [b for z in zones for b in (z.lower, z.upper) if b is not None]
    bounds += [r.value for r in refs]
    uid = _uid("line", title, labels, series, zones, refs, y_label, width, height, y_min, y_max)
    legend = [(_line_swatch(k), s.name) for k, s in enumerate(series)] if len(series) > 1 else []
    # Zone words sit in a right-hand margin so they never collide with the latest point.
    size = (width, height, 52 if zones else 12)
    frame, body = _frame(bounds, labels, legend, y_label, size, y_min, y_max)
    body = _zone_defs(uid, zones) + body + _zones(uid, frame, zones) + _x_labels(frame, labels)
    body += _reference_lines(frame, refs)  # under the series so a label never hides a point
    for k, s in enumerate(series):
        points = [None if v is None else (frame.x(i), frame.y(v)) for i, v in enumerate(s.values)]
        tips = [f"{label}: {s.name} {_text(v)}" for label, v in zip(labels, s.values, strict=True)]
        body += _line_paths(points, SERIES_COLOURS[k % 5], SERIES_DASHES[k % 5], "2")
        body += _markers(points, s.statuses, SERIES_COLOURS[k % 5], Decimal(4), Decimal(4), tips)
    desc = f"Line chart of {_names(series)}{_period(labels)}"
    latest = [text for s in series if (text := _latest(s, labels))]
    desc += "; latest " + ", ".join(latest) if latest else ""
    if zones:
        bands = " and ".join(s for s in STATUS_COLOURS if any(z.status == s for z in zones))
        desc += f"; shaded bands mark the {bands} ranges"
    return _svg(uid, title, desc + ".", width, height, body, fluid)


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
    frame, body = _frame(bounds, labels, legend, y_label, (width, height, 12), None, None)
    defs = "".join(_pattern(f"{uid}-s{k}", _BAR_MARKS[k]) for k in range(1, min(len(series), 5)))
    body = (f"<defs>{defs}</defs>" if defs else "") + body + _x_labels(frame, labels)
    group = frame.band * Decimal("0.6" if stacked else "0.8")
    bar_width = group if stacked else group / max(len(series), 1)
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
    body += _reference_lines(frame, refs)
    kind = "Stacked bar chart" if stacked else "Bar chart"
    return _svg(
        uid, title, f"{kind} of {_names(series)}{_period(labels)}.", width, height, body, fluid
    )


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


def _frame(bounds, labels, legend, y_label, size, y_min, y_max):
    """The plot area, sized around tick labels and legend, with its gridlines and y axis."""
    width, height, right = size
    lo, hi, ticks, places = _y_axis(bounds, y_min, y_max)
    tick_texts = [f"{t:,.{places}f}" for t in ticks]
    left = Decimal(max(map(len, tick_texts)) * CHAR_WIDTH + 10 + (18 if y_label else 0))
    body, legend_height = _legend(legend, left, width - right)
    top = 10 + legend_height
    frame = _Frame(left, top, width - left - right, height - top - Decimal(24), lo, hi, len(labels))
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


def _x_labels(frame: _Frame, labels: list[str]) -> str:
    """Every nth label, counted back from the latest month so "now" is always labelled."""
    longest = max(map(len, labels), default=1)
    fits = max(1, int(frame.width // (longest * CHAR_WIDTH + 10)))
    every = -(-len(labels) // min(MAX_X_LABELS, fits))
    y, anchor = frame.bottom + 16, "middle"
    return "".join(
        _el(
            "text", escape(label), class_="x-label", x=frame.x(i), y=y, text_anchor=anchor, **_SMALL
        )
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0
    )


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
    markup, right = "", frame.left + frame.width
    placed: list[tuple[Decimal, Decimal, Decimal]] = []  # (y, left, right) of each label
    for ref in refs:
        y = frame.y(ref.value)
        dashed = {"stroke": REFERENCE, "stroke_width": "1.5", "stroke_dasharray": "5 3"}
        markup += _el("line", class_="reference", x1=frame.left, x2=right, y1=y, y2=y, **dashed)
        width = len(ref.label) * CHAR_WIDTH + 8
        # Two comparators close in value (10 and 9.8) would print one label over the
        # other: a label that would overlap one already placed moves along to its right.
        x = frame.left + 2
        for other_y, other_left, other_right in sorted(placed, key=lambda p: p[1]):
            if abs(other_y - y) < 14 and x < other_right and other_left < x + width:
                x = other_right + 6
        placed.append((y, x, x + width))
        # A white backing keeps the label readable over hatching, bars and lines.
        backing = {"width": width, "height": 12, "fill": "#fff"}
        markup += _el("rect", x=x, y=y - 15, fill_opacity="0.85", **backing)
        label = {"class_": "reference-label", "font_size": 11, "fill": REFERENCE}
        markup += _el("text", escape(ref.label), x=x + 4, y=y - 5, **label)
    return markup


def _line_paths(points, colour: str, dash: str, stroke_width: str) -> str:
    """One path per unbroken run: a missing month is a gap, never a line drawn across it."""
    runs, run = [], []
    for point in [*points, None]:
        if point:
            run.append(f"{'L' if run else 'M'}{_n(point[0])},{_n(point[1])}")
        else:
            runs += [run] if len(run) > 1 else []
            run = []
    style = {"stroke": colour, "stroke_width": stroke_width, "stroke_dasharray": dash}
    style |= {"class_": "line", "fill": "none", "stroke_linejoin": "round"}
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
    return MISSING if value is None else format(value, "f")


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
