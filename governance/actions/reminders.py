"""The actions log's periodic work: reminding owners of what is owed, daily."""

import datetime

from opb_portal.jobs import registry

from .services import actions_remind


def _remind() -> str:
    sent = actions_remind()
    return f"{len(sent)} action reminder{'s' * (len(sent) != 1)} queued"


def register() -> None:
    registry.register_periodic(
        registry.Periodic(
            name="governance.remind_actions", run=_remind, every=datetime.timedelta(days=1)
        )
    )
