"""
The annual review draft for 2024-25 says what section (b) of the Trust's published
annual review says (seed 001), KPI by KPI, in the portal's own sentence.

Each expected sentence is written from the seed's text. Where the seed names a month
for the lowest or highest figure, the sentence must name it; where it does not, any
month is accepted (`{month}`), as is any figure it does not state (`{value}`).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kpis import pack as kpi_pack
from opb_portal.periods import FinancialYear

YEAR = FinancialYear(2024)
PLACEHOLDERS = {
    re.escape("{month}"): r"[A-Z][a-z]+ \d{4}",
    re.escape("{value}"): r"\d+(?:\.\d+)?%?",
}


def _pattern(expected: str) -> re.Pattern:
    pattern = re.escape(expected)
    for placeholder, regex in PLACEHOLDERS.items():
        pattern = pattern.replace(placeholder, regex)
    return re.compile(f"^{pattern}$")


SEED_SENTENCES = [
    # "fluctuated between 68.8% in October 2024 up to 86.4% in March 2025, with an average of
    # 78.1% ... above target for one reporting period, within tolerance for 10 reporting periods
    # and within failure for one reporting period"
    pytest.param(
        "PI1",
        (
            "Performance was on target for 1 month, below target but within tolerance for 10 "
            "months and outside tolerance for 1 month, ranging from 68.8% in October 2024 to "
            "86.4% in March 2025, with an average of 78.1%."
        ),
        id="PI1",
    ),
    # "ranged between 66.8% and 79.7%, ... above target over 6 reporting periods, with 6
    # reporting periods within tolerance"
    pytest.param(
        "PI2",
        (
            "Performance was on target for 6 months and below target but within tolerance for 6 "
            "months, ranging from 66.8% in {month} to 79.7% in {month}, with an average of "
            "{value}."
        ),
        id="PI2",
    ),
    # "exceeded target for 8 months, was within tolerance for three months and below target
    # tolerance for one month in November 2024": lower is better, so the one failure is the highest.
    pytest.param(
        "PI3",
        (
            "Performance was on target for 8 months, below target but within tolerance for 3 "
            "months and outside tolerance for 1 month, ranging from {value} in {month} to {value}"
            " in November 2024, with an average of {value}."
        ),
        id="PI3",
    ),
    # "achieved target in last 6 reporting periods, and was in tolerance between April and
    # September 2024"; "a downward trajectory throughout 2024-25", so highest in April 2024.
    pytest.param(
        "PI4",
        (
            "Performance was on target for 6 months and below target but within tolerance for 6 "
            "months, ranging from {value} in {month} to {value} in April 2024, with an average of"
            " {value}."
        ),
        id="PI4",
    ),
    # "8 reporting periods above target and 4 months within tolerance, ranging from 80.39% in
    # April 2024 to 94.8% in August 2024". PI5 is published to two places (80.39%), and the
    # portal writes every figure at its measure's precision, so 94.8 is 94.80%.
    pytest.param(
        "PI5",
        (
            "Performance was on target for 8 months and below target but within tolerance for 4 "
            "months, ranging from 80.39% in April 2024 to 94.80% in August 2024, with an average "
            "of {value}."
        ),
        id="PI5",
    ),
    # "7 reporting periods above target and 5 months within tolerance, ranging from 93.2% in
    # April 2024 to 98.1% in March 2025"
    pytest.param(
        "PI6",
        (
            "Performance was on target for 7 months and below target but within tolerance for 5 "
            "months, ranging from 93.2% in April 2024 to 98.1% in March 2025, with an average of "
            "{value}."
        ),
        id="PI6",
    ),
    # "primarily remained within tolerance for the previous 12 months (10 months) and exceeded
    # target for two months"
    pytest.param(
        "PI7",
        (
            "Performance was on target for 2 months and below target but within tolerance for 10 "
            "months, ranging from {value} in {month} to {value} in {month}, with an average of "
            "{value}."
        ),
        id="PI7",
    ),
    # "performance has remained within tolerance, ranging from 9.3% in November 2024 up to
    # 11.7% in June 2024"
    pytest.param(
        "PI8",
        (
            "Performance was below target but within tolerance for 12 months, ranging from 9.3% "
            "in November 2024 to 11.7% in June 2024, with an average of {value}."
        ),
        id="PI8",
    ),
    # "within tolerance for 9 months and below target and tolerance for 3 months, ranging from
    # 61% in June 2024 up to 64.7% in February 2025"
    pytest.param(
        "PI9",
        (
            # PI9 is a band (stability): off it is outside its range, not below a target.
            "Performance was outside the target range but within tolerance for 9 months and "
            "outside tolerance for 3 months, ranging from 61.0% in June 2024 to 64.7% in "
            "February 2025, with an average of {value}."
        ),
        id="PI9",
    ),
    # "exceeded target over the previous 12 months, ranging from the lowest point of 96.3% in
    # September 2024, up to 99% in November 2024"
    pytest.param(
        "PI10",
        (
            "Performance was on target for 12 months, ranging from 96.3% in September 2024 to "
            "99.0% in November 2024, with an average of {value}."
        ),
        id="PI10",
    ),
    # "ranged from 2.4% to 5%. 8 months within contract tolerance, three months exceeding
    # target and one month above contract target and tolerance"
    pytest.param(
        "PI11",
        (
            "Performance was on target for 3 months, below target but within tolerance for 8 "
            "months and outside tolerance for 1 month, ranging from 2.4% in {month} to 5.0% in "
            "{month}, with an average of {value}."
        ),
        id="PI11",
    ),
    # "remained comfortably within target ... Permanent vacancy rates ranged from 21.1% to
    # 27.73%": the published table gives 21.11% (39.48 of 187 posts), rounded in the text.
    pytest.param(
        "PI12",
        (
            "Performance was on target for 12 months, ranging from 21.11% in {month} to 27.73% in"
            " {month}, with an average of {value}."
        ),
        id="PI12",
    ),
    # "primarily ranged from 65.46% to 75.46%, within tolerance for 7 months and below target
    # and tolerance for 5 months"
    pytest.param(
        "PI13",
        (
            "Performance was below target but within tolerance for 7 months and outside tolerance"
            " for 5 months, ranging from 65.46% in {month} to 75.46% in {month}, with an average "
            "of {value}."
        ),
        id="PI13",
    ),
    # "from 32.7% in April 2025 [sic: the year runs April 2024 to March 2025] to 87.5% in
    # September 2024; above target for 5 months, within tolerance for 5 months and below
    # contract tolerance and target for 2 months"
    pytest.param(
        "PI14",
        (
            "Performance was on target for 5 months, below target but within tolerance for 5 "
            "months and outside tolerance for 2 months, ranging from 32.7% in April 2024 to 87.5%"
            " in September 2024, with an average of {value}."
        ),
        id="PI14",
    ),
    # "exceeded target for 10 of the 12 months, two were within tolerance"
    pytest.param(
        "PI15",
        (
            "Performance was on target for 10 months and below target but within tolerance for 2 "
            "months, ranging from {value} in {month} to {value} in {month}, with an average of "
            "{value}."
        ),
        id="PI15",
    ),
]


@pytest.fixture
def annual(demo):
    return {k.row.kpi.code: k for k in kpi_pack.annual(YEAR)["kpis"]}


@pytest.mark.parametrize(("code", "expected"), SEED_SENTENCES)
def test_each_kpi_sentence_agrees_with_section_b_of_the_published_review(annual, code, expected):
    assert _pattern(expected).match(annual[code].sentence), annual[code].sentence


def test_every_kpi_of_the_framework_has_its_sentence(annual):
    assert sorted(annual, key=lambda code: int(code[2:])) == [f"PI{n}" for n in range(1, 16)]


@pytest.mark.parametrize(
    ("code", "target", "tolerance", "failure"),
    [
        pytest.param("PI1", "≥ 85.0%", "> 70.0% and < 85.0%", "≤ 70.0%", id="PI1"),
        pytest.param(
            "PI9", "≥ 67.0% and ≤ 75.0%", "≥ 62.0% and < 67.0%, or > 75.0%", "< 62.0%", id="PI9"
        ),
        pytest.param("PI4", "≤ 45.0", "> 45.0 and < 55.0", "≥ 55.0", id="PI4"),
    ],
)
def test_each_kpi_gives_the_target_tolerance_and_failure_in_force(
    annual, code, target, tolerance, failure
):
    kpi = annual[code]
    assert (kpi.target, kpi.tolerance, kpi.failure) == (target, tolerance, failure)


def test_the_year_end_position_is_set_against_the_comparators(annual):
    # "Performance as of 31st March 2025 was 63.8%; slightly below all three comparators."
    # Comparators are written at the KPI's precision (one place), so England's 68 is 68.0%.
    assert annual["PI9"].position == (
        "In March 2025 the figure was 63.8% (amber), below the England average of 68.0% "
        "(2023-24), below the statistical neighbour average of 67.3% (2023-24) and below the "
        "West Midlands average of 68.0% (2023-24)."
    )
    # "We are now below statistical neighbour average of 50.2 and England average of 41.6"
    assert "below the statistical neighbour average of 50.2 (March 2024)" in annual["PI4"].position
    assert "below the England average of 41.6 (March 2024)" in annual["PI4"].position


def test_the_opening_counts_agree_with_the_review(demo):
    # "As of 31 March 2025, the Trust met 10 of our KPI targets, a further 5 are within the
    # contract tolerance and no indicators within failure zone."
    context = kpi_pack.annual(YEAR)
    assert (context["met"], context["tolerance"], context["failure"]) == (10, 5, 0)


def test_the_annual_review_pdf_holds_every_sentence(demo_annual_review):
    review, rendered = demo_annual_review.built, demo_annual_review.rendered
    assert review.year == YEAR
    text = " ".join(" ".join(page.split()) for page in demo_annual_review.pages)
    assert len(PdfReader(io.BytesIO(rendered.pdf)).pages) == rendered.pages >= 3
    assert "Annual review 2024-25" in text
    assert "the Trust met 10 of its KPI targets, 5 were within the contract tolerance" in text
    (scorecard,) = [part for part in review.parts if part.section.key == "kpi-scorecard"]
    for kpi in scorecard.context["kpis"]:
        assert kpi.sentence in text, kpi.row.kpi.code


def test_the_annual_review_pdf_is_the_whole_document_in_the_published_order(demo_annual_review):
    text = " ".join(" ".join(page.split()) for page in demo_annual_review.pages)
    # After the contents: the Executive Summary, the Introduction with its table, (b)...(k).
    body = text.split("Contents", 1)[1].split("Section (k) Such other matters", 1)[1]
    order = [
        body.index("Executive Summary"),
        body.index("Schedule 3 of the Service Delivery Contract outlines the matters"),
        body.index("Section (b) The Trust's performance of the Services"),
        body.index("There are no additional matters in this report that have been agreed"),
    ]
    assert order == sorted(order)
    assert "Source: http://" in body


def test_the_annual_review_pdf_lists_the_years_ofsted_visits_in_section_d(demo_annual_review):
    # Section (d) of the published review: the focused visits of 30 and 31 October 2024 and
    # (after the year) of 15 and 16 April 2025, neither graded.
    text = " ".join(" ".join(page.split()) for page in demo_annual_review.pages)
    # The last mention: the section's heading, after the contents' entry.
    section = text.rsplit("Section (d) The outcome of any Ofsted monitoring visits", 1)[1]
    section = section.split("Section (e)")[0]
    # The PDF's text runs the table's wrapped cells together line by line.
    for words in ("Inspection / Visit Date Judgement", "Focused visit – Front door 30 and 31"):
        assert words in section
    assert "Since 31 March 2025" in section
    assert "15 and 16 April" in section
    assert section.count("No judgement.") == 2
