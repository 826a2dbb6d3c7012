"""The board pack's "Looking ahead" page, read back from the PDF as a board member reads it."""

from __future__ import annotations

import re

import pytest

from kpis import pack
from opb_portal.boardpack import sections
from opb_portal.periods import Period

from ..boardpack.conftest import flat, pages_between

MARCH = Period(2025, 3)
TITLE = "Looking ahead: the KPIs' forecasts"


def test_it_comes_after_the_kpi_pages_and_before_the_appendices():
    keys = [section.key for section in sections.pack_sections()]
    assert keys.index("kpi-attention") < keys.index("kpi-outlook") < keys.index("kpi-definitions")


def test_it_holds_each_kpis_outlook_from_the_months_forecasts(demo):
    with sections.one_build():
        built = pack.build_outlook(MARCH)

    assert [o.kpi.code for o in built["outlooks"]] == [f"PI{n}" for n in range(1, 16)]
    assert built["without"] == []
    assert {o.last_period for o in built["outlooks"]} == {MARCH}


@pytest.fixture
def page(demo_march_pack) -> str:
    keys = [section.key for section in sections.pack_sections()]
    after = sections.pack_sections()[keys.index("kpi-outlook") + 1]
    return flat(pages_between(demo_march_pack.pages, TITLE, after.title))


def test_the_page_says_these_are_forecasts_and_how_they_are_made(page):
    assert "Forecasts, not figures" in page
    # The headings, as poppler lays out their wrapped columns.
    assert "Chance red in Apr-25" in page
    assert "April 2025:" in page
    assert "(forecast)" in page
    assert "How the forecasts are made" in page
    assert "fourth" in page


def test_every_kpi_has_its_signal_forecast_interval_chance_and_accuracy(page):
    for number in range(1, 16):
        assert f"PI{number} " in page
    assert page.count("Forecast ") >= 15
    assert page.count("80% interval") >= 15  # each KPI's, and the heading on each page
    assert len(re.findall(r"Steady:|Red next|Green by|4th red|Escalated", page)) >= 15
    assert page.count("Over the ") == 15
    assert page.count("Method:") == 15
