"""
Everything that changes a layout, a report or the forward plan.

Each act checks the person may do it (so the command line obeys the pages' rules), locks
the row it changes, cleans what it writes with the model and saves it. A report's section
is never overwritten: each edit is a new `ReportText` version; making a report final keeps
its PDF with its SHA-256 (`FinalReport`), and after that nothing edits it.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.outbox.services import queue_email
from opb_portal.periods import FinancialYear

from . import facts, language
from .models import FinalReport, Kind, Layout, LayoutSection, Report, ReportDue, ReportText

# A section is a few pages at most; this bounds what one form can store.
LONGEST_TEXT = 20_000
# Reminders to a report's author: 28 and 7 days before it is due.
REMIND_BEFORE = (28, 7)


class ReportError(Exception):
    """An act that cannot be done, with a sentence saying why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TextChanged(ReportError):
    """An edit refused because someone saved the section after the editor opened it."""


def _require(user: User, action: Action, refusal: str) -> None:
    if not can(user, action):
        raise ReportError(refusal)


def known_keys(*days: datetime.date) -> frozenset[str]:
    """Every fact key a provider declares, and every one some provider gives on `days` (today)."""
    found: set[str] = set(facts.declared_keys())
    for day in days or (timezone.localdate(),):
        found.update(facts.facts_on(day))
    return frozenset(found)


def _check_keys(text: str, *, where: str, known: frozenset[str]) -> None:
    problems = language.unknown_keys(text, known=known, where=where)
    if problems:
        raise ReportError(" ".join(problems))


# --- layouts ------------------------------------------------------------------------------


@transaction.atomic
def layout_save(
    *,
    layout: Layout | None,
    kind: str,
    name: str,
    heading: str,
    front_matter: str,
    in_use: bool,
    user: User,
) -> Layout:
    """Make a layout or change one's heading and front matter; unknown facts are refused."""
    _require(user, Action.MANAGE_REPORT_LAYOUTS, "Only an administrator keeps the layouts.")
    _check_keys(front_matter, where="The front matter", known=known_keys())
    layout = Layout() if layout is None else Layout.objects.select_for_update().get(pk=layout.pk)
    layout.kind, layout.name, layout.heading = kind, name.strip(), heading.strip()
    layout.front_matter, layout.in_use = front_matter.strip(), in_use
    layout.updated_by, layout.updated_at = user, timezone.now()
    layout.full_clean()
    layout.save()
    return layout


@transaction.atomic
def layout_section_save(
    *, layout: Layout, position: int | None, heading: str, body: str, user: User
) -> LayoutSection:
    """Change a layout's section, or add one at the end (`position` None)."""
    _require(user, Action.MANAGE_REPORT_LAYOUTS, "Only an administrator keeps the layouts.")
    layout = Layout.objects.select_for_update().get(pk=layout.pk)
    heading = heading.strip()
    _check_keys(body, where=f"Section “{heading}”", known=known_keys())
    if position is None:
        last = layout.sections.aggregate(last=Max("position"))["last"] or 0
        section = LayoutSection(layout=layout, position=last + 1)
    else:
        section = layout.sections.get(position=position)
    section.heading, section.body = heading, body.strip()
    section.full_clean()
    section.save()
    _touched(layout, user)
    return section


@transaction.atomic
def layout_reorder(*, layout: Layout, position: int, up: bool, user: User) -> None:
    """Move a section one place up or down, swapping it with its neighbour."""
    _require(user, Action.MANAGE_REPORT_LAYOUTS, "Only an administrator keeps the layouts.")
    layout = Layout.objects.select_for_update().get(pk=layout.pk)
    sections = list(layout.sections.select_for_update().order_by("position"))
    index = next((i for i, s in enumerate(sections) if s.position == position), None)
    if index is None:
        raise ReportError("The layout has no such section.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(sections):
        raise ReportError("That section is already " + ("first." if up else "last."))
    mine, theirs = sections[index], sections[other]
    # The constraint allows one section a position: park one out of the way while swapping.
    parked = 1 + max(s.position for s in sections)
    mine_at, theirs_at = mine.position, theirs.position
    mine.position = parked
    mine.save(update_fields=["position"])
    theirs.position = mine_at
    theirs.save(update_fields=["position"])
    mine.position = theirs_at
    mine.save(update_fields=["position"])
    _touched(layout, user)


def _touched(layout: Layout, user: User) -> None:
    layout.updated_by, layout.updated_at = user, timezone.now()
    layout.save(update_fields=["updated_by", "updated_at"])


# --- reports --------------------------------------------------------------------------------


def default_figures_at(meeting_date: datetime.date) -> datetime.date:
    """
    The last quarter's end at least 8 weeks before the meeting: the Scrutiny report of 24
    March 2025 gave the figures as at 31 December 2024.
    """
    latest = meeting_date - datetime.timedelta(weeks=8)
    for year in (latest.year, latest.year - 1):
        for month, day in ((12, 31), (9, 30), (6, 30), (3, 31)):
            end = datetime.date(year, month, day)
            if end <= latest:
                return end
    raise AssertionError("unreachable: a quarter ends every three months")


@transaction.atomic
def report_create(
    *,
    layout: Layout,
    meeting_date: datetime.date,
    figures_at: datetime.date | None,
    title: str,
    user: User,
) -> Report:
    """
    A report from a layout: its heading, front matter and sections copied as version 1 of
    each (a later edit of the layout changes only reports made after it). A due in the
    forward plan of the same kind on the meeting's day is linked to it.
    """
    _require(user, Action.DRAFT_REPORTS, "Your role does not allow drafting reports.")
    now = timezone.now()
    report = Report(
        layout=layout,
        kind=layout.kind,
        title=(title or layout.name).strip(),
        heading=layout.heading,
        front_matter=layout.front_matter,
        meeting_date=meeting_date,
        figures_at=figures_at or default_figures_at(meeting_date),
        created_by=user,
        created_at=now,
    )
    report.full_clean()
    report.save()
    for section in layout.sections.order_by("position"):
        text = ReportText(
            report=report,
            position=section.position,
            heading=section.heading,
            number=1,
            body=section.body,
            written_by=user,
            written_at=now,
        )
        text.full_clean()
        text.save()
    ReportDue.objects.filter(kind=report.kind, due=meeting_date, report__isnull=True).update(
        report=report
    )
    return report


def _locked_report(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    final = FinalReport.objects.filter(report=report).select_related("made_final_by").first()
    if final is not None:
        raise ReportError(
            f"{report.title} was made final on {final.made_final_at:%d %B %Y} by "
            f"{final.made_final_by}: nothing in it can be edited."
        )
    return report


@transaction.atomic
def report_text_save(
    *, report: Report, position: int, body: str, based_on: int, user: User
) -> ReportText:
    """
    Keep a new version of a section, written against version `based_on`. Refused if
    someone saved the section since, if nothing changed, if it names an unknown fact, or
    if the report is final.
    """
    _require(user, Action.DRAFT_REPORTS, "Your role does not allow drafting reports.")
    report = _locked_report(report)
    latest = (
        report.texts.filter(position=position)
        .select_related("written_by")
        .order_by("-number")
        .first()
    )
    if latest is None:
        raise ReportError("The report has no such section.")
    if based_on != latest.number:
        raise TextChanged(
            f"{latest.written_by} saved version {latest.number} of this section while you "
            "were editing it: read theirs, then make your change again."
        )
    body = body.replace("\r\n", "\n").strip()
    if len(body) > LONGEST_TEXT:
        raise ReportError(f"A section holds at most {LONGEST_TEXT:,} characters.")
    if body == latest.body:
        raise ReportError("Nothing has changed since the last version.")
    _check_keys(
        body,
        where=f"Section “{latest.heading}”",
        known=known_keys(report.figures_at, timezone.localdate()),
    )
    version = ReportText(
        report=report,
        position=position,
        heading=latest.heading,
        number=latest.number + 1,
        body=body,
        written_by=user,
        written_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def report_make_final(*, report: Report, user: User) -> FinalReport:
    """
    Render the report's PDF once and keep it with its SHA-256; then nothing edits it.
    Refused while a figure it names is not available at its date.
    """
    from . import render, selectors

    _require(user, Action.DRAFT_REPORTS, "Your role does not allow making a report final.")
    report = _locked_report(report)
    document = selectors.report_document(report)
    if document.warnings:
        raise ReportError(
            "A figure the report names is not available at its date: " + " ".join(document.warnings)
        )
    made_at = timezone.now().replace(microsecond=0)
    final = FinalReport(
        report=report,
        stored_name=f"{uuid.uuid4().hex}.pdf",
        sha256="0" * 64,
        size=0,
        pages=0,
        made_final_by=user,
        made_final_at=made_at,
    )
    document.final = final
    rendered = render.report_pdf(document, generated_at=made_at)
    final.sha256, final.size, final.pages = rendered.sha256, len(rendered.pdf), rendered.pages
    final.full_clean()
    final.write(rendered.pdf)
    # Should the row not be written, nothing may point at the file: remove it.
    try:
        final.save()
    except Exception:
        final.path.unlink(missing_ok=True)
        raise
    return final


# --- the forward plan ---------------------------------------------------------------------

# Scrutiny twice a year, Budget Scrutiny in February, the annual review after the year ends:
# (month, day) in the financial year; settings.REPORT_DUE_DAYS replaces any of them.
DUE_DAYS: dict[str, tuple[tuple[int, int], ...]] = {
    Kind.SCRUTINY: ((10, 15), (3, 24)),
    Kind.BUDGET_SCRUTINY: ((2, 10),),
    Kind.ANNUAL_REVIEW: ((9, 30),),
}


@dataclass(frozen=True)
class Proposal:
    """A report the forward plan proposes for a year: what, when; its author is chosen."""

    kind: str
    title: str
    due: datetime.date


def forward_plan_for(year: FinancialYear) -> list[Proposal]:
    """The reports due in the financial year `year`, in date order."""
    days = {**DUE_DAYS, **getattr(settings, "REPORT_DUE_DAYS", {})}
    found = []
    for kind, dates in days.items():
        for month, day in dates:
            calendar_year = year.start_year if month >= 4 else year.start_year + 1
            due = datetime.date(calendar_year, month, day)
            found.append(Proposal(kind=kind, title=_title(kind, due, year), due=due))
    return sorted(found, key=lambda p: p.due)


def _title(kind: str, due: datetime.date, year: FinancialYear) -> str:
    if kind == Kind.ANNUAL_REVIEW:
        before = FinancialYear(year.start_year - 1)
        return f"Annual review {before}"
    if kind == Kind.BUDGET_SCRUTINY:
        return f"Budget Scrutiny summary, {due:%B %Y}"
    return f"{Kind(kind).label}, {due:%B %Y}"


@transaction.atomic
def due_save(*, kind: str, title: str, due: datetime.date, author: User, user: User) -> ReportDue:
    """Put a report in the forward plan, or change the author or title of one already there."""
    _require(user, Action.DRAFT_REPORTS, "Your role does not allow keeping the forward plan.")
    found = ReportDue.objects.select_for_update().filter(kind=kind, due=due).first()
    entry = found or ReportDue(kind=kind, due=due)
    entry.title, entry.author = title.strip(), author
    if entry.report_id is None:
        entry.report = Report.objects.filter(kind=kind, meeting_date=due).first()
    entry.full_clean()
    entry.save()
    return entry


def _owed(entry: ReportDue, day: datetime.date) -> str | None:
    """What the reminder owed on `day` says ("is due in 7 days"); None if none is owed."""
    stages = [entry.due - datetime.timedelta(days=before) for before in REMIND_BEFORE]
    stages.append(entry.due + datetime.timedelta(days=1))
    owed = [since for since in stages if since <= day]
    if not owed or (entry.reminded_on is not None and entry.reminded_on >= owed[-1]):
        return None
    left = (entry.due - day).days
    if left < 0:
        return "is overdue"
    return "is due today" if left == 0 else f"is due in {left} days"


def reports_remind(*, day: datetime.date | None = None) -> list[OutgoingEmail]:
    """
    Email each report's author 28 and 7 days before it is due and once it is overdue (if
    no report is final), once each: `manage.py remind_reports`, daily. A run that missed
    a day sends the latest reminder owed, not every one it missed. Each reminder is its
    own transaction under a lock on the due, so running again sends nothing twice.
    """
    day = day or timezone.localdate()
    horizon = day + datetime.timedelta(days=max(REMIND_BEFORE))
    candidates = ReportDue.objects.filter(due__lte=horizon, report__final__isnull=True)
    sent = []
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            entry = (
                ReportDue.objects.select_for_update(of=("self",))
                .select_related("author", "report__final")
                .get(pk=pk)
            )
            final = entry.report is not None and hasattr(entry.report, "final")
            says = _owed(entry, day)
            if final or says is None or not entry.author.email:
                continue
            sent.append(
                queue_email(
                    to=entry.author.email,
                    subject=f"{entry.title} {says} ({entry.due:%d %B %Y})",
                    body=(
                        f"{entry.author},\n\n{entry.title} {says}: it is due on "
                        f"{entry.due:%d %B %Y}. You are its named author in the forward plan "
                        "of reports to Scrutiny and Cabinet.\n\nDraft it in the portal under "
                        "Reports; this reminder is sent once.\n"
                    ),
                )
            )
            entry.reminded_on = day
            entry.save(update_fields=["reminded_on"])
    return sent
