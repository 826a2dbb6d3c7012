"""The Ofsted facts reports say (`opb_portal.reports.facts`), as at a day."""

import datetime

import pytest
from django.urls import reverse

from inspections import facts
from inspections.demo import load_demo_inspections
from inspections.models import Grade, Inspection, InspectionImport, Kind
from opb_portal.reports.facts import declared_keys, facts_on, prefixes

D = datetime.date
SCRUTINY = D(2025, 3, 24)


@pytest.fixture
def demo(neighbours):
    load_demo_inspections()
    return neighbours


def test_inspections_registers_its_facts_from_ready_declaring_each_key():
    assert "inspections" in prefixes()
    assert {key for key in declared_keys() if key.startswith("inspections.")} == {
        "inspections.current_judgements",
        "inspections.ilacs_judgement",
        "inspections.ilacs_date",
        "inspections.monitoring_visits",
        "inspections.focused_visits",
    }


def test_every_fact_given_is_declared(demo):
    given = set(facts_on(SCRUTINY, prefixes=["inspections"]))
    assert given == {key for key in declared_keys() if key.startswith("inspections.")}


def test_the_facts_at_24_march_2025_are_the_scrutiny_reports(demo):
    found = facts_on(SCRUTINY, prefixes=["inspections"])
    # Seed 000, 4.4: "Seven monitoring visits and three focused visits have taken place. In May
    # 2022, a full inspection under Ofsted's ILACS framework ... 'requires improvement to be
    # good'", and its table.
    assert found["inspections.monitoring_visits"].text == "7"
    assert found["inspections.focused_visits"].text == "3"
    assert found["inspections.ilacs_judgement"].text == "Requires Improvement to be Good"
    assert found["inspections.ilacs_date"].text == "May 2022"
    table = found["inspections.current_judgements"]
    assert table.headings == ("Service Area", "Current Judgement")
    assert table.rows == (
        ("ILACS", "Requires Improvement to be Good (2022)"),
        ("Adoption", "Good (December 2022)"),
        ("Fostering", "Good (October 2024)"),
    )


def test_the_visits_the_seeds_count_without_dating_are_marked_illustrative(demo):
    found = facts_on(SCRUTINY, prefixes=["inspections"])
    monitoring, focused = (
        found["inspections.monitoring_visits"],
        found["inspections.focused_visits"],
    )
    assert monitoring.illustrative
    assert monitoring.note.startswith("Illustrative: December 2018")
    assert focused.illustrative
    assert "November 2020, October 2021" in focused.note
    # The judgements are all the seeds'.
    assert not found["inspections.current_judgements"].illustrative
    assert not found["inspections.ilacs_judgement"].illustrative


def test_the_facts_count_only_what_had_happened_by_the_day(demo):
    found = facts_on(datetime.date(2019, 12, 31), prefixes=["inspections"])
    assert found["inspections.monitoring_visits"].text == "6"
    assert found["inspections.focused_visits"].text == "0"
    assert "inspections.ilacs_judgement" not in found
    assert found["inspections.current_judgements"].rows == (
        ("Fostering", "Requires Improvement to be Good (November 2019)"),
    )


def test_each_fact_links_its_page_and_names_its_source(demo, administrator):
    ilacs = Inspection.objects.get(kind=Kind.ILACS_FULL)
    ilacs.source = InspectionImport.objects.create(filename="mi.xlsx", user=administrator)
    ilacs.save()
    record = ilacs.source
    found = facts_on(SCRUTINY, prefixes=["inspections"])
    fact = found["inspections.ilacs_judgement"]
    assert fact.url == reverse("inspections:inspection", args=[ilacs.pk])
    assert fact.source == (
        f"Ofsted's management information, imported {record.at.day} {record.at:%B %Y}"
    )
    assert "the published reviews, loaded with the demonstration" in (
        found["inspections.current_judgements"].source
    )


def test_a_hand_recorded_inspection_names_who_recorded_it(neighbours, reviewer):
    inspection = Inspection.objects.create(
        authority=neighbours.authorities["Sandwell"],
        kind=Kind.ADOPTION_AGENCY,
        start_date=datetime.date(2022, 12, 5),
        overall=Grade.GOOD,
        recorded_by=reviewer,
    )
    assert facts.source(inspection) == f"recorded by {reviewer}"
    found = facts_on(SCRUTINY, prefixes=["inspections"])
    assert found["inspections.current_judgements"].rows == (("Adoption", "Good (December 2022)"),)


def test_without_inspections_there_are_no_facts_rather_than_noughts(neighbours):
    assert facts.provider(SCRUTINY) == []


def test_before_april_2018_no_visits_are_counted(neighbours):
    Inspection.objects.create(
        authority=neighbours.authorities["Sandwell"],
        kind=Kind.SIF,
        start_date=D(2017, 11, 6),
        overall=Grade.INADEQUATE,
    )
    found = facts_on(D(2018, 1, 31), prefixes=["inspections"])
    assert "inspections.monitoring_visits" not in found
    assert "inspections.ilacs_judgement" not in found
    # Before ILACS, the authority's judgement was the single inspection framework's.
    assert found["inspections.current_judgements"].rows == (("SIF", "Inadequate (2017)"),)


def test_the_provider_runs_a_fixed_number_of_queries(demo, django_assert_num_queries):
    # 2 queries: Sandwell by its ONS code, its inspections with their imports and recorders
    with django_assert_num_queries(2):
        facts.provider(SCRUTINY)
