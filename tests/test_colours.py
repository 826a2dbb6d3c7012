"""
The RAG colours: one set, read by the screen, the printed pack and the charts alike, and
each one readable (WCAG 1.4.3 for the word on a badge, 1.4.11 for a chart's marker).

The screen and the pack take them from static/css/rag.css; the charts from
opb_portal.charts.svg. Contrast is worked out here from WCAG's definition of relative
luminance, not taken on trust from a comment.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from opb_portal.charts import STATUS_COLOURS, Series, Zone, line_chart
from opb_portal.core.html import rag_badge
from opb_portal.rag import Status

CSS = Path(__file__).resolve().parents[1] / "static" / "css"
STATUSES = ["green", "amber", "red"]
WHITE = "#ffffff"
TEXT = Decimal("4.5")  # WCAG 1.4.3: normal-size text
GRAPHICS = Decimal("3")  # WCAG 1.4.11: the parts of a chart a reader must see
SVG = "{http://www.w3.org/2000/svg}"


def rules(name: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every innermost block of a stylesheet, comments removed."""
    text = re.sub(r"/\*.*?\*/", "", (CSS / name).read_text(), flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]*)\{([^{}]*)\}", text)]


def declared(name: str, selector: str, prop: str) -> str:
    """The value a stylesheet gives `prop` in the one rule for exactly `selector`."""
    (body,) = [body for sel, body in rules(name) if sel == selector]
    return re.search(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body).group(1).strip()


def rag_css() -> dict[str, str]:
    """The custom properties of static/css/rag.css: {"green": "#00703c", ...}."""
    (body,) = [body for sel, body in rules("rag.css") if sel == ":root"]
    return {m[0]: m[1].lower() for m in re.findall(r"--rag-(\w+)\s*:\s*(#[0-9a-fA-F]{6})", body)}


def luminance(colour: str) -> Decimal:
    """WCAG 2.2's relative luminance of an sRGB colour such as "#b72d18"."""
    channels = []
    for i in (1, 3, 5):
        c = Decimal(int(colour[i : i + 2], 16)) / 255
        channels.append(
            c / Decimal("12.92")
            if c <= Decimal("0.04045")
            else ((c + Decimal("0.055")) / Decimal("1.055")) ** Decimal("2.4")
        )
    r, g, b = channels
    return Decimal("0.2126") * r + Decimal("0.7152") * g + Decimal("0.0722") * b


def contrast(one: str, other: str) -> Decimal:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + Decimal("0.05")) / (dark + Decimal("0.05"))


def over_white(colour: str, opacity: Decimal) -> str:
    """The colour a tint of `colour` at `opacity` shows on white."""
    mixed = [round(int(colour[i : i + 2], 16) * opacity + 255 * (1 - opacity)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


@pytest.mark.parametrize(
    ("colour", "other", "ratio"),
    [
        pytest.param("#ffffff", "#000000", Decimal(21), id="white-on-black"),
        pytest.param("#777777", "#ffffff", Decimal("4.48"), id="grey-777-just-fails-aa"),
        pytest.param("#ffffff", "#ffffff", Decimal(1), id="the-same-colour"),
    ],
)
def test_contrast_is_worked_out_as_wcag_defines_it(colour, other, ratio):
    assert round(contrast(colour, other), 2) == ratio


def test_the_screen_the_pack_and_the_charts_draw_the_same_rag_colours():
    css = rag_css()

    assert set(css) == {*STATUSES, "missing"}
    assert {status: css[status] for status in STATUSES} == STATUS_COLOURS


@pytest.mark.parametrize("sheet", ["portal.css", "pack.css"])
def test_each_stylesheet_takes_its_rag_colours_from_the_shared_file_and_no_other(sheet):
    text = (CSS / sheet).read_text()
    assert re.search(r'^@import url\("rag\.css"\);$', text, flags=re.M), f"{sheet} must import it"
    assert "--rag-" not in "".join(body for _, body in rules(sheet)).replace("var(--rag-", "")

    # A rule about one status (.rag-red, .figure-amber, .status-word.status-green...)
    # colours it with that status's variable and never with a colour of its own.
    about_a_status = 0
    for selector, body in rules(sheet):
        named = {s for s in [*STATUSES, "missing"] if re.search(rf"-{s}\b", selector)}
        colours = re.findall(r"#[0-9a-fA-F]{3,6}\b|var\(--rag-\w+\)", body)
        if len(named) != 1 or not colours or selector.endswith(".rag-shape"):
            continue
        about_a_status += 1
        (status,) = named
        assert set(colours) == {f"var(--rag-{status})"}, f"{sheet}: {selector} {{{body}}}"
    assert about_a_status >= 4


def backgrounds() -> list:
    """What a RAG word is written on: the page, the screen's summary strip, the pack's draft box."""
    return [
        pytest.param(WHITE, id="white"),
        pytest.param(declared("portal.css", ".summary-strip", "background"), id="summary-strip"),
        pytest.param(declared("pack.css", ".summary-draft", "background"), id="pack-draft-box"),
    ]


@pytest.mark.parametrize("background", backgrounds())
@pytest.mark.parametrize("status", [*STATUSES, "missing"])
def test_a_rag_word_reaches_4_5_to_1_on_what_it_is_written_on(status, background):
    colour = rag_css()[status]

    assert contrast(colour, background) >= TEXT, f"{status} {colour} on {background}"


def a_chart_with_every_zone() -> ET.Element:
    zones = [
        Zone("red", 0, 2, upper=Decimal(60)),
        Zone("amber", 0, 2, lower=Decimal(60), upper=Decimal(80)),
        Zone("green", 0, 2, lower=Decimal(80)),
    ]
    values = [Decimal(50), Decimal(70), Decimal(90)]
    chart = line_chart(
        title="PI1",
        labels=["Jan", "Feb", "Mar"],
        series=[Series("PI1", values, ["red", "amber", "green"])],
        zones=zones,
    )
    return ET.fromstring(str(chart))


@pytest.mark.parametrize("status", STATUSES)
def test_a_chart_marker_stands_out_3_to_1_from_white_and_from_every_zone_tint(status):
    chart = a_chart_with_every_zone()
    (marker,) = [
        e for e in chart.iter() if e.get("class") == "marker" and e.get("data-status") == status
    ]
    fill = marker.get("fill")
    tints = [
        over_white(zone.get("fill"), Decimal(zone.get("fill-opacity")))
        for zone in chart.iter(f"{SVG}rect")
        if zone.get("class") == "zone"
    ]

    assert fill == STATUS_COLOURS[status]
    assert len(tints) == 3
    for background in [WHITE, *tints]:
        assert contrast(fill, background) >= GRAPHICS, f"{status} marker on {background}"


def test_a_chart_marker_says_its_status_by_its_shape_too():
    chart = a_chart_with_every_zone()
    shapes = {
        e.get("data-status"): e.tag.removeprefix(SVG)
        for e in chart.iter()
        if e.get("class") == "marker" and e.get("data-status") in STATUSES
    }

    assert shapes == {"green": "circle", "amber": "rect", "red": "polygon"}


@pytest.mark.parametrize("status", list(Status))
def test_a_rag_badge_carries_its_word_and_a_shape(status):
    badge = rag_badge(status)

    assert badge.endswith(f"</span>{status.label}</span>")
    assert (
        f'<span class="rag rag-{status.value}"><span class="rag-shape" aria-hidden="true">' in badge
    )


@pytest.mark.parametrize("sheet", ["portal.css", "pack.css"])
def test_every_status_has_a_badge_shape_of_its_own(sheet):
    shapes = {
        status: next(
            (body.strip() for sel, body in rules(sheet) if sel == f".rag-{status} .rag-shape"), ""
        )
        for status in Status
    }

    assert all(shapes.values()), f"{sheet}: a status whose badge has no shape: {shapes}"
    assert len(set(shapes.values())) == len(shapes), f"{sheet}: two statuses share a shape"
