"""
The demonstration's meetings: the Operational Partnership Board of 17 April 2025 (on March
2025) and of 22 May 2025 (on April 2025), chaired by the Trust's Chief Executive
(`trust.ceo`), and the Strategic Partnership Board of 24 April 2025 on the year to March
2025, chaired by the council's Chief Executive (`board`).
"""

import datetime

from django.db import transaction

from opb_portal.accounts.models import User

from .models import Meeting

DEMO_MEETING = datetime.date(2025, 4, 17)
NEXT_MEETING = datetime.date(2025, 5, 22)
STRATEGIC_MEETING = datetime.date(2025, 4, 24)

OPB_CHAIR, SPB_CHAIR = "trust.ceo", "board"

MEETINGS = [
    # board, date, the month it considers, chair, members
    (Meeting.Board.OPB, DEMO_MEETING, datetime.date(2025, 3, 1), OPB_CHAIR,
     ["trust.ceo", "board", "reviewer", "admin"]),
    (Meeting.Board.SPB, STRATEGIC_MEETING, datetime.date(2025, 3, 1), SPB_CHAIR,
     ["board", "trust.ceo", "admin"]),
    (Meeting.Board.OPB, NEXT_MEETING, datetime.date(2025, 4, 1), OPB_CHAIR,
     ["trust.ceo", "board", "reviewer", "admin"]),
]  # fmt: skip


@transaction.atomic
def load_demo_meetings() -> Meeting:
    """Safe to run again: each meeting is found by its date. Gives the 17 April meeting."""
    people = {user.username: user for user in User.objects.all()}
    found = {}
    for board, date, period, chair, members in MEETINGS:
        meeting, _ = Meeting.objects.update_or_create(
            date=date,
            defaults={
                "board": board,
                "period": period,
                "chair": people[chair],
                "created_by": people[chair],
            },
        )
        meeting.members.add(*(people[username] for username in members))
        found[date] = meeting
    return found[DEMO_MEETING]
