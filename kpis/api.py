"""
The KPI endpoints of the read-only API (`/api/v1/kpis/...`).

Values are JSON numbers with the places they were published with (`core.api.figure`);
a month not reported is null with the status "missing".
"""

from decimal import Decimal
from typing import Literal

from ninja import Router, Schema

from opb_portal.core.api import Figure, FromReturn, Month, Year, figure, read
from opb_portal.submissions.selectors import return_summary

from . import outlook, selectors
from .models import KpiDefinition

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


# --- the KPIs' outlook: forecasts, never figures ---------------------------------------------


class ForecastMonth(Schema):
    """A month ahead as forecast: `kind` is always "forecast", never an approved figure."""

    kind: Literal["forecast"]
    period: str
    value: Figure
    lower: Figure  # the 80% prediction interval
    upper: Figure
    chance_red: float  # 0 to 1
    status: str  # the colour the forecast would have under the rule in force that month
    in_grace: bool


class ForecastAccuracy(Schema):
    """How the method did on this KPI when forecasts from earlier months were tested."""

    sentence: str
    tries: int
    within: Figure
    hits: int
    mase: float | None
    coverage: float | None
    fallback: bool


class KpiOutlook(Schema):
    code: str
    title: str
    unit: str
    kind: Literal["forecast"]
    made_from: str  # the last month of approved figures the forecast was made from
    made_at: str
    method: str
    method_label: str
    accuracy: ForecastAccuracy
    signal: str
    chance_red_next: float
    turns_red_next: bool
    trigger: str | None  # the month of the 4th consecutive red outside grace, on trajectory
    recovers_by: str | None
    escalated: bool
    months: list[ForecastMonth]


class KpiOutlooks(Schema):
    period: str
    framework: str | None
    kpis: list[KpiOutlook]


def _iso(period) -> str | None:
    return None if period is None else period.iso


def _outlook_json(ahead: outlook.Outlook) -> dict:
    kpi, stored, places = ahead.kpi, ahead.forecast, ahead.kpi.decimal_places
    accuracy = stored.accuracy
    within = accuracy.get("within")
    return {
        "code": kpi.code,
        "title": kpi.title,
        "unit": kpi.unit,
        "kind": "forecast",
        "made_from": stored.last_period.iso,
        "made_at": stored.made_at.isoformat(),
        "method": stored.method,
        "method_label": stored.method_label,
        "accuracy": {
            "sentence": ahead.accuracy,
            "tries": accuracy.get("tries", 0),
            "within": None if within is None else figure(Decimal(within), places),
            "hits": accuracy.get("hits", 0),
            "mase": accuracy.get("mase"),
            "coverage": accuracy.get("coverage"),
            "fallback": accuracy.get("fallback", False),
        },
        "signal": ahead.signal,
        "chance_red_next": ahead.chance_red_next,
        "turns_red_next": ahead.turns_red_next,
        "trigger": _iso(ahead.trigger),
        "recovers_by": _iso(ahead.recovers_by),
        "escalated": ahead.escalated,
        "months": [
            {
                "kind": step.kind,
                "period": step.period.iso,
                "value": figure(step.value, places),
                "lower": figure(step.lower, places),
                "upper": figure(step.upper, places),
                "chance_red": step.red,
                "status": step.status.value,
                "in_grace": step.in_grace,
            }
            for step in ahead.steps
        ],
    }


@read(
    router,
    "/outlook/",
    name="kpis_outlook",
    response=KpiOutlooks,
    summary="Each KPI's forecast from the approved figures to a month: marked as forecasts",
)
def kpis_outlook(request, period: Month):
    """
    The latest forecast of each KPI of the framework in force, made from approved figures to
    `period` or before: the next months with their 80% intervals, the chance each is red,
    the signals (turns red next month, the contract's trigger month, recovers by), the method
    and how accurate it has been on the KPI. Every month ahead is `"kind": "forecast"`.
    """
    framework = selectors.framework_in_force(period)
    kpis = (
        list(KpiDefinition.objects.filter(framework=framework).select_related("framework"))
        if framework
        else []
    )
    found = outlook.outlooks(kpis, period)
    return {
        "period": period.iso,
        "framework": framework.code if framework else None,
        "kpis": [_outlook_json(found[kpi.pk]) for kpi in kpis if kpi.pk in found],
    }
