"""
The demonstration's exception reports: the red KPIs of autumn 2024 and PI11, amber in
February and March 2025 (the demonstration's administrator asks for a report when PI11 is
amber), each written by the Trust's KPI submitter and accepted by the council's reviewer,
through the same services people use. One was sent back for more first, so its history
shows two versions. 2024-25 had no rectification plan (no KPI was escalated), as the
published annual review says.

Safe to run again: a report already written is left as it is.
"""

from __future__ import annotations

import datetime

from opb_portal.accounts.models import Organisation, User
from opb_portal.periods import Period

from ..models import ExceptionReport
from . import services

# subject, month, cause, what is being done, owner, back on target by
REPORTS = [
    (
        "kpi:2024/PI1",
        Period(2024, 10),
        "Assessment timeliness fell as two assessment teams carried vacancies through the "
        "summer and agency cover ended in September; older assessments were closed in October.",
        "Two agency social workers started on 14 October; team managers review every "
        "assessment open past 35 working days each week.",
        "Head of Service, Assessment and Intervention",
        datetime.date(2025, 1, 31),
    ),
    (
        "kpi:2024/PI3",
        Period(2024, 11),
        "A sibling group of five became subject to a plan for the second time within two "
        "years, moving a small cohort over the threshold.",
        "Every repeat plan is audited by the Child Protection Chairs within ten working days; "
        "findings go to the Practice Improvement Board in January.",
        "Service Manager, Child Protection Chairs",
        datetime.date(2025, 2, 28),
    ),
    (
        "kpi:2024/PI13",
        Period(2024, 11),
        "Supervision was cancelled in two locality teams during a period of high sickness "
        "absence and was not always recorded when it was rearranged.",
        "Team managers' supervision schedules are tracked weekly by the Head of Service; "
        "recording supervision is a standing item in practice week.",
        "Head of Service, Safeguarding Localities",
        datetime.date(2025, 1, 31),
    ),
    (
        "kpi:2024/PI13",
        Period(2024, 12),
        "The same two locality teams; December's leave left supervision recording behind.",
        "A weekly list of children not discussed in eight weeks goes to each team manager; "
        "the Head of Service checks it fortnightly.",
        "Head of Service, Safeguarding Localities",
        datetime.date(2025, 2, 28),
    ),
    (
        "kpi:2024/PI11",
        Period(2025, 2),
        "Four children have been subject to a plan for more than two years; each has "
        "complex neglect and proceedings were delayed by court capacity.",
        "Each plan is reviewed by the Head of Service with legal advice on the route "
        "to proceedings or step-down.",
        "Head of Service, Child Protection",
        datetime.date(2025, 6, 30),
    ),
    (
        "kpi:2024/PI11",
        Period(2025, 3),
        "The four children of February remain on plans; one step-down is agreed for April.",
        "Legal planning meetings are booked for the other three children in April and May.",
        "Head of Service, Child Protection",
        datetime.date(2025, 6, 30),
    ),
]
# Asked for more once, then answered in a second version.
MORE_ASKED = ("kpi:2024/PI13", Period(2024, 12))
QUESTION = "Which teams, and how will the Head of Service know supervision happened?"
ANSWER = (
    "Oldbury and Rowley Regis locality teams. The weekly list is drawn from the case "
    "recording system, so supervision not recorded shows as not held."
)


def load_demo_exception_reports() -> int:
    """The demonstration's reports, accepted; returns how many there are."""
    submitter = User.objects.get(username="kpi.submitter")
    reviewer = User.objects.get(username="reviewer")
    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    for subject, period, cause, action_taken, owner, back in REPORTS:
        if ExceptionReport.objects.filter(subject=subject, period=period).exists():
            continue
        written = {
            "cause": cause,
            "action_taken": action_taken,
            "owner_name": owner,
            "owner_organisation": trust,
            "back_on_target": back,
        }
        version = services.exception_report_write(
            user=submitter, subject=subject, period=period, **written
        )
        if (subject, period) == MORE_ASKED:
            services.exception_report_review(
                user=reviewer, report=version.report, accept=False, note=QUESTION, seen=1
            )
            written["action_taken"] = f"{action_taken} {ANSWER}"
            version = services.exception_report_write(
                user=submitter,
                subject=subject,
                period=period,
                seen=1,
                reason="Answers the council's question: which teams, and how it is checked.",
                **written,
            )
        services.exception_report_review(
            user=reviewer, report=version.report, accept=True, seen=version.number
        )
    return ExceptionReport.objects.count()
