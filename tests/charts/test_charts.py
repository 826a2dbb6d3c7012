import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from opb_portal.charts import (
    AMBER,
    GREEN,
    RED,
    ReferenceLine,
    Series,
    Zone,
    bar_chart,
    line_chart,
    sparkline,
    table_rows,
)

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def find(root: ET.Element, tag: str, css_class: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(NS + tag) if css_class is None or e.get("class") == css_class]


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [e.text for e in find(root, "text", css_class)]


def label_boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """(left, top, right, bottom) of each reference label's white backing, as drawn."""
    children = list(root)
    return [
        (x, y, x + float(rect.get("width")), y + float(rect.get("height")))
        for rect, text in zip(children, children[1:], strict=False)
        if rect.tag == NS + "rect" and text.get("class") == "reference-label"
        for x, y in [(float(rect.get("x")), float(rect.get("y")))]
    ]


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def values(*numbers) -> list[D | None]:
    return [None if n is None else D(str(n)) for n in numbers]


def a_line_chart(**overrides):
    arguments = {
        "title": "PI1 visits in time",
        "labels": MONTHS,
        "series": [Series("PI1", values(80, 82, 85, 90, 88, 91))],
    }
    return line_chart(**(arguments | overrides))


def a_bar_chart(**overrides):
    arguments = {
        "title": "Agency staff",
        "labels": MONTHS[:3],
        "series": [Series("North", values(3, 4, 5)), Series("South", values(6, None, 2))],
    }
    return bar_chart(**(arguments | overrides))


EVERY_KIND = [
    pytest.param(lambda title: sparkline(values(1, 2, 3), title=title), id="sparkline"),
    pytest.param(lambda title: a_line_chart(title=title), id="line"),
    pytest.param(lambda title: a_bar_chart(title=title), id="bar"),
    pytest.param(lambda title: a_bar_chart(title=title, stacked=True), id="stacked-bar"),
]


@pytest.mark.parametrize("draw", EVERY_KIND)
def test_every_chart_is_an_image_named_by_its_title_and_desc(draw):
    root = parse(draw("Children seen"))

    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title[@id='{title_id}']").text == "Children seen"
    assert root.find(f"{NS}desc[@id='{desc_id}']").text.endswith(".")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


@pytest.mark.parametrize("draw", EVERY_KIND)
def test_a_hostile_title_is_escaped_not_injected(draw):
    title = '<script>alert(1)</script> & "x"'

    root = parse(draw(title))

    assert root.find(NS + "title").text == title
    assert not [e for e in root.iter() if e.tag.endswith("script")]


def test_labels_series_names_and_reference_labels_are_escaped():
    root = parse(
        a_line_chart(
            labels=[f"<b>{m}</b>" for m in MONTHS],
            series=[Series("A & <i>B</i>", values(1, 2, 3, 4, 5, 6)), Series("C", [None] * 6)],
            reference_lines=[ReferenceLine("<em>Target</em>", D(3))],
            y_label="<u>%</u>",
        )
    )

    assert not [e for e in root.iter() if e.tag in (NS + "b", NS + "i", NS + "em", NS + "u")]
    assert "<b>Sep</b>" in texts(root, "x-label")
    assert texts(root, "reference-label") == ["<em>Target</em>"]
    assert "A & <i>B</i>" in [e.text for e in find(root, "text")]


def test_the_same_input_gives_byte_identical_output():
    assert str(a_line_chart()) == str(a_line_chart())
    assert str(a_bar_chart(stacked=True)) == str(a_bar_chart(stacked=True))


def test_different_charts_on_one_page_get_different_ids():
    first = parse(a_line_chart(title="PI1")).get("aria-labelledby")
    second = parse(a_line_chart(title="PI2")).get("aria-labelledby")

    assert first != second


def test_coordinates_are_written_with_at_most_one_decimal_place():
    svg = str(a_line_chart(series=[Series("Thirds", values(1, "1.3333333", 2, "2.6666667", 3, 0))]))

    numbers = re.findall(r'(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|points)="([^"]*)"', svg)
    assert numbers
    assert not [n for n in numbers if re.search(r"\.\d{2,}", n)]


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda v: parse(sparkline(v, title="PI1")), id="sparkline"),
        pytest.param(lambda v: parse(a_line_chart(series=[Series("PI1", v)])), id="line"),
    ],
)
def test_a_missing_month_breaks_the_line(draw):
    root = draw(values(80, 82, None, 90, 88, 91))

    paths = find(root, "path", "line")
    assert len(paths) == 2
    assert paths[0].get("d").count("L") == 1  # Apr to May, then a gap
    assert paths[1].get("d").count("L") == 2  # Jul to Sep


def test_a_month_with_no_neighbours_is_still_marked():
    root = parse(a_line_chart(series=[Series("PI1", values(80, None, 85, None, None, 91))]))

    assert find(root, "path", "line") == []
    assert len(find(root, "circle", "marker")) == 3


@pytest.mark.parametrize(
    ("status", "tag", "colour"),
    [
        pytest.param("green", "circle", GREEN, id="green-circle"),
        pytest.param("amber", "rect", AMBER, id="amber-square"),
        pytest.param("red", "polygon", RED, id="red-diamond"),
    ],
)
def test_each_status_has_its_own_marker_shape_as_well_as_colour(status, tag, colour):
    statuses = [None] * 5 + [status]
    series = Series("PI1", values(80, 82, 85, 90, 88, 91), statuses)

    for root in (
        parse(a_line_chart(series=[series])),
        parse(sparkline(series.values, title="x", statuses=statuses)),
    ):
        [marker] = [e for e in root.iter() if e.get("data-status") == status]
        assert marker.tag == NS + tag
        assert marker.get("fill") == colour


def test_a_sparkline_marks_its_latest_point_larger():
    root = parse(sparkline(values(1, 2, 3, None), title="PI1", statuses=["green"] * 3 + [None]))

    radii = [D(c.get("r")) for c in find(root, "circle", "marker")]
    assert radii[-1] > radii[0]
    assert "latest 3 (green), 1 missing" in root.find(NS + "desc").text


def test_zones_are_drawn_behind_the_line_with_their_statuses():
    zones = [
        Zone("green", 0, 5, lower=D(85)),
        Zone("amber", 0, 5, lower=D(80), upper=D(85)),
        Zone("red", 0, 5, upper=D(80)),
    ]
    root = parse(a_line_chart(zones=zones))

    rects = find(root, "rect", "zone")
    assert [r.get("data-status") for r in rects] == ["green", "amber", "red"]
    drawn = list(root.iter())
    assert drawn.index(rects[-1]) < drawn.index(find(root, "path", "line")[0])
    assert texts(root, "zone-label") == ["Green", "Amber", "Red"]


def test_zones_read_in_black_and_white_through_patterns():
    zones = [Zone("amber", 0, 5, D(80), D(85)), Zone("red", 0, 5, upper=D(80))]
    root = parse(a_line_chart(zones=zones))

    fills = [r.get("fill") for r in find(root, "rect", "zone-pattern")]
    assert len(set(fills)) == 2
    defined = {p.get("id") for p in find(root, "pattern")}
    assert {f.removeprefix("url(#").removesuffix(")") for f in fills} <= defined


def test_a_revised_rule_steps_the_zone_between_months():
    zones = [
        Zone("amber", 0, 2, lower=D(80), upper=D(85)),
        Zone("amber", 3, 5, lower=D(82), upper=D(90)),  # revised from July
    ]
    root = parse(a_line_chart(zones=zones))

    before, after = find(root, "rect", "zone")
    assert D(before.get("y")) > D(after.get("y"))  # the band moved up the chart
    assert D(before.get("height")) < D(after.get("height"))  # and widened
    assert D(before.get("x")) + D(before.get("width")) == D(after.get("x"))  # June/July
    assert texts(root, "zone-label") == ["Amber"]  # once, beside the rule now in force


def test_a_zone_edge_of_none_reaches_the_edge_of_the_chart():
    root = parse(a_line_chart(zones=[Zone("red", 0, 5)]))

    [zone] = find(root, "rect", "zone")
    gridlines = [e for e in find(root, "line") if e.get("stroke") == "#dcdcdc"]
    assert zone.get("y") == min(gridlines, key=lambda g: D(g.get("y1"))).get("y1")


def test_a_reference_line_is_dashed_and_labelled():
    root = parse(a_line_chart(reference_lines=[ReferenceLine("England 83.4 (2024)", D("83.4"))]))

    [line] = find(root, "line", "reference")
    assert line.get("stroke-dasharray")
    assert line.get("y1") == line.get("y2")
    assert texts(root, "reference-label") == ["England 83.4 (2024)"]


def y_ticks(root: ET.Element) -> list[D]:
    return [D(t.replace(",", "")) for t in texts(root, "y-tick")]


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param((80, 82, 85, 90, 88, 91), id="percentages"),
        pytest.param((0, 12, 37, 55, 61, 100), id="zero-to-hundred"),
        pytest.param(("0.12", "0.15", "0.31", "0.2", "0.18", "0.37"), id="small-fractions"),
        pytest.param((1234, 5678, 98765, 45000, 3000, 70000), id="thousands"),
        pytest.param((-5, -2, 0, 3, 5, 1), id="crossing-zero"),
        pytest.param((83, 83, 83, 83, 83, 83), id="flat"),
        pytest.param((0, 0, 0, 0, 0, 0), id="all-zero"),
    ],
)
def test_y_ticks_are_a_few_nice_numbers_covering_the_data(numbers):
    data = values(*numbers)
    ticks = y_ticks(parse(a_line_chart(series=[Series("x", data)])))

    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    [step] = steps
    assert step.normalize().as_tuple().digits in {(1,), (2,), (2, 5), (5,)}
    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= min(data)
    assert ticks[-1] >= max(data)


def test_the_axis_does_not_go_below_zero_for_data_that_never_does():
    ticks = y_ticks(parse(a_line_chart(series=[Series("x", values(0, 1, 2, 3, 4, 5))])))

    assert ticks[0] == 0


def test_y_min_and_y_max_pin_the_axis_unless_the_data_passes_them():
    pinned = y_ticks(parse(a_line_chart(y_min=D(0), y_max=D(100))))
    passed = y_ticks(parse(a_line_chart(y_min=D(0), y_max=D(50))))

    assert (pinned[0], pinned[-1]) == (0, 100)
    assert passed[-1] >= 91


def test_the_axis_includes_zones_and_reference_lines():
    root = parse(
        a_line_chart(
            zones=[Zone("red", 0, 5, upper=D(60))], reference_lines=[ReferenceLine("Floor", D(50))]
        )
    )

    assert y_ticks(root)[0] <= 50


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        pytest.param(6, 6, id="six-months-all-shown"),
        pytest.param(12, 12, id="a-year-all-shown"),
        pytest.param(36, 12, id="three-years-every-third"),
        pytest.param(100, 12, id="a-hundred-every-ninth"),
    ],
)
def test_many_labels_are_thinned_keeping_the_latest(count, shown):
    labels = [f"M{i}" for i in range(count)]
    root = parse(a_line_chart(labels=labels, series=[Series("x", [D(i) for i in range(count)])]))

    drawn = texts(root, "x-label")
    assert len(drawn) == shown
    assert drawn[-1] == labels[-1]


def test_long_labels_are_thinned_to_fit_a_narrow_chart():
    labels = [f"September {2000 + i}" for i in range(12)]
    root = parse(
        a_line_chart(labels=labels, series=[Series("x", [D(i) for i in range(12)])], width=320)
    )

    assert len(texts(root, "x-label")) < 12


def bars(root: ET.Element) -> list[ET.Element]:
    return find(root, "rect", "bar")


def test_stacked_bars_add_up_to_the_total():
    root = parse(
        a_bar_chart(
            labels=["Apr", "May"],
            series=[
                Series("A", values(10, 60)),
                Series("B", values(20, 0)),
                Series("C", values(30, 0)),
            ],
            stacked=True,
        )
    )

    april = [b for b in bars(root) if b.get("x") == bars(root)[0].get("x")]
    may = [b for b in bars(root) if b not in april]
    assert len(april) == 3
    heights = [D(b.get("height")) for b in april]
    assert heights[0] < heights[1] < heights[2]
    assert sum(heights) == sum(D(b.get("height")) for b in may)
    for lower, upper in zip(april, april[1:], strict=False):  # each segment sits on the last
        assert D(upper.get("y")) + D(upper.get("height")) == D(lower.get("y"))


def test_stacked_negative_values_hang_below_zero():
    root = parse(
        a_bar_chart(
            series=[Series("A", values(5, 5, 5)), Series("B", values(-2, -2, -2))], stacked=True
        )
    )

    a, b = bars(root)[:2]
    assert D(b.get("y")) == D(a.get("y")) + D(a.get("height"))


def test_grouped_bars_stand_side_by_side_and_missing_values_leave_a_gap():
    root = parse(a_bar_chart())

    assert len(bars(root)) == 5  # South has no May figure
    north, south = bars(root)[:2]
    assert D(north.get("x")) + D(north.get("width")) == D(south.get("x"))


def test_bar_series_differ_by_pattern_as_well_as_colour_and_are_in_the_legend():
    root = parse(a_bar_chart(series=[Series(f"Team {i}", values(1, 2, 3)) for i in range(5)]))

    overlays = {b.get("fill") for b in find(root, "rect", "bar-pattern")}
    assert len(overlays) == 4  # the first series is plain
    defined = {p.get("id") for p in find(root, "pattern")}
    assert {f.removeprefix("url(#").removesuffix(")") for f in overlays} == defined
    assert [e.text for e in find(root, "text") if (e.text or "").startswith("Team")] == [
        f"Team {i}" for i in range(5)
    ]


def test_a_bar_chart_with_a_reference_line_labels_it():
    root = parse(a_bar_chart(reference_lines=[ReferenceLine("Budget", D(4))]))

    assert texts(root, "reference-label") == ["Budget"]


def test_a_fluid_chart_fills_its_container_and_keeps_its_shape():
    wide, narrow = parse(f"<div>{a_line_chart(fluid=True)}</div>")

    assert (wide.get("class"), narrow.get("class")) == ("chart-wide", "chart-narrow")
    for drawn, view_box in ((wide, "0 0 640 280"), (narrow, "0 0 320 252")):
        svg = drawn.find(NS + "svg")
        assert svg.get("width") == "100%"
        assert svg.get("height") is None
        assert svg.get("viewBox") == view_box


def test_a_page_chart_and_its_phone_drawing_have_their_own_ids_and_names():
    wide, narrow = parse(f"<div>{a_line_chart(fluid=True)}</div>")
    svgs = [drawn.find(NS + "svg") for drawn in (wide, narrow)]

    assert svgs[0].get("aria-labelledby") != svgs[1].get("aria-labelledby")
    assert [svg.find(NS + "title").text for svg in svgs] == ["PI1 visits in time"] * 2


def test_the_description_summarises_the_latest_values():
    series = Series(
        "PI1", values(80, 82, 85, 90, 88, None), ["red", "amber", None, None, "green", None]
    )

    desc = parse(a_line_chart(series=[series], zones=[Zone("red", 0, 5)])).find(NS + "desc").text

    assert desc.startswith("Line chart of PI1 from Apr to Sep")
    assert "latest PI1 88 in Aug (green)" in desc
    assert "red ranges" in desc


def test_table_rows_give_the_same_numbers_as_text():
    rows = table_rows(
        ["Apr", "May"], [Series("A", [D("85.50"), None]), Series("B", [D("1E+2"), D(-3)])]
    )

    # As opb_portal.formatting writes them: a real minus sign.
    assert rows == [("Apr", ["85.50", "100"]), ("May", ["\u2013", "\u22123"])]


def test_a_charts_words_group_thousands_as_every_page_does():
    rows = table_rows(["2025"], [Series("Referrals", [D(3728)])])
    assert rows == [("2025", ["3,728"])]


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(lambda: a_line_chart(series=[Series("x", values(1, 2))]), id="too-few-values"),
        pytest.param(
            lambda: sparkline(values(1, 2), title="x", statuses=["green"]), id="too-few-statuses"
        ),
        pytest.param(
            lambda: sparkline(values(1, 2), title="x", statuses=["green", "gren"]),
            id="misspelt-status",
        ),
        pytest.param(lambda: a_line_chart(zones=[Zone("red", 4, 6)]), id="zone-past-the-labels"),
        pytest.param(lambda: a_line_chart(zones=[Zone("pink", 0, 1)]), id="zone-unknown-status"),
        pytest.param(lambda: table_rows(["Apr"], [Series("x", [])]), id="table-too-few-values"),
    ],
)
def test_inconsistent_input_is_refused(draw):
    with pytest.raises(ValueError, match=r"status|value|label"):
        draw()


def test_the_rag_missing_status_is_drawn_as_no_status():
    root = parse(sparkline(values(1, 2, 3), title="x", statuses=["missing", "green", "missing"]))

    assert [e.get("data-status") for e in root.iter() if e.get("data-status")] == ["green", "none"]


def test_a_band_kpi_names_both_of_its_amber_zones():
    zones = [
        Zone("red", 0, 5, upper=D(70)),
        Zone("amber", 0, 5, lower=D(70), upper=D(80)),
        Zone("green", 0, 5, lower=D(80), upper=D(90)),
        Zone("amber", 0, 5, lower=D(90), upper=D(95)),
        Zone("red", 0, 5, lower=D(95)),
    ]
    root = parse(a_line_chart(zones=zones, y_min=D(60), y_max=D(100)))

    assert sorted(texts(root, "zone-label")) == ["Amber", "Amber", "Green", "Red", "Red"]


def test_labels_of_comparators_close_in_value_do_not_overlap():
    svg = line_chart(
        title="PI8",
        labels=["Jan", "Feb"],
        series=[Series(name="PI8", values=[D("10.5"), D("10.2")])],
        y_min=D("0"),
        y_max=D("100"),  # on this scale 10 and 9.8 are a pixel apart
        reference_lines=[
            ReferenceLine(label="England 10 (2023-24)", value=D("10")),
            ReferenceLine(label="Statistical neighbours 9.8 (2023-24)", value=D("9.8")),
        ],
    )
    root = ET.fromstring(str(svg))
    boxes = label_boxes(root)
    lines = [float(line.get("y1")) for line in find(root, "line", "reference")]
    assert len(boxes) == 2
    assert not overlap(*boxes)
    assert not [(box, y) for box in boxes for y in lines if box[1] <= y <= box[3]]
