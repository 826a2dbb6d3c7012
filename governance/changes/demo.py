"""
The demonstration's change control log: the three changes the 2024-25 annual review lists in
section (h) (seed 001), agreed by the boards in the words the review uses.

The dates of agreement are the demonstration's: the review gives the month each change is in
force from, and says KPI 9's band was revised in February 2025.
"""

import datetime

from opb_portal.accounts.models import User
from opb_portal.periods import Period

from ..models import Board, Change
from . import services

CHANGES = [
    {
        "title": "New Contractual Key Performance Indicators (KPI's) 2024",
        "kind": Change.Kind.KPI,
        "subject": "",
        "in_force_from": Period(2024, 4),
        "agreed_by": Board.SPB,
        "agreed_on": datetime.date(2024, 3, 14),
        "detail": "SCT and SMBC agreed new contract KPIs which went live in April 2024, with a "
        "three-month grace period (six months for long-term placement stability).",
    },
    {
        "title": "Amendment of KPI 9 (Date of the Fast Track Change)",
        "kind": Change.Kind.KPI,
        "subject": "kpi:2024/PI9",
        "in_force_from": Period(2025, 4),
        "agreed_by": Board.OPB,
        "agreed_on": datetime.date(2025, 2, 20),
        "detail": "KPI 9 targets were revised in February 2025 with consultation between SMBC, "
        "SCT and the Chair of the Improvement Board.",
    },
    {
        "title": "Extension of SSA Schedule 2 – Part 19 (Transport)",
        "kind": Change.Kind.SSA,
        "subject": "",
        "in_force_from": Period(2025, 4),
        "agreed_by": Board.OPB,
        "agreed_on": datetime.date(2025, 3, 20),
        "detail": "Extension of the support level agreement for transport; commencement from "
        "1st April 2025.",
    },
]


def load_demo_changes() -> int:
    """Safe to run again: a change is found by its title. Returns how many the log holds."""
    admin = User.objects.get(username="admin")
    for change in CHANGES:
        if not Change.objects.filter(title=change["title"]).exists():
            services.change_record(user=admin, **change)
    return Change.objects.count()
