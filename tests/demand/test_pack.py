"""The demand page of the board pack (not yet registered; see demand/pack.py)."""

from django.template.loader import render_to_string

from demand import pack
from opb_portal.boardpack import sections
from opb_portal.periods import Period


def test_the_pack_page_shows_the_years_rates_and_the_residential_cost(demo, demand):
    html = render_to_string("demand/pack.html", pack.build(Period(2025, 3)))
    assert "Demand: March 2025" in html
    assert "40.7" in html
    assert "79 children at £6,748 a week against the plan's 62 at £6,508" in html
    assert html.count("<svg") == 2


def test_the_headline_gives_counts_with_rates_and_rag(demo, demand):
    items = {item.label: item for item in pack.headline(Period(2025, 3))}
    assert items["Children on a child protection plan"].value == "353 (40.7 per 10,000)"
    assert items["Children on a child protection plan"].status == "green"
    assert items["Children we care for"].value == "816 (94.0 per 10,000)"
    assert items["Referrals"].value == "3,728 (429.3 per 10,000)"
    assert items["Children in residential placements"].value == "79 against a plan of 62"


def test_registering_adds_one_demand_section_after_the_kpis():
    try:
        pack.register()
        (section,) = [s for s in sections.all_sections() if s.key == "demand"]
        assert (section.title, section.order, section.template) == (
            "Demand",
            400,
            "demand/pack.html",
        )
    finally:
        sections.unregister("demand")
