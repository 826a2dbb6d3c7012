from urllib.parse import urlencode

from django import template
from django.urls import reverse

from opb_portal import rag
from opb_portal.core import html

register = template.Library()


@register.simple_tag
def rag_badge(status):
    return html.rag_badge(rag.Status(status))


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
