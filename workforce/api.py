"""
The workforce endpoint of the read-only API (`/api/v1/workforce/`).

FTEs are JSON numbers with the places they were reported with; the shares and
rates at the precision the Trust publishes them (`WorkforceMonth.published`);
averages to two places. A month without figures gives nulls.
"""

from ninja import Router, Schema

from opb_portal.core.api import Figure, FromReturn, Month, figure, read
from opb_portal.submissions.selectors import return_summary

from . import selectors

router = Router(tags=["Workforce"])

# API field: derived figure code, at the precision the Trust publishes it.
SHARES = {
    "pct_permanent_excl_asye": "PCT_PERM_EXCL_ASYE",
    "pct_asye": "PCT_ASYE",
    "pct_agency": "PCT_AGENCY",
    "permanent_vacancy_rate": "PERM_VACANCY_RATE",
    "real_time_vacancy_rate": "RT_VACANCY_RATE",
}
FTES = [
    "establishment_fte",
    "total_fte",
    "permanent_fte",
    "permanent_excl_asye_fte",
    "asye_fte",
    "agency_fte",
]


class Caseload(Schema):
    service: str
    children: int | None
    fte: Figure
    average: Figure
    model: Figure
    status: str


class WorkforceMonth(FromReturn):
    period: str
    establishment_fte: Figure
    total_fte: Figure
    permanent_fte: Figure
    permanent_excl_asye_fte: Figure
    asye_fte: Figure
    agency_fte: Figure
    pct_permanent_excl_asye: Figure
    pct_asye: Figure
    pct_agency: Figure
    permanent_vacancy_rate: Figure
    real_time_vacancy_rate: Figure
    caseloads: list[Caseload]


@read(
    router,
    "/",
    name="workforce",
    response=WorkforceMonth,
    summary="The social work workforce of one month: FTEs, shares, vacancies, caseloads",
)
def workforce_for_period(request, period: Month):
    position = selectors.workforce_position(period)
    month, figures = position.month, position.figures
    return {
        "period": period.iso,
        **{name: figure(getattr(month, name)) if month else None for name in FTES},
        **{name: figure(figures.get(code)) for name, code in SHARES.items()},
        "caseloads": [
            {
                "service": caseload.service.name,
                "children": caseload.children,
                "fte": figure(caseload.fte),
                "average": figure(caseload.average),
                "model": figure(caseload.model),
                "status": caseload.status.value,
            }
            for caseload in position.caseloads
        ],
        "return": return_summary(position.ret),
    }
