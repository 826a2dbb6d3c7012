"""
The demonstration's inspections, visits and peer reviews of Sandwell, from the seeds, and
the recommendations the 2024-25 review words.

- Seed 003 (Cabinet, 19 September 2018): the monitoring visit of 30 and 31 May 2018, and a
  further one "between this report being written and the meeting" (September 2018; its
  days are not given: month only).
- Seed 004 (annual review 2019-20, table 11): the monitoring visits of 16 April, 12 June and
  16 October 2019 and 11 February 2020; the fostering agency's inspection of February 2019
  ("inadequate", month only) and its re-inspection of 25 to 30 November 2019 ("requires
  improvement").
- Seed 000 (Scrutiny, 24 March 2025) and the council's report: the ILACS inspection of May
  2022 ("requires improvement to be good", month only); adoption "Good" (December 2022);
  fostering "Good" (October 2024); the LGA peer review of January 2024.
- Seed 001 (annual review 2024-25, section (d)): the fostering inspection of 14 to 18
  October 2024; the focused visits of 30 and 31 October 2024 and 15 and 16 April 2025; the
  LGA review "Children We Care For and Care Experienced" of 14 to 17 January 2025. Seed 000
  names a peer review of January 2024 and seed 001 one of January 2025: both are kept, as
  the seeds give them (they may be one review that a seed misdates).

Seed 000 counts seven monitoring and three focused visits since April 2018. The seeds date
six monitoring visits and one focused visit before April 2025: the rest (one monitoring
visit, two focused visits) are `illustrative`, with a month only.

Only what the seeds say is stored otherwise: Ofsted's own file gives the rest where it is
imported (a real deployment imports it and loads no demonstration).

Recommendations (seed 001 section (d), as worded there; none illustrative), each with its
stable reference for the actions log (`recommendation:<kind>/<first day>/<number>`):
`RECOMMENDATION_REFS` lists them for the governance demonstration's actions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from opb_portal.comparators.demo import load_demo_neighbours

from .models import Grade, Inspection, Kind, Recommendation
from .selectors import sandwell

D = datetime.date


@dataclass(frozen=True)
class Row:
    kind: str
    start: datetime.date
    end: datetime.date | None = None
    overall: str = ""
    note: str = ""
    month_only: bool = False
    illustrative: bool = False


SANDWELL = [
    Row(
        Kind.MONITORING_VISIT,
        D(2018, 5, 30),
        D(2018, 5, 31),
        note="Help and protection, and children looked after: the quality of assessments",
    ),
    Row(
        Kind.MONITORING_VISIT,
        D(2018, 9, 1),
        note="Thresholds into care for looked after children",
        month_only=True,
    ),
    # Seed 000 counts seven monitoring visits; the seeds date six.
    Row(Kind.MONITORING_VISIT, D(2018, 12, 1), month_only=True, illustrative=True),
    Row(Kind.FOSTERING_AGENCY, D(2019, 2, 1), overall=Grade.INADEQUATE, month_only=True),
    Row(
        Kind.MONITORING_VISIT,
        D(2019, 4, 16),
        note="Children subject to care proceedings and children in care",
    ),
    Row(
        Kind.MONITORING_VISIT,
        D(2019, 6, 12),
        note="The fostering agency's compliance notices",
    ),
    Row(
        Kind.MONITORING_VISIT,
        D(2019, 10, 16),
        note="Children subject to child protection and child in need plans",
    ),
    Row(
        Kind.FOSTERING_AGENCY,
        D(2019, 11, 25),
        D(2019, 11, 30),
        overall=Grade.REQUIRES_IMPROVEMENT,
    ),
    Row(Kind.MONITORING_VISIT, D(2020, 2, 11), note="The leaving care service"),
    # Seed 000 counts three focused visits; the seeds date one before April 2025.
    Row(Kind.FOCUSED_VISIT, D(2020, 11, 1), month_only=True, illustrative=True),
    Row(Kind.FOCUSED_VISIT, D(2021, 10, 1), month_only=True, illustrative=True),
    Row(Kind.ILACS_FULL, D(2022, 5, 1), overall=Grade.REQUIRES_IMPROVEMENT, month_only=True),
    Row(Kind.ADOPTION_AGENCY, D(2022, 12, 1), overall=Grade.GOOD, month_only=True),
    Row(Kind.LGA_PEER_REVIEW, D(2024, 1, 1), month_only=True),
    Row(Kind.FOSTERING_AGENCY, D(2024, 10, 14), D(2024, 10, 18), overall=Grade.GOOD),
    Row(Kind.FOCUSED_VISIT, D(2024, 10, 30), D(2024, 10, 31), note="Front door"),
    Row(
        Kind.LGA_PEER_REVIEW,
        D(2025, 1, 14),
        D(2025, 1, 17),
        note="Children We Care For and Care Experienced",
    ),
    Row(
        Kind.FOCUSED_VISIT,
        D(2025, 4, 15),
        D(2025, 4, 16),
        note="PLO and children at risk of family breakdown",
    ),
]

# (kind, first day): the recommendations, numbered in the seed's order, worded as it words them.
RECOMMENDATIONS = {
    (Kind.FOSTERING_AGENCY, D(2024, 10, 14)): [
        "The registered provider and the registered manager must, having regard to the size of "
        "the fostering agency, its statement of purpose, and the numbers and needs of the "
        "children placed by the fostering agency, and the need to safeguard and promote the "
        "welfare of the children placed by the fostering agency, carry on or manage the "
        "fostering agency (as the case may be) with sufficient care, competence and skill.\n"
        "In particular, the registered person must take all necessary steps to ensure that "
        "there is a consistent and stable manager in post and that they are registered with "
        "Ofsted.",
        "The registered person must maintain a system for improving the quality of foster care "
        "provided by the fostering agency. The system referred to in paragraph (1) must provide "
        "for consultation with foster parents, children placed with foster parents, and their "
        "placing authority (unless, in the case of a fostering agency which is a voluntary "
        "organisation, it is also the placing authority).",
        "The fostering service provider must provide foster parents with such training, "
        "advice, information and support, including support outside office hours, as appears "
        "necessary in the interests of children placed with them.",
        "The fostering service provider must ensure that, in relation to any child placed or to "
        "be placed with a foster parent, the foster parent is given such information, which is "
        "kept up to date, as to enable him to provide appropriate care for the child, and in "
        "particular that each foster parent is provided with a copy of the most recent version "
        "of the child's care plan provided to the fostering service provider under regulation "
        "6(3)(d) of the Care Planning Regulations.\n"
        "In particular, this relates to operating an out of hours service that meets the needs "
        "of the foster carers; ensuring children receive their passports in a timely manner; "
        "ensuring access to financial allowances for children and foster carers are transparent "
        "and equitable; ensuring that any recommendations made through the use of monitoring "
        "tools are addressed in a timely manner.",
        "The registered person should ensure that reviews of foster carers' approval are "
        "sufficiently thorough to allow the fostering service to properly satisfy itself about "
        "their carers' ongoing suitability to foster.",
    ],
    (Kind.FOCUSED_VISIT, D(2024, 10, 30)): [
        "The regularity and quality of supervision of social workers, and oversight of "
        "children's casework.",
    ],
    (Kind.LGA_PEER_REVIEW, D(2025, 1, 14)): [
        "Increasing opportunities to improve the lead members line of sight to practice",
        "Continued rigor within the Trust on addressing the recommendations from the previous "
        "ILAC's Inspection",
        "Making sure the Trust makes best use of their existing resources to creatively free up "
        "social work time for more direct work",
        "Embedding our STAR practice model including quality recording",
        "Continuing to progress special guardianship where this is the child's permanence plan",
        "Working with adult social care regarding timely and effective preparation for "
        "adulthood for our care experienced young people.",
        "Ensuring children benefit from their PA from the age of 16 and more EET opportunities.",
    ],
    (Kind.FOCUSED_VISIT, D(2025, 4, 15)): [
        "Consistent practice to ensure timely and effective support to children and their "
        "families irrespective of locality team.",
        "Regularity and quality of supervision of social workers, and oversight of children's "
        "casework.",
        "The quality and focus on children when decisions to step down or end child in need "
        "intervention.",
        "The consistent quality of practice reviews to ensure they provide an accurate overview "
        "of practice and inform its improvement.",
    ],
}
AREAS = {
    Kind.FOSTERING_AGENCY: "Fostering agency",
    Kind.FOCUSED_VISIT: "Children's social care",
    Kind.LGA_PEER_REVIEW: "Children we care for and care experienced young people",
}
# What the actions log files the demonstration's recommendations under.
RECOMMENDATION_REFS = [
    f"recommendation:{kind}/{start.isoformat()}/{number}"
    for (kind, start), texts in RECOMMENDATIONS.items()
    for number in range(1, len(texts) + 1)
]


def load_demo_inspections() -> int:
    """Sandwell's inspections, visits and reviews from the seeds, with their recommendations
    (idempotent); how many inspections there are."""
    load_demo_neighbours()
    authority = sandwell()
    for row in SANDWELL:
        inspection, _ = Inspection.objects.get_or_create(
            authority=authority, kind=row.kind, start_date=row.start
        )
        inspection.end_date = row.end
        inspection.month_only = row.month_only
        inspection.overall = row.overall
        inspection.note = row.note
        inspection.illustrative = row.illustrative
        inspection.full_clean()
        inspection.save()
        for number, text in enumerate(RECOMMENDATIONS.get((row.kind, row.start), []), start=1):
            recommendation, _ = Recommendation.objects.get_or_create(
                inspection=inspection, number=number, defaults={"text": text}
            )
            recommendation.text = text
            recommendation.area = AREAS[row.kind]
            recommendation.full_clean()
            recommendation.save()
    return len(SANDWELL)
