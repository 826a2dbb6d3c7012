from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin, with the portal's own site (imported lazily: it needs the models)."""

    default_site = "opb_portal.core.admin_site.PortalAdminSite"
