"""
The finance budget lines as a download, in xlsx or CSV.

The export has the columns of the dashboard's budget lines table (each line, then its
group's total; all expenditure; then third-party income), written as the page writes
them, plus the figures themselves as numbers, to the pound, and the commentary. It
is written by the portal's one writer, `opb_portal.exports.Export`, from the
dashboard's selector, so the file and the page cannot disagree. Approved figures only.
"""

from opb_portal.accounts.permissions import Action, require
from opb_portal.core.reporting import period_from_request
from opb_portal.exports import Column, Export, audited_export
from opb_portal.formatting import pounds

from . import selectors
from .selectors import FinancePosition, GroupPosition
from .tables import variance_words

POUNDS = "#,##0"  # whole pounds, as the Trust reports them


def _exact(title: str) -> Column:
    return Column(f"{title} (£)", POUNDS)


def lines(position: FinancePosition) -> Export:
    """The budget lines of one month: what the page shows, then the figures as numbers."""
    period = position.period
    rows = []
    for row in position.rows if position.year else []:
        total = isinstance(row, GroupPosition)
        # The words carry the sign, so the text never starts like a formula; the number keeps it.
        words = variance_words(row.kind, row.variance)
        variance = f"{pounds(abs(row.variance))} {words}" if words else pounds(row.variance)
        rows.append(
            [
                period.short,
                "" if total else row.code,
                f"{row.label} total" if total else row.name,
                row.label if total else row.line.get_group_display(),
                "Total" if total else "Line",
                pounds(row.budget),
                pounds(row.actual_to_date),
                pounds(row.forecast_outturn),
                variance,
                row.status.label,
                row.rule,
                row.budget,
                row.actual_to_date,
                row.forecast_outturn,
                row.variance,
                row.tolerance,
                "" if total else row.commentary,
            ]
        )
    return Export(
        title=f"Finance budget lines {period.long}",
        columns=[
            "Month",
            "Code",
            "Line",
            "Group",
            "Row",
            "Budget",
            "Actual to date",
            "Forecast outturn",
            "Variance (forecast − budget)",
            "RAG",
            "Rule applied",
            _exact("Budget"),
            _exact("Actual to date"),
            _exact("Forecast outturn"),
            _exact("Variance"),
            _exact("Tolerance"),
            "Commentary",
        ],
        rows=rows,
    )


# --- views: /finance/lines.<fmt>?period=2025-03 -----------------------------------------------


@require(Action.EXPORT)
@audited_export
def lines_export(request, fmt):
    asked = period_from_request(request, latest=selectors.latest_period)
    return asked.refusal() or lines(selectors.finance_position(asked.period)).response(fmt)
