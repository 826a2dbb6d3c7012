from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from opb_portal.accounts import api_key_views, sign_in_views
from opb_portal.accounts.permissions import FORM
from opb_portal.core import api as core_api
from opb_portal.core import domains, health
from opb_portal.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    # For the load balancer, supervisors and monitoring: no sign-in, no figures (core.health).
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("readyz", health.readyz, name="readyz"),
    # Django's LoginView would take a PUT as a sign-in: only GET, HEAD and POST here.
    path(
        "accounts/login/",
        require_http_methods(FORM)(sign_in_views.LoginView.as_view()),
        name="login",
    ),
    # Signing out of a single sign-on session goes on to the provider's end-session page.
    path("accounts/logout/", login_not_required(sign_in_views.LogoutView.as_view()), name="logout"),
    # Single sign-on, per organisation (council, trust): 404 where it is not configured.
    path("accounts/sso/<str:kind>/", sign_in_views.sso_start, name="sso_start"),
    path("accounts/sso/<str:kind>/callback/", sign_in_views.sso_callback, name="sso_callback"),
    # Two-factor sign-in: the code after the password, setting up, recovery codes.
    path("accounts/two-factor/", include("opb_portal.accounts.urls")),
    # A person's own keys for the API: make one (shown once), see when each was last used, revoke.
    path("accounts/api-keys/", include(api_key_views.urlpatterns)),
    # Each domain's pages, under the prefix it registers from its AppConfig.ready().
    *domains.page_urls(),
    # /comparators/...: the published figures every domain is benchmarked against.
    path("", include("opb_portal.comparators.urls")),
    # /meetings/, /packs/, /annual-review/: the OPB board pack.
    path("", include("opb_portal.boardpack.urls")),
    # /reports/...: the council's reports to Scrutiny and Cabinet, and their forward plan.
    path("", include("opb_portal.reports.urls")),
    # /returns/... and /periods/: the return workflow every domain shares.
    path("", include("opb_portal.submissions.urls")),
    # Each domain registers its endpoints from its AppConfig.ready(); the schema is /api/v1/schema/.
    path("jobs/", include("opb_portal.jobs.urls")),
    path("api/v1/", include(core_api.urls())),
    path("admin/", admin.site.urls),
]

# A database that fails before any view runs still gets the 503 page (see the view).
handler500 = "opb_portal.core.views.server_error"
# The portal's own pages, with its navigation; in debug too (core.middleware.ErrorPagesMiddleware).
handler404 = "opb_portal.core.views.not_found"
handler403 = "opb_portal.core.views.permission_denied"
