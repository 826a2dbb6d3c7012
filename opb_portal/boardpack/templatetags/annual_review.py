"""
The annual review's two ways of writing: a narrative with its notes' markers as superscript
links, and a page's path as the portal's full address (a PDF or a Word document has no site
to be relative to).
"""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()

_MARKER = re.compile(r"\[(\d+)\]")
_PARAGRAPHS = re.compile(r"\n\s*\n")


@register.filter
def footnoted(text: str, notes) -> SafeString:
    """
    `text` in paragraphs, each `[n]` of a note it has written as a superscript link to note n.
    Every piece of the text is escaped; only the markers' own markup is added, with a number.
    """
    count = len(notes or [])

    def piece(chunk: str, index: int) -> str:
        if index % 2 == 0:
            return conditional_escape(chunk)
        number = int(chunk)
        if not 1 <= number <= count:
            return conditional_escape(f"[{chunk}]")
        return format_html('<sup><a href="#note-{0}">{0}</a></sup>', number)

    paragraphs = []
    for paragraph in _PARAGRAPHS.split(str(text).strip()):
        lines = []
        for line in paragraph.splitlines():
            chunks = _MARKER.split(line)
            lines.append(SafeString("".join(piece(c, i) for i, c in enumerate(chunks))))
        paragraphs.append(format_html("<p>{}</p>", SafeString("<br>".join(lines))))
    return SafeString("\n".join(paragraphs))


@register.filter
def portal_url(path: str) -> str:
    """A page's path as the portal's full address; a full address stays as it is."""
    if not path or not path.startswith("/"):
        return path
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"
