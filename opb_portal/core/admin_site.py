"""
The Django admin as the administrator's tool, governed by the portal's roles.

Django's admin lets in anyone with `is_staff`; here the role must also allow
managing frameworks, so revoking the role closes the admin too.
"""

from django.contrib import admin

from opb_portal.accounts.permissions import Action, can


class PortalAdminSite(admin.AdminSite):
    site_header = "OPB portal administration"
    site_title = "OPB portal"

    def has_permission(self, request):
        return super().has_permission(request) and can(request.user, Action.MANAGE_FRAMEWORKS)
