"""
The comparator pages: the history, the import (check, problems, preview, confirm),
one typed figure, an import's detail and the stored figures as a template.

The import goes through the portal's one upload flow (`submissions.uploads`): a file
with problems is not kept, only its problems (downloadable); a file without is staged
for its owner with what its preview was computed against, and a confirmation carrying
a stale fingerprint is refused, saying what moved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from opb_portal.accounts.permissions import FORM, Action, require
from opb_portal.exports import Export, audited_export
from opb_portal.submissions import checking, uploads
from opb_portal.submissions.tables import ProblemsTable

from . import benchmarks, checks, imports, services
from .forms import (
    ComparatorDecisionForm,
    ComparatorFileForm,
    ComparatorForm,
    NeighbourGroupForm,
    StatisticsDecisionForm,
    StatisticsFileForm,
)
from .groups import GROUP_SIZE, long_date
from .models import (
    Authority,
    ComparatorImport,
    ComparatorValue,
    NeighbourGroup,
    PublishedAverage,
    PublishedMeasure,
)
from .statistics import services as statistics

# What staged comparator files and their problem lists are kept under (see uploads).
PURPOSE = "comparators"
STATISTICS = "statistics"
# A statistics import's page lists this many of its changes (it may have 100,000).
CHANGES_SHOWN = 500
IMPORTS_SHOWN = 50
TEMPLATE_COLUMNS = imports.TABLE.headings


@require(Action.MANAGE_FRAMEWORKS)
def comparators(request):
    context = {
        "imports": ComparatorImport.objects.select_related("user")[:IMPORTS_SHOWN],
        "stored": ComparatorValue.objects.values("code", "year")
        .annotate(authorities=Count("pk"))
        .order_by("code", "-year"),
    }
    return render(request, "comparators/list.html", context)


@require(Action.MANAGE_FRAMEWORKS)
@audited_export
def comparator_template(request, fmt):
    """The stored figures in the layout an import reads: edit, add rows, import it back."""
    rows = [
        [v.code, v.authority.name, v.year, v.value, v.source]
        for v in ComparatorValue.objects.select_related("authority")
    ]
    rows += [
        [a.code, PublishedAverage.LABEL, a.year, a.value, a.source]
        for a in PublishedAverage.objects.all()
    ]
    rows.sort(key=lambda row: (row[0], -row[2], row[1]))
    return Export(title="Comparators", columns=TEMPLATE_COLUMNS, rows=rows).response(fmt)


@dataclass(frozen=True)
class Flow:
    """
    One kind of comparator file through the one upload flow (`uploads`): what it is kept
    under, its pages, its forms and the preview and import functions it calls.
    """

    purpose: str
    start: str  # the upload page's URL name
    problems: str  # the problems download's URL name
    waiting: str  # the staged file's preview page's URL name
    file_form: type
    decision_form: type
    template: str  # the preview's template
    preview: Callable  # (data=, filename=, user=) -> a plan with .ok, .problems, .base
    apply: Callable  # (request, staged, data, form) -> ComparatorImport
    # The check step, a job (`submissions.checking`), registered from the app's ready().
    check: checking.UploadCheck
    # The confirm form's initial values, from the request (a statistics file's date).
    initial: Callable = lambda request: {}


def _problems_page(request, filename: str, problems, *, flow: Flow):
    """A refused file: every problem and a link to download them. The file is not kept."""
    token = uploads.keep_problems(
        owner=request.user, purpose=flow.purpose, filename=filename, problems=problems
    )
    return _problems_shown(request, filename, problems, token, flow=flow, status=400)


def _problems_shown(request, filename: str, problems, token: str, *, flow: Flow, status=200):
    # 400 where the page answers a post (the confirm's check refused the file); 200 where
    # it is its own page, the one the upload's check (a job) ends on.
    context = {
        "filename": filename,
        "table": ProblemsTable(problems),
        "errors": len(problems),
        "download": reverse(flow.problems, args=[token]),
        "form": flow.file_form(action=reverse(flow.start)),
        "again": flow.start,
    }
    return render(request, "comparators/problems.html", context, status=status)


def _check(request, form, flow: Flow, *, params: dict | None = None):
    """A posted file held and checked by a job, which ends on its problems or its preview."""
    job = checking.check_request(
        flow=flow.check,
        owner=request.user,
        purpose=flow.purpose,
        filename=form.filename,
        data=form.read(),
        params=params,
    )
    return checking.go_to(job)


def _refused(request, token: str, flow: Flow):
    """A refused file's problems, where its check sends its author."""
    kept = uploads.kept_problems(owner=request.user, token=token, purpose=flow.purpose)
    if kept is None:
        messages.error(request, "Those problems are no longer kept: import the file again.")
        return redirect(flow.start)
    return _problems_shown(request, kept.filename, uploads.problems_of(kept), token, flow=flow)


def _staged_preview(request, token: str, flow: Flow):
    """The preview of a staged file, its confirmation (fingerprinted) or its cancel."""
    found = uploads.staged(owner=request.user, token=token, purpose=flow.purpose)
    if found is None:
        messages.error(
            request,
            "That file is no longer waiting: it was imported or cancelled, or it expired. "
            "Import it again if you need to.",
        )
        return redirect(flow.start)
    staged, data = found
    form = flow.decision_form(request.POST if request.method == "POST" else None)
    refusal = ""
    if form.is_bound and form.is_valid():
        if not form.confirmed:
            uploads.discard(staged)
            messages.info(request, f"Cancelled: nothing from {staged.filename} was changed.")
            return redirect(flow.start)
        try:
            record = flow.apply(request, staged, data, form)
        except services.ComparatorError as refused:
            if refused.problems:
                uploads.discard(staged)
                return _problems_page(request, staged.filename, refused.problems, flow=flow)
            refusal = refused.message
        else:
            uploads.discard(staged)
            messages.success(
                request,
                f"Imported {staged.filename}: {record.added:,} added, {record.changed:,} "
                f"changed, {record.unchanged:,} unchanged.",
            )
            return redirect("comparators:detail", record.pk)
    # Checked again on every view: figures may have changed since the file was checked.
    plan = flow.preview(data=data, filename=staged.filename, user=request.user)
    if not plan.ok:
        uploads.discard(staged)
        return _problems_page(request, staged.filename, plan.problems, flow=flow)
    # What this preview shows is what a refused confirmation will be explained against.
    uploads.previewed(staged, base=plan.base)
    decision = flow.decision_form
    context = {
        "staged": staged,
        "plan": plan,
        "refusal": refusal,
        "form": decision(
            action=request.path,
            decision=decision.CONFIRM,
            fingerprint=plan.fingerprint,
            initial=flow.initial(request),
        ),
        "cancel_form": decision(action=request.path, decision=decision.CANCEL),
    }
    return render(request, flow.template, context, status=409 if refusal else 200)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_import(request):
    posted = request.method == "POST"
    form = ComparatorFileForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        return _check(request, form, COMPARATOR_FILES)
    context = {"form": form, "lookups": imports.Lookups.load(), "headings": TEMPLATE_COLUMNS}
    return render(request, "comparators/import.html", context)


@require(Action.MANAGE_FRAMEWORKS)
@audited_export
def comparator_import_problems(request, token):
    return uploads.problems_download(
        owner=request.user,
        token=token,
        purpose=PURPOSE,
        again="import the file again to see them.",
        stem="comparators",
    )


@require(Action.MANAGE_FRAMEWORKS)
def comparator_import_refused(request, token):
    return _refused(request, token, COMPARATOR_FILES)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_import_preview(request, token):
    return _staged_preview(request, token, COMPARATOR_FILES)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_add(request):
    lookups = imports.Lookups.load()
    form = ComparatorForm(
        request.POST if request.method == "POST" else None,
        codes=lookups.codes,
        authorities=[PublishedAverage.LABEL, *(lookups.label(a) for a in lookups.authority_list)],
        action=request.path,
    )
    if form.is_bound and form.is_valid():
        try:
            record = services.comparator_save(user=request.user, **form.cleaned_data)
        except services.ComparatorError as refused:
            form.add_problems(refused.problems)
            if not refused.problems:
                form.add_error(None, refused.message)
        else:
            change = record.changes.get()
            messages.success(
                request,
                f"Saved {change.code} for {change.about} in {change.year}: "
                f"{change.old_value if change.old_value is not None else 'none'} → "
                f"{change.new_value}.",
            )
            return redirect("comparators:detail", record.pk)
    status = 400 if form.errors else 200
    return render(request, "comparators/add.html", {"form": form}, status=status)


@require(Action.MANAGE_FRAMEWORKS)
def comparator_import_detail(request, pk):
    record = get_object_or_404(ComparatorImport.objects.select_related("user"), pk=pk)
    changes = record.changes.select_related("authority", "group")
    context = {"record": record, "changes": changes[:CHANGES_SHOWN], "shown": CHANGES_SHOWN}
    return render(request, "comparators/detail.html", context)


@require(Action.MANAGE_FRAMEWORKS)
def neighbour_groups(request):
    groups = NeighbourGroup.objects.order_by(
        F("effective_from").desc(nulls_last=True), "-pk"
    ).prefetch_related(Prefetch("members", queryset=Authority.objects.order_by("name")))
    return render(request, "comparators/groups.html", {"groups": groups})


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def neighbour_group_load(request):
    posted = request.method == "POST"
    form = NeighbourGroupForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    problems, refusal = [], ""
    if posted and form.is_valid():
        try:
            group = services.neighbour_group_load(user=request.user, **form.arguments())
        except services.ComparatorError as refused:
            refusal = refused.message
            problems = form.add_problems(refused.problems)
        else:
            messages.success(
                request,
                f"Saved {group.name}, in force from {long_date(group.effective_from)}, with its "
                f"{GROUP_SIZE} members. The group in force before it ends the day before.",
            )
            return redirect("comparators:groups")
    context = {
        "form": form,
        "refusal": refusal,
        "problems": ProblemsTable(problems) if problems else None,
    }
    return render(request, "comparators/group_load.html", context, status=400 if posted else 200)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def statistics_import(request):
    """A published statistics file as downloaded: checked, then previewed as a summary."""
    posted = request.method == "POST"
    form = StatisticsFileForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        published_on = form.cleaned_data["published_on"]
        # Carried to the preview's confirm form (in its URL), as typed with the file.
        params = {"published_on": f"{published_on:%Y-%m-%d}" if published_on else ""}
        return _check(request, form, STATISTICS_FILES, params=params)
    measures = PublishedMeasure.objects.filter(active=True)
    return render(request, "comparators/statistics.html", {"form": form, "measures": measures})


@require(Action.MANAGE_FRAMEWORKS)
@audited_export
def statistics_import_problems(request, token):
    return uploads.problems_download(
        owner=request.user,
        token=token,
        purpose=STATISTICS,
        again="import the file again to see them.",
        stem="statistics",
    )


@require(Action.MANAGE_FRAMEWORKS)
def statistics_import_refused(request, token):
    return _refused(request, token, STATISTICS_FILES)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def statistics_import_preview(request, token):
    return _staged_preview(request, token, STATISTICS_FILES)


COMPARATOR_FILES = Flow(
    purpose=PURPOSE,
    start="comparators:import",
    problems="comparators:import_problems",
    waiting="comparators:import_preview",
    file_form=ComparatorFileForm,
    decision_form=ComparatorDecisionForm,
    template="comparators/preview.html",
    preview=services.comparator_import_preview,
    check=checks.COMPARATOR_FILES,
    apply=lambda request, staged, data, form: services.comparator_import_apply(
        data=data,
        filename=staged.filename,
        user=request.user,
        fingerprint=form.cleaned_data["fingerprint"],
        previewed=staged.base,
    ),
)
STATISTICS_FILES = Flow(
    purpose=STATISTICS,
    start="comparators:statistics",
    problems="comparators:statistics_problems",
    waiting="comparators:statistics_preview",
    file_form=StatisticsFileForm,
    decision_form=StatisticsDecisionForm,
    template="comparators/statistics_preview.html",
    preview=statistics.statistics_import_preview,
    check=checks.STATISTICS_FILES,
    apply=lambda request, staged, data, form: statistics.statistics_import_apply(
        data=data,
        filename=staged.filename,
        user=request.user,
        fingerprint=form.cleaned_data["fingerprint"],
        published_on=form.cleaned_data["published_on"],
        previewed=staged.base,
    ),
    # The publication date given with the file (in the URL), or as last typed.
    initial=lambda request: {
        "published_on": (request.POST if request.method == "POST" else request.GET).get(
            "published_on", ""
        )
    },
)


@require(Action.VIEW_DASHBOARDS)
def published_statistics(request):
    context = {"rows": benchmarks.published_statistics()}
    return render(request, "comparators/published_statistics.html", context)
