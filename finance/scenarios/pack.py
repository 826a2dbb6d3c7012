"""
The board pack's "Deficit scenarios" section: the scenarios the chair chose for the pack
(`Scenario.in_pack`, set by a chair of a meeting still to come or an administrator,
`services.scenario_choose_for_pack`), each side by side with the Trust's forecast and the
base model, and the sensitivity chart. Every figure is a model result and says so.

A section's build is given only the month (`boardpack.sections`): the model runs as at the
pack's month, so a pack of March shows the scenarios worked from March's figures.
Registered from `finance.pack.register()`; it sets no `domain` (its figures are the finance
section's, whose return the pack already waits for) and adds no sources of its own.
"""

from __future__ import annotations

from opb_portal.boardpack.sections import Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.periods import Period

from . import charts, selectors

KEY = "finance-scenarios"


def build(period: Period) -> dict:
    def compute():
        comparison = selectors.work_out(selectors.pack_choice(period), at=period)
        sensitivity = charts.sensitivity_for(comparison, at=period) if comparison.at else None
        return {"period": period, "comparison": comparison, "sensitivity": sensitivity}

    return shared((KEY, period), compute)


def register() -> None:
    register_section(
        Section(
            key=KEY,
            title="Finance: deficit scenarios (model)",
            order=210,
            template="boardpack/finance/scenarios.html",
            build=build,
        )
    )
