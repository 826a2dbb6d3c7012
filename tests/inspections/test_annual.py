"""Section (d) of the annual review, drawn from the stored inspections and visits."""

import datetime

from django.template.loader import render_to_string

from inspections import annual
from inspections.demo import load_demo_inspections
from opb_portal.boardpack import sections
from opb_portal.core import followups
from opb_portal.periods import FinancialYear

YEAR = FinancialYear(2024)


def _rendered(year: FinancialYear) -> str:
    context = annual.annual(year)
    return " ".join(render_to_string("boardpack/inspections/annual.html", context).split())


def test_section_d_lists_the_years_visits_and_those_since_as_the_published_review(neighbours):
    load_demo_inspections()
    context = annual.annual(YEAR)
    # Seed 001, section (d)'s table: the fostering inspection, the front door visit, the LGA
    # review, then the focused visit of April 2025.
    assert [(i.title, i.dates) for i in context["during"]] == [
        ("Ofsted Fostering agency inspection", "14 to 18 October 2024"),
        ("Ofsted Focused visit – Front door", "30 and 31 October 2024"),
        ("LGA peer review – Children We Care For and Care Experienced", "14 to 17 January 2025"),
    ]
    assert [i.dates for i in context["since"]] == ["15 and 16 April 2025"]
    text = _rendered(YEAR)
    assert '<th scope="col">Inspection / Visit</th><th scope="col">Date</th>' in text
    assert "Ofsted Focused visit" in text
    assert "Overall effectiveness: Good" in text
    assert "No judgement. Ofsted will take the findings from this visit into account" in text
    assert "No judgement: a peer review, not an inspection." in text
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
    # The front parts (the executive summary) come first; then the sections by letter.
    letters = [s.annual_letter for s in sections.annual_sections() if not s.annual_front]
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


def test_section_d_gives_the_current_judgements_as_the_scrutiny_report_does(neighbours):
    load_demo_inspections()
    context = annual.annual(YEAR)
    # Seed 000's table: Service Area / Current Judgement.
    assert [(row.service, row.judgement) for row in context["current"]] == [
        ("ILACS", "Requires Improvement to be Good (2022)"),
        ("Adoption", "Good (December 2022)"),
        ("Fostering", "Good (October 2024)"),
    ]
    text = _rendered(YEAR)
    assert '<th scope="col">Service Area</th><th scope="col">Current Judgement</th>' in text
    assert '<th scope="row">Fostering</th><td>Good (October 2024)</td>' in text


def test_the_current_judgements_are_those_in_force_at_the_years_september(neighbours):
    load_demo_inspections()
    # By September 2020 the fostering agency's latest judgement was November 2019's.
    context = annual.annual(FinancialYear(2019))
    assert [(row.service, row.judgement) for row in context["current"]] == [
        ("Fostering", "Requires Improvement to be Good (November 2019)")
    ]


def test_each_recommendation_is_listed_with_its_actions_status(neighbours, monkeypatch):
    load_demo_inspections()
    asked = []

    def provider(refs):
        asked.append(refs)
        return {
            "recommendation:focused_visit/2024-10-30/1": [
                followups.FollowUp(
                    ref="recommendation:focused_visit/2024-10-30/1",
                    reference="A7",
                    title="Monthly supervision audit of every team",
                    owner="Ann Owner",
                    due=datetime.date(2025, 3, 31),
                    status="Open",
                    overdue=True,
                )
            ]
        }

    monkeypatch.setattr(followups, "_PROVIDER", [provider])
    annual.annual(YEAR)
    # One call for every recommendation of the year's rows: 5 fostering, 1 front door,
    # 7 from the LGA review, 4 from April 2025's visit.
    assert len(asked) == 1
    assert len(asked[0]) == 17
    text = _rendered(YEAR)
    assert "Ofsted Focused visit – Front door, 30 and 31 October 2024: recommendations" in text
    assert (
        "Action A7: Monthly supervision audit of every team (Ann Owner, due 31 March 2025): "
        "<strong>Open</strong>, overdue" in text
    )
    assert "Ensuring children benefit from their PA from the age of 16" in text
    assert text.count("No action recorded yet.") == 16


def test_section_d_says_when_a_row_shown_is_illustrative(neighbours):
    load_demo_inspections()
    # 2020-21's focused visit is one the seeds count but do not date.
    assert annual.annual(FinancialYear(2020))["illustrative"] is True
    assert "<em>(illustrative)</em>" in _rendered(FinancialYear(2020))
    # The 2024-25 rows and recommendations are all the seeds'.
    assert annual.annual(YEAR)["illustrative"] is False
    assert "illustrative" not in _rendered(YEAR)


def test_section_d_runs_a_fixed_number_of_queries(neighbours, django_assert_num_queries):
    load_demo_inspections()
    # 5 queries: Sandwell by its ONS code, the year's inspections, their recommendations,
    # every inspection for the current judgements, the actions log's follow-ups
    with django_assert_num_queries(5):
        annual.annual(YEAR)
