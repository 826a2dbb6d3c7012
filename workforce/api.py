"""The workforce endpoint of the read-only API (`/api/v1/workforce/`)."""

from opb_portal.core.api import api_response, api_view, json_error
from opb_portal.periods import Period, PeriodError
from opb_portal.submissions.selectors import return_summary

from . import selectors

# API field: derived figure code, at the precision the Trust publishes it.
SHARES = {
    "pct_permanent_excl_asye": "PCT_PERM_EXCL_ASYE",
    "pct_asye": "PCT_ASYE",
    "pct_agency": "PCT_AGENCY",
    "permanent_vacancy_rate": "PERM_VACANCY_RATE",
    "real_time_vacancy_rate": "RT_VACANCY_RATE",
}


@api_view()
def workforce_for_period(request):
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError:
        return json_error(400, "period must be a month written as YYYY-MM, for example 2025-03.")
    position = selectors.workforce_position(period)
    month, figures = position.month, position.figures
    return api_response(
        {
            "period": period.iso,
            "establishment_fte": month and month.establishment_fte,
            "total_fte": month and month.total_fte,
            "permanent_fte": month and month.permanent_fte,
            "permanent_excl_asye_fte": month and month.permanent_excl_asye_fte,
            "asye_fte": month and month.asye_fte,
            "agency_fte": month and month.agency_fte,
            **{name: figures.get(code) for name, code in SHARES.items()},
            "caseloads": [
                {
                    "service": caseload.service.name,
                    "children": caseload.children,
                    "fte": caseload.fte,
                    "average": caseload.average,
                    "model": caseload.model,
                    "status": caseload.status.value,
                }
                for caseload in position.caseloads
            ],
            "return": return_summary(position.ret),
        }
    )
