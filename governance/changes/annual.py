"""
Sections (h) and (i) of the annual review, drafted from the change control log in the
words of the published review (2024-25):

    Changes to Service Delivery Contract
    - Amendment of KPI 9 (Date of the Fast Track Change) from 1st April 2025
    ...
    - LIAT changes to Statistical Neighbour Group from June 2025, new Statistical Neighbour
      group is ...

People with EDIT_ANNUAL_REVIEW edit the draft before the review is frozen (the board pack's
annual review keeps each edit); this only drafts.
"""

from __future__ import annotations

import datetime

from opb_portal.boardpack.sections import Section
from opb_portal.comparators import selectors as comparators
from opb_portal.periods import FinancialYear, Period

from ..models import Change
from . import selectors

H_TITLE = (
    "Section (h) Any Changes to the Agreement agreed between the Parties in the preceding "
    "Contract Year pursuant to the Change Control Procedure"
)
I_TITLE = (
    "Section (i) Any proposed changes to the Services Specification, the Financial Mechanism "
    "and/or the Performance Indicators for the following Contract Year"
)

# The review's three headings of section (h), and the kinds of change under each.
CONTRACT = (
    Change.Kind.CONTRACT,
    Change.Kind.KPI,
    Change.Kind.SPECIFICATION,
    Change.Kind.FINANCIAL,
)
H_HEADINGS = [
    (
        "Changes to Service Delivery Contract",
        CONTRACT,
        "There were no changes to the Service Delivery Contract during the year.",
    ),
    (
        "Changes to Support Services Agreements",
        (Change.Kind.SSA,),
        "There were no changes to the support services agreements during the year.",
    ),
    (
        "Other significant changes",
        (Change.Kind.OTHER,),
        "There were no other significant changes during the year.",
    ),
]
NOTHING_PROPOSED = (
    "There are no proposed changes to the Services Specification, the Financial Mechanism "
    "or the Performance Indicators for the following Contract Year."
)


def ordinal_date(day: datetime.date) -> str:
    """`1st April 2025`, as the review writes a date."""
    n = day.day
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} {day:%B %Y}"


def _line(change: Change) -> str:
    return f"- {change.title} from {ordinal_date(change.in_force_from.first_day)}"


def draft_h(year: FinancialYear) -> str:
    """Section (h): the changes agreed during the year (or in force from a month of it)."""
    changes = selectors.agreed_during(year)
    paragraphs = []
    for heading, kinds, none in H_HEADINGS:
        lines = [_line(c) for c in changes if c.kind in kinds]
        paragraphs += [heading, "\n".join(lines) if lines else none]
    return "\n\n".join(paragraphs)


def _neighbour_lines(year: FinancialYear) -> list[tuple[Period, str]]:
    following = FinancialYear(year.start_year + 1)
    found = []
    for group in comparators.groups():
        start = group.effective_from
        if start is None or not following.first.first_day <= start <= following.last.last_day:
            continue
        members = "; ".join(sorted(a.name for a in group.members.all()))
        found.append(
            (
                Period.from_date(start),
                f"- LIAT changes to Statistical Neighbour Group from {start:%B %Y}, new "
                f"Statistical Neighbour group is: {members}",
            )
        )
    return found


def draft_i(year: FinancialYear) -> str:
    """
    Section (i): the changes proposed for the following contract year (or agreed after the
    year ended), and any new statistical neighbour group the comparators start then.
    """
    lines = [(c.in_force_from, _line(c)) for c in selectors.proposed_for(year)]
    lines += _neighbour_lines(year)
    if not lines:
        return NOTHING_PROPOSED
    return "\n".join(text for _, text in sorted(lines, key=lambda pair: pair[0]))


def register() -> None:
    from opb_portal.boardpack import sections

    sections.register(
        Section(
            key="change-control",
            title="Change control log",
            order=700,
            annual_title=H_TITLE,
            annual_draft=draft_h,
        )
    )
    sections.register(
        Section(
            key="proposed-changes",
            title="Proposed changes",
            order=710,
            annual_title=I_TITLE,
            annual_draft=draft_i,
        )
    )
