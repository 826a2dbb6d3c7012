"""The governance pages, under `/governance/`."""

app_name = "governance"

urlpatterns = []
