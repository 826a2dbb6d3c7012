from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "opb_portal.outbox"
    label = "outbox"
    verbose_name = "Outbox: emails the portal sends"
