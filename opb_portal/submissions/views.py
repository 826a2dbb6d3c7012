"""
The return pages of every domain: the list, one return, typing, submitting,
reviewing, uploading a workbook, and locking months.

Each view authorises and fetches (a 404 for a return that does not exist, a
403 for a role that may not see it), validates a form, calls one service and
renders or redirects. The reads the pages need are at the top of this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from opb_portal.accounts.models import Organisation
from opb_portal.accounts.permissions import FORM, POST, Action, acts_for, can, require
from opb_portal.core.text import joined
from opb_portal.exports import CSV, audited_export
from opb_portal.periods import Period
from opb_portal.spreadsheets import Problem, TemplateRow, write_template

from . import checking, pipeline, registry, selectors, services, uploads
from .forms import (
    CommentForm,
    DiffForm,
    MonthForm,
    PeriodLockForm,
    RagForm,
    ReplyForm,
    ReturnFilterForm,
    ReturnForm,
    ReviewForm,
    SubmitForm,
    UploadDecisionForm,
    UploadForm,
    field_labels,
)
from .models import Comment, LockedPeriod, PeriodLockEvent, Return, ReturnVersion
from .pipeline import Change, Checked
from .registry import Line, ReturnSpec
from .services import ReturnChanged, ReturnError
from .tables import (
    ChangesTable,
    FigureRow,
    FiguresTable,
    HistoryTable,
    LockHistoryTable,
    MonthLock,
    PeriodsTable,
    ProblemsTable,
    ReturnTable,
    VersionsTable,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRUST = Organisation.Kind.TRUST
LOCK_HISTORY_SHOWN = 100


# --- reads ---------------------------------------------------------------------------
# Returns belong to the Trust: it is the one organisation that sends them.


def _trust(user) -> Organisation:
    """The Trust, for someone who acts for it (see `acts_for`); else there is nothing here."""
    trust = Organisation.objects.get(kind=TRUST)
    if not acts_for(user, trust):
        raise Http404("Returns are sent by the Trust's own people.")
    return trust


def _return_or_404(domain: str, period: Period, user) -> Return:
    ret = (
        Return.objects.filter(organisation__kind=TRUST, domain=domain, period=period)
        .select_related("organisation", "current_version")
        .first()
    )
    if ret is None or not acts_for(user, ret.organisation):
        raise Http404(f"There is no return for {period.long} yet.")
    return ret


def _existing_return(organisation, domain: str, period: Period) -> Return | None:
    return (
        Return.objects.filter(organisation=organisation, domain=domain, period=period)
        .select_related("current_version")
        .first()
    )


def _line_codes(ret: Return) -> list[str]:
    """The lines a comment or query may be about: the return's, and any its figures still hold."""
    lines = registry.get(ret.domain).typed_lines(ret.period)
    data = ret.current_version.data if ret.current_version else {}
    return list(dict.fromkeys([*(line.code for line in lines), *data]))


def _locked(period: Period) -> bool:
    return period in pipeline.locked_periods([period])


@dataclass
class Exchange:
    """A reviewer's query and the Trust's answers to it, shown side by side; or, without a
    query, what the Trust said unasked."""

    query: Comment | None
    answers: list[Comment] = field(default_factory=list)


@dataclass
class Thread:
    """The comments about one line, or about the whole return (`line` is None)."""

    code: str
    line: Line | None
    comments: list[Comment]
    # The return's own organisation: its people's comments answer the queries before them.
    organisation_id: int | None = None

    @property
    def exchanges(self) -> list[Exchange]:
        exchanges: list[Exchange] = []
        for comment in self.comments:
            if comment.author.organisation_id != self.organisation_id:
                exchanges.append(Exchange(query=comment))
            elif exchanges:
                exchanges[-1].answers.append(comment)
            else:
                exchanges.append(Exchange(query=None, answers=[comment]))
        return exchanges


def _commentary_since(versions: list[ReturnVersion], code: str) -> ReturnVersion | None:
    """
    The version in which the line's commentary in the last of `versions` was written: the
    earliest of the unbroken run of versions holding that same text (None: no commentary).
    """
    if not versions:
        return None
    text = versions[-1].data.get(code, {}).get("commentary")
    if not text:
        return None
    since = versions[-1]
    for version in reversed(versions[:-1]):
        if version.data.get(code, {}).get("commentary") != text:
            break
        since = version
    return since


@dataclass
class ReturnPage:
    """Everything the page of one return shows, fetched in a fixed number of queries."""

    spec: ReturnSpec
    ret: Return
    period: Period
    lines: list[Line]
    versions: list[ReturnVersion]
    rows: list[FigureRow]
    threads: list[Thread]
    labels: dict[str, str]
    locked: bool
    # Each thread's query still waiting for the Trust's answer, by line ("": the whole return).
    open_queries: dict[str, Comment] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(name for line in self.lines for name in line.fields))


def _return_page(domain: str, period: Period, user) -> ReturnPage:
    ret = selectors.return_for_page(domain=domain, period=period)
    if ret is None or not acts_for(user, ret.organisation):
        raise Http404(f"There is no return for {period.long} yet.")
    spec = registry.get(domain)
    lines = spec.typed_lines(period)
    known = {line.code: line for line in lines}
    data = ret.current_version.data if ret.current_version else {}
    # Lines of a version that the framework no longer lists are still shown, untitled.
    shown = lines + [Line(code=code, title="") for code in data if code not in known]
    context = spec.context(organisation=ret.organisation, period=period)
    comments: dict[str, list[Comment]] = defaultdict(list)
    for comment in ret.comments.all():
        comments[comment.line].append(comment)
    waiting = services.open_queries(ret, ret.comments.all())
    versions = list(ret.versions.all())  # by number: the current version is the last
    rows = [
        FigureRow(
            line=line,
            data=data.get(line.code, {}),
            status=spec.status_of(line=line, data=data.get(line.code, {}), context=context)
            if line.code in known
            else None,
            comments=len(comments.get(line.code, [])),
            awaiting=line.code in waiting,
            commentary_from=_commentary_since(versions, line.code),
        )
        for line in shown
    ]
    # The whole return's thread first, then each line's in the order of the return.
    order = ["", *(line.code for line in shown), *comments]
    threads = [
        Thread(code, known.get(code), comments.get(code, []), ret.organisation_id)
        for code in dict.fromkeys(order)
        if code == "" or code in comments
    ]
    return ReturnPage(
        spec=spec,
        ret=ret,
        period=period,
        lines=lines,
        versions=versions,
        rows=rows,
        threads=threads,
        labels=field_labels(spec),
        locked=_locked(period),
        open_queries=waiting,
    )


@dataclass
class Actions:
    """What the person may do to the return now, as the services will judge it."""

    edit: bool = False
    submit: bool = False
    review: bool = False
    correct: bool = False
    comment: bool = False

    @property
    def any(self) -> bool:
        return self.edit or self.submit or self.review or self.correct or self.comment


def _actions(user, ret: Return, *, locked: bool) -> Actions:
    if locked:
        return Actions()
    submitter = (
        can(user, Action.SUBMIT_RETURN, domain=ret.domain)
        and user.organisation_id == ret.organisation_id
    )
    reviewer = can(user, Action.REVIEW_RETURN)
    return Actions(
        edit=submitter and ret.is_editable,
        submit=submitter and ret.is_editable and ret.current_version_id is not None,
        review=reviewer and ret.status == Return.Status.SUBMITTED,
        correct=submitter and ret.status == Return.Status.APPROVED,
        comment=submitter or reviewer,
    )


def _return_form(request, *, spec: ReturnSpec, organisation, period: Period, ret) -> ReturnForm:
    """The typed form for a month, with last month's figures and RAG beside each line."""
    lines = spec.typed_lines(period)
    if not lines:
        raise Http404(f"No {spec.label} is expected for {period.long}: no framework is in force.")
    context = spec.context(organisation=organisation, period=period)
    data = ret.current_version.data if ret and ret.current_version else {}
    last_month = period.shift(-1)
    previous = spec.current(organisation=organisation, period=last_month)
    previous_context = spec.context(organisation=organisation, period=last_month)
    return ReturnForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        labels=field_labels(spec),
        period=period,
        ret=ret,
        statuses={
            line.code: spec.status_of(line=line, data=data.get(line.code, {}), context=context)
            for line in lines
        },
        previous=previous,
        previous_statuses={
            line.code: spec.status_of(
                line=line, data=previous.get(line.code, {}), context=previous_context
            )
            for line in lines
        },
        rag_url=reverse("submissions:rag", args=[spec.domain, period.iso]),
        locked=_locked(period),
    )


@dataclass
class MonthPreview:
    """One month of an upload: what will change, and what will need explaining at submission."""

    period: Period
    ret: Return | None
    changes: list[Change]
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # figures read at their precision

    @property
    def approved(self) -> bool:
        return self.ret is not None and self.ret.status == Return.Status.APPROVED


def _upload_preview(*, spec: ReturnSpec, organisation, checked: Checked) -> list[MonthPreview]:
    pipeline.preview(spec=spec, organisation=organisation, checked=checked)
    returns = {
        ret.period: ret
        for ret in Return.objects.filter(
            organisation=organisation,
            domain=spec.domain,
            period__in=list(checked.months),
        ).select_related("current_version")
    }
    return [
        MonthPreview(
            period=period,
            ret=returns.get(period),
            changes=month.changes,
            warnings=[p for p in month.problems if not (p.is_error or p.is_note)],
            notes=[p for p in month.problems if p.is_note],
        )
        for period, month in sorted(checked.months.items())
    ]


# --- small helpers ---------------------------------------------------------------------


def _detail(ret: Return):
    return redirect("submissions:detail", ret.domain, ret.period.iso)


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "Something in the form was not right: try again."


def _saved_versions(versions: list[ReturnVersion]) -> str:
    parts = [f"version {v.number} of {v.ret.period.long}" for v in versions]
    each = "each return" if len(parts) > 1 else "the return"
    return f"Saved {joined(parts)}. Submit {each} when you are ready."


def _commenters_only(view):
    """403 unless the person reviews returns or submits the domain's: they hold the threads."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user, domain = request.user, kwargs["domain"]
        if not (can(user, Action.REVIEW_RETURN) or can(user, Action.SUBMIT_RETURN, domain=domain)):
            raise PermissionDenied("Only reviewers and the return's submitters comment on it.")
        return view(request, *args, **kwargs)

    return wrapped


# --- the list --------------------------------------------------------------------------


@require(Action.VIEW_RETURNS)
def return_list(request):
    user = request.user
    visible = [s for s in registry.all_specs() if can(user, Action.VIEW_RETURNS, domain=s.domain)]
    filters = ReturnFilterForm(request.GET or None, specs=visible)
    month_form = MonthForm(request.GET if "month" in request.GET else None)
    table = ReturnTable(
        selectors.returns_for_list(domains=[spec.domain for spec in visible], **filters.filters)
    )
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {
        "table": table,
        "filter_form": filters,
        "month_form": month_form,
        "month": month_form.chosen,
        # Each of the person's returns, and whether one is expected for the month chosen: a
        # month with no framework or budget offers no form to type (it would be a dead link).
        "own_specs": [
            (spec, bool(spec.typed_lines(month_form.chosen)))
            for spec in visible
            if can(user, Action.SUBMIT_RETURN, domain=spec.domain)
        ],
    }
    return render(request, "submissions/return_list.html", context)


# --- one return ------------------------------------------------------------------------


@require(Action.VIEW_RETURNS)
def detail(request, domain, period):
    page = _return_page(domain, period, request.user)
    url = reverse("submissions:detail", args=[domain, period.iso])
    diff_form = DiffForm(
        request.GET if "from" in request.GET else None, versions=page.versions, action=url
    )
    diff = None
    if diff_form.is_bound and diff_form.is_valid():
        diff = ChangesTable(diff_form.changes(page.lines, period), labels=page.labels)
    actions = _actions(request.user, page.ret, locked=page.locked)
    review_url = reverse("submissions:review", args=[domain, period.iso])
    comment_url = reverse("submissions:comment", args=[domain, period.iso])
    codes = [row.code for row in page.rows]
    context = {
        "page": page,
        "spec": page.spec,
        "ret": page.ret,
        "period": period,
        "actions": actions,
        "figures": FiguresTable(page.rows, fields=page.fields, labels=page.labels),
        "history": HistoryTable(page.ret.events.all()),
        "versions": VersionsTable(page.versions),
        "diff_form": diff_form,
        "diff": diff,
        "approve_form": ReviewForm(codes=codes, action=review_url, decision=ReviewForm.APPROVE),
        "send_back_form": ReviewForm(codes=codes, action=review_url, decision=ReviewForm.RETURN),
        "comment_form": CommentForm(codes=codes, action=comment_url),
        # A queried return opens on its queries, each with the Trust's answer form.
        "replies": [
            (query, ReplyForm(line=line, codes=codes, action=comment_url))
            for line, query in page.open_queries.items()
        ]
        if actions.edit
        else [],
    }
    status = 400 if diff_form.is_bound and not diff_form.is_valid() else 200
    return render(request, "submissions/detail.html", context, status=status)


@require(Action.SUBMIT_RETURN, methods=FORM)
def edit(request, domain, period):
    spec = registry.get(domain)
    trust = _trust(request.user)
    ret = _existing_return(trust, domain, period)
    form = _return_form(request, spec=spec, organisation=trust, period=period, ret=ret)
    if request.method == "POST" and form.is_valid():
        checked = pipeline.check_entries(spec=spec, organisation=trust, entries=form.entries())
        form.show_problems(checked)
        if checked.ok:
            try:
                # Both or neither: a refused save must not leave an empty return behind.
                with transaction.atomic():
                    version = services.return_save(
                        ret=ret
                        or services.return_for(organisation=trust, domain=domain, period=period),
                        user=request.user,
                        data=checked.months[period].data,
                        base_version=form.cleaned_data["base_version"],
                        reason=form.cleaned_data.get("reason", ""),
                    )
            except ReturnError as refused:
                form.refuse(refused.message)
            else:
                messages.success(
                    request,
                    f"Saved version {version.number} of the {spec.label} for {period.long}. "
                    "Submit it when you are ready.",
                )
                unanswered = services.unanswered_warnings(checked, version.ret, {})
                if unanswered:
                    codes = joined(list(dict.fromkeys(w.measure for w in unanswered)))
                    messages.warning(
                        request,
                        f"{codes} will need an explanation when you submit (or commentary "
                        "on the line).",
                    )
                return redirect("submissions:detail", domain, period.iso)
    context = {"form": form, "spec": spec, "period": period, "ret": ret}
    return render(request, "submissions/edit.html", context)


@require(Action.SUBMIT_RETURN)
def rag(request, domain, period):
    """The RAG badge of one figure as it is typed: a fragment for htmx."""
    spec = registry.get(domain)
    form = RagForm(request.GET, lines=spec.typed_lines(period))
    if not form.is_valid():
        if "code" in form.errors:
            return HttpResponseBadRequest("No such line.", content_type="text/plain")
        context = {"message": form.errors["value"][0]}
        return render(request, "submissions/partials/rag_live.html", context)
    number, line = form.cleaned_data["number"], form.cleaned_data["line"]
    status = None
    if number is not None:
        status = pipeline.rate_typed(
            spec=spec, organisation=_trust(request.user), period=period, line=line, number=number
        )
    context = {"status": status, "number": number}
    return render(request, "submissions/partials/rag_live.html", context)


@require(Action.SUBMIT_RETURN, methods=FORM)
def submit(request, domain, period):
    ret = _return_or_404(domain, period, request.user)
    spec = registry.get(domain)
    checked, queries = None, {}
    if ret.current_version is not None and ret.is_editable:
        checked = pipeline.check_entries(
            spec=spec,
            organisation=ret.organisation,
            entries=services.entries_from_version(ret),
            submitting=True,
        )
        queries = services.open_queries(ret)
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        checked=checked,
        figures=ret.current_version.data if ret.current_version else {},
        action=request.path,
        queries=queries,
    )
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            event = services.return_submit(
                ret=ret,
                user=request.user,
                explanations=form.explanations(),
                answers=form.answers(),
            )
        except ReturnError as error:
            refused = error
        else:
            # `ret` is as the page read it: a new version means the explanations made one.
            explained = (
                " It holds your explanations as the commentary of their lines."
                if event.version_id != ret.current_version_id
                else ""
            )
            messages.success(
                request,
                f"Submitted version {event.version.number} of the {spec.label} for "
                f"{period.long} to the council.{explained} Its reviewers have been told by email.",
            )
            return _detail(ret)
    context = {
        "spec": spec,
        "ret": ret,
        "period": period,
        "checked": checked,
        "form": form,
        "refused": refused,
        "locked": _locked(period),
    }
    return render(request, "submissions/submit.html", context)


@require(Action.REVIEW_RETURN, methods=POST)
def review(request, domain, period):
    ret = _return_or_404(domain, period, request.user)
    form = ReviewForm(request.POST, codes=_line_codes(ret))
    if not form.is_valid():
        messages.error(request, f"Nothing was done: {_first_error(form)}")
        return _detail(ret)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == ReviewForm.APPROVE:
            services.return_approve(ret=ret, user=request.user, note=comment)
        else:
            services.return_send_back(
                ret=ret, user=request.user, comment=comment, line=form.cleaned_data["line"]
            )
    except ReturnError as refused:
        kept = f" What you wrote: “{comment.strip()}”" if comment.strip() else ""
        messages.error(request, f"{refused.message}{kept}")
    else:
        done = "Approved" if decision == ReviewForm.APPROVE else "Returned with queries"
        messages.success(
            request,
            f"{done}: the {registry.get(domain).label} for {period.long}. "
            "The Trust's submitters have been told by email.",
        )
    return _detail(ret)


@_commenters_only
@require_POST
def comment(request, domain, period):
    ret = _return_or_404(domain, period, request.user)
    form = CommentForm(request.POST, codes=_line_codes(ret))
    if not form.is_valid():
        messages.error(request, f"The comment was not added: {_first_error(form)}")
        return _detail(ret)
    text, line = form.cleaned_data["text"], form.cleaned_data["line"]
    try:
        services.comment_add(ret=ret, user=request.user, text=text, line=line)
    except ReturnError as refused:
        messages.error(request, f"{refused.message} What you wrote: “{text.strip()}”")
    else:
        messages.success(request, "Your comment was added.")
    return _detail(ret)


@require(Action.VIEW_RETURNS)
@audited_export
def version_file(request, domain, period, number):
    version = (
        ReturnVersion.objects.filter(
            ret__organisation__kind=TRUST,
            ret__domain=domain,
            ret__period=period,
            number=number,
        )
        .select_related("upload", "ret__organisation")
        .first()
    )
    if (
        version is None
        or version.upload is None
        or not acts_for(request.user, version.ret.organisation)
    ):
        raise Http404("That version was not uploaded as a file.")
    if version.upload.purged_at is not None:
        raise Http404(
            f"The file was removed on {version.upload.purged_at:%d %B %Y}, after the "
            f"{settings.UPLOAD_RETENTION_DAYS} days uploads are kept: its figures are in this "
            "version."
        )
    try:
        handle = version.upload.path.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The stored file is missing: tell an administrator.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=version.upload.original_name,
        content_type=CSV if version.upload.stored_name.endswith(".csv") else XLSX,
    )


# --- workbooks -------------------------------------------------------------------------


def _instructions(spec: ReturnSpec, lines: list[Line], period: Period) -> list[str]:
    fields = {name for line in lines for name in line.numeric_fields}
    text = [
        f"This is the {spec.label} for {period.long}. Fill in one row per line on the "
        f"'{spec.layout.template_sheet}' sheet and keep the codes in the first column as "
        "they are.",
        "Type each figure as a plain number, such as 86.4 or 1,250: no units, words or notes "
        "in the figure columns. Leave a cell empty when you have no figure.",
    ]
    if any(line.percent for line in lines):
        text.append(
            "Percentages: type 86.4 or 86.4% for 86.4 per cent. A cell formatted as a "
            "percentage is read as Excel shows it."
        )
    if {"numerator", "denominator"} <= fields:
        text.append(
            "Where you have the numerator and the denominator, you may type both and leave the "
            "value empty: the portal works it out. If you type all three, they must agree."
        )
    text += [
        "Use the commentary to explain anything unusual, especially a red figure or a big "
        "change on last month: a figure like that needs an explanation before the return can "
        "be submitted.",
        "Last month shows the approved figure for reference; it is not read back.",
        "When you are done, save the file as .xlsx and upload it on the portal's 'Upload a "
        "workbook' page.",
        "What happens next: the portal checks every cell and lists any problem with its sheet "
        "and cell. If there are none, it shows you what will change and you confirm; that "
        "saves a draft. Submit the return when you are ready: a council reviewer then approves "
        "it or returns it with queries.",
    ]
    return text


@require(Action.SUBMIT_RETURN)
@audited_export
def template(request, domain, period):
    spec = registry.get(domain)
    lines = spec.typed_lines(period)
    if not lines:
        raise Http404(f"No {spec.label} is expected for {period.long}: no framework is in force.")
    previous = spec.current(organisation=_trust(request.user), period=period.shift(-1))
    workbook = write_template(
        spec=spec.layout,
        period=period,
        title=f"{spec.label} for {period.long}",
        instructions=_instructions(spec, lines, period),
        rows=[
            TemplateRow(
                code=line.code,
                title=line.title,
                unit_hint=line.unit,
                last_value=previous.get(line.code, {}).get("value", ""),
            )
            for line in lines
        ],
        percent_codes=frozenset(line.code for line in lines if line.percent),
    )
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{domain}-return-{period.iso}.xlsx"
    )
    return response


def _problems_page(request, spec: ReturnSpec, filename: str, problems: list[Problem]):
    """A refused file: every problem, and a link to download them. The file is not kept."""
    token = uploads.keep_problems(
        owner=request.user, purpose=spec.domain, filename=filename, problems=problems
    )
    return _problems_shown(request, spec, filename, problems, token)


def _problems_shown(request, spec: ReturnSpec, filename: str, problems: list[Problem], token):
    context = {
        "spec": spec,
        "filename": filename,
        "table": ProblemsTable(problems),
        "errors": sum(1 for p in problems if p.is_error),
        "warnings": sum(1 for p in problems if not (p.is_error or p.is_note)),
        "download": reverse("submissions:upload_problems", args=[spec.domain, token]),
        "form": UploadForm(action=reverse("submissions:upload", args=[spec.domain])),
    }
    return render(request, "submissions/upload_problems.html", context)


@require(Action.SUBMIT_RETURN, methods=FORM)
def upload(request, domain):
    """A workbook sent: held, and read and checked by a job that ends on its problems or preview."""
    spec = registry.get(domain)
    _trust(request.user)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        job = checking.check_request(
            flow=checking.RETURNS,
            owner=request.user,
            purpose=domain,
            filename=form.filename,
            data=form.read(),
        )
        return checking.go_to(job)
    month = Period.current().shift(-1)
    # The template is offered only for a month that expects a return (else it is a dead link).
    context = {"spec": spec, "form": form, "month": month if spec.typed_lines(month) else None}
    return render(request, "submissions/upload.html", context)


@require(Action.SUBMIT_RETURN)
def upload_refused(request, domain, token):
    """A refused file's problems, where its check (a job) sends its author."""
    spec = registry.get(domain)
    kept = uploads.kept_problems(owner=request.user, token=token, purpose=domain)
    if kept is None:
        messages.error(request, "Those problems are no longer kept: upload the file again.")
        return redirect("submissions:upload", domain)
    return _problems_shown(request, spec, kept.filename, uploads.problems_of(kept), token)


@require(Action.SUBMIT_RETURN)
@audited_export
def upload_problems(request, domain, token):
    return uploads.problems_download(
        owner=request.user,
        token=token,
        purpose=domain,
        again="upload the file again to see them.",
        stem="upload",
    )


@require(Action.SUBMIT_RETURN, methods=FORM)
def upload_preview(request, domain, token):
    spec = registry.get(domain)
    found = uploads.staged(owner=request.user, token=token, purpose=domain)
    if found is None:
        messages.error(
            request,
            "That upload is no longer waiting: it was confirmed or cancelled, or it expired. "
            "Upload the file again if you need to.",
        )
        return redirect("submissions:upload", domain)
    staged, data = found
    trust = _trust(request.user)
    posted = request.method == "POST"
    # Checked again: a month may have been locked, or figures approved, since the upload.
    checked = pipeline.check_upload(
        spec=spec, organisation=trust, data=data, filename=staged.filename
    )
    if checked.errors:
        uploads.discard(staged)
        return _problems_page(request, spec, staged.filename, checked.problems)
    if not posted:
        # Read before the preview is computed: the confirmation is judged against it.
        base = services.upload_base(organisation=trust, domain=domain, periods=checked.months)
        uploads.previewed(staged, base=base)
    months = _upload_preview(spec=spec, organisation=trust, checked=checked)
    labels = field_labels(spec)
    correction = any(month.approved for month in months)
    form = UploadDecisionForm(
        request.POST if posted else None,
        correction=correction,
        action=request.path,
        decision=UploadDecisionForm.CONFIRM,
    )
    refusal, stale = "", False
    if posted and form.is_valid():
        if not form.confirmed:
            uploads.discard(staged)
            messages.info(request, f"Cancelled: nothing from {staged.filename} was stored.")
            return redirect("submissions:upload", domain)
        try:
            versions = services.upload_store(
                spec=spec,
                organisation=trust,
                user=request.user,
                data=data,
                filename=staged.filename,
                checked=checked,
                base=staged.base,
                reason=form.cleaned_data["reason"],
                original_sha256=staged.original_sha256,
                sheets_left_out=staged.sheets_left_out,
            )
        except ReturnChanged as changed:
            # What the person previewed is not what is there now: they preview it again.
            refusal, stale = changed.message, True
        except ReturnError as refused:
            refusal = refused.message
        else:
            # Deleted before the request's transaction commits: should the commit fail,
            # the person uploads again, and nothing half-stored refers to the file.
            uploads.discard(staged)
            messages.success(request, _saved_versions(versions))
            # The next step is Submit: one month's page offers it; the home page lists
            # each month saved with its own Submit button.
            if len(versions) == 1:
                return _detail(versions[0].ret)
            return redirect("home")
    context = {
        "spec": spec,
        "staged": staged,
        "months": [
            (month, ChangesTable(month.changes, labels=labels, with_rag=True)) for month in months
        ],
        "other_warnings": [p for p in checked.warnings if not p.period],
        "warnings": checked.warnings,
        "form": form,
        "cancel_form": UploadDecisionForm(
            correction=False, action=request.path, decision=UploadDecisionForm.CANCEL
        ),
        "refusal": refusal,
        "stale": stale,
    }
    status = 409 if stale else 200
    return render(request, "submissions/upload_preview.html", context, status=status)


# --- locking months ----------------------------------------------------------------------


@require(Action.LOCK_PERIOD, methods=FORM)
def periods(request):
    months = selectors.lockable_months()
    form = PeriodLockForm(request.POST, months=months) if request.method == "POST" else None
    refusal = ""
    if form is not None and form.is_valid():
        month, reason = form.cleaned_data["period"], form.cleaned_data["reason"]
        try:
            if form.cleaned_data["action"] == PeriodLockForm.LOCK:
                services.period_lock(period=month, user=request.user, reason=reason)
                done = f"Locked {month.long}: its returns accept no more changes."
            else:
                services.period_unlock(period=month, user=request.user, reason=reason)
                done = f"Unlocked {month.long}: its returns can be changed again."
        except ReturnError as refused:
            refusal = refused.message
        else:
            messages.success(request, done)
            return redirect("submissions:periods")
    locks = {
        lock.period: lock
        for lock in LockedPeriod.objects.filter(period__in=months).select_related("locked_by")
    }
    posted_month = form.cleaned_data.get("period") if form is not None else None
    if form is not None and not form.is_valid() and posted_month is None:
        refusal = refusal or _first_error(form)
    rows = [
        MonthLock(
            month,
            locks.get(month),
            form
            if month == posted_month
            else PeriodLockForm(months=months, month=month, locked=month in locks),
        )
        for month in months
    ]
    table = PeriodsTable(rows)
    RequestConfig(request, paginate=False).configure(table)
    history = LockHistoryTable(
        PeriodLockEvent.objects.select_related("user").order_by("-at", "-pk")[:LOCK_HISTORY_SHOWN]
    )
    context = {"table": table, "history": history, "refusal": refusal}
    return render(request, "submissions/periods.html", context)
