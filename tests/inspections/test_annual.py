"""Section (d) of the annual review, drawn from the stored inspections and visits."""

from django.template.loader import render_to_string

from inspections import annual
from inspections.demo import load_demo_inspections
from opb_portal.boardpack import sections
from opb_portal.periods import FinancialYear

YEAR = FinancialYear(2024)


def _rendered(year: FinancialYear) -> str:
    context = annual.annual(year)
    return " ".join(render_to_string("boardpack/inspections/annual.html", context).split())


def test_section_d_lists_the_years_visits_and_those_since_as_the_published_review(neighbours):
    load_demo_inspections()
    context = annual.annual(YEAR)
    assert [i.dates for i in context["during"]] == ["30 and 31 October 2024"]
    assert [i.dates for i in context["since"]] == ["15 and 16 April 2025"]
    text = _rendered(YEAR)
    assert '<th scope="col">Inspection / Visit</th><th scope="col">Date</th>' in text
    assert "Ofsted Focused visit" in text
    assert "No judgement. Ofsted will take the findings from this visit into account" in text
    assert "Since 31 March 2025" in text


def test_an_inspection_is_listed_with_its_judgement_in_words(neighbours):
    load_demo_inspections()
    text = _rendered(FinancialYear(2022))
    assert "May 2022" in text
    assert "Overall effectiveness: Requires improvement to be good" in text


def test_a_year_without_inspections_says_so(neighbours):
    load_demo_inspections()
    text = _rendered(FinancialYear(2016))
    assert "Ofsted made no inspection or monitoring visit of Sandwell's children's services" in text


def test_section_d_takes_its_place_by_its_letter(db):
    letters = [section.annual_letter for section in sections.annual_sections()]
    assert "d" in letters
    assert letters == sorted(letters)


def test_the_annual_review_page_shows_section_d(client, people, neighbours):
    load_demo_inspections()
    client.force_login(people["board_member"])
    text = client.get("/annual-review/2024-25/").content.decode()
    assert (
        "Section (d) The outcome of any Ofsted monitoring visits and/or Ofsted inspections" in text
    )
    assert "30 and 31 October 2024" in text
