import datetime

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "opb_portal.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from . import registry, services

        registry.register_periodic(
            registry.Periodic(
                name="jobs.requeue_stale",
                run=lambda: f"{services.requeue_stale()} queued jobs sent again",
                every=datetime.timedelta(minutes=1),
            )
        )
