"""
The demonstration's meetings' business, actions and decisions, after the board pack's
meetings (`opb_portal.boardpack.demo`): each part is one call in
`governance.demo.load_demo_governance`, safe to run again (every row is found by what
identifies it, every time is fixed).

The meetings' business: the OPB of 17 April 2025 (its minutes approved at the OPB of 22 May),
the SPB of 24 April 2025, the OPB of 22 May 2025; actions owned in both organisations, some
overdue at the meetings, some closed; the decisions each meeting made.
"""

from __future__ import annotations

import datetime

from opb_portal.accounts.models import Organisation, User
from opb_portal.boardpack.demo import DEMO_MEETING, NEXT_MEETING, STRATEGIC_MEETING
from opb_portal.boardpack.models import Meeting

from ..models import Action, ActionUpdate, AgendaItem, Attendee, Decision, MinutesVersion
from .services import drafted_items

TRUST, COUNCIL = Organisation.Kind.TRUST, Organisation.Kind.COUNCIL


def at(day: str, hour: int = 10) -> datetime.datetime:
    """A fixed moment on `day` (2025-04-17): the demonstration's times never move."""
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=datetime.UTC
    )


ATTENDEES = {
    # meeting: (name, job title, organisation, demo username or "", present?)
    DEMO_MEETING: [
        ("Pat Evans", "Chief Executive (chair)", TRUST, "trust.ceo", True),
        ("Hannah Price", "Director of Children's Services", COUNCIL, "", True),
        ("Sam Hughes", "Contract and Commissioning Manager", COUNCIL, "reviewer", True),
        ("Daniel Shaw", "Finance Business Partner, Children's Services", COUNCIL, "", True),
        ("Priya Kaur", "Senior Solicitor", COUNCIL, "", False),
        ("Lucy Ward", "Director of Finance and Resources", TRUST, "", True),
    ],
    STRATEGIC_MEETING: [
        ("Alex Morgan", "Chief Executive (chair)", COUNCIL, "board", True),
        ("Cllr Jane Hartley", "Cabinet Member for Children and Education", COUNCIL, "", True),
        ("Richard Allen", "Chair of the Trust Board", TRUST, "", True),
        ("Pat Evans", "Chief Executive", TRUST, "trust.ceo", True),
        ("Hannah Price", "Director of Children's Services", COUNCIL, "", False),
    ],
    NEXT_MEETING: [
        ("Pat Evans", "Chief Executive (chair)", TRUST, "trust.ceo", True),
        ("Hannah Price", "Director of Children's Services", COUNCIL, "", True),
        ("Sam Hughes", "Contract and Commissioning Manager", COUNCIL, "reviewer", True),
        ("Daniel Shaw", "Finance Business Partner, Children's Services", COUNCIL, "", False),
        ("Priya Kaur", "Senior Solicitor", COUNCIL, "", True),
        ("Lucy Ward", "Director of Finance and Resources", TRUST, "", True),
    ],
}

# Items the chair added after drafting: (meeting, title).
ADDED_ITEMS = [
    (DEMO_MEETING, "The Ofsted focused visit: preparation"),
    (STRATEGIC_MEETING, "The year-end review of the contract, 2024-25"),
    (STRATEGIC_MEETING, "Extension of SSA Schedule 2 – Part 19 (Transport)"),
    (NEXT_MEETING, "The agency social worker recovery plan"),
]

MINUTES = [
    # meeting, number, saved on, text
    (DEMO_MEETING, 1, "2025-04-22",
     "Present: see the attendance. Apologies: Priya Kaur.\n\n"
     "1. The minutes of the March meeting were agreed.\n\n"
     "2. KPIs. The board noted placement stability (PI9) and asked for the themed review of "
     "placement moves (A1) to be completed.\n\n"
     "3. Workforce. Agency use remains above the contract's threshold; the Trust will bring a "
     "recovery plan to the May meeting."),
    (DEMO_MEETING, 2, "2025-04-25",
     "Present: see the attendance. Apologies: Priya Kaur.\n\n"
     "1. The minutes of the March meeting were agreed.\n\n"
     "2. KPIs. The board noted placement stability (PI9) and asked for the themed review of "
     "placement moves (A1) to be completed.\n\n"
     "3. Workforce. Agency use remains above the contract's threshold; the Trust will bring a "
     "recovery plan to the May meeting.\n\n"
     "4. Finance. The provisional 2024-25 outturn was noted; the residential step-down plan "
     "is to come to the May meeting."),
    (STRATEGIC_MEETING, 1, "2025-04-29",
     "The board reviewed the Contract year 2024-25 and agreed to extend SSA Schedule 2 – "
     "Part 19 (Transport) from 1 April 2025."),
    (NEXT_MEETING, 1, "2025-05-27",
     "The minutes of 17 April were approved.\n\nThe agency recovery plan was presented and "
     "accepted; progress to be reported each quarter."),
]  # fmt: skip

ACTIONS = [
    # key (title), meeting or None, subject, owner, raised by, raised on, due, closed on, outcome
    ("Review every child whose placement moved three or more times in the year, and report "
     "the themes", None, "kpi:2024/PI9", "kpi.submitter", "reviewer", "2025-02-20",
     "2025-04-10", None, ""),
    ("Present a recovery plan for agency social worker use, with a trajectory to 15%",
     DEMO_MEETING, "workforce:agency_share", "workforce.submitter", "trust.ceo", "2025-04-17",
     "2025-05-15", "2025-05-20",
     "Plan presented to the May OPB: 12 agency posts converted by September, 15% by March 2026."),
    ("Explain the residential placements overspend and bring the step-down plan",
     DEMO_MEETING, "finance:PL-RES", "finance.submitter", "reviewer", "2025-04-17",
     "2025-05-31", None, ""),
    ("Confirm the council's position on the 2025-26 contract sum uplift", DEMO_MEETING, "",
     "reviewer", "trust.ceo", "2025-04-17", "2025-05-09", None, ""),
    ("Agree the terms of reference for the joint review of transport (SSA Schedule 2, Part 19)",
     STRATEGIC_MEETING, "", "admin", "board", "2025-04-24", "2025-06-30", None, ""),
    ("Share the Ofsted focused visit action plan with the board", NEXT_MEETING, "",
     "trust.ceo", "reviewer", "2025-05-22", "2025-06-19", None, ""),
    ("Provide the monthly caseload breakdown by team", None, "workforce:agency_share",
     "workforce.submitter", "reviewer", "2025-01-16", "2025-02-28", "2025-03-20",
     "Breakdown now part of the monthly workforce return."),
]  # fmt: skip

UPDATES = [
    # action key prefix, on, by, text, new due date or None
    ("Review every child", "2025-03-28", "kpi.submitter",
     "Audit of 14 children under way; themes to the April OPB.", None),
    ("Review every child", "2025-05-12", "kpi.submitter",
     "Audit finished; the report is with the Director of Practice for sign-off.", None),
    ("Present a recovery plan", "2025-05-06", "workforce.submitter",
     "Draft plan with the Trust's executive team.", None),
    ("Explain the residential", "2025-05-19", "finance.submitter",
     "Step-down panel reviewing the 9 highest-cost placements.", None),
]  # fmt: skip

DECISIONS = [
    # meeting, text, subjects, action key prefixes
    (DEMO_MEETING, "To ask the Trust for a recovery plan for agency social worker use, to be "
     "presented to the May meeting.", ["workforce:agency_share"], ["Present a recovery plan"]),
    (DEMO_MEETING, "To note the provisional 2024-25 outturn and ask for the residential "
     "placements step-down plan.", ["finance:PL-RES"], ["Explain the residential"]),
    (STRATEGIC_MEETING, "To extend SSA Schedule 2 – Part 19 (Transport) from 1 April 2025.",
     [], ["Agree the terms of reference"]),
    (NEXT_MEETING, "To accept the agency recovery plan, with progress reported each quarter.",
     ["workforce:agency_share"], ["Present a recovery plan"]),
]  # fmt: skip


def _meetings() -> dict[datetime.date, Meeting]:
    return {m.date: m for m in Meeting.objects.filter(date__in=list(ATTENDEES))}


def _people() -> dict[str, User]:
    return {user.username: user for user in User.objects.all()}


def load_demo_business() -> int:
    """Attendance, agendas (drafted from the figures, then added to) and minutes."""
    meetings, people = _meetings(), _people()
    organisations = {o.kind: o for o in Organisation.objects.all()}
    for date, rows in ATTENDEES.items():
        meeting = meetings[date]
        for name, title, kind, username, present in rows:
            Attendee.objects.update_or_create(
                meeting=meeting,
                name=name,
                defaults={
                    "job_title": title,
                    "organisation": organisations[kind],
                    "user": people.get(username),
                    "attendance": "present" if present else "apologies",
                    "added_by": meeting.chair,
                    "added_at": at(date.isoformat(), 17),
                },
            )
        drafted = drafted_items(meeting)
        for position, (origin, kind, title, subject) in enumerate(drafted, start=1):
            AgendaItem.objects.get_or_create(
                meeting=meeting,
                origin=origin,
                defaults={
                    "position": position,
                    "kind": kind,
                    "title": title,
                    "subject": subject,
                    "added_by": meeting.chair,
                    "added_at": at((date - datetime.timedelta(days=7)).isoformat()),
                },
            )
    for date, title in ADDED_ITEMS:
        meeting = meetings[date]
        if not meeting.agenda_items.filter(title=title).exists():
            last = meeting.agenda_items.order_by("-position").first()
            AgendaItem.objects.create(
                meeting=meeting,
                position=(last.position if last else 0) + 1,
                title=title,
                added_by=meeting.chair,
                added_at=at((date - datetime.timedelta(days=6)).isoformat()),
            )
    for date, number, saved, text in MINUTES:
        meeting = meetings[date]
        MinutesVersion.objects.get_or_create(
            meeting=meeting,
            number=number,
            defaults={"text": text, "saved_by": meeting.chair, "saved_at": at(saved)},
        )
    # The April minutes were approved at the May meeting, which froze them.
    april, may = meetings[DEMO_MEETING], meetings[NEXT_MEETING]
    MinutesVersion.objects.filter(meeting=april, number=2, approved_at__isnull=True).update(
        approved_at_meeting=may, approved_by=may.chair, approved_at=at(NEXT_MEETING.isoformat(), 11)
    )
    return len(meetings)


def load_demo_actions() -> int:
    meetings, people = _meetings(), _people()
    for title, date, subject, owner, raiser, raised, due, closed, outcome in ACTIONS:
        Action.objects.update_or_create(
            title=title,
            defaults={
                "meeting": meetings[date] if date else None,
                "subject": subject,
                "owner": people[owner],
                "due": datetime.date.fromisoformat(due),
                "raised_by": people[raiser],
                "raised_at": at(raised, 12),
                "status": Action.Status.CLOSED if closed else Action.Status.OPEN,
                "outcome": outcome,
                "closed_by": people[owner] if closed else None,
                "closed_at": at(closed, 15) if closed else None,
            },
        )
    for prefix, on, by, text, due in UPDATES:
        action = Action.objects.get(title__startswith=prefix)
        ActionUpdate.objects.get_or_create(
            action=action,
            at=at(on, 14),
            defaults={"text": text, "by": people[by], "due_now": due},
        )
    return len(ACTIONS)


def load_demo_decisions() -> int:
    meetings = _meetings()
    for date, text, refs, prefixes in DECISIONS:
        meeting = meetings[date]
        decision, _ = Decision.objects.get_or_create(
            meeting=meeting,
            text=text,
            defaults={
                "subjects": refs,
                "recorded_by": meeting.chair,
                "recorded_at": at(date.isoformat(), 16),
            },
        )
        decision.actions.set([Action.objects.get(title__startswith=prefix) for prefix in prefixes])
    return len(DECISIONS)
