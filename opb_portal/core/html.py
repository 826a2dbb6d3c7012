"""Small pieces of markup every page shares, built in one place."""

from django.utils.html import format_html


def rag_badge(status) -> str:
    """A RAG status as a word, a colour and a shape: never colour alone."""
    return format_html(
        '<span class="rag rag-{}"><span class="rag-shape" aria-hidden="true"></span>{}</span>',
        status.value,
        status.label,
    )
