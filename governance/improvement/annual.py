"""
Section (a) of the annual review: the year's Improvement Plan, its priorities (each with its
ambition and sponsor) and their actions as they stood at the year's end (31 March: the latest
progress recorded as at that day or before), with a count of where the actions stood.
"""

from __future__ import annotations

import datetime

from opb_portal.boardpack.sections import Section
from opb_portal.periods import FinancialYear

from ..models import ImprovementPlan, ImprovementProgress
from . import selectors

KEY = "improvement-plan"
TITLE = "Section (a) The Improvement Plan"
Status = ImprovementProgress.Status
# The count line's order: the review reports what is done first.
COUNTED = (Status.DONE, Status.GREEN, Status.AMBER, Status.RED)


def _day(day: datetime.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def sign_off_line(plan: ImprovementPlan) -> str:
    """ "Signed off by the Trust Board on 28 March 2024 and by the Strategic Partnership ..."."""
    said = [
        f"by the {board} on {_day(day)}"
        for board, day in (
            ("Trust Board", plan.trust_board_signed_off),
            ("Strategic Partnership Board", plan.spb_signed_off),
        )
        if day
    ]
    if not said:
        return "The plan has not been recorded as signed off by the Trust Board or the SPB."
    line = f"The plan was signed off {' and '.join(said)}."
    if len(said) == 1:
        waiting = "Strategic Partnership Board" if plan.trust_board_signed_off else "Trust Board"
        line += f" Its sign-off by the {waiting} is not recorded."
    return line


def count_line(rows: list[selectors.ActionRow], day: datetime.date) -> str:
    """ "Of 15 actions at 31 March 2025: 9 complete, 4 on track, 2 at risk, 0 off track"."""
    statuses = [row.progress.status for row in rows if row.progress]
    counted = ", ".join(f"{statuses.count(status)} {status.label.lower()}" for status in COUNTED)
    line = f"Of {len(rows)} {'action' if len(rows) == 1 else 'actions'} at {_day(day)}: {counted}"
    waiting = len(rows) - len(statuses)
    if waiting:
        line += f", {waiting} not yet reported on"
    return line + "."


def annual(year: FinancialYear) -> dict:
    """The year's plan as at 31 March in four queries: the plan, priorities, actions, progress."""
    day = year.last.last_day
    plan = ImprovementPlan.objects.filter(start_year=year.start_year).first()
    if plan is None:
        return {
            "year": year,
            "plan": None,
            "none": f"No Improvement Plan for {year} is recorded in the portal.",
        }
    priorities = selectors.blocks(plan, day)
    rows = [row for block in priorities for row in block.rows]
    return {
        "year": year,
        "plan": plan,
        "day": day,
        "priorities": priorities,
        "sign_off": sign_off_line(plan),
        "count": count_line(rows, day),
        "illustrative": plan.illustrative,
        "illustrative_note": plan.notes if plan.illustrative else "",
    }


def register() -> None:
    """Called from `GovernanceConfig.ready()`."""
    from opb_portal.boardpack import sections

    sections.register(
        Section(
            key=KEY,
            title="The Improvement Plan",
            order=90,
            annual=annual,
            annual_template="boardpack/governance/improvement_annual.html",
            annual_title=TITLE,
        )
    )
