"""
The Celery application: the worker that does the portal's jobs and its scheduler.

    celery -A opb_portal worker --loglevel=INFO          # one or more, beside gunicorn
    celery -A opb_portal beat --loglevel=INFO            # exactly one, for the periodic work

Settings come from Django's (CELERY_*). Why Celery: docs/decisions/0012-background-jobs.md.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opb_portal.settings")

app = Celery("opb_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="opb.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: str) -> None:
    """
    Run one job. Acknowledged only when done, and given back to the queue when the worker
    process dies, so a killed worker's job runs again; `job_run` makes the second run finish
    the work rather than repeat it.
    """
    from opb_portal.jobs.services import job_run

    job_run(job_id=job_id)


@app.task(name="opb.run_periodic", ignore_result=True)
def run_periodic(name: str) -> str:
    from opb_portal.jobs import registry

    return registry.periodic()[name].run()


@app.on_after_finalize.connect
def schedule_periodic(sender, **kwargs):
    """Celery beat's schedule: every periodic work the apps registered."""
    import django

    django.setup()
    from opb_portal.jobs import registry

    for name, work in registry.periodic().items():
        sender.add_periodic_task(work.every.total_seconds(), run_periodic.s(name), name=name)
