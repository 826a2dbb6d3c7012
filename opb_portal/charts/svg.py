"""Server-side SVG charts: one module for HTML pages and the WeasyPrint board pack.

Plain SVG 1.1 with presentation attributes only, because WeasyPrint draws SVG itself and
ignores CSS variables, scripts and foreignObject. Geometry is done in Decimal and written
with one decimal place so the same input always gives byte-identical markup (cacheable,
diffable, testable). Status is never colour alone: every RAG marker has its own shape and
every zone its own pattern or word, so a black-and-white print still reads.
"""

import hashlib
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

GREEN = "#00703c"
AMBER = "#b45309"  # GOV.UK orange #f47738 darkened to 5:1 so the "Amber" label passes AA
RED = "#d4351c"
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
CHAR_WIDTH = 6  # rough width of an 11px Arial character, enough to lay out labels

_PLACES = Decimal("0.1")
_BAR_PATTERNS = (
    "",
    '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.5"/>',
    '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
    '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#fff" stroke-width="1"/>',
    '<path d="M0,3 L6,3" stroke="#fff" stroke-width="1.5"/>',
)
_ZONE_PATTERNS = {
    "red": f'<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="{RED}" stroke-opacity="0.45"/>',
    "amber": f'<circle cx="3" cy="3" r="1" fill="{AMBER}" fill-opacity="0.6"/>',
}


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
    lower: Decimal | None = None  # None: the chart edge
    upper: Decimal | None = None


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: Decimal


def table_rows(labels: list[str], series: list[Series]) -> list[tuple[str, list[str]]]:
    """The chart's data for the table that sits beside every chart for screen readers."""
    _check_series(labels, series)
    return [(label, [_value_text(s.values[i]) for s in series]) for i, label in enumerate(labels)]


def sparkline(
    values: list[Decimal | None],
    *,
    title: str,
    statuses: list[str | None] | None = None,
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """A trend for a table cell; the last point is always marked so "now" is findable."""
    _check_statuses(statuses, len(values))
    present = [v for v in values if v is not None]
    lo, hi = (min(present), max(present)) if present else (Decimal(0), Decimal(1))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad, n = Decimal(4), len(values)
    span_x, span_y = Decimal(width) - 2 * pad, Decimal(height) - 2 * pad
    step = span_x / (n - 1) if n > 1 else Decimal(0)

    def point(i: int) -> tuple[Decimal, Decimal] | None:
        v = values[i]
        return None if v is None else (pad + i * step, pad + (hi - v) * span_y / (hi - lo))

    points = [point(i) for i in range(n)]
    last = max((i for i, p in enumerate(points) if p), default=0)
    body = _line_paths(points, NEUTRAL, "", "1.5")
    body += _markers(points, statuses, NEUTRAL, Decimal("2.5"), Decimal("3.5"))
    if present:
        status = statuses[last] if statuses and statuses[last] else ""
        desc = (
            f"Trend over {n} periods, lowest {_value_text(min(present))}, highest "
            f"{_value_text(max(present))}, latest {_value_text(values[last])}"
            f"{f' ({status})' if status else ''}"
            f"{f', {n - len(present)} missing' if len(present) < n else ''}."
        )
    else:
        desc = "No values to show."
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

    Months are bands and points sit mid-band, so a zone revised from one month to the next
    steps exactly between the two months.
    """
    zones, refs = zones or [], reference_lines or []
    _check_series(labels, series)
    for z in zones:
        if z.status not in STATUS_COLOURS or not 0 <= z.start <= z.end < len(labels):
            raise ValueError(f"Zone {z!r} has an unknown status or is outside the labels.")
    bounds = [v for s in series for v in s.values if v is not None]
    bounds += [b for z in zones for b in (z.lower, z.upper) if b is not None]
    bounds += [r.value for r in refs]
    uid = _uid("line", title, labels, series, zones, refs, y_label, width, height, y_min, y_max)
    legend = (
        [(_line_swatch(_colour(k), _dash(k)), s.name) for k, s in enumerate(series)]
        if len(series) > 1
        else []
    )
    # Zone words sit in a right-hand margin so they never collide with the latest point.
    frame, body = _frame(
        bounds, labels, legend, y_label, width, height, y_min, y_max, right=52 if zones else 12
    )
    body = _zone_defs(uid, zones) + body + _zones(uid, frame, zones)
    body += _x_labels(frame, labels)
    for k, s in enumerate(series):
        points = [None if v is None else (frame.x(i), frame.y(v)) for i, v in enumerate(s.values)]
        tips = [
            f"{label}: {s.name} {_value_text(v)}" for label, v in zip(labels, s.values, strict=True)
        ]
        body += _line_paths(points, _colour(k), _dash(k), "2")
        body += _markers(points, s.statuses, _colour(k), Decimal(4), Decimal(4), tips)
    body += _reference_lines(frame, refs)
    names = " and ".join(s.name for s in series) or "no series"
    desc = f"Line chart of {names}{_period(labels)}"
    latest = [_latest(s, labels) for s in series]
    desc += "; latest " + ", ".join(t for t in latest if t) if any(latest) else ""
    if zones:
        desc += "; shaded bands mark the " + " and ".join(_statuses_in(zones)) + " ranges"
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
    """Grouped or stacked bars; negative values stack down from zero, missing ones are gaps."""
    refs = reference_lines or []
    _check_series(labels, series)
    if stacked:
        columns = [
            [s.values[i] for s in series if s.values[i] is not None] for i in range(len(labels))
        ]
        bounds = [sum((v for v in c if v > 0), Decimal(0)) for c in columns]
        bounds += [sum((v for v in c if v < 0), Decimal(0)) for c in columns]
    else:
        bounds = [v for s in series for v in s.values if v is not None]
    bounds += [r.value for r in refs] + [Decimal(0)]
    uid = _uid("bar", title, labels, series, stacked, refs, y_label, width, height)
    legend = [(_bar_swatch(uid, k), s.name) for k, s in enumerate(series)]
    frame, body = _frame(bounds, labels, legend, y_label, width, height, None, None, right=12)
    defs = "".join(
        _pattern(f"{uid}-s{k}", 6, f'<rect width="6" height="6" fill="{_colour(k)}"/>{mark}')
        for k in range(len(series))
        if (mark := _BAR_PATTERNS[k % len(_BAR_PATTERNS)])
    )
    body = (f"<defs>{defs}</defs>" if defs else "") + body + _x_labels(frame, labels)
    zero = _q(frame.y(Decimal(0)))
    group = frame.band * Decimal("0.6" if stacked else "0.8")
    bar_width = group if stacked else group / max(len(series), 1)
    for i, label in enumerate(labels):
        up = down = Decimal(0)
        for k, s in enumerate(series):
            v = s.values[i]
            if v is None:
                continue
            if stacked and v >= 0:
                start, up = up, up + v
            elif stacked:
                start, down = down, down + v
            else:
                start = Decimal(0)
            y0, y1 = _q(frame.y(start)) if stacked else zero, _q(frame.y(start + v))
            x = frame.x(i) - group / 2 + (0 if stacked else k * bar_width)
            body += _el(
                "rect",
                class_="bar",
                data_series=k,
                x=x,
                y=min(y0, y1),
                width=bar_width,
                height=abs(y0 - y1),
                fill=_bar_fill(uid, k),
                stroke=_colour(k),
                children=_el("title", children=escape(f"{label}: {s.name} {_value_text(v)}")),
            )
    body += _reference_lines(frame, refs)
    kind = "Stacked bar chart" if stacked else "Bar chart"
    names = " and ".join(s.name for s in series) or "no series"
    desc = f"{kind} of {names}{_period(labels)}."
    return _svg(uid, title, desc, width, height, body, fluid)


# -- layout ------------------------------------------------------------------------------


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


def _frame(bounds, labels, legend, y_label, width, height, y_min, y_max, *, right):
    """Plot area sized around the tick labels and legend, with gridlines and the y axis."""
    lo, hi, ticks, places = _y_axis(bounds, y_min, y_max)
    tick_text = [f"{t:,.{places}f}" for t in ticks]
    left = Decimal(max(map(len, tick_text)) * CHAR_WIDTH + 10 + (18 if y_label else 0))
    legend_markup, legend_height = _legend(legend, left, Decimal(width) - 12)
    top = 10 + legend_height
    frame = _Frame(
        left, top, Decimal(width) - left - right, Decimal(height) - top - 24, lo, hi, len(labels)
    )
    body = legend_markup
    for tick, text in zip(ticks, tick_text, strict=True):
        y = frame.y(tick)
        body += _el("line", x1=left, x2=left + frame.width, y1=y, y2=y, stroke=GRID)
        body += _el(
            "text",
            class_="y-tick",
            x=left - 6,
            y=y + 4,
            text_anchor="end",
            font_size=11,
            fill=TEXT,
            children=text,
        )
    base = frame.y(Decimal(0)) if lo <= 0 <= hi else frame.bottom
    body += _el("line", x1=left, x2=left + frame.width, y1=base, y2=base, stroke=AXIS)
    if y_label:
        mid = frame.top + frame.height / 2
        body += _el(
            "text",
            x=12,
            y=mid,
            transform=f"rotate(-90 12 {_n(mid)})",
            text_anchor="middle",
            font_size=11,
            fill=TEXT,
            children=escape(y_label),
        )
    return frame, body


def _y_axis(values, pin_lo, pin_hi):
    """Padded range rounded out to "nice" ticks (steps of 1, 2 or 5 x 10^n, 4 to 6 of them)."""
    values = list(values) or [Decimal(0), Decimal(1)]
    lo, hi = min(values), max(values)
    if lo == hi:
        spread = abs(lo) / 10 or Decimal(1)
        lo, hi = (lo - spread, hi + spread) if lo else (lo, hi + spread)
    pad = (hi - lo) / 20
    # Padding must not invent a negative axis for data that never goes below zero.
    lo = Decimal(0) if lo >= 0 > lo - pad else lo - pad
    hi = Decimal(0) if hi <= 0 < hi + pad else hi + pad
    if pin_lo is not None and pin_lo <= min(values):
        lo = pin_lo
    if pin_hi is not None and pin_hi >= max(values):
        hi = pin_hi
    pinned = (pin_lo is not None and lo == pin_lo, pin_hi is not None and hi == pin_hi)
    exponent = ((hi - lo) / 5).adjusted()
    best = None
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
    lo, hi = (lo if pinned[0] else ticks[0]), (hi if pinned[1] else ticks[-1])
    return lo, hi, ticks, max(0, -step.normalize().as_tuple().exponent)


def _x_labels(frame: _Frame, labels: list[str]) -> str:
    """Every nth label, counted back from the latest month so "now" is always labelled."""
    longest = max(map(len, labels), default=1)
    fits = max(1, int(frame.width // (longest * CHAR_WIDTH + 10)))
    every = -(-len(labels) // min(MAX_X_LABELS, fits))
    return "".join(
        _el(
            "text",
            class_="x-label",
            x=frame.x(i),
            y=frame.bottom + 16,
            text_anchor="middle",
            font_size=11,
            fill=TEXT,
            children=escape(label),
        )
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0
    )


def _legend(items, left: Decimal, right: Decimal) -> tuple[str, int]:
    markup, x, row = "", left, 0
    for swatch, name in items:
        item_width = 22 + len(name) * CHAR_WIDTH + 16
        if x > left and x + item_width > right:
            x, row = left, row + 1
        y = Decimal(10 + row * 18)
        markup += f'<g transform="translate({_n(x)},{_n(y)})">{swatch}'
        markup += _el("text", x=22, y=10, font_size=11, fill=TEXT, children=escape(name)) + "</g>"
        x += item_width
    return markup, (row + 1) * 18 + 6 if items else 0


# -- pieces --------------------------------------------------------------------------------


def _zone_defs(uid: str, zones: list[Zone]) -> str:
    used = {z.status for z in zones}
    defs = "".join(
        _pattern(f"{uid}-{s}", 8 if s == "red" else 6, mark)
        for s, mark in _ZONE_PATTERNS.items()
        if s in used
    )
    return f"<defs>{defs}</defs>" if defs else ""


def _zones(uid: str, frame: _Frame, zones: list[Zone]) -> str:
    """Tint plus hatching (red) or dots (amber), and a word at the end of each band's last span."""
    markup, labelled = "", {}
    for z in zones:
        top = frame.y(min(z.upper, frame.hi)) if z.upper is not None else frame.top
        bottom = frame.y(max(z.lower, frame.lo)) if z.lower is not None else frame.bottom
        if bottom <= top:
            continue
        x = frame.left + z.start * frame.band
        box = {
            "x": x,
            "y": top,
            "width": (z.end - z.start + 1) * frame.band,
            "height": bottom - top,
        }
        colour = STATUS_COLOURS[z.status]
        markup += _el(
            "rect", class_="zone", data_status=z.status, fill=colour, fill_opacity="0.12", **box
        )
        if z.status in _ZONE_PATTERNS:
            markup += _el("rect", class_="zone-pattern", fill=f"url(#{uid}-{z.status})", **box)
        if z.end >= labelled.get(z.status, (-1,))[0]:
            labelled[z.status] = (z.end, (top + bottom) / 2, bottom - top)
    for status, (_, y, room) in sorted(labelled.items()):
        if room >= 12:
            markup += _el(
                "text",
                class_="zone-label",
                x=frame.left + frame.width + 4,
                y=y + 4,
                font_size=11,
                font_weight="bold",
                fill=STATUS_COLOURS[status],
                children=status.capitalize(),
            )
    return markup


def _reference_lines(frame: _Frame, refs: list[ReferenceLine]) -> str:
    markup = ""
    for ref in refs:
        y = frame.y(ref.value)
        markup += _el(
            "line",
            class_="reference",
            x1=frame.left,
            x2=frame.left + frame.width,
            y1=y,
            y2=y,
            stroke=REFERENCE,
            stroke_width="1.5",
            stroke_dasharray="5 3",
        )
        text = f"{ref.label} ({_value_text(ref.value)})"
        # A white backing keeps the label readable over hatching, bars and lines.
        markup += _el(
            "rect",
            x=frame.left + 2,
            y=y - 15,
            width=len(text) * CHAR_WIDTH + 8,
            height=12,
            fill="#fff",
            fill_opacity="0.85",
        )
        markup += _el(
            "text",
            class_="reference-label",
            x=frame.left + 6,
            y=y - 5,
            font_size=11,
            fill=REFERENCE,
            children=escape(text),
        )
    return markup


def _line_paths(points, colour: str, dash: str, stroke_width: str) -> str:
    """One path per unbroken run: a missing month is a gap, never a line drawn across it."""
    runs, run = [], []
    for p in [*points, None]:
        if p:
            run.append(p)
        else:
            if len(run) > 1:
                runs.append(run)
            run = []
    return "".join(
        _el(
            "path",
            class_="line",
            d=" ".join(f"{'L' if j else 'M'}{_n(x)},{_n(y)}" for j, (x, y) in enumerate(run)),
            fill="none",
            stroke=colour,
            stroke_width=stroke_width,
            stroke_dasharray=dash,
            stroke_linejoin="round",
            stroke_linecap="round",
        )
        for run in runs
    )


def _markers(points, statuses, colour, size, last_size, tips=None) -> str:
    """Status points, the latest point, and any point with no neighbour to draw a line to."""
    last = max((i for i, p in enumerate(points) if p), default=None)
    markup = ""
    for i, p in enumerate(points):
        status = statuses[i] if statuses else None
        isolated = not (i and points[i - 1]) and not (i + 1 < len(points) and points[i + 1])
        if p and (status or i == last or isolated):
            tip = f"{tips[i]} ({status})" if tips and status else tips[i] if tips else ""
            markup += _marker(status, p, last_size if i == last else size, colour, tip)
    return markup


def _marker(status, point, size: Decimal, colour: str, tip: str = "") -> str:
    """Circle for green, square for amber, diamond for red: the shape says it without colour."""
    x, y = point
    common = {
        "class_": "marker",
        "data_status": status or "none",
        "stroke": "#fff",
        "children": _el("title", children=escape(tip)) if tip else "",
    }
    if status == "amber":
        return _el(
            "rect", x=x - size, y=y - size, width=2 * size, height=2 * size, fill=AMBER, **common
        )
    if status == "red":
        d = size * Decimal("1.35")
        corners = f"{_n(x)},{_n(y - d)} {_n(x + d)},{_n(y)} {_n(x)},{_n(y + d)} {_n(x - d)},{_n(y)}"
        return _el("polygon", points=corners, fill=RED, **common)
    return _el("circle", cx=x, cy=y, r=size, fill=GREEN if status == "green" else colour, **common)


def _line_swatch(colour: str, dash: str) -> str:
    return _el(
        "line", x1=0, x2=18, y1=6, y2=6, stroke=colour, stroke_width=2, stroke_dasharray=dash
    )


def _bar_swatch(uid: str, k: int) -> str:
    return _el("rect", width=14, height=12, fill=_bar_fill(uid, k), stroke=_colour(k))


def _bar_fill(uid: str, k: int) -> str:
    return f"url(#{uid}-s{k})" if _BAR_PATTERNS[k % len(_BAR_PATTERNS)] else _colour(k)


def _pattern(pattern_id: str, size: int, content: str) -> str:
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{size}" '
        f'height="{size}">{content}</pattern>'
    )


def _svg(uid, title, desc, width, height, body, fluid) -> SafeString:
    size = {"width": "100%"} if fluid else {"width": width, "height": height}
    # Safe because every piece of user text went through escape() on its way in.
    return mark_safe(
        _el(
            "svg",
            xmlns="http://www.w3.org/2000/svg",
            **size,
            viewBox=f"0 0 {width} {height}",
            role="img",
            aria_labelledby=f"{uid}-title {uid}-desc",
            font_family=FONT,
            children=_el("title", id=f"{uid}-title", children=escape(title))
            + _el("desc", id=f"{uid}-desc", children=escape(desc))
            + body,
        )
    )


# -- small helpers ---------------------------------------------------------------------------


def _el(tag: str, children: str = "", **attrs) -> str:
    """An element; keyword names map to attributes (fill_opacity -> fill-opacity, class_)."""
    text = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(_n(v) if isinstance(v, Decimal) else v)}"'
        for name, v in attrs.items()
        if v != ""
    )
    return f"<{tag}{text}>{children}</{tag}>" if children else f"<{tag}{text}/>"


def _n(value: Decimal) -> str:
    """Fixed one-decimal coordinates: stable output and no 0.30000000000000004 noise."""
    text = str(value.quantize(_PLACES) + 0)
    return text.removesuffix(".0") if text not in ("-0.0", "0.0") else "0"


def _q(value: Decimal) -> Decimal:
    # Bars are placed on rounded edges so stacked segment heights add up exactly.
    return value.quantize(_PLACES)


def _value_text(value: Decimal | None) -> str:
    return MISSING if value is None else format(value, "f")


def _colour(k: int) -> str:
    return SERIES_COLOURS[k % len(SERIES_COLOURS)]


def _dash(k: int) -> str:
    return SERIES_DASHES[k % len(SERIES_DASHES)]


def _period(labels: list[str]) -> str:
    if not labels:
        return ""
    return f" for {labels[0]}" if len(labels) == 1 else f" from {labels[0]} to {labels[-1]}"


def _latest(s: Series, labels: list[str]) -> str:
    for i in reversed(range(len(s.values))):
        if s.values[i] is not None:
            status = s.statuses[i] if s.statuses and s.statuses[i] else ""
            return f"{s.name} {_value_text(s.values[i])} in {labels[i]}" + (
                f" ({status})" if status else ""
            )
    return ""


def _statuses_in(zones: list[Zone]) -> list[str]:
    return [s for s in STATUS_COLOURS if any(z.status == s for z in zones)]


def _uid(*parts) -> str:
    """Ids from the content: deterministic, and distinct for the different charts on a page."""
    return "chart-" + hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


def _check_series(labels: list[str], series: list[Series]) -> None:
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"Series {s.name!r} has {len(s.values)} values for {len(labels)} labels."
            )
        _check_statuses(s.statuses, len(labels))


def _check_statuses(statuses: list[str | None] | None, count: int) -> None:
    if statuses is not None and (
        len(statuses) != count or any(s is not None and s not in STATUS_COLOURS for s in statuses)
    ):
        raise ValueError(f"Statuses must be {count} of green, amber, red or None: {statuses!r}.")
