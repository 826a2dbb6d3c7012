from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils import timezone

from opb_portal.core.admin_site import ReadOnlyAdmin
from opb_portal.core.audit import log_event

from .models import ApiToken, ExternalIdentity, Organisation, User
from .two_factor import ENROLMENT_CODE_LIFETIME, TwoFactorError, enrolment_code_issue


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]


class ExternalIdentityInline(admin.TabularInline):
    """Who this person is at their organisation's identity provider; removing one unlinks it."""

    model = ExternalIdentity
    extra = 0
    fields = ["organisation", "subject", "linked_at", "last_sign_in_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        # Linked by signing in through the provider, never typed in.
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "organisation", "role", "is_active"]
    list_filter = ["organisation", "role", "is_active", "break_glass"]
    list_select_related = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("OPB", {"fields": ["organisation", "role", "break_glass"]}),
    ]
    inlines = [ExternalIdentityInline]
    actions = ["issue_enrolment_code"]

    @admin.action(
        description="Issue an enrolment code for two-factor sign-in", permissions=["change"]
    )
    def issue_enrolment_code(self, request, queryset):
        """
        The codes, shown once on the page this answers with (never stored readable): the
        administrator passes each on in person or by phone.
        """
        issued = []
        for user in queryset.order_by("username"):
            try:
                code = enrolment_code_issue(user=user, issued_by=request.user)
            except TwoFactorError as refused:
                self.message_user(request, refused.message, messages.WARNING)
                continue
            log_event("enrolment_code_issued", request=request, for_user=user.username)
            issued.append((user, code))
        if not issued:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Enrolment codes",
            "issued": issued,
            "until": timezone.now() + ENROLMENT_CODE_LIFETIME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "accounts/enrolment_codes.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Everyone's API keys (never the keys themselves: only a hash is kept), to revoke any."""

    list_display = ["prefix", "user", "name", "created", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            token.revoke(by=request.user)
            log_event(
                "api_key_revoked", request=request, key=token.prefix, owner=token.user.username
            )
            self.message_user(request, f"Revoked {token}.", messages.SUCCESS)
