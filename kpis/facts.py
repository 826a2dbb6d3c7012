"""
The KPI figures a report may say (`opb_portal.reports.facts`), as the scorecard shows them.

Read through `scorecard`, the scorecard's own selector, at the month reported: how many
contract KPIs there are and how many are green, amber and red, and the KPIs in the
performance failure zone for more than 3 consecutive months outside grace (the contract's
trigger, `ScorecardRow.escalated`), named by their titles in quotes as the Scrutiny report
names them (4.9).
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from opb_portal import formatting
from opb_portal.core.text import joined
from opb_portal.rag import Status
from opb_portal.reports.facts import Fact, month_reported, return_source

from .selectors import scorecard

PREFIX = "kpis"

# Every fact this module can give (the layouts are checked against these).
KEYS = (
    "month",
    "framework",
    "count",
    "green",
    "amber",
    "red",
    "failure_zone_over_3_months",
    "failure_zone_over_3_months_count",
    "in_grace",
)


def _quoted(titles: list[str]) -> str:
    return joined([f"‘{title}’" for title in titles])


def kpi_facts(day: datetime.date) -> list[Fact]:
    """
    The KPI facts as they stood on `day`: none without an approved figure that month.
    The scorecard's queries without its comparators.
    """
    period = month_reported(day)
    card = scorecard(period, with_comparators=False)
    if card.framework is None or not any(row.month.value for row in card.rows):
        return []
    url = f"{reverse('kpis:scorecard')}?period={period.iso}"
    source, as_at = return_source(card.shown), period.long
    illustrative = card.illustrative

    def fact(name: str, label: str, text: str) -> Fact:
        return Fact(
            f"{PREFIX}.{name}",
            label,
            text,
            source=source,
            url=url,
            as_at=as_at,
            illustrative=illustrative,
        )

    counts = card.counts
    failing = card.exceptions
    in_grace = [row for row in card.rows if row.month.in_grace]
    facts = [
        fact("month", "The month the KPI figures describe", as_at),
        fact("framework", "The KPI framework in force", card.framework.name),
        fact("count", "Contract KPIs", formatting.number(len(card.rows))),
        fact("green", "KPIs meeting target (green)", formatting.number(counts[Status.GREEN.value])),
        fact(
            "amber", "KPIs within tolerance (amber)", formatting.number(counts[Status.AMBER.value])
        ),
        fact("red", "KPIs in the failure zone (red)", formatting.number(counts[Status.RED.value])),
        fact(
            "failure_zone_over_3_months_count",
            "KPIs in the failure zone for more than 3 consecutive months",
            formatting.number(len(failing)),
        ),
    ]
    if failing:
        names = _quoted([row.kpi.title for row in failing])
        verb = "has" if len(failing) == 1 else "have"
        number = (
            "one KPI, relating to" if len(failing) == 1 else f"{len(failing)} KPIs, relating to"
        )
        sentence = (
            f"{number} {names}, {verb} been in the performance failure zone for more than a "
            f"3-month period"
        )
    else:
        sentence = "no KPI has been in the performance failure zone for more than a 3-month period"
    facts.append(
        fact(
            "failure_zone_over_3_months",
            "The KPIs in the failure zone for more than 3 consecutive months",
            sentence,
        )
    )
    if in_grace:
        one = len(in_grace) == 1
        said = f"{'is' if one else 'are'} in {'its' if one else 'their'} grace period"
        facts.append(
            fact(
                "in_grace",
                "The KPIs in their grace period",
                f"{_quoted([row.kpi.title for row in in_grace])} {said}, in which a red month "
                "does not count towards the contract's trigger",
            )
        )
    return facts
