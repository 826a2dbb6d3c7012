"""
The workforce tables as downloads, in xlsx or CSV: the monthly figures and the caseloads.

Each export has the columns of the dashboard's table, written as the page writes them
(shares and rates at the precision the Trust publishes), plus every figure unrounded,
and is written by the portal's one writer, `opb_portal.exports.Export`, from the
dashboard's selectors, so the file and the page cannot disagree. Approved figures only.
"""

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.reporting import period_from_request
from opb_portal.exports import Export, audited_export
from opb_portal.periods import Period

from . import selectors
from .models import TYPED, rounded

# The page's percentages, by the heading of their column, written again with every digit.
PERCENTS = {
    "PCT_PERM_EXCL_ASYE": "% permanent excl ASYE",
    "PCT_ASYE": "% ASYEs",
    "PCT_AGENCY": "% agency",
    "PERM_VACANCY_RATE": "Permanent vacancy rate",
    "RT_VACANCY_RATE": "Real-time vacancy rate",
}


def _text(value, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def monthly(period: Period, history: selectors.History) -> Export:
    """Every month of the dashboard's monthly figures table to `period`, newest first."""
    rows = []
    for item in reversed(history.with_figures):
        month = item.month
        commentary = "; ".join(
            f"{typed.title}: {month.commentary[typed.code]}"
            for typed in TYPED
            if month.commentary.get(typed.code)
        )
        rows.append(
            [
                item.period.short,
                month.establishment_fte,
                month.total_fte,
                month.permanent_fte,
                month.permanent_excl_asye_fte,
                month.asye_fte,
                month.agency_fte,
                _text(month.published("PCT_PERM_EXCL_ASYE"), "%"),
                _text(month.published("PCT_ASYE"), "%"),
                item.asye_status.label,
                _text(month.published("PCT_AGENCY"), "%"),
                item.agency_status.label,
                _text(month.published("PERM_VACANCY_RATE"), "%"),
                _text(month.published("RT_VACANCY_RATE"), "%"),
                *(month.derived(code) for code in PERCENTS),
                month.starters_fte,
                month.leavers_fte,
                month.sickness_days,
                commentary,
            ]
        )
    return Export(
        title=f"Workforce monthly figures {period.long}",
        columns=[
            "Month",
            "Establishment",
            "Total social workers",
            "Permanent",
            "Permanent excl ASYE",
            "ASYEs",
            "Agency",
            "% permanent excl ASYE",
            "% ASYEs",
            "ASYE RAG",
            "% agency",
            "Agency RAG",
            "Permanent vacancy rate",
            "Real-time vacancy rate",
            *(f"{heading} (exact)" for heading in PERCENTS.values()),
            "Starters",
            "Leavers",
            "Sickness days",
            "Commentary",
        ],
        rows=rows,
    )


def caseloads(position: selectors.Position) -> Export:
    """Each service's caseload in the month against the model, as the dashboard's table."""
    period = position.period
    rows = []
    for caseload in position.caseloads:
        standard, figure = caseload.standard, caseload.figure
        rows.append(
            [
                period.short,
                caseload.service.name,
                caseload.children,
                caseload.fte,
                _text(caseload.average),
                _text(standard.average_children) if standard else "No model",
                standard.asye_reduction if standard else None,
                _text(caseload.model),
                _text(rounded(caseload.percent_of_model, 1), "%"),
                caseload.status.label,
                figure.average if figure else None,
                standard.model_for(caseload.asye_share) if standard else None,
                caseload.percent_of_model,
                caseload.asye_share,
                "Yes" if caseload.illustrative else "No",
            ]
        )
    return Export(
        title=f"Workforce caseloads {period.long}",
        columns=[
            "Month",
            "Service",
            "Children held",
            "Case-holding FTE",
            "Average caseload",
            "Model",
            "ASYEs % fewer",
            "Model, ASYEs allowed for",
            "% of model",
            "RAG",
            "Average caseload (exact)",
            "Model, ASYEs allowed for (exact)",
            "% of model (exact)",
            "ASYE share used (exact %)",
            "Illustrative",
        ],
        rows=rows,
    )


# --- views: /workforce/figures.<fmt>?period=2025-03, /workforce/caseloads.<fmt>?period=... ----


@require(Action.EXPORT)
@audited_export
def figures_export(request, fmt):
    asked = period_from_request(request, latest=selectors.latest_period)
    if refused := asked.refusal():
        return refused
    period = asked.period
    history = selectors.workforce_history(period, rules=selectors.rules_until(period))
    return monthly(period, history).response(fmt)


@require(Action.EXPORT)
@audited_export
def caseloads_export(request, fmt):
    asked = period_from_request(request, latest=selectors.latest_period)
    return asked.refusal() or caseloads(selectors.workforce_position(asked.period)).response(fmt)
