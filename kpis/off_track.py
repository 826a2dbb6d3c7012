"""
The KPIs off track in a month, as the KPI domain judges them (`opb_portal.core.off_track`).

Every KPI red in the month needs an exception report; an amber one only where the
administrator asks for it (`KpiDefinition.exception_report_when_amber`). A KPI red for more
than three consecutive months outside its grace period is escalated (the contract's trigger
for a rectification plan): the scorecard's own `ScorecardRow.escalated`, not a second count.

The figures judged are the ones a pack of the month shows (`Source.SUBMITTED`): the approved
figures, except while the month's return is with the council, when a draft pack shows the
figures sent for approval; a pack is issued only once they are approved, so what is judged
then is exactly what is issued. The Trust can write its exception reports as soon as it has
submitted the return.
"""

from __future__ import annotations

from opb_portal.boardpack.sections import shared
from opb_portal.core import off_track
from opb_portal.periods import Period
from opb_portal.rag import Status

from . import pack, selectors, subjects

OWNER = selectors.DOMAIN


def kpis_off_track(period: Period) -> list[off_track.OffTrack]:
    """
    Every KPI red or amber in `period`, in framework order, judged from the very scorecard
    the pack shows (`pack.pack_card`: read once per pack build; outside one, 7 queries:
    framework, the month's return and its events, KPIs, rules, comparators, values).
    """

    def compute() -> list[off_track.OffTrack]:
        card = pack.pack_card(period).card
        found = []
        for row in card.rows:
            if row.status not in (Status.RED, Status.AMBER):
                continue
            subject = subjects.subject_of(row.kpi)
            red = row.status == Status.RED
            found.append(
                off_track.OffTrack(
                    subject=subject.ref,
                    label=subject.label,
                    status=row.status.value,
                    value=row.kpi.format_value(row.month.number),
                    url=subject.url,
                    needs_report=red or row.kpi.exception_report_when_amber,
                    escalated=row.escalated,
                    domain=OWNER,
                )
            )
        return found

    return shared(("kpis.off_track", period), compute)


def register() -> None:
    off_track.register(OWNER, kpis_off_track)
