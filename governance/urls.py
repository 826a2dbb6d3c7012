"""The governance pages, under `/governance/`."""

from .exception_reports.urls import urlpatterns as exception_reports
from .rectification.urls import urlpatterns as rectification

app_name = "governance"

urlpatterns = [*exception_reports, *rectification]
