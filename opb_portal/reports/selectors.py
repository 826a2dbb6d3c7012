"""
Reads the reports pages share: the list and forward plan, one report as a document, a
section's versions, the layouts. Each docstring states its queries (the facts' providers
add their own, read once per document).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from . import facts, language
from .models import FinalReport, Layout, LayoutSection, Report, ReportDue, ReportText


@dataclass
class DocumentSection:
    number: int
    position: int
    heading: str
    blocks: list[language.Block]
    version: ReportText


@dataclass
class Document:
    """A report as it reads: heading, front matter, numbered sections, the Sources notes."""

    report: Report
    front_matter: list[tuple[str, tuple[language.Run, ...]]]
    sections: list[DocumentSection]
    notes: list[language.Note]
    warnings: list[str]
    final: FinalReport | None = None
    illustrative: bool = field(default=False)


def reports_list() -> QuerySet[Report]:
    """Every report with its layout and final PDF, newest meeting first: 1 query."""
    return Report.objects.select_related("layout", "final", "created_by")


def forward_plan() -> QuerySet[ReportDue]:
    """The forward plan with each author, report and its final PDF: 1 query."""
    return ReportDue.objects.select_related("author", "report", "report__final")


def report_for_page(pk: int) -> Report | None:
    """The report with its layout and final PDF (None if there is none): 1 query."""
    return (
        Report.objects.select_related("layout", "final", "final__made_final_by")
        .filter(pk=pk)
        .first()
    )


def latest_texts(report: Report) -> list[ReportText]:
    """The latest version of each section, in order: 1 query (on SQLite too: no DISTINCT ON)."""
    latest = (
        ReportText.objects.filter(report=OuterRef("report"), position=OuterRef("position"))
        .order_by("-number")
        .values("number")[:1]
    )
    texts = (
        report.texts.filter(number=Subquery(latest))
        .select_related("written_by")
        .order_by("position")
    )
    return list(texts)


def text_versions(report: Report, position: int) -> list[ReportText]:
    """Every version of one section, newest first: 1 query."""
    return list(
        report.texts.filter(position=position).select_related("written_by").order_by("-number")
    )


def report_document(report: Report) -> Document:
    """
    The report as it reads, its figures as they stood at `figures_at`: 1 query (the latest
    version of each section) besides the facts' providers'.
    """
    writer = language.Writer(facts=facts.facts_on(report.figures_at), day=report.figures_at)
    front = writer.front_matter(report.front_matter)
    sections = [
        DocumentSection(
            number=number,
            position=text.position,
            heading=text.heading,
            blocks=writer.blocks(text.body, where=f"Section “{text.heading}”"),
            version=text,
        )
        for number, text in enumerate(latest_texts(report), start=1)
    ]
    final = getattr(report, "final", None) if report.pk else None
    return Document(
        report=report,
        front_matter=front,
        sections=sections,
        notes=writer.notes,
        warnings=writer.warnings,
        final=final,
        illustrative=any(note.illustrative for note in writer.notes),
    )


def available_facts(day: datetime.date) -> list[facts.Fact]:
    """Every fact at `day`, by key, for the list beside a section's editor: no query here."""
    return sorted(facts.facts_on(day).values(), key=lambda fact: fact.key)


def layouts() -> QuerySet[Layout]:
    """The layouts with their sections: 2 queries."""
    return Layout.objects.select_related("updated_by").prefetch_related(
        Prefetch("sections", queryset=LayoutSection.objects.order_by("position"))
    )


@dataclass(frozen=True)
class DueRow:
    entry: ReportDue
    status: str
    overdue: bool


def due_rows(entries, *, today: datetime.date | None = None) -> list[DueRow]:
    """Each due's status in words: not started, drafted, final; overdue if late and not final."""
    today = today or timezone.localdate()
    found = []
    for entry in entries:
        report = entry.report
        final = report is not None and getattr(report, "final", None) is not None
        status = "Final" if final else ("Drafted" if report is not None else "Not started")
        found.append(DueRow(entry=entry, status=status, overdue=not final and entry.due < today))
    return found
