"""
The Ofsted pages: Sandwell's inspections and visits with its neighbours' latest judgements
(everyone), and the import of Ofsted's management information (administrators) through
the portal's one upload flow (`submissions.uploads`): check, problems, preview, confirm.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from opb_portal.accounts.permissions import FORM, Action, require
from opb_portal.exports import audited_export
from opb_portal.submissions import uploads
from opb_portal.submissions.tables import ProblemsTable

from . import imports as reading
from . import selectors, services
from .forms import InspectionsDecisionForm, InspectionsFileForm
from .models import InspectionImport

# What staged Ofsted files and their problem lists are kept under (see uploads).
PURPOSE = "inspections"


@require(Action.VIEW_DASHBOARDS)
def history(request):
    authority = selectors.sandwell()
    context = {
        "authority": authority,
        "inspections": selectors.history(authority),
        "neighbours": selectors.neighbours_latest(),
    }
    return render(request, "inspections/history.html", context)


@require(Action.MANAGE_FRAMEWORKS)
def imports(request):
    return render(request, "inspections/imports.html", {"imports": selectors.imports()})


@require(Action.MANAGE_FRAMEWORKS)
def import_detail(request, pk):
    record = get_object_or_404(InspectionImport.objects.select_related("user"), pk=pk)
    changes = selectors.import_changes(record)
    return render(request, "inspections/detail.html", {"record": record, "changes": changes})


def _problems_page(request, filename: str, problems):
    """A refused file: every problem and a link to download them. The file is not kept."""
    token = uploads.keep_problems(
        owner=request.user, purpose=PURPOSE, filename=filename, problems=problems
    )
    context = {
        "filename": filename,
        "table": ProblemsTable(problems),
        "errors": len(problems),
        "download": reverse("inspections:import_problems", args=[token]),
        "form": InspectionsFileForm(action=reverse("inspections:import")),
    }
    return render(request, "inspections/problems.html", context, status=400)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def inspections_import(request):
    posted = request.method == "POST"
    form = InspectionsFileForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        data = form.read()
        plan = services.inspections_import_preview(
            data=data, filename=form.filename, user=request.user
        )
        if not plan.ok:
            return _problems_page(request, form.filename, plan.problems)
        staged = uploads.stage(
            owner=request.user, purpose=PURPOSE, filename=form.filename, data=data, base=plan.base
        )
        return redirect("inspections:import_preview", staged.token)
    context = {"form": form, "headings": reading.TABLE.headings}
    return render(request, "inspections/import.html", context)


@require(Action.MANAGE_FRAMEWORKS)
@audited_export
def inspections_import_problems(request, token):
    return uploads.problems_download(
        owner=request.user,
        token=token,
        purpose=PURPOSE,
        again="import the file again to see them.",
        stem="ofsted",
    )


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def inspections_import_preview(request, token):
    found = uploads.staged(owner=request.user, token=token, purpose=PURPOSE)
    if found is None:
        messages.error(
            request,
            "That file is no longer waiting: it was imported or cancelled, or it expired. "
            "Import it again if you need to.",
        )
        return redirect("inspections:import")
    staged, data = found
    form = InspectionsDecisionForm(request.POST if request.method == "POST" else None)
    refusal = ""
    if form.is_bound and form.is_valid():
        if not form.confirmed:
            uploads.discard(staged)
            messages.info(request, f"Cancelled: nothing from {staged.filename} was changed.")
            return redirect("inspections:import")
        try:
            record = services.inspections_import_apply(
                data=data,
                filename=staged.filename,
                user=request.user,
                fingerprint=form.cleaned_data["fingerprint"],
            )
        except services.InspectionError as refused:
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
            return redirect("inspections:import_detail", record.pk)
    # Checked again on every view: inspections may have changed since the file was checked.
    plan = services.inspections_import_preview(
        data=data, filename=staged.filename, user=request.user
    )
    if not plan.ok:
        uploads.discard(staged)
        return _problems_page(request, staged.filename, plan.problems)
    uploads.previewed(staged, base=plan.base)
    context = {
        "staged": staged,
        "plan": plan,
        "refusal": refusal,
        "form": InspectionsDecisionForm(
            action=request.path,
            decision=InspectionsDecisionForm.CONFIRM,
            fingerprint=plan.fingerprint,
        ),
        "cancel_form": InspectionsDecisionForm(
            action=request.path, decision=InspectionsDecisionForm.CANCEL
        ),
    }
    return render(request, "inspections/preview.html", context, status=409 if refusal else 200)
