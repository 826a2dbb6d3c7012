"""
The finance dashboard's "Driver model" and "Next year and the medium term" sections: the
model's outturn beside the Trust's forecast, marked as a forecast, never as a figure.
"""

import re

import pytest

from opb_portal.accounts.models import User
from opb_portal.core import projections

from .test_dashboard import page, row, section


@pytest.fixture(autouse=True)
def carried_forward(monkeypatch):
    """The engine's arithmetic on its own: no domain projecting the children (demand's
    projection is tested on its own below, with one the test registers)."""
    monkeypatch.setattr(projections, "_PROVIDERS", {})


@pytest.fixture
def officer(client, finance_demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def test_the_driver_model_is_marked_as_a_forecast_and_reconciled_with_the_trust(officer):
    model = section(page(officer, period="2024-09"), "model-heading")
    assert "Model: a forecast" in model
    assert "These are forecasts, not figures." in model
    assert re.search(r"Model in-year deficit \(forecast\).*£6,377,620", model, re.S)
    assert re.search(r"The Trust's forecast in-year deficit</dt><dd[^>]*>£6,377,620", model)
    residential = row(model, "PL-RES")
    assert residential.count("£23,358,258") == 2  # the Trust's forecast and the model's
    assert '<span class="forecast fst-italic">£23,358,258</span>' in residential
    assert "Children in residential placements: 70" in residential


def test_every_lines_difference_is_shown_zero_included_and_said_in_words(officer):
    model = section(page(officer, period="2024-09"), "model-heading")
    other = row(model, "PL-OTHER")
    assert "£0" in other
    assert "Not modelled from drivers: the model takes the Trust&#x27;s own forecast." in other
    # A pound or two of rounding is still shown, and said to be rounding.
    fostering = row(model, "PL-INTFOST")
    assert "+£2" in fostering
    assert "without rounding each month to the pound" in fostering


def test_each_driver_is_drawn_actual_then_the_models_path_against_the_plan(officer):
    model = section(page(officer, period="2024-09"), "model-heading")
    # The model's months are a forecast: dashed and hollow after a divider, so named.
    assert "Oct-24 to Mar-25 are a forecast, not figures" in model
    assert 'class="line forecast"' in model
    assert "Plan: 62" in model
    assert "Plan: £6,508" in model


def test_in_march_every_month_is_actual_and_the_model_is_the_trusts_forecast(officer):
    model = section(page(officer, period="2025-03"), "model-heading")
    assert re.search(r"Difference \(model − Trust\)</dt><dd[^>]*>£0<", model)
    assert "are a forecast" not in model  # no months left for the model to cost
    assert "Every month is actual to Mar-25" in row(model, "PL-RES")


def test_next_year_and_the_medium_term_show_three_years_and_their_assumptions(officer):
    ahead = section(page(officer, period="2025-03"), "ahead-heading")
    assert "Model: a forecast" in ahead
    years = re.findall(r'<th scope="row">(\d{4}-\d\d)', ahead)
    assert years == ["2025-26", "2026-27", "2027-28"]
    assert "£11,982,370" in ahead  # the 2025-26 plan's own deficit: the seeds' "c. £12m"
    assert ahead.count("(no plan yet)") == 2
    assert "Placement weekly costs: 4% a year." in ahead


def test_a_month_without_figures_has_no_model_sections(officer):
    html = page(officer, period="2025-04")
    assert 'id="model-heading"' not in html
    assert 'id="ahead-heading"' not in html


def test_the_driver_model_leads_to_the_saved_scenarios(officer):
    model = section(page(officer, period="2024-09"), "model-heading")
    assert '<a href="/finance/scenarios/">Deficit scenarios</a>' in model


def test_next_year_says_line_by_line_why_the_model_reads_apart_from_the_plan(officer):
    ahead = section(page(officer, period="2025-03"), "ahead-heading")
    # March 2025's drivers carried forward cost more than the plan's illustrative budgets.
    said = re.search(r"Why the model's 2025-26 deficit is \+£([\d,]+) on the plan's", ahead)
    row = re.search(r'<th scope="row">2025-26.*?</tr>', ahead)[0]
    # contract sum, income, expenditure, the model's deficit, the plan's, cumulative
    amounts = [int(found.replace(",", "")) for found in re.findall(r"£([\d,]+)", row)]
    model, plan = amounts[3], amounts[4]
    assert int(said[1].replace(",", "")) == model - plan
    moves = re.findall(
        r"<li>([^<(]+) \([a-z -]+\): <span class=\"fst-italic\">([+−]£[\d,]+)<", ahead
    )
    assert moves[0][0] == "Residential placements"
    sizes = [int(amount[2:].replace(",", "")) for _name, amount in moves]
    assert sizes == sorted(sizes, reverse=True)  # the largest move first
