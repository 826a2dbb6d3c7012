"""
Geometry of the charts' words: reference labels clear of every line and of each other,
every bar named, a ranking's lines labelled above the bars, and a sentence where one
point or one bar would be a chart that says nothing.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from opb_portal.charts import (
    Bar,
    ReferenceLine,
    Series,
    bar_chart,
    line_chart,
    ranking_chart,
)
from opb_portal.charts.svg import PHONE_WIDTH, text_width

NS = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(f"<div>{markup}</div>")


def svgs(markup) -> list[ET.Element]:
    return list(parse(markup).iter(NS + "svg"))


def find(root, tag, css_class=None):
    return [e for e in root.iter(NS + tag) if css_class is None or e.get("class") == css_class]


def label_boxes(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) of each reference label's white backing, as drawn."""
    children = list(svg)
    return [
        (
            float(rect.get("x")),
            float(rect.get("y")),
            float(rect.get("x")) + float(rect.get("width")),
            float(rect.get("y")) + float(rect.get("height")),
        )
        for rect, text in zip(children, children[1:], strict=False)
        if rect.tag == NS + "rect" and text.get("class") == "reference-label"
    ]


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def refs(*pairs) -> list[ReferenceLine]:
    return [ReferenceLine(label, D(value)) for label, value in pairs]


MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]
CLOSE = [
    pytest.param(refs(("England 10 (2023-24)", "10"), ("Neighbours 9.8", "9.8")), id="two-close"),
    pytest.param(
        refs(("England 68", "68"), ("West Midlands 68", "68"), ("Neighbours 67.3", "67.3")),
        id="two-equal-and-one-close",
    ),
    pytest.param(
        refs(("A 50", "50"), ("B 50.5", "50.5"), ("C 51", "51"), ("D 49.5", "49.5")),
        id="four-within-a-point",
    ),
    pytest.param(refs(("Top 100", "100"), ("Bottom 0", "0")), id="at-the-edges"),
    pytest.param(
        refs(("A very long comparator name indeed 12.5 (March 2024, mean of 9 of 10)", "12.5")),
        id="longer-than-a-phone",
    ),
]


@pytest.mark.parametrize("lines", CLOSE)
@pytest.mark.parametrize("draw", ["line", "bar"])
def test_no_reference_label_is_struck_through_by_a_line_or_laid_over_another(lines, draw):
    kwargs = {
        "title": "PI8",
        "labels": MONTHS,
        "series": [Series("PI8", [D(v) for v in ("10", "40", "60", "50", "45", "70")])],
        "reference_lines": lines,
        "fluid": True,  # the page's drawing and the phone's
    }
    markup = line_chart(**kwargs, y_min=D(0)) if draw == "line" else bar_chart(**kwargs)
    for svg in svgs(markup):
        boxes = label_boxes(svg)
        ys = [float(line.get("y1")) for line in find(svg, "line", "reference")]
        assert len(boxes) == len(lines)
        assert not [(box, y) for box in boxes for y in ys if box[1] <= y <= box[3]]
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]


def test_a_reference_label_keeps_clear_of_the_points_where_there_is_room():
    # The line's own points sit just above it at the left: the label goes elsewhere.
    svg = svgs(
        line_chart(
            title="PI1",
            labels=MONTHS,
            series=[Series("PI1", [D(v) for v in ("52", "52", "52", "30", "90", "30")])],
            reference_lines=refs(("England 50", "50")),
            y_min=D(0),
            y_max=D(100),
        )
    )[0]
    (box,) = label_boxes(svg)
    for marker in find(svg, "circle", "marker"):
        x, y = float(marker.get("cx")), float(marker.get("cy"))
        assert not overlap(box, (x - 4, y - 4, x + 4, y + 4))


def test_every_bar_is_named_even_when_the_names_must_slant():
    labels = [f"Scheme {n}" for n in range(14)]
    svg = svgs(
        bar_chart(
            title="Savings",
            labels=labels,
            series=[Series("Target", [D(n + 1) for n in range(14)])],
            width=480,
        )
    )[0]
    named = find(svg, "text", "x-label")
    assert [t.text for t in named] == labels
    assert all(t.get("transform", "").startswith("rotate(-40") for t in named)


def test_a_single_series_bar_carries_its_figure_written_with_separators():
    svg = svgs(
        bar_chart(
            title="Children",
            labels=["Fostered", "Residential"],
            series=[Series("Children", [D(1234), D(56)])],
        )
    )[0]
    assert [t.text for t in find(svg, "text", "bar-value")] == ["1,234", "56"]


@pytest.mark.parametrize(
    ("draw", "sentence"),
    [
        pytest.param(
            lambda: line_chart(
                title="Referrals", labels=["2024"], series=[Series("Sandwell", [D(429)])]
            ),
            "Referrals: Sandwell 429 in 2024. A trend needs two or more figures over time",
            id="one-point-over-time",
        ),
        pytest.param(
            lambda: line_chart(
                title="Referrals",
                labels=["2023", "2024"],
                series=[Series("Sandwell", [None, D(429)]), Series("England", [None, D(518)])],
            ),
            "Referrals: Sandwell 429 in 2024; England 518 in 2024. A trend needs",
            id="two-series-one-year",
        ),
        pytest.param(
            lambda: line_chart(title="Referrals", labels=["2023", "2024"], series=[]),
            "Referrals: no figures to show yet.",
            id="nothing-at-all",
        ),
        pytest.param(
            lambda: bar_chart(
                title="Rates", labels=["2025"], series=[Series("Sandwell", [D("94.0")])]
            ),
            "Rates: Sandwell 94.0 in 2025. One bar compares nothing",
            id="one-bar",
        ),
        pytest.param(
            lambda: bar_chart(
                title="Rates",
                labels=["2024", "2025"],
                series=[Series("Sandwell", [None, D("94.0")])],
            ),
            "Rates: Sandwell 94.0 in 2025. One bar compares nothing",
            id="one-bar-of-two-years",
        ),
        pytest.param(
            lambda: ranking_chart(title="Rates", bars=[Bar("Sandwell", D("429.3"), "429.3")]),
            "Rates: Sandwell 429.3. One bar compares nothing",
            id="one-authority",
        ),
    ],
)
def test_one_point_or_one_bar_is_a_sentence_not_a_chart(draw, sentence):
    markup = str(draw())
    assert "<svg" not in markup
    assert markup.startswith('<p class="chart-sentence">')
    assert sentence in markup


def test_two_points_are_a_chart():
    markup = line_chart(
        title="Referrals", labels=["2024", "2025"], series=[Series("Sandwell", [D(1), D(2)])]
    )
    assert markup.startswith("<svg")


def authorities():
    return [
        Bar("Stoke-on-Trent", D(191), "191.0"),
        Bar("Luton", D(62), "62.0"),
        Bar("Sandwell (31 March 2025)", D(94), "94.0", highlight=True),
        Bar("Walsall", D(95), "95.0"),
        Bar("Derby", D(100), "100.0"),
    ]


AVERAGES = [
    pytest.param(refs(("Neighbour average: 95.2", "95.2"), ("England: 70.0", "70")), id="apart"),
    pytest.param(
        refs(("Neighbour average: 95.2", "95.2"), ("England: 95.0", "95"), ("Region: 96", "96")),
        id="three-together",
    ),
    pytest.param(refs(("England: 191.0", "191")), id="at-the-largest-bar"),
]


@pytest.mark.parametrize("lines", AVERAGES)
def test_a_ranking_names_every_bar_largest_first_and_labels_its_lines_clear_of_each_other(lines):
    for svg in svgs(
        ranking_chart(
            title="Children we care for", bars=authorities(), reference_lines=lines, fluid=True
        )
    ):
        names = [t.text for t in find(svg, "text", "bar-label")]
        assert names == ["Stoke-on-Trent", "Derby", "Walsall", "Sandwell (31 March 2025)", "Luton"]
        assert [t.get("font-weight") for t in find(svg, "text", "bar-label")] == [
            None,
            None,
            None,
            "bold",
            None,
        ]
        assert [t.text for t in find(svg, "text", "bar-value")] == [
            "191.0",
            "100.0",
            "95.0",
            "94.0",
            "62.0",
        ]
        boxes = label_boxes(svg)
        verticals = [
            (float(line.get("x1")), float(line.get("y1")), float(line.get("y2")))
            for line in find(svg, "line", "reference")
        ]
        assert len(boxes) == len({x for x, _, _ in verticals}) == len(lines)
        # The bars' names, as boxes: 12-unit text, anchored at its end or its start.
        for name in find(svg, "text", "bar-label"):
            width = float(text_width(name.text, 12))
            at, baseline = float(name.get("x")), float(name.get("y"))
            left = at - width if name.get("text-anchor") == "end" else at
            boxes.append((left, baseline - 11, left + width, baseline + 2))
        # No line crosses any label or name (a line runs from its own label's foot down).
        for box in boxes:
            for x, top, bottom in verticals:
                crosses = box[0] <= x <= box[2] and top < box[3] and box[1] < bottom
                assert not crosses, (box, x)
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]
        # The figures stand in their own column, right of every line.
        # right-aligned: each figure ends at x
        first_figure = min(float(t.get("x")) for t in find(svg, "text", "bar-value"))
        widest = float(max(text_width(t.text) for t in find(svg, "text", "bar-value")))
        assert max(x for x, _, _ in verticals) < first_figure - widest


def test_a_ranking_highlights_its_bar_with_a_pattern_as_well_as_a_colour():
    svg = svgs(ranking_chart(title="Rates", bars=authorities()))[0]
    patterned = find(svg, "rect", "bar-pattern")
    assert len(patterned) == 1
    assert patterned[0].get("fill").startswith("url(#")


def test_a_page_chart_is_drawn_again_for_a_phone():
    markup = ranking_chart(title="Rates", bars=authorities(), fluid=True)
    wide, narrow = parse(markup)
    assert (wide.get("class"), narrow.get("class")) == ("chart-wide", "chart-narrow")
    assert narrow.find(NS + "svg").get("viewBox").startswith(f"0 0 {PHONE_WIDTH} ")
    # Both keep their accessible name and description for the pack's alternative text.
    for drawn in (wide, narrow):
        svg = drawn.find(NS + "svg")
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(NS + "title").get("id") == title_id
        assert "largest first" in svg.find(NS + "desc").text
        assert svg.find(NS + "desc").get("id") == desc_id
