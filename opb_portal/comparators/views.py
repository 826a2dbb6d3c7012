"""
The comparator pages: the history, the import (check, problems, preview, confirm),
one typed figure, an import's detail and the stored figures as a template.

The import goes through the portal's one upload flow (`submissions.uploads`): a file
with problems is not kept, only its problems (downloadable); a file without is staged
for its owner with what its preview was computed against, and a confirmation carrying
a stale fingerprint is refused, saying what moved.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from opb_portal.accounts.permissions import FORM, Action, require
from opb_portal.exports import Export, audited_export
from opb_portal.submissions import uploads
from opb_portal.submissions.tables import ProblemsTable

from . import benchmarks, imports, services
from .forms import ComparatorDecisionForm, ComparatorFileForm, ComparatorForm
from .models import ComparatorImport, ComparatorValue, PublishedAverage

# What staged comparator files and their problem lists are kept under (see uploads).
PURPOSE = "comparators"
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


def _problems_page(request, filename: str, problems):
    """A refused file: every problem and a link to download them. The file is not kept."""
    token = uploads.keep_problems(
        owner=request.user, purpose=PURPOSE, filename=filename, problems=problems
    )
    context = {
        "filename": filename,
        "table": ProblemsTable(problems),
        "errors": len(problems),
        "download": reverse("comparators:import_problems", args=[token]),
        "form": ComparatorFileForm(action=reverse("comparators:import")),
    }
    return render(request, "comparators/problems.html", context, status=400)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_import(request):
    posted = request.method == "POST"
    form = ComparatorFileForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        data = form.read()
        plan = services.comparator_import_preview(
            data=data, filename=form.filename, user=request.user
        )
        if not plan.ok:
            return _problems_page(request, form.filename, plan.problems)
        staged = uploads.stage(
            owner=request.user,
            purpose=PURPOSE,
            filename=form.filename,
            data=data,
            base=plan.base,
        )
        return redirect("comparators:import_preview", staged.token)
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


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_import_preview(request, token):
    found = uploads.staged(owner=request.user, token=token, purpose=PURPOSE)
    if found is None:
        messages.error(
            request,
            "That file is no longer waiting: it was imported or cancelled, or it expired. "
            "Import it again if you need to.",
        )
        return redirect("comparators:import")
    staged, data = found
    form = ComparatorDecisionForm(request.POST if request.method == "POST" else None)
    refusal = ""
    if form.is_bound and form.is_valid():
        if not form.confirmed:
            uploads.discard(staged)
            messages.info(request, f"Cancelled: nothing from {staged.filename} was changed.")
            return redirect("comparators:import")
        try:
            record = services.comparator_import_apply(
                data=data,
                filename=staged.filename,
                user=request.user,
                fingerprint=form.cleaned_data["fingerprint"],
                previewed=staged.base,
            )
        except services.ComparatorError as refused:
            if refused.problems:
                uploads.discard(staged)
                return _problems_page(request, staged.filename, refused.problems)
            refusal = refused.message
        else:
            uploads.discard(staged)
            messages.success(
                request,
                f"Imported {staged.filename}: {record.added} added, {record.changed} changed, "
                f"{record.unchanged} unchanged.",
            )
            return redirect("comparators:detail", record.pk)
    # Checked again on every view: figures may have changed since the file was checked.
    plan = services.comparator_import_preview(
        data=data, filename=staged.filename, user=request.user
    )
    if not plan.ok:
        uploads.discard(staged)
        return _problems_page(request, staged.filename, plan.problems)
    # What this preview shows is what a refused confirmation will be explained against.
    uploads.previewed(staged, base=plan.base)
    context = {
        "staged": staged,
        "plan": plan,
        "refusal": refusal,
        "form": ComparatorDecisionForm(
            action=request.path,
            decision=ComparatorDecisionForm.CONFIRM,
            fingerprint=plan.fingerprint,
        ),
        "cancel_form": ComparatorDecisionForm(
            action=request.path, decision=ComparatorDecisionForm.CANCEL
        ),
    }
    return render(request, "comparators/preview.html", context, status=409 if refusal else 200)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def comparator_add(request):
    lookups = imports.Lookups.load()
    form = ComparatorForm(
        request.POST if request.method == "POST" else None,
        codes=lookups.codes,
        authorities=[PublishedAverage.LABEL, *(a.name for a in lookups.authority_list)],
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
    return render(request, "comparators/detail.html", {"record": record, "changes": changes})


@require(Action.VIEW_DASHBOARDS)
def published_statistics(request):
    context = {"rows": benchmarks.published_statistics()}
    return render(request, "comparators/published_statistics.html", context)
