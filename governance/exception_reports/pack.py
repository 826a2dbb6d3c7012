"""
Exception reports and rectification plans in the board pack, the check before a pack is
issued, a KPI page's panel, and section (g) of the annual review.

Registered from `GovernanceConfig.ready()` through the machinery's registries
(`boardpack.sections`, `core.panels`); nothing here names a domain's code.
"""

from __future__ import annotations

from opb_portal.boardpack import sections
from opb_portal.core import panels, subjects
from opb_portal.core.text import joined
from opb_portal.periods import FinancialYear, Period

from ..rectification import selectors as plan_selectors
from . import selectors

# Right after the KPI pages ("kpi-attention", 110): the reports sit beside their KPIs.
ORDER = 115
SECTION_G = (
    "Section (g) The outcome of any Agreed Action Plan and/or Rectification Plan that was "
    "agreed in the preceding Contract Year"
)


def build(period: Period) -> dict:
    """
    The month's exception reports (every figure that needs one, written or not, and any
    other written), then every open plan with its milestones and progress.
    """
    rows = [row for row in selectors.due_at(period).rows if row.needs_report or row.report]
    plans = list(plan_selectors.open_plans())
    described = subjects.describe(plan.subject for plan in plans)
    for plan in plans:
        plan.described = described[plan.subject]
    return {
        "period": period,
        "rows": rows,
        "plans": plans,
        "contents": [
            ("exception-reports-of-the-month", "Exception reports"),
            ("rectification-plans", "Rectification plans"),
        ],
    }


def missing(period: Period) -> list[sections.Missing]:
    return selectors.missing_before_issue(period)


# --- the annual review's section (g) ----------------------------------------------------------


def contract_year(year: FinancialYear) -> str:
    """The year as the review writes it: 2024/25."""
    return f"{year.start_year}/{str(year.start_year + 1)[-2:]}"


def annual_draft(year: FinancialYear) -> str:
    """
    Section (g), drafted from the plans that ran in the year, in the published review's
    words when there were none.
    """
    plans = list(plan_selectors.plans_of_year(year))
    if not plans:
        return (
            "There were no formal action plans or rectification plans in the Contract year "
            f"{contract_year(year)}."
        )
    described = subjects.describe(plan.subject for plan in plans)
    paragraphs = []
    for plan in plans:
        label = described[plan.subject].label
        text = f"{label} was escalated in {plan.period.long}"
        if plan.agreements:
            at = plan.agreements[0].at
            text += f" and a rectification plan was agreed on {at.day} {at:%B %Y}"
        else:
            text += " and a rectification plan was written; it was not agreed"
        if plan.current_version is not None:
            text += f", to achieve this: {plan.current_version.summary.strip().rstrip('.')}"
        text += "."
        if plan.closed_at is not None:
            text += (
                f" The plan was closed on {plan.closed_at.day} {plan.closed_at:%B %Y}. "
                f"Outcome: {plan.outcome.strip()}"
            )
        else:
            progress = list(plan.progress.all())
            text += " The plan remained open"
            if progress:
                latest = progress[-1]
                text += f"; its latest progress ({latest.period.long}): {latest.text.strip()}"
            else:
                text += "; no progress was reported"
        paragraphs.append(text.rstrip(".") + ".")
    count = len(plans)
    opening = (
        f"There {'was' if count == 1 else 'were'} {count} rectification "
        f"plan{'' if count == 1 else 's'} in the Contract year {contract_year(year)}: "
        + joined([described[plan.subject].label for plan in plans])
        + "."
    )
    return "\n\n".join([opening, *paragraphs])


# --- a subject's own page -------------------------------------------------------------------------

PANEL = "governance.about"


def register() -> None:
    sections.register(
        sections.Section(
            key="exception-reports",
            title="Exception reports and rectification plans",
            order=ORDER,
            template="boardpack/governance/exceptions.html",
            build=build,
            annual_draft=annual_draft,
            annual_title=SECTION_G,
        )
    )
    sections.register_issue_check("exception-reports", missing)
    panels.register(
        panels.Panel(
            key=PANEL,
            template="governance/exception_reports/partials/about.html",
            about=selectors.about,
        )
    )
