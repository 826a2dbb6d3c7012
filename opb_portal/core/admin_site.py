"""
The Django admin as the administrator's tool, governed by the portal's roles.

Django's admin lets in anyone with `is_staff`; here the role must also allow
managing frameworks, so revoking the role closes the admin too.
"""

from django.contrib import admin

from opb_portal.accounts.permissions import Action, can
from opb_portal.core.fields import PeriodField


class PeriodListFilter(admin.AllValuesFieldListFilter):
    """The months a table holds, to pick one: a date filter's "past 7 days" names no month."""


admin.FieldListFilter.register(
    lambda field: isinstance(field, PeriodField), PeriodListFilter, take_priority=True
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """
    A table the administrator reads but never edits here: figures that arrive through
    returns, histories, the outbox. They change only through the portal's own flows,
    which keep the record of who changed what.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalAdminSite(admin.AdminSite):
    site_header = "OPB portal administration"
    site_title = "OPB portal"

    def has_permission(self, request):
        return super().has_permission(request) and can(request.user, Action.MANAGE_FRAMEWORKS)
