"""Small pieces of markup every page shares, built in one place."""

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString


def rag_badge(status) -> str:
    """A RAG status as a word, a colour and a shape: never colour alone."""
    return format_html(
        '<span class="rag rag-{}"><span class="rag-shape" aria-hidden="true"></span>{}</span>',
        status.value,
        status.label,
    )


def paragraphs(text: str) -> SafeString:
    """
    A person's text as paragraphs and line breaks, escaped first.

    `django.utils.html.linebreaks` does not escape unless told to: a note holding
    `<div hx-post=... hx-trigger="load">` once reached the history table as markup,
    and htmx posted on the reader's behalf. This is the template filter `linebreaks`,
    escaping as a template would.
    """
    return linebreaks_filter(text, autoescape=True)
