"""The governance pages, under `/governance/`."""

from .actions.urls import urlpatterns as actions
from .audits.urls import urlpatterns as audits
from .changes.urls import urlpatterns as changes
from .decisions.urls import urlpatterns as decisions
from .exception_reports.urls import urlpatterns as exception_reports
from .improvement.urls import urlpatterns as improvement
from .meetings.urls import urlpatterns as meetings
from .rectification.urls import urlpatterns as rectification
from .risks.urls import urlpatterns as risks

app_name = "governance"

urlpatterns = [
    *exception_reports,
    *rectification,
    *meetings,
    *actions,
    *decisions,
    *changes,
    *risks,
    *improvement,
    *audits,
]
