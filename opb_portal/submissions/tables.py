"""One Table class per listing of the return pages; formatting lives in render_<column> methods."""

from __future__ import annotations

from dataclasses import dataclass

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime

from opb_portal.core.html import paragraphs, rag_badge
from opb_portal.periods import Period
from opb_portal.rag import Status

from . import registry
from .forms import field_label
from .models import EXPLAINED_AT_SUBMISSION, Return
from .registry import Line

# Tables whose first column names the row render it as a row header (<th scope="row">).
ROW_HEADERS = "submissions/table.html"
NONE = mark_safe('<span class="text-muted">–</span>')


def when(moment) -> str:
    return date_format(localtime(moment), "j M Y, H:i")


def status_badge(status: str) -> str:
    """A return's status as a word on a badge (the same partial the pages include)."""
    label = Return.Status(status).label
    return render_to_string("submissions/partials/status.html", {"status": status, "label": label})


def _rag(status: Status | None) -> str:
    return rag_badge(status) if status is not None else NONE


def _text(value) -> str:
    return value if value not in (None, "") else NONE


def _line(line: Line) -> str:
    if not line.title:
        return format_html("<strong>{}</strong>", line.code)
    return format_html("<strong>{}</strong><br><small>{}</small>", line.code, line.title)


# --- the list of returns -------------------------------------------------------------


class ReturnTable(tables.Table):
    """Rows are returns annotated with `current_number`, `approved_number` and `last_events`."""

    domain = tables.Column(verbose_name="Return")
    period = tables.Column(verbose_name="Month")
    status = tables.Column(verbose_name="Status")
    version = tables.Column(verbose_name="Current version", accessor="domain")
    last_action = tables.Column(verbose_name="Last action", accessor="domain")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No returns match."

    def render_domain(self, value):
        try:
            return capfirst(registry.get(value).label)
        except KeyError:
            return value

    def render_period(self, record):
        period = record.period
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> ({})</span></a>',
            reverse("submissions:detail", args=[record.domain, period.iso]),
            period.short,
            period.long,
        )

    def render_status(self, record):
        return status_badge(record.status)

    def render_version(self, record):
        if record.current_number is None:
            return NONE
        shown = format_html("Version {}", record.current_number)
        if record.approved_number and record.approved_number != record.current_number:
            shown += format_html(
                '<br><small class="text-muted">Dashboards show version {}</small>',
                record.approved_number,
            )
        return shown

    def render_last_action(self, record):
        if not record.last_events:
            return NONE
        event = record.last_events[0]
        return format_html(
            '{} by {}<br><small class="text-muted">{}</small>',
            event.get_action_display(),
            event.user,
            when(event.at),
        )


# --- one return ----------------------------------------------------------------------


@dataclass
class FigureRow:
    """One line of a version, with its RAG and how many comments it has."""

    line: Line
    data: dict[str, str]
    status: Status | None
    comments: int = 0
    # A reviewer's query on the line still awaits the Trust's answer.
    awaiting: bool = False
    # The version in which the line's commentary was written (its author and time).
    commentary_from: object = None

    @property
    def code(self) -> str:
        return self.line.code


class FigureColumn(tables.Column):
    """One field of a line (`value`, `commentary`...), whatever the domain calls its fields."""

    def __init__(self, name: str, **kwargs):
        self.name = name
        super().__init__(accessor="code", orderable=False, **kwargs)

    def render(self, record):
        text = record.data.get(self.name)
        if self.name in record.line.numeric_fields:
            return _text(record.line.written(text, self.name))
        if self.name != "commentary" or not text or record.commentary_from is None:
            return _text(text)
        return format_html(
            '{}<br><small class="text-muted">{}</small>',
            text,
            commentary_from(record.commentary_from),
        )


def commentary_from(version) -> str:
    """Whose a commentary is and when it was written: its version, author and time."""
    given = "Given at submission" if version.reason == EXPLAINED_AT_SUBMISSION else "Written"
    return (
        f"{given} in version {version.number}, by {version.created_by}, {when(version.created_at)}"
    )


class FiguresTable(tables.Table):
    code = tables.Column(verbose_name="Line")
    status = tables.Column(verbose_name="RAG", accessor="code")
    comments = tables.Column(verbose_name="Queries", accessor="code")

    class Meta:
        template_name = ROW_HEADERS
        attrs = {"class": "table table-sm align-middle figures"}
        orderable = False
        empty_text = "This version holds no figures."

    def __init__(self, rows: list[FigureRow], *, fields: list[str], labels: dict, **kwargs):
        extra = [
            (name, FigureColumn(name, verbose_name=field_label(labels, name))) for name in fields
        ]
        super().__init__(
            rows,
            extra_columns=extra,
            sequence=("code", *fields, "status", "comments"),
            **kwargs,
        )

    def render_code(self, record):
        return _line(record.line)

    def render_status(self, record):
        return _rag(record.status)

    def render_comments(self, record):
        if not record.comments:
            return NONE
        link = format_html(
            '<a href="#thread-{}">{} comment{}</a>',
            record.code,
            record.comments,
            "" if record.comments == 1 else "s",
        )
        if record.awaiting:
            link += mark_safe('<br><small class="text-danger">A query awaits an answer</small>')
        return link


class HistoryTable(tables.Table):
    at = tables.Column(verbose_name="When")
    user = tables.Column(verbose_name="Who")
    action = tables.Column(verbose_name="What")
    change = tables.Column(verbose_name="Status", accessor="action")
    version = tables.Column(verbose_name="Version", accessor="action")
    note = tables.Column(verbose_name="Note", accessor="action")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_at(self, value):
        return when(value)

    def render_action(self, record):
        return record.get_action_display()

    def render_change(self, record):
        if record.from_status == record.to_status:
            return record.get_to_status_display()
        return format_html(
            "{} → {}", record.get_from_status_display(), record.get_to_status_display()
        )

    def render_version(self, record):
        return _text(record.version.number if record.version_id else None)

    def render_note(self, record):
        return paragraphs(record.note) if record.note else NONE


class VersionsTable(tables.Table):
    number = tables.Column(verbose_name="Version")
    created_at = tables.Column(verbose_name="Saved")
    created_by = tables.Column(verbose_name="By")
    source = tables.Column(verbose_name="From")
    reason = tables.Column(verbose_name="Reason", accessor="number")
    shown = tables.Column(verbose_name="Shown where", accessor="number")

    class Meta:
        template_name = ROW_HEADERS
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_created_at(self, value):
        return when(value)

    def render_source(self, record):
        if record.upload_id is None:
            return "Typed in the form" if record.source == "form" else record.source
        period = record.ret.period
        return format_html(
            '<a href="{}" download>Download {}</a>',
            reverse(
                "submissions:version_file", args=[record.ret.domain, period.iso, record.number]
            ),
            record.upload.original_name,
        )

    def render_reason(self, record):
        return _text(record.reason)

    def render_shown(self, record):
        ret = record.ret
        labels = []
        if record.pk == ret.approved_version_id:
            labels.append("Approved: the dashboards show it")
        if record.pk == ret.current_version_id:
            labels.append("Current")
        return ", ".join(labels) or NONE


class ChangesTable(tables.Table):
    """Fields that differ: between two versions, or between the figures now and an upload."""

    line = tables.Column(verbose_name="Line")
    field = tables.Column(verbose_name="Field")
    before = tables.Column(verbose_name="Before", empty_values=())
    after = tables.Column(verbose_name="After", empty_values=())

    class Meta:
        template_name = ROW_HEADERS
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "Nothing differs."

    def __init__(self, changes, *, labels: dict, with_rag: bool = False, **kwargs):
        self.labels = labels
        extra = []
        if with_rag:
            extra = [
                ("rag_before", tables.Column(verbose_name="RAG now", accessor="field")),
                ("rag_after", tables.Column(verbose_name="RAG after", accessor="field")),
            ]
        super().__init__(changes, extra_columns=extra, **kwargs)

    def render_line(self, value):
        return _line(value)

    def render_field(self, value):
        return field_label(self.labels, value)

    def render_before(self, record):
        return _text(record.line.written(record.before, record.field))

    def render_after(self, record):
        return _text(record.line.written(record.after, record.field))

    def render_rag_before(self, record):
        return _rag(record.status_before) if record.field == "value" else ""

    def render_rag_after(self, record):
        return _rag(record.status_after) if record.field == "value" else ""


class ProblemsTable(tables.Table):
    severity = tables.Column(verbose_name="Severity")
    location = tables.Column(verbose_name="Where", empty_values=())
    message = tables.Column(verbose_name="Problem")

    class Meta:
        attrs = {"class": "table table-sm align-middle problems"}
        orderable = False

    def __init__(self, problems, **kwargs):
        # Errors first: they are what stops the file.
        super().__init__(sorted(problems, key=lambda p: not p.is_error), **kwargs)

    def render_severity(self, record):
        if record.is_error:
            return mark_safe('<strong class="text-danger">Error</strong>')
        if record.is_note:
            return mark_safe("<strong>Note</strong>")
        return mark_safe('<strong class="text-warning-emphasis">Warning</strong>')

    def render_location(self, value):
        return _text(value)


# --- locking months ------------------------------------------------------------------


@dataclass
class MonthLock:
    """A month on the lock page: its lock, if any, and the form to lock or unlock it."""

    period: Period
    lock: object | None
    form: object


class PeriodsTable(tables.Table):
    period = tables.Column(verbose_name="Month")
    state = tables.Column(verbose_name="State", accessor="period")
    form = tables.Column(verbose_name="Change", accessor="period")

    class Meta:
        template_name = ROW_HEADERS
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_period(self, value):
        return value.long

    def render_state(self, record):
        lock = record.lock
        if lock is None:
            return "Open"
        reason = format_html("<br><small>{}</small>", lock.reason) if lock.reason else ""
        return format_html(
            "<strong>Locked</strong> by {} on {}{}", lock.locked_by, when(lock.locked_at), reason
        )

    def render_form(self, record):
        # The request gives the form its CSRF token (RequestConfig sets `self.request`).
        return render_to_string(
            "submissions/partials/lock_form.html", {"form": record.form}, request=self.request
        )


class LockHistoryTable(tables.Table):
    period = tables.Column(verbose_name="Month")
    action = tables.Column(verbose_name="What")
    user = tables.Column(verbose_name="Who")
    at = tables.Column(verbose_name="When")
    reason = tables.Column(verbose_name="Reason", empty_values=())

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        empty_text = "No month has been locked yet."

    def render_period(self, value):
        return value.long

    def render_action(self, record):
        return record.get_action_display()

    def render_at(self, value):
        return when(value)

    def render_reason(self, value):
        return _text(value)
