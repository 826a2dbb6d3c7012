"""
What the workforce dashboard draws, expressed in the chart module's terms.

Drawing lives in `opb_portal.charts`; this module only turns the history and
the month's caseloads into series and reference lines.
"""

from opb_portal.charts import ReferenceLine, Series, bar_chart, line_chart

from .selectors import Dashboard, History, Measure, Position


def for_dashboard(board: Dashboard) -> dict:
    """Every chart of the dashboard, by name; none where there is nothing to draw."""
    drawn = {}
    history, position = board.history, board.position
    if history.with_figures:
        month = position.month
        asye_rule = position.rule(Measure.ASYE_SHARE)
        drawn["fte"] = fte_by_type(history, establishment=month and month.establishment_fte)
        drawn["shares"] = shares(history, asye_aim=asye_rule and asye_rule.green_upper)
        drawn["vacancies"] = vacancy_rates(history)
    if position.has_caseloads:
        drawn["caseloads"] = caseloads(position)
    return drawn


def fte_by_type(history: History, *, establishment=None):
    """Social workers in post by type, stacked, against the establishment."""
    references = (
        [ReferenceLine(label=f"Establishment {establishment} FTE", value=establishment)]
        if establishment is not None
        else []
    )
    return bar_chart(
        title="Social workers in post by type (FTE) against the establishment",
        labels=history.labels,
        series=[
            Series("Permanent excluding ASYE", history.series("permanent_excl_asye_fte", None)),
            Series("ASYEs", history.series("asye_fte", None)),
            Series("Agency", history.series("agency_fte", None)),
        ],
        stacked=True,
        reference_lines=references,
        y_label="FTE",
        fluid=True,
    )


def shares(history: History, *, asye_aim=None):
    """The three shares of total social workers, month by month."""
    references = (
        [ReferenceLine(label=f"ASYE share aim {asye_aim}%", value=asye_aim)]
        if asye_aim is not None
        else []
    )
    return line_chart(
        title="Shares of total social workers (%)",
        labels=history.labels,
        series=[
            Series("Permanent excluding ASYE", history.series("pct_permanent_excl_asye", 1)),
            Series(
                "ASYEs",
                history.series("pct_asye", 1),
                statuses=[m.asye_status.value if m.month else None for m in history.months],
            ),
            Series(
                "Agency",
                history.series("pct_agency", 1),
                statuses=[m.agency_status.value if m.month else None for m in history.months],
            ),
        ],
        reference_lines=references,
        y_label="% of social workers",
        fluid=True,
    )


def vacancy_rates(history: History):
    return line_chart(
        title="Vacancy rates (%)",
        labels=history.labels,
        series=[
            Series("Permanent vacancy rate", history.series("permanent_vacancy_rate", 1)),
            Series("Real-time vacancy rate", history.series("real_time_vacancy_rate", 1)),
        ],
        y_label="% of the establishment",
        fluid=True,
    )


def caseloads(position: Position):
    """Each service's average caseload beside what the model expects of it."""
    rows = [c for c in position.caseloads if c.figure is not None]
    references = []
    if position.overall_caseload is not None:
        references.append(
            ReferenceLine(
                label=f"Average workload {position.overall_caseload}",
                value=position.overall_caseload,
            )
        )
    return bar_chart(
        title="Average caseload by service against the caseload model",
        labels=[c.service.name for c in rows],
        series=[
            Series(
                "Average caseload",
                [c.average for c in rows],
                statuses=[c.status.value for c in rows],
            ),
            Series("Model, ASYEs allowed for", [c.model for c in rows]),
        ],
        reference_lines=references,
        y_label="Children per FTE",
        fluid=True,
    )
