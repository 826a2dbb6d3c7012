"""
Section (c) of the annual review, drawn from the audits and surveys, in the published
review's words (2024-25):

    Practice Review compliance rose from 88.5% in November 2024 to 97.1% in May 2025 ...
    Areas of strength | Areas for development
    To sustain and build on this progress, a number of ongoing and planned actions are in
    place: ...

Every audit or survey that ran in the contract year (started by 31 March, finished on or
after 1 April or still under way), with its theme, dates, sample and findings, each
measure's first and last figures as a sentence (the review quotes the latest, taken while it
is written, after the year ended), its strengths and areas for development, and the actions
it raised as the actions log has them now.
"""

from __future__ import annotations

from django.urls import reverse

from opb_portal.boardpack.sections import Section
from opb_portal.core import followups
from opb_portal.periods import FinancialYear

from . import selectors

TITLE = (
    "Section (c) The thematic findings of any Audits and Surveys carried out by the Trust "
    "during the previous Contract Year"
)


def annual(year: FinancialYear) -> dict:
    """The year's audits, their figures' sentences and their actions (3 queries)."""
    rows = selectors.during(year)
    raised = followups.about(row.audit.subject_ref for row in rows)
    return {
        "year": year,
        "audits": [
            {
                "row": row,
                "audit": row.audit,
                "sentences": [m.sentence for m in row.measures],
                "table": row.audit.strengths_and_development(),
                "actions": raised.get(row.audit.subject_ref, []),
                "url": reverse("governance:audit", args=[row.audit.pk]),
            }
            for row in rows
        ],
        "illustrative": any(row.audit.illustrative for row in rows),
    }


def register() -> None:
    from opb_portal.boardpack import sections

    sections.register(
        Section(
            key="audits",
            title="Audits and surveys",
            order=140,
            annual=annual,
            annual_template="boardpack/governance/audits_annual.html",
            annual_title=TITLE,
        )
    )
