from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from kpis import api as kpi_api
from opb_portal.core import views as core_views

api_patterns = [
    path("kpis/", kpi_api.kpis_for_period, name="kpis"),
    path("kpis/summary/", kpi_api.kpis_year_summary, name="kpis_summary"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("kpis/", include("kpis.urls")),
    # /returns/... and /periods/: the return workflow every domain shares.
    path("", include("opb_portal.submissions.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]
