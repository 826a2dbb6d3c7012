from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from demand import api as demand_api
from finance import api as finance_api
from kpis import api as kpi_api
from opb_portal.accounts.permissions import FORM
from opb_portal.core import health
from opb_portal.core import views as core_views
from workforce import api as workforce_api

api_patterns = [
    path("kpis/", kpi_api.kpis_for_period, name="kpis"),
    path("kpis/summary/", kpi_api.kpis_year_summary, name="kpis_summary"),
    path("workforce/", workforce_api.workforce_for_period, name="workforce"),
    path("finance/", finance_api.finance_for_period, name="finance"),
    path("demand/", demand_api.demand_for_period, name="demand"),
    path("benchmarks/", demand_api.benchmarks, name="benchmarks"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    # For the load balancer and monitoring: no sign-in, no figures.
    path("healthz", health.healthz, name="healthz"),
    # Django's LoginView would take a PUT as a sign-in: only GET, HEAD and POST here.
    path(
        "accounts/login/",
        require_http_methods(FORM)(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    # Two-factor sign-in: the code after the password, setting up, recovery codes.
    path("accounts/two-factor/", include("opb_portal.accounts.urls")),
    path("kpis/", include("kpis.urls")),
    path("workforce/", include("workforce.urls")),
    path("finance/", include("finance.urls")),
    # /demand/ and /benchmarks/<measure>/: the context behind every KPI.
    path("", include("demand.urls")),
    # /meetings/, /packs/, /annual-review/: the OPB board pack.
    path("", include("opb_portal.boardpack.urls")),
    # /returns/... and /periods/: the return workflow every domain shares.
    path("", include("opb_portal.submissions.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

# A database that fails before any view runs still gets the 503 page (see the view).
handler500 = "opb_portal.core.views.server_error"
# The portal's own pages, with its navigation; in debug too (core.middleware.ErrorPagesMiddleware).
handler404 = "opb_portal.core.views.not_found"
handler403 = "opb_portal.core.views.permission_denied"
