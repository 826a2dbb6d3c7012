"""The outbox's periodic work: the worker's scheduler sends what is due every 30 seconds."""

import datetime

from opb_portal.jobs import registry

from .services import outbox_send_due

# As often as `send_mail_outbox --loop` passes by default, for installs without a worker.
EVERY = datetime.timedelta(seconds=30)


def _send() -> str:
    report = outbox_send_due()
    said = f"{len(report.sent)} sent, {len(report.retrying)} to retry, {len(report.failed)} failed"
    return f"{said}; stopped: {report.stopped}" if report.stopped else said


def register() -> None:
    registry.register_periodic(registry.Periodic(name="outbox.send_due", run=_send, every=EVERY))
