from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "opb_portal.outbox"
    label = "outbox"
    verbose_name = "Outbox: emails the portal sends"

    def ready(self):
        # Sending what is due, every 30 seconds, by the worker's scheduler (Celery beat).
        from . import periodic

        periodic.register()
