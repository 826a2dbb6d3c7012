"""
The demonstration's actions about Ofsted's recommendations: what the board asked the Trust
to do about three of them (the fostering inspection of October 2024, the focused visit of
October 2024, the LGA peer review of January 2025), so section (d) of the annual review and
each inspection's page show a recommendation tracked to its actions. The recommendations'
words are the seeds'; the actions, their owners and due dates are illustrative.
"""

import datetime

from opb_portal.accounts.models import User

from ..models import Action

ILLUSTRATIVE = "Raised for the demonstration (illustrative): owner and due date made up."
# (the recommendation's reference, title, owner, due)
ACTIONS = [
    ("recommendation:fostering_agency/2024-10-14/1",
     "Agree an out of hours service with foster carers and publish the allowances policy",
     "trust.ceo", "2025-09-30"),
    ("recommendation:focused_visit/2024-10-30/1",
     "Audit the regularity and quality of social workers' supervision in every locality team",
     "kpi.submitter", "2025-10-31"),
    ("recommendation:lga_peer_review/2025-01-14/2",
     "Report to the OPB on progress against the ILACS inspection's recommendations",
     "trust.ceo", "2025-12-31"),
]  # fmt: skip


def load_demo_recommendation_actions() -> int:
    """Safe to run again: an action is found by its subject and title. Gives how many."""
    raiser = User.objects.get(username="reviewer")
    # Raised after the demonstration's last meeting, so its business stays as it was.
    raised = datetime.datetime(2025, 6, 2, 10, tzinfo=datetime.UTC)
    for subject, title, owner, due in ACTIONS:
        action = Action.objects.filter(subject=subject, title=title).first() or Action(
            subject=subject, title=title
        )
        action.detail = ILLUSTRATIVE
        action.owner = User.objects.get(username=owner)
        action.due = datetime.date.fromisoformat(due)
        action.raised_by, action.raised_at = raiser, raised
        action.full_clean()
        action.save()
    return len(ACTIONS)
