"""
The demonstration's audits and surveys: the Practice Reviews of the annual review 2024-25,
section (c) (seed 001), with its published figures, its findings, its strengths and areas
for development and its four ongoing and planned actions; and one feedback survey made up
for the demonstration, marked illustrative.

Published: the dates (July 2024 to May 2025), the findings, the two measures' figures of
November 2024 and May 2025, the two-column table, the four actions' words. Illustrative:
the sample (the review gives no count), and the actions' owners, raisers and due dates.
Safe to run again: each audit is found by its title, each figure by its measure and day,
each action by its title.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from opb_portal.accounts.models import User

from ..models import Action, Audit, AuditFigure

PRACTICE_REVIEWS = "Practice Reviews"
COMPLIANCE = "Practice Review compliance"
RATINGS = "Practice Reviews rated Outstanding, Good or Requires Improvement with elements of Good"
NOVEMBER_2024, MAY_2025 = datetime.date(2024, 11, 30), datetime.date(2025, 5, 31)

FINDINGS = """\
Over the past year, the Trust's approach to quality assurance has become increasingly \
embedded, refined, and mature. The revised Quality Assurance (QA) Framework is now \
consistently applied across the organisation, fostering a more reflective and impactful \
approach to evaluating practice.

As a result, there has been notable improvement in compliance with Practice and Thematic \
Reviews, alongside strengthened moderation processes and encouraging progress in the \
timeliness of 'Closing the Loop' activity. Since the launch of the revised framework in \
November 2024, there is clear evidence of more timely completion of reviews and improved \
adherence to the methodology. This includes more frequent and meaningful feedback from \
children and families, as well as reflective dialogue with practitioners to shape and \
inform Practice Reviews.

These developments have contributed to greater accuracy, confidence, and assurance in \
reported findings, enabling a more reliable and reflective picture of practice across the \
Trust.

There is growing evidence that the ethos of our ST*R partnership practice model- strengths \
based, trauma informed and relationship-based practice- is becoming embedded, not just in \
documentation, but in practitioners' everyday engagement with children, families, and \
professionals. Moderators and reviewers increasingly reflect the same values in how they \
approach their work.

Over the past 12 months, three benchmarking sessions have taken place, with further \
sessions planned. In parallel, the introduction of the Enabler Report, which highlights \
improvement activities not previously captured through reviews or audits, has enhanced our \
reporting landscape. We have also launched "QA on a Page," offering an accessible overview \
of our QA position across the Trust. These resources are now available via the newly \
established QA intranet space."""

STRENGTHS = """\
Continued embedding of the ST*R practice model in practice as well as in written work.
Practitioners and managers know our children, young people and their families well, \
supporting strong and consistent relationship-based practice.
Improved consistency in the quality of children and young people's assessments and plans.
Increased evidence of wrap around support being offered and delivered during assessing \
periods.
Improved landscape in relation to Independent Chair footprint on children's files, for \
example, IRO writing letters to children after each review."""

DEVELOPMENT = """\
Enhance recording of reflective supervision.
More planned, purposeful direct work with children and young people, alongside increased \
recording and capturing of life and memory work.
Use of evidence-based tools into our assessments, including DARAC, GCP2, and impact \
chronologies.
Cultural competence in our work, such as the completion and use of cultural genograms.
More children and young people attending their reviews"""

# The review's "ongoing and planned actions": (title, detail, owner, due). The words are
# the review's; the owners and due dates are the demonstration's.
ACTIONS = [
    ("Targeted workshops for reviewers and moderators, with early cohorts prioritised for "
     "those requiring further development, to promote consistency in the quality and impact "
     "of Practice Reviews.", "", "kpi.submitter", "2025-09-30"),
    ("Clarified roles and responsibilities for reviewers and moderators.",
     "Moderators will offer both support and challenge, ensuring high-quality, reflective "
     "reviews. All practice and thematic review templates will now require confirmation that "
     "a learning-focused discussion has occurred between the reviewer and moderator.",
     "trust.ceo", "2025-07-31"),
    ("A strengthened 'Closing the Loop' methodology, including a QA-led evaluation of the "
     "impact of Practice Reviews on children's outcomes.", "", "kpi.submitter", "2025-12-31"),
    ("Enhanced communication with team managers and practitioners through inclusion in "
     "review allocation emails.",
     "This ensures children's files can be fully updated prior to review completion and "
     "promotes more cohesive planning for achieving a comprehensive 360-degree review "
     "process.", "trust.ceo", "2025-10-31"),
]  # fmt: skip
ILLUSTRATIVE_DETAIL = (
    "From the annual review 2024-25, section (c). The owner and due date are the "
    "demonstration's (illustrative)."
)

SURVEY = "Children and families feedback survey"


def _audit(title: str, **fields) -> Audit:
    audit, _ = Audit.objects.update_or_create(title=title, defaults=fields)
    audit.full_clean()
    return audit


def _figure(audit: Audit, measure: str, as_at: datetime.date, percent: str) -> None:
    AuditFigure.objects.update_or_create(
        audit=audit, measure=measure, as_at=as_at, defaults={"percent": Decimal(percent)}
    )


def _practice_reviews() -> Audit:
    audit = _audit(
        PRACTICE_REVIEWS,
        kind=Audit.Kind.PRACTICE_REVIEW,
        theme="The quality of practice, under the revised Quality Assurance Framework",
        started=datetime.date(2024, 7, 1),
        finished=MAY_2025,
        sample="Practice and thematic reviews of children's files across the Trust "
        "(illustrative: the review gives no count)",
        findings=FINDINGS,
        strengths=STRENGTHS,
        development=DEVELOPMENT,
        illustrative=False,
    )
    _figure(audit, COMPLIANCE, NOVEMBER_2024, "88.5")
    _figure(audit, COMPLIANCE, MAY_2025, "97.1")
    _figure(audit, RATINGS, NOVEMBER_2024, "59")
    _figure(audit, RATINGS, MAY_2025, "82")
    raiser = User.objects.get(username="trust.ceo")
    raised = datetime.datetime(2025, 6, 2, 12, tzinfo=datetime.UTC)
    for title, detail, owner, due in ACTIONS:
        Action.objects.update_or_create(
            title=title,
            defaults={
                "detail": "\n\n".join(filter(None, [detail, ILLUSTRATIVE_DETAIL])),
                "subject": audit.subject_ref,
                "owner": User.objects.get(username=owner),
                "due": datetime.date.fromisoformat(due),
                "raised_by": raiser,
                "raised_at": raised,
            },
        )
    return audit


def _survey() -> Audit:
    audit = _audit(
        SURVEY,
        kind=Audit.Kind.SURVEY,
        theme="Children's and families' experience of the Trust's help",
        started=datetime.date(2024, 9, 2),
        finished=datetime.date(2025, 2, 28),
        sample="212 children, young people and parents (illustrative)",
        findings="Most children and parents said their social worker listened to them and "
        "explained what would happen next; fewer knew how to complain. (Illustrative: made "
        "up for the demonstration.)",
        strengths="Children feel listened to by their social worker.\n"
        "Parents understand their child's plan.",
        development="Tell children and families how to complain.\nFewer changes of social worker.",
        illustrative=True,
    )
    _figure(audit, "Said their social worker listened to them", datetime.date(2024, 10, 31), "78")
    _figure(audit, "Said their social worker listened to them", datetime.date(2025, 2, 28), "84")
    return audit


def load_demo_audits() -> int:
    """The demonstration's audits and surveys; returns how many there are."""
    _practice_reviews()
    _survey()
    return Audit.objects.count()
