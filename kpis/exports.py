"""
The KPI tables as downloads: the scorecard and the year summary, in xlsx or CSV.

Each export has the columns of the page plus the full-precision figures (the
stored value, numerator and denominator, the unrounded mean, every month), and
is written by the portal's one writer, `opb_portal.exports.Export`. Downloads
hold approved figures only, like the council's view of the dashboards.
"""

from __future__ import annotations

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.reporting import financial_year_or_404, period_from_request
from opb_portal.exports import Column, Export, audited_export

from . import outlook, selectors

EXACT = Column  # a heading for a full-precision figure, written as a number


def _month_text(kpi, month: selectors.Month | None) -> str:
    return kpi.format_value(month.number) if month is not None else "–"


# Forecasts are never figures: written as text, each heading says "Forecast".
OUTLOOK_COLUMNS = [
    "Outlook (forecast)",
    "Forecast next month (not a figure)",
    "Chance red next month (forecast)",
    "Forecast trigger month (4th red month outside grace)",
    "Forecast made from figures to",
    "Forecast method",
    "Forecast accuracy",
]


def _outlook_cells(ahead: outlook.Outlook | None) -> list[str]:
    if ahead is None:
        return ["No forecast: too few approved months", "", "", "", "", "", ""]
    if ahead.escalated:
        trigger = "Escalated already"
    else:
        trigger = ahead.trigger.short if ahead.trigger else "Not within the forecast's months"
    return [
        ahead.signal,
        f"{ahead.next_said} for {ahead.next.period.short}",
        ahead.chance_red_said,
        trigger,
        ahead.last_period.short,
        ahead.method,
        ahead.accuracy,
    ]


def scorecard(card: selectors.Scorecard) -> Export:
    """
    The scorecard of one month: what the page shows, then the exact figures behind it, then
    each KPI's outlook as text headed "Forecast" (the latest forecast made from approved
    figures to the month: 1 query).
    """
    period = card.period
    months = period.last_n(selectors.SPARKLINE_MONTHS)
    ahead = outlook.outlooks([row.kpi for row in card.rows], period) if card.rows else {}
    rows = []
    for row in card.rows:
        rule, value = row.month.rule, row.month.value
        change = row.change
        trend = {m.period: m.number for m in row.sparkline}
        rows.append(
            [
                row.kpi.code,
                row.kpi.title,
                period.short,
                _month_text(row.kpi, row.month),
                row.kpi.get_unit_display(),
                row.status.label,
                "Yes" if row.month.in_grace else "No",
                rule.target() if rule else "",
                rule.describe() if rule else "No rule",
                str(row.change_said or ""),
                row.consecutive_red,
                "Yes" if row.escalated else "No",
                "; ".join(
                    f"{c.get_kind_display()}: {row.kpi.format_value(c.value)} ({c.refers_to})"
                    for c in row.comparators
                ),
                row.month.number,  # at the KPI's precision, as the page and the API
                value.numerator if value else None,
                value.denominator if value else None,
                row.previous.number,
                change,
                value.commentary if value else "",
                ("Yes" if value.illustrative else "No") if value else "",
                *(trend.get(month) for month in months),
                *_outlook_cells(ahead.get(row.kpi.pk)),
            ]
        )
    return Export(
        title=f"KPI scorecard {period.long}",
        columns=[
            "Code",
            "KPI",
            "Month",
            "Value",
            "Unit",
            "RAG",
            "In grace",
            "Target",
            "Rule applied",
            "Change on last month",
            "Months red",
            "Contract exception",
            "Comparators",
            EXACT("Value (exact)"),
            EXACT("Numerator"),
            EXACT("Denominator"),
            EXACT(f"Value {period.shift(-1).short}"),
            EXACT("Change (exact)"),
            "Commentary",
            "Illustrative",
            *(EXACT(month.short) for month in months),
            *OUTLOOK_COLUMNS,
        ],
        rows=rows,
    )


def year_summary(summary: selectors.YearSummary) -> Export:
    """
    The year summary: counts, range, mean and sentence, the Trust's commentary month by
    month, then the exact mean and each month.
    """
    months = summary.year.months()
    rows = []
    for row in summary.rows:
        numbers = [m.number for m in row.months if m.number is not None]
        exact_mean = sum(numbers) / len(numbers) if numbers else None
        rows.append(
            [
                row.kpi.code,
                row.kpi.title,
                row.green,
                row.amber,
                row.red,
                row.missing,
                _month_text(row.kpi, row.minimum) if row.minimum else "–",
                row.minimum.period.short if row.minimum else "",
                _month_text(row.kpi, row.maximum) if row.maximum else "–",
                row.maximum.period.short if row.maximum else "",
                row.kpi.format_value(row.mean),
                row.sentence(),
                "\n".join(
                    f"{m.period.short}: {m.value.commentary}"
                    for m in row.months
                    if m.value is not None and m.value.commentary
                ),
                exact_mean,
                *(m.number for m in row.months),
            ]
        )
    return Export(
        title=f"KPI year summary {summary.year.label}",
        columns=[
            "Code",
            "KPI",
            "Green",
            "Amber",
            "Red",
            "No figure",
            "Lowest",
            "Lowest in",
            "Highest",
            "Highest in",
            "Mean",
            "The year in a sentence",
            "The Trust's commentary",
            EXACT("Mean (exact)"),
            *(EXACT(month.short) for month in months),
        ],
        rows=rows,
    )


# --- views: /kpis/scorecard.<fmt>?period=2025-03 and /kpis/years/<year>.<fmt> -------------------


@require(Action.EXPORT)
@audited_export
def scorecard_export(request, fmt):
    asked = period_from_request(request, latest=selectors.latest_period)
    return asked.refusal() or scorecard(selectors.scorecard(asked.period)).response(fmt)


@require(Action.EXPORT)
@audited_export
def year_summary_export(request, year, fmt):
    fy = financial_year_or_404(year)
    return year_summary(selectors.year_summary(fy)).response(fmt)
