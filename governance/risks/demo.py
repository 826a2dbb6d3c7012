"""
The demonstration's risk register: the council's strategic risk on the Trust (seed 000, the
scrutiny report of March 2025: "Following the inspection in May 2022 and the improved Ofsted
judgement the previous red risk was moved to amber. This risk is regularly monitored and
reported to the Council's Audit and Risk Assurance Committee.").

The ratings and review dates are the demonstration's; the report gives the RAG only.
"""

import datetime

from opb_portal.accounts.models import User

from ..models import Risk
from . import services

TITLE = "Children's social care delivered through Sandwell Children's Trust does not improve"
MITIGATIONS = (
    "Monthly Operational Partnership Board and quarterly Strategic Partnership Board under the "
    "service delivery contract; 15 contract KPIs reported monthly; partnership Improvement "
    "Board chaired by a DfE appointed consultant; reported to the Council's Audit and Risk "
    "Assurance Committee."
)


def load_demo_risks() -> int:
    """Safe to run again: the risk is found by its title. Returns how many the register holds."""
    if Risk.objects.filter(title=TITLE).exists():
        return Risk.objects.count()
    reviewer = User.objects.get(username="reviewer")
    risk = services.risk_raise(
        user=reviewer,
        title=TITLE,
        description="The council's strategic risk on the Trust: children's services fail to "
        "reach and keep the standard the council's statutory duties require.",
        owner="Director of Children and Education, Sandwell Council",
        subjects=["kpi:2024/PI9", "finance:PL-RES"],
        reviewed_on=datetime.date(2022, 3, 31),
        likelihood=4,
        impact=5,
        mitigations=MITIGATIONS,
        note="Red on the council's strategic risk register.",
    )
    services.risk_review(
        risk=risk,
        user=reviewer,
        reviewed_on=datetime.date(2022, 9, 30),
        likelihood=3,
        impact=4,
        mitigations=MITIGATIONS,
        note="Following the inspection in May 2022 and the improved Ofsted judgement "
        "(requires improvement to be good), the previous red risk was moved to amber.",
    )
    services.risk_review(
        risk=risk,
        user=reviewer,
        reviewed_on=datetime.date(2025, 3, 24),
        likelihood=3,
        impact=4,
        mitigations=MITIGATIONS,
        note="No red risks relevant to the Trust; stays amber. Since September 2024 only "
        "KPI 9 has been in the failure zone for more than three months.",
    )
    return Risk.objects.count()
