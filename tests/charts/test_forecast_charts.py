"""
A line chart that ends in a forecast: the months ahead are never drawn as figures.

They come after a divider named "Forecast", as a dashed line with hollow markers that
continues from the last actual, over a shaded band for the 80% interval; the legend, the
description and the table alternative all say which values are forecasts.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest

from opb_portal.charts import Series, Zone, line_chart, table_rows

NS = "{http://www.w3.org/2000/svg}"
MONTHS = ["Jan-25", "Feb-25", "Mar-25", "Apr-25", "May-25", "Jun-25", "Jul-25"]


def values(*numbers):
    return [None if n is None else D(str(n)) for n in numbers]


def pi1(**overrides) -> Series:
    """Four actual months falling through amber, then three forecast months turning red."""
    arguments = {
        "name": "PI1",
        "values": values(86, 84, 81, 79, 77.5, 76, 74.5),
        "statuses": ["green", "amber", "amber", "amber", "amber", "amber", "red"],
        "forecast_from": 4,
        "lower": values(None, None, None, None, 74, 71, 68),
        "upper": values(None, None, None, None, 81, 81.5, 82),
    }
    return Series(**(arguments | overrides))


def chart(series=None, **overrides):
    arguments = {"title": "PI1 visits", "labels": MONTHS, "series": [series or pi1()]}
    if isinstance(series, list):
        arguments["series"] = series
    return ET.fromstring(str(line_chart(**(arguments | overrides))))


def of_class(root, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("class") == css_class]


def points(path: ET.Element) -> list[tuple[float, float]]:
    return [
        (float(x), float(y)) for x, y in re.findall(r"[MLZ]?(-?[\d.]+),(-?[\d.]+)", path.get("d"))
    ]


def test_each_forecast_month_is_a_hollow_marker_and_each_actual_a_filled_one():
    root = chart()

    forecast = of_class(root, "marker forecast")
    actual = of_class(root, "marker")

    assert len(forecast) == 3
    assert {m.get("fill") for m in forecast} == {"#fff"}
    assert all(m.get("stroke-width") == "2" for m in forecast)
    assert "#fff" not in {m.get("fill") for m in actual}
    assert [m.find(NS + "title").text for m in forecast] == [
        "May-25: PI1 forecast 77.5 (74 to 81) (amber)",
        "Jun-25: PI1 forecast 76 (71 to 81.5) (amber)",
        "Jul-25: PI1 forecast 74.5 (68 to 82) (red)",
    ]


def test_a_forecast_marker_keeps_its_status_shape():
    shapes = {
        m.get("data-status"): m.tag.removeprefix(NS) for m in of_class(chart(), "marker forecast")
    }

    assert shapes == {"amber": "rect", "red": "polygon"}


def test_the_forecast_line_is_dashed_and_continues_from_the_last_actual():
    root = chart()
    (actual,) = of_class(root, "line")
    (forecast,) = of_class(root, "line forecast")

    assert not actual.get("stroke-dasharray")
    assert forecast.get("stroke-dasharray") == "5 4"
    assert len(points(actual)) == 4
    assert points(forecast)[0] == points(actual)[-1]
    assert len(points(forecast)) == 4


def test_the_80_percent_interval_is_a_band_widening_from_the_last_actual():
    root = chart()
    (band,) = of_class(root, "forecast-band")
    (actual,) = of_class(root, "line")
    corners = points(band)

    assert band.get("d").endswith("Z")
    assert band.get("fill-opacity") == "0.18"
    assert band.get("stroke-dasharray")  # its edges are dashed: not told by tint alone
    assert corners[0] == points(actual)[-1]
    # The last actual, the three upper bounds, then the three lower bounds back.
    assert len(corners) == 7
    uppers, lowers = corners[1:4], corners[4:][::-1]
    assert all(u[1] < lo[1] for u, lo in zip(uppers, lowers, strict=True))


def test_a_divider_named_forecast_stands_at_the_first_forecast_month():
    root = chart()
    (divider,) = of_class(root, "forecast-divider")
    (label,) = of_class(root, "forecast-label")
    last_actual = points(of_class(root, "line")[0])[-1][0]
    first_forecast = points(of_class(root, "line forecast")[0])[1][0]

    assert label.text == "Forecast"
    assert label.get("font-style") == "italic"
    assert last_actual < float(divider.get("x1")) < first_forecast


def test_the_legend_names_the_forecast_and_its_interval():
    texts = [t.text for t in chart().iter(NS + "text")]

    assert "PI1" in texts
    assert "Forecast (80% interval)" in texts


def test_the_description_says_which_months_are_forecast_and_their_interval():
    desc = chart().find(NS + "desc").text

    assert "latest PI1 79 in Apr-25 (amber)" in desc
    assert (
        "May-25 to Jul-25 are a forecast, not figures, drawn dashed with hollow markers: "
        "PI1 77.5 in May-25 (80% interval 74 to 81), 74.5 in Jul-25 (80% interval 68 to 82)"
    ) in desc


def test_the_table_alternative_marks_each_forecast_with_its_interval():
    rows = table_rows(MONTHS, [pi1()])

    assert rows[3] == ("Apr-25", ["79"])
    assert rows[4] == ("May-25", ["Forecast 77.5 (74 to 81)"])
    assert rows[6] == ("Jul-25", ["Forecast 74.5 (68 to 82)"])


def test_a_forecast_without_an_interval_is_still_marked_and_draws_no_band():
    series = pi1(lower=None, upper=None)

    assert table_rows(MONTHS, [series])[4] == ("May-25", ["Forecast 77.5"])
    assert of_class(chart(series), "forecast-band") == []
    assert len(of_class(chart(series), "marker forecast")) == 3


def test_a_forecast_without_an_interval_claims_none_in_the_legend():
    texts = [t.text for t in chart(pi1(lower=None, upper=None)).iter(NS + "text")]

    assert "Forecast" in texts
    assert not [text for text in texts if text and "80% interval" in text]


def test_the_zones_run_on_across_the_forecast_months():
    zones = [Zone("red", 0, 6, upper=D(70)), Zone("green", 0, 6, lower=D(80))]
    root = chart(zones=zones)
    (divider,) = of_class(root, "forecast-divider")

    for zone in of_class(root, "zone"):
        assert float(zone.get("x")) + float(zone.get("width")) > float(divider.get("x1"))


def test_the_latest_actual_month_keeps_its_label_when_forecast_months_follow():
    many = [f"M{i}" for i in range(30)]
    series = Series(
        "PI1",
        [D(80 + i % 3) for i in range(30)],
        forecast_from=24,
        lower=[None] * 24 + [D(70)] * 6,
        upper=[None] * 24 + [D(90)] * 6,
    )
    labels = [t.text for t in of_class(chart(series, labels=many), "x-label")]

    assert "M23" in labels


def test_a_fluid_chart_draws_the_forecast_in_both_its_wide_and_narrow_forms():
    markup = str(line_chart(title="PI1", labels=MONTHS, series=[pi1()], fluid=True))
    wide, narrow = markup.split('<div class="chart-narrow">')

    for drawn in (wide, narrow):
        assert drawn.count('class="marker forecast"') == 3
        assert drawn.count('class="forecast-band"') == 1
        assert "Forecast (80% interval)" in drawn


def test_a_chart_without_a_forecast_draws_nothing_of_one():
    plain = Series("PI1", values(86, 84, 81, 79, 77.5, 76, 74.5))
    markup = str(line_chart(title="PI1", labels=MONTHS, series=[plain]))

    assert "forecast" not in markup.lower()
    assert "legend" not in markup  # one series and no forecast: no legend, as before


def test_a_series_without_a_forecast_has_the_repr_that_names_its_chart():
    # A chart's id is a hash of its arguments' repr: unchanged, so are existing charts' ids.
    assert repr(Series("PI1", [D(1)], ["green"])) == (
        "Series(name='PI1', values=[Decimal('1')], statuses=['green'])"
    )


def test_two_series_name_each_forecast_in_the_legend():
    other = pi1(name="England", forecast_from=5)
    texts = [t.text for t in chart([pi1(), other]).iter(NS + "text")]

    assert "PI1: forecast (80% interval)" in texts
    assert "England: forecast (80% interval)" in texts


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"forecast_from": 0}, id="a-forecast-with-no-figure-before-it"),
        pytest.param({"forecast_from": 7}, id="a-forecast-past-the-labels"),
        pytest.param({"lower": values(1, 2)}, id="too-few-lower-bounds"),
        pytest.param({"upper": values(*range(8))}, id="too-many-upper-bounds"),
    ],
)
def test_a_forecast_that_does_not_fit_its_labels_is_refused(overrides):
    with pytest.raises(ValueError, match="PI1"):
        line_chart(title="PI1", labels=MONTHS, series=[pi1(**overrides)])
