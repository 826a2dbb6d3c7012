"""
What the portal has not managed to send, for the administrators: the admin's list of
outgoing emails, read-only, showing unsent and failed messages first with the last error.

Subjects and bodies carry what people wrote (a query, a reason): the admin escapes every
value it lists, and nothing here marks any of it safe.
"""

from django.contrib import admin

from opb_portal.core.admin_site import ReadOnlyAdmin

from .models import OutgoingEmail


class StateFilter(admin.SimpleListFilter):
    """Unsent (waiting or failed) by default: that is what an administrator comes to see."""

    title = "state"
    parameter_name = "state"
    UNSENT, ALL = "unsent", "all"

    def lookups(self, request, model_admin):
        return [
            (self.UNSENT, "Not sent (waiting or failed)"),
            (OutgoingEmail.State.WAITING, "Waiting"),
            (OutgoingEmail.State.FAILED, "Failed"),
            (OutgoingEmail.State.SENT, "Sent"),
            (self.ALL, "All"),
        ]

    def value(self):
        return super().value() or self.UNSENT

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        match self.value():
            case OutgoingEmail.State.WAITING:
                return queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
            case OutgoingEmail.State.FAILED:
                return queryset.filter(failed_at__isnull=False)
            case OutgoingEmail.State.SENT:
                return queryset.filter(sent_at__isnull=False)
            case self.ALL:
                return queryset
        return queryset.filter(OutgoingEmail.unsent())


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    # A record of what was sent: nobody writes or removes it by hand.
    list_display = [
        "to",
        "subject",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    list_filter = [StateFilter]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    @admin.display(description="state")
    def state(self, email: OutgoingEmail) -> str:
        return email.state.label
