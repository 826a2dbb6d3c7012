"""
Section (c) of the annual review, drafted from the audits and surveys, and the
demonstration's audits equal to the published review's section (c) (seed 001).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from governance.actions import services as action_services
from governance.audits import annual, selectors, services
from governance.audits.demo import COMPLIANCE, PRACTICE_REVIEWS, RATINGS
from governance.models import Action, Audit
from opb_portal.accounts.models import Role
from opb_portal.boardpack import sections
from opb_portal.periods import FinancialYear

from ..factories import UserFactory
from .conftest import council_person, trust_person

YEAR = FinancialYear(2024)
NOV, MAY = datetime.date(2024, 11, 30), datetime.date(2025, 5, 31)


@pytest.fixture
def recorder(db):
    return UserFactory(role=Role.ADMINISTRATOR)


def _audit(recorder, title, started, finished=None, **fields):
    return services.audit_record(
        user=recorder,
        kind=Audit.Kind.AUDIT,
        title=title,
        theme="Supervision",
        started=started,
        finished=finished,
        **fields,
    )


def _figures(audit, recorder, measure, *pairs):
    for day, percent in pairs:
        services.audit_figure_record(
            audit=audit, user=recorder, measure=measure, as_at=day, percent=Decimal(percent)
        )


JAN = datetime.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("pairs", "sentence"),
    [
        pytest.param(
            [(NOV, "88.5"), (MAY, "97.1")],
            "rose from 88.5% in November 2024 to 97.1% in May 2025",
            id="rose",
        ),
        pytest.param(
            [(NOV, "97.1"), (JAN, "90"), (MAY, "88.50")],
            "fell from 97.1% in November 2024 to 88.5% in May 2025",
            id="fell-first-to-last",
        ),
        pytest.param(
            [(NOV, "90"), (MAY, "90.0")],
            "stayed at 90% from November 2024 to May 2025",
            id="stayed",
        ),
        pytest.param([(MAY, "59")], "was 59% in May 2025", id="one-figure"),
    ],
)
def test_a_measure_reads_from_its_first_figure_to_its_last(recorder, pairs, sentence):
    audit = _audit(recorder, "Practice Reviews", datetime.date(2024, 7, 1))
    _figures(audit, recorder, "Practice Review compliance", *pairs)
    (measure,) = selectors.audit_for_page(audit.pk).measures
    assert measure.sentence == f"Practice Review compliance {sentence}"


def test_the_year_holds_the_audits_that_ran_in_it(recorder):
    day = datetime.date
    _audit(recorder, "Ended before the year", day(2023, 6, 1), day(2024, 3, 31))
    _audit(recorder, "Ended on its first day", day(2024, 1, 1), day(2024, 4, 1))
    _audit(recorder, "Under way", day(2024, 2, 1))
    _audit(recorder, "Ran past its end", day(2025, 3, 31), day(2025, 9, 30))
    _audit(recorder, "Started after it", day(2025, 4, 1))
    assert [row.audit.title for row in selectors.during(YEAR)] == [
        "Ended on its first day",
        "Under way",
        "Ran past its end",
    ]


def test_section_c_is_registered_as_the_reviews_section_c():
    section = next(s for s in sections.annual_sections() if s.key == "audits")
    assert (section.annual_letter, section.order, section.annual_template) == (
        "c",
        140,
        "boardpack/governance/audits_annual.html",
    )
    assert section.annual_title == annual.TITLE


def test_section_c_writes_each_audit_with_its_figures_themes_and_actions(
    recorder, django_assert_num_queries
):
    audit = _audit(
        recorder,
        "Practice Reviews",
        datetime.date(2024, 7, 1),
        MAY,
        sample="120 children's files",
        strengths="Strong relationships.",
        development="Reflective supervision.\nLife story work.",
    )
    _figures(audit, recorder, "Practice Review compliance", (NOV, "88.5"), (MAY, "97.1"))
    owner = trust_person("kpi_submitter", first_name="Ada", last_name="Lovelace")
    action_services.action_raise(
        user=council_person(Role.REVIEWER),
        title="Targeted workshops for reviewers",
        owner=owner,
        due=datetime.date(2025, 9, 30),
        subject=audit.subject_ref,
    )
    # 3 queries: the year's audits, their figures, the actions about them with their owners
    with django_assert_num_queries(3):
        context = annual.annual(YEAR)
    html = render_to_string("boardpack/governance/audits_annual.html", context)
    assert (
        "Practice Review compliance rose from 88.5% in November 2024 to 97.1% in May 2025." in html
    )
    assert "<td>Strong relationships.</td><td>Reflective supervision.</td>" in html
    assert "<td></td><td>Life story work.</td>" in html
    assert "Targeted workshops for reviewers (Ada Lovelace, due 30 September 2025: open" in html
    assert "<strong>Sample:</strong> 120 children&#x27;s files" in html
    assert context["illustrative"] is False
    assert "illustrative" not in html


def test_an_illustrative_audit_is_marked_so(recorder):
    _audit(recorder, "Feedback survey", datetime.date(2024, 9, 1), illustrative=True)
    context = annual.annual(YEAR)
    html = render_to_string("boardpack/governance/audits_annual.html", context)
    assert context["illustrative"] is True
    assert "<h3>Feedback survey (illustrative)</h3>" in html


def test_a_year_without_audits_says_so(db):
    html = render_to_string("boardpack/governance/audits_annual.html", annual.annual(YEAR))
    assert "No audit or survey carried out by the Trust during 2024-25 is recorded" in html


# --- the demonstration equals the published review ------------------------------------------

SEED_STRENGTHS = [
    "Continued embedding of the ST*R practice model in practice as well as in written work.",
    "Practitioners and managers know our children, young people and their families well, "
    "supporting strong and consistent relationship-based practice.",
    "Improved consistency in the quality of children and young people's assessments and plans.",
    "Increased evidence of wrap around support being offered and delivered during assessing "
    "periods.",
    "Improved landscape in relation to Independent Chair footprint on children's files, for "
    "example, IRO writing letters to children after each review.",
]
SEED_DEVELOPMENT = [
    "Enhance recording of reflective supervision.",
    "More planned, purposeful direct work with children and young people, alongside increased "
    "recording and capturing of life and memory work.",
    "Use of evidence-based tools into our assessments, including DARAC, GCP2, and impact "
    "chronologies.",
    "Cultural competence in our work, such as the completion and use of cultural genograms.",
    "More children and young people attending their reviews",
]


def test_the_demonstrations_practice_reviews_are_the_published_reviews(demo):
    row = next(r for r in selectors.during(YEAR) if r.audit.title == PRACTICE_REVIEWS)
    audit = row.audit
    assert (audit.kind, audit.started, audit.finished, audit.illustrative) == (
        "practice_review",
        datetime.date(2024, 7, 1),
        MAY,
        False,
    )
    assert "illustrative" in audit.sample
    sentences = {m.name: m.sentence for m in row.measures}
    assert sentences[COMPLIANCE] == (
        "Practice Review compliance rose from 88.5% in November 2024 to 97.1% in May 2025"
    )
    assert sentences[RATINGS] == (
        "Practice Reviews rated Outstanding, Good or Requires Improvement with elements of Good "
        "rose from 59% in November 2024 to 82% in May 2025"
    )
    assert len(row.figures) == 4  # only the published figures: none made up between them
    assert audit.strengths_and_development() == list(
        zip(SEED_STRENGTHS, SEED_DEVELOPMENT, strict=True)
    )
    assert audit.findings.startswith(
        "Over the past year, the Trust's approach to quality assurance has become increasingly "
        "embedded, refined, and mature."
    )
    assert audit.findings.endswith("These resources are now available via the newly "
                                   "established QA intranet space.")  # fmt: skip
    actions = Action.objects.filter(subject=audit.subject_ref).order_by("pk")
    assert [a.title.split(" for ")[0].split(" with ")[0] for a in actions] == [
        "Targeted workshops",
        "Clarified roles and responsibilities",
        "A strengthened 'Closing the Loop' methodology, including a QA-led evaluation of the "
        "impact of Practice Reviews on children's outcomes.",
        "Enhanced communication",
    ]
    assert all(a.owner.organisation.kind == "trust" for a in actions)
    assert all("illustrative" in a.detail for a in actions)


def test_the_demonstrations_review_shows_section_c_with_its_survey_marked(demo):
    context = annual.annual(YEAR)
    html = render_to_string("boardpack/governance/audits_annual.html", context)
    assert context["illustrative"] is True
    assert "<h3>Children and families feedback survey (illustrative)</h3>" in html
    assert "<h3>Practice Reviews</h3>" in html
    assert html.count('<li><a href="/governance/actions/') == 4
    assert 'Source: <a href="/governance/audits/' in html
