"""The reports' periodic work: reminding authors of what they owe, daily."""

import datetime

from opb_portal.jobs import registry

from .services import reports_remind


def _remind() -> str:
    sent = reports_remind()
    return f"{len(sent)} report reminder{'s' * (len(sent) != 1)} queued"


def register() -> None:
    registry.register_periodic(
        registry.Periodic(
            name="reports.remind_reports", run=_remind, every=datetime.timedelta(days=1)
        )
    )
