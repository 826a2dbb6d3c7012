"""The layout language: what a section's text becomes, as a table of cases."""

import datetime

import pytest

from opb_portal.reports import language
from opb_portal.reports.language import Bullets, Paragraph, Run, Table

from .conftest import finance_facts, inspection_facts

DAY = datetime.date(2024, 12, 31)


def _writer(day=DAY) -> language.Writer:
    found = {fact.key: fact for fact in [*finance_facts(day), *inspection_facts(day)]}
    return language.Writer(facts=found, day=day)


def _texts(runs) -> list[str]:
    return [run.text for run in runs]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "One line\nruns on.\n\nA second paragraph.",
            [Paragraph((Run("One line runs on."),)), Paragraph((Run("A second paragraph."),))],
            id="paragraphs-separated-by-a-blank-line",
        ),
        pytest.param(
            "The Board:\n- notes the figures\n- asks for more",
            [
                Paragraph((Run("The Board:"),)),
                Bullets(((Run("notes the figures"),), (Run("asks for more"),))),
            ],
            id="bullets-after-a-sentence",
        ),
        pytest.param(
            "| Month | Cost |\n| December 2024 | £6,701 |",
            [Table(headings=((Run("Month"),), (Run("Cost"),)),
                   rows=(((Run("December 2024"),), (Run("£6,701"),)),))],
            id="table-rows-first-is-headings",
        ),
        pytest.param(
            "It costs {something} and {} and {Finance.Contract}.",
            [Paragraph((Run("It costs {something} and {} and {Finance.Contract}."),))],
            id="braces-that-are-no-key-stay-literal",
        ),
        pytest.param(
            '<script>alert(1)</script> <a hx-get="/admin/">x</a>',
            [Paragraph((Run('<script>alert(1)</script> <a hx-get="/admin/">x</a>'),))],
            id="markup-a-person-typed-stays-text",
        ),
    ],
)  # fmt: skip
def test_a_body_becomes_these_blocks(body, expected):
    assert _writer().blocks(body, where="s") == expected


def test_a_fact_inline_is_its_text_with_a_numbered_note():
    writer = _writer()
    [paragraph] = writer.blocks("The sum is {finance.contract_sum}, up {finance.rise}.", where="s")
    assert _texts(paragraph.runs) == ["The sum is ", "£80.8m", ", up ", "8.5%", "."]
    assert [run.note for run in paragraph.runs if run.is_fact] == [1, 2]
    assert [(n.number, n.source, n.as_at) for n in writer.notes] == [
        (1, "Finance return for December 2024, approved version 1", "December 2024"),
        (2, "Cabinet, February 2024", ""),
    ]
    assert writer.notes[1].note == "The Scrutiny report of March 2025 says 8.5%."


def test_a_fact_named_twice_keeps_its_first_note():
    writer = _writer()
    writer.blocks("{finance.rise} and again {finance.rise}", where="s")
    assert len(writer.notes) == 1


def test_a_table_fact_alone_on_a_line_becomes_a_table():
    [table] = _writer().blocks("{inspections.judgements}", where="s")
    assert isinstance(table, Table)
    assert [cell[0].text for cell in table.headings] == ["Inspection", "Date", "Judgement"]
    assert table.rows[0][2][0].text == "Requires Improvement to be Good"
    assert table.caption[0].note == 1


def test_a_table_fact_within_a_sentence_is_its_sentence():
    [paragraph] = _writer().blocks("See {inspections.judgements}.", where="s")
    assert _texts(paragraph.runs)[1] == "Ofsted's judgements of the Trust's services"


def test_an_illustrative_fact_is_marked():
    [paragraph] = _writer().blocks("{inspections.agency_share}", where="s")
    assert paragraph.runs[0].illustrative


def test_a_fact_not_available_at_the_date_says_so_and_warns():
    writer = _writer()
    [paragraph] = writer.blocks("January: {finance.january_only}", where="Section “2 Finance”")
    assert paragraph.runs[1].text == "[not available at 31 December 2024: {finance.january_only}]"
    assert writer.warnings == [
        "Section “2 Finance”: {finance.january_only} is not available at 31 December 2024; "
        "the report says so where the figure would be."
    ]


def test_front_matter_lines_are_label_and_text():
    rows = _writer().front_matter("Subject: Performance\nDirector: {finance.contract_sum}")
    assert [(label, _texts(runs)) for label, runs in rows] == [
        ("Subject", ["Performance"]),
        ("Director", ["£80.8m"]),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            "{finance.contract_sun}",
            "Section “2”: no figure is called {finance.contract_sun}; "
            "the nearest known: {finance.contract_sum}.",
            id="misspelt-key-names-the-nearest",
        ),
        pytest.param(
            "{workforce.zzzz}",
            "Section “2”: no figure is called {workforce.zzzz}; no known figure is near it "
            "(the figures you may use are listed).",
            id="nothing-near",
        ),
    ],
)
def test_an_unknown_key_is_an_error_naming_it_the_section_and_the_nearest(body, message):
    known = {"finance.contract_sum", "kpis.pi1"}
    assert language.unknown_keys(body, known=known, where="Section “2”") == [message]


def test_known_keys_and_literal_braces_are_no_error():
    known = {"finance.rise"}
    assert language.unknown_keys("{finance.rise} {not a key}", known=known, where="s") == []
