from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "opb_portal.reports"
    label = "reports"
    verbose_name = "Reports to Scrutiny and Cabinet"
