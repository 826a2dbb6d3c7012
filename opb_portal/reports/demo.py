"""
The demonstration's reports: the Scrutiny Board performance update for 24 March 2025 (its
figures as at 31 December 2024, as the seed report gave them), a Budget Scrutiny summary
for February 2025, a Cabinet skeleton, and the forward plan for 2025-26 written by the
demo's council reviewer (`reviewer`) and administrator (`admin`). Each report is made from
its kind's layout (the default layouts of migration 0002); a kind with no layout is passed over.
"""

import datetime

from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.periods import FinancialYear

from . import services
from .models import Kind, Layout, Report

REPORTS = [
    # kind, meeting date, figures as at, title
    (Kind.SCRUTINY, datetime.date(2025, 3, 24), datetime.date(2024, 12, 31),
     "Sandwell Children's Trust performance update, March 2025"),
    (Kind.BUDGET_SCRUTINY, datetime.date(2025, 2, 10), datetime.date(2024, 12, 31),
     "Budget Scrutiny summary, February 2025"),
    (Kind.CABINET, datetime.date(2025, 6, 18), datetime.date(2025, 3, 31),
     "Sandwell Children's Trust: report to Cabinet"),
]  # fmt: skip

AUTHORS = {Kind.SCRUTINY: "reviewer", Kind.BUDGET_SCRUTINY: "admin", Kind.ANNUAL_REVIEW: "admin"}


@transaction.atomic
def load_demo_reports() -> int:
    """Safe to run again: a report is found by its kind and meeting date. Gives how many."""
    people = {
        user.username: user for user in User.objects.filter(username__in=["reviewer", "admin"])
    }
    admin = people["admin"]
    made = 0
    for kind, meeting, figures_at, title in REPORTS:
        layout = Layout.objects.filter(kind=kind, in_use=True).first()
        if layout is None:
            continue
        if not Report.objects.filter(kind=kind, meeting_date=meeting).exists():
            services.report_create(
                layout=layout, meeting_date=meeting, figures_at=figures_at, title=title, user=admin
            )
        made += 1
    for proposal in services.forward_plan_for(FinancialYear(2025)):
        author = people[AUTHORS.get(proposal.kind, "reviewer")]
        services.due_save(
            kind=proposal.kind, title=proposal.title, due=proposal.due, author=author, user=admin
        )
    return made
