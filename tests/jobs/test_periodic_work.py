"""
Every periodic work the apps register reaches the worker's scheduler (Celery beat) with its
interval: the outbox every 30 seconds, the reminders daily, the forecasts nightly, the job
queue's own catch-up every minute.
"""

import datetime

import pytest

from opb_portal.celery import app
from opb_portal.jobs import registry

EXPECTED = {
    "jobs.requeue_stale": datetime.timedelta(minutes=1),
    "outbox.send_due": datetime.timedelta(seconds=30),
    "governance.remind_actions": datetime.timedelta(days=1),
    "reports.remind_reports": datetime.timedelta(days=1),
    "kpis.refresh_forecasts": datetime.timedelta(days=1),
}


def test_every_periodic_work_is_registered_with_its_interval():
    assert {name: work.every for name, work in registry.periodic().items()} == EXPECTED


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in EXPECTED])
def test_the_beat_schedule_runs_each_periodic_work_at_its_interval(name):
    app.finalize()

    entry = app.conf.beat_schedule[name]

    assert entry["task"] == "opb.run_periodic"
    assert entry["args"] == (name,)
    assert entry["schedule"] == EXPECTED[name].total_seconds()
