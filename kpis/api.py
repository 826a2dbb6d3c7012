"""The KPI endpoints of the read-only API (`/api/v1/kpis/...`)."""

from opb_portal.core.api import api_response, api_view, json_error
from opb_portal.periods import FinancialYear, Period, PeriodError
from opb_portal.submissions.selectors import return_summary

from . import selectors


def _month_json(month):
    return None if month is None else month.period.iso


@api_view()
def kpis_for_period(request):
    try:
        period = Period.parse(request.GET.get("period", ""))
    except PeriodError:
        return json_error(400, "period must be a month written as YYYY-MM, for example 2025-03.")
    card = selectors.scorecard(period)
    return api_response(
        {
            "period": period.iso,
            "financial_year": period.financial_year.label,
            "framework": card.framework.code if card.framework else None,
            "kpis": [
                {
                    "code": row.kpi.code,
                    "title": row.kpi.title,
                    "unit": row.kpi.unit,
                    "value": row.month.number,
                    "status": row.status.value,
                    "in_grace": row.month.in_grace,
                    "rule": row.month.rule.describe() if row.month.rule else None,
                    "commentary": row.month.value.commentary if row.month.value else "",
                    "escalated": row.escalated,
                }
                for row in card.rows
            ],
            "return": return_summary(card.ret),
        }
    )


@api_view()
def kpis_year_summary(request):
    try:
        year = FinancialYear.parse(request.GET.get("year", ""))
    except PeriodError:
        return json_error(
            400, "year must be a financial year written as YYYY-YY, for example 2024-25."
        )
    summary = selectors.year_summary(year)
    return api_response(
        {
            "financial_year": year.label,
            "framework": summary.framework.code if summary.framework else None,
            "kpis": [
                {
                    "code": row.kpi.code,
                    "green": row.green,
                    "amber": row.amber,
                    "red": row.red,
                    "missing": row.missing,
                    "min": row.minimum.number if row.minimum else None,
                    "min_period": _month_json(row.minimum),
                    "max": row.maximum.number if row.maximum else None,
                    "max_period": _month_json(row.maximum),
                    "mean": row.mean,
                }
                for row in summary.rows
            ],
        }
    )
