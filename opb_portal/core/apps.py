from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opb_portal.core"
    label = "core"
    verbose_name = "Portal core"
