"""
The demonstration's governance records, each part in its own module, loaded after the
domains whose figures they are about and the board pack's meetings (`core.domains.DemoLoader`,
order 1100): one call a part, in the order they depend on.
"""

from django.db import transaction

from .actions.demo import load_demo_recommendation_actions
from .audits.demo import load_demo_audits
from .changes.demo import load_demo_changes
from .exception_reports.demo import load_demo_exception_reports
from .improvement.demo import load_demo_improvement
from .meetings.demo import load_demo_actions, load_demo_business, load_demo_decisions
from .risks.demo import load_demo_risks


@transaction.atomic
def load_demo_governance() -> str:
    """Every part of governance's demonstration, as `load_demo` prints it."""
    parts = [
        f"{load_demo_exception_reports()} exception reports, accepted by the council",
        f"{load_demo_actions()} actions",
        f"{load_demo_business()} meetings' attendance, agendas and minutes",
        f"{load_demo_decisions()} decisions",
        f"{load_demo_changes()} changes in the change control log",
        f"{load_demo_risks()} risk on the register",
        f"{load_demo_improvement()} actions of the Improvement Plan",
        f"{load_demo_audits()} audits and surveys",
        f"{load_demo_recommendation_actions()} actions about Ofsted's recommendations",
    ]
    return "; ".join(parts)
