from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from opb_portal import rag
from opb_portal.accounts.permissions import can
from opb_portal.core import domains, html
from opb_portal.periods import Period
from opb_portal.submissions.figures import UNAPPROVED

register = template.Library()


@register.simple_tag
def rag_badge(status):
    return html.rag_badge(rag.Status(status))


@register.simple_tag
def unapproved():
    """The mark on a figure nobody has approved yet, in the same words everywhere."""
    return format_html('<span class="unapproved">{}</span>', UNAPPROVED)


@register.simple_tag
def month_options(period: Period, periods: list[Period]) -> SafeString:
    """
    The month picker's `<option>`s (partials/month_picker.html): every month in `periods`,
    `period` selected, and `period` first, marked "(no figures)", when it is not among them.

    Ten years of history is 120 options on every page that shows a month: one string
    joined here costs a few microseconds a month, where the template's loop (a context
    push, three look-ups and an `if` a month) made the page's time grow with the history.
    Safe as it is: an option holds only digits and the calendar's month names.
    """
    options = "".join(
        f'<option value="{month.iso}"{" selected" if month == period else ""}>{month.long}</option>'
        for month in periods
    )
    if period not in periods:
        options = (
            f'<option value="{period.iso}" selected>{period.long} (no figures)</option>{options}'
        )
    return mark_safe(options)  # noqa: S308 - digits and month names only (see above)


DOWNLOAD_FORMATS = (("xlsx", "Excel (.xlsx)"), ("csv", "CSV"))


@register.inclusion_tag("partials/downloads.html")
def downloads(url_name: str, what: str, *args, **query):
    """
    "Download <what>: Excel (.xlsx) · CSV" under a table, linking the page's export.

    `args` are the export URL's arguments before its format; `query` its parameters
    (the month shown, usually), so the file holds what the page shows.
    """
    suffix = f"?{urlencode(query)}" if query else ""
    links = [
        (label, reverse(url_name, args=[*args, fmt]) + suffix) for fmt, label in DOWNLOAD_FORMATS
    ]
    return {"what": what, "links": links}


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation as drawn: `current` is "page", "true" (a page within
    its section) or "" (elsewhere), the value of its aria-current."""

    address: str
    label: str
    current: str = ""


@register.simple_tag
def main_navigation(user, path: str = "") -> list[NavItem]:
    """
    The main navigation's links `user` may follow, in order, the one of the section `path`
    is in marked: the link whose address is the longest start of `path`, or else the first
    link under the same first part of the path (a KPI's page is the scorecard's section).
    """
    links = [
        (reverse(link.url_name), link.label)
        for link in domains.navigation()
        if can(user, link.action)
    ]
    current = domains.current_link(path, [address for address, _ in links])

    def marked(address: str) -> str:
        if address != current:
            return ""
        return "page" if address == path else "true"

    return [NavItem(address, label, marked(address)) for address, label in links]


@register.simple_tag
def error_page_links() -> list[tuple[str, str]]:
    """
    The pages the error pages offer, as (address, label): read from the registry and the
    URL configuration alone, so they show with no request, no person and no database.
    """
    links = []
    for link in domains.navigation():
        if not link.on_error_pages:
            continue
        try:
            links.append((reverse(link.url_name), link.label))
        except Exception:  # noqa: BLE001 - the error page must show whatever else is broken
            continue
    return links
