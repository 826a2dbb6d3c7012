"""
The KPI endpoints of the read-only API (`/api/v1/kpis/...`).

Values are JSON numbers with the places they were published with (`core.api.figure`);
a month not reported is null with the status "missing".
"""

from ninja import Router, Schema

from opb_portal.core.api import Figure, FromReturn, Month, Year, figure, read
from opb_portal.submissions.selectors import return_summary

from . import selectors

router = Router(tags=["KPIs"])


class Kpi(Schema):
    code: str
    title: str
    unit: str
    value: Figure
    status: str
    in_grace: bool
    rule: str | None
    commentary: str
    escalated: bool


class KpiMonth(FromReturn):
    period: str
    financial_year: str
    framework: str | None
    kpis: list[Kpi]


class KpiYear(Schema):
    code: str
    green: int
    amber: int
    red: int
    missing: int
    min: Figure
    min_period: str | None
    max: Figure
    max_period: str | None
    mean: Figure


class KpiYearSummary(Schema):
    financial_year: str
    framework: str | None
    kpis: list[KpiYear]


def _month_json(month):
    return None if month is None else month.period.iso


@read(router, "/", name="kpis", response=KpiMonth, summary="The 15 KPIs of one month")
def kpis_for_period(request, period: Month):
    card = selectors.scorecard(period, with_comparators=False)
    return {
        "period": period.iso,
        "financial_year": period.financial_year.label,
        "framework": card.framework.code if card.framework else None,
        "kpis": [
            {
                "code": row.kpi.code,
                "title": row.kpi.title,
                "unit": row.kpi.unit,
                "value": figure(row.month.number),
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


@read(
    router,
    "/summary/",
    name="kpis_summary",
    response=KpiYearSummary,
    summary="Each KPI over a financial year: RAG counts, range and mean",
)
def kpis_year_summary(request, year: Year):
    summary = selectors.year_summary(year)
    return {
        "financial_year": year.label,
        "framework": summary.framework.code if summary.framework else None,
        "kpis": [
            {
                "code": row.kpi.code,
                "green": row.green,
                "amber": row.amber,
                "red": row.red,
                "missing": row.missing,
                "min": figure(row.minimum.number) if row.minimum else None,
                "min_period": _month_json(row.minimum),
                "max": figure(row.maximum.number) if row.maximum else None,
                "max_period": _month_json(row.maximum),
                "mean": figure(row.mean),
            }
            for row in summary.rows
        ],
    }
