from django import template

from opb_portal import rag
from opb_portal.core import html

register = template.Library()


@register.simple_tag
def rag_badge(status):
    return html.rag_badge(rag.Status(status))
