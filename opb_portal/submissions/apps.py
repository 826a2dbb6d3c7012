from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "opb_portal.submissions"
    label = "submissions"
    verbose_name = "Monthly returns"
