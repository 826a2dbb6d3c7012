"""An Improvement Plan built in code, for the Improvement Plan's tests."""

from __future__ import annotations

import datetime

from governance.improvement import services

D = datetime.date


def build_plan(user, *, start_year: int = 2024):
    """A plan of two priorities and three actions, with progress through the year."""
    plan = services.plan_create(
        user=user,
        start_year=start_year,
        title="Transformation Programme",
        summary="Five priorities.",
        trust_board_signed_off=D(start_year, 3, 28),
        spb_signed_off=D(start_year, 4, 18),
    )
    people = services.priority_create(
        plan=plan,
        user=user,
        number=1,
        title="People",
        sponsor="Director of People",
        ambition="A place where our people are proud",
    )
    practice = services.priority_create(
        plan=plan, user=user, number=2, title="Practice", sponsor="Director of Practice"
    )
    recruit = services.action_create(
        priority=people,
        user=user,
        number=1,
        title="Recruit social workers",
        lead="Head of HR",
        milestone="Agency below 15%",
        due=D(start_year + 1, 3, 31),
    )
    pathway = services.action_create(
        priority=people,
        user=user,
        number=2,
        title="Launch the career pathway",
        lead="Principal Social Worker",
        milestone="Pathway published",
        due=D(start_year, 12, 31),
    )
    plo = services.action_create(
        priority=practice,
        user=user,
        number=1,
        title="Speed up PLO decisions",
        lead="Head of Court",
        milestone="16 weeks",
        due=D(start_year + 1, 1, 31),
    )
    for action, as_at, status, reason in [
        (recruit, D(start_year, 6, 30), "green", "Campaign launched."),
        (recruit, D(start_year + 1, 3, 31), "amber", "Agency share still 16%."),
        (pathway, D(start_year, 11, 30), "done", "Pathway published."),
        (plo, D(start_year + 1, 1, 31), "red", "Court delays."),
        # After the year's end: section (a) does not see it.
        (plo, D(start_year + 1, 4, 30), "done", "Reviews within 16 weeks."),
    ]:
        services.progress_record(
            action=action, user=user, as_at=as_at, status=status, reason=reason
        )
    return plan
