"""The sensitivity ("tornado") chart the scenarios list and the pack draw (opb_portal.charts)."""

import re
from decimal import Decimal

from opb_portal.charts import Swing, tornado_chart

SWINGS = [
    Swing("Agency share (±5 points)", Decimal("8.5"), Decimal("9.0"), "£8.50m", "£9.00m"),
    Swing("Residential children (±5)", Decimal("8.0"), Decimal("9.6"), "£8.00m", "£9.60m"),
]


def draw(**kwargs):
    args = {"title": "Model: what moves the deficit", "base": Decimal("8.79"),
            "base_text": "£8.79m", "swings": SWINGS} | kwargs  # fmt: skip
    return str(tornado_chart(**args))


def test_the_widest_swing_comes_first_with_its_figures_at_the_right():
    svg = draw()
    assert re.findall(r'class="bar-label"[^>]*>([^<]+)<', svg) == [
        "Residential children (±5)",
        "Agency share (±5 points)",
    ]
    assert re.findall(r'class="bar-value"[^>]*>([^<]+)<', svg) == [
        "£8.00m to £9.60m",
        "£8.50m to £9.00m",
    ]


def test_each_row_has_a_bar_either_side_of_the_base_told_apart_by_pattern_as_well():
    svg = draw()
    assert svg.count('class="bar bar-lower"') == 2
    assert svg.count('class="bar bar-higher"') == 2
    # The side above the base carries its series' pattern, so grey print still reads.
    assert svg.count('class="bar bar-higher-pattern"') == 2
    lower = re.search(r'class="bar bar-lower"[^>]*x="([\d.]+)"[^>]*width="([\d.]+)"', svg)
    higher = re.search(r'class="bar bar-higher"[^>]*x="([\d.]+)"', svg)
    assert Decimal(lower[1]) + Decimal(lower[2]) == Decimal(higher[1])  # they meet at the base


def test_the_base_is_a_labelled_dashed_line_and_the_description_says_every_figure():
    svg = draw()
    assert 'class="reference-label"' in svg
    assert ">Base: £8.79m<" in svg
    assert "<desc" in svg
    assert (
        "Sensitivity of 2 inputs either side of the base, £8.79m, widest first: "
        "Residential children (±5) £8.00m to £9.60m; Agency share (±5 points) £8.50m to £9.00m."
    ) in svg


def test_a_page_s_chart_comes_wide_and_narrow():
    html = draw(fluid=True)
    assert html.count("<svg") == 2
    assert 'class="chart-narrow"' in html


def test_no_swings_is_a_sentence_not_a_chart():
    assert draw(swings=[]) == (
        '<p class="chart-sentence">Model: what moves the deficit: no figures to show yet.</p>'
    )
