from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "opb_portal.reference"
    label = "reference"
    verbose_name = "Reference data"
