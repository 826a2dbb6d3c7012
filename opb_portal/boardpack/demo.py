"""The demonstration's OPB meeting: 17 April 2025 on March 2025, chaired by the `board` user."""

import datetime

from django.db import transaction

from opb_portal.accounts.models import User

from .models import Meeting

DEMO_MEETING = datetime.date(2025, 4, 17)


@transaction.atomic
def load_demo_meetings() -> Meeting:
    """Safe to run again: the meeting is found by its date."""
    chair = User.objects.get(username="board")
    meeting, _ = Meeting.objects.get_or_create(
        date=DEMO_MEETING,
        defaults={"period": datetime.date(2025, 3, 1), "chair": chair, "created_by": chair},
    )
    members = User.objects.filter(username__in=["board", "reviewer", "admin"])
    meeting.members.add(*members)
    return meeting
