"""
The Ofsted pages: Sandwell's inspections and visits with its neighbours' latest judgements,
and each inspection with its recommendations and the actions about them (everyone); the
forms to record an inspection, visit or peer review and its recommendations by hand
(reviewers and administrators); and the import of Ofsted's management information
(administrators) through the portal's one upload flow (`submissions.uploads`): check,
problems, preview, confirm.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from opb_portal.accounts.permissions import FORM, Action, can, require
from opb_portal.exports import audited_export
from opb_portal.submissions import checking, uploads
from opb_portal.submissions.tables import ProblemsTable

from . import checks, facts, selectors, services
from . import imports as reading
from .forms import (
    InspectionEditForm,
    InspectionForm,
    InspectionsDecisionForm,
    InspectionsFileForm,
    RecommendationEditForm,
    RecommendationForm,
)
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
        "may_record": authority is not None and can(request.user, Action.RECORD_INSPECTIONS),
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
    return _problems_shown(request, filename, problems, token, status=400)


def _problems_shown(request, filename: str, problems, token: str, *, status: int = 200):
    # 400 where the page answers a post (the confirm's check refused the file); 200 where
    # it is its own page, the one the upload's check (a job) ends on.
    context = {
        "filename": filename,
        "table": ProblemsTable(problems),
        "errors": len(problems),
        "download": reverse("inspections:import_problems", args=[token]),
        "form": InspectionsFileForm(action=reverse("inspections:import")),
    }
    return render(request, "inspections/problems.html", context, status=status)


@require(Action.MANAGE_FRAMEWORKS, methods=FORM)
def inspections_import(request):
    posted = request.method == "POST"
    form = InspectionsFileForm(
        request.POST if posted else None, request.FILES if posted else None, action=request.path
    )
    if posted and form.is_valid():
        # Held, and read and checked by a job that ends on its problems or its preview.
        job = checking.check_request(
            flow=checks.OFSTED_FILES,
            owner=request.user,
            purpose=PURPOSE,
            filename=form.filename,
            data=form.read(),
        )
        return checking.go_to(job)
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


@require(Action.MANAGE_FRAMEWORKS)
def inspections_import_refused(request, token):
    """A refused file's problems, where its check sends its author."""
    kept = uploads.kept_problems(owner=request.user, token=token, purpose=PURPOSE)
    if kept is None:
        messages.error(request, "Those problems are no longer kept: import the file again.")
        return redirect("inspections:import")
    return _problems_shown(request, kept.filename, uploads.problems_of(kept), token)


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


# --- one inspection, and what is recorded by hand ------------------------------------------


def _inspection_or_404(pk: int):
    inspection = selectors.inspection_for_page(pk)
    if inspection is None:
        raise Http404("There is no such inspection.")
    return inspection


def _refused(form, error: Exception) -> None:
    """A service's refusal or a model's check, shown on the form (at its field where it has one)."""
    if isinstance(error, services.InspectionError):
        form.add_error(None, error.message)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _form_page(request, form, template: str, context: dict):
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


@require(Action.VIEW_DASHBOARDS)
def inspection(request, pk):
    found = _inspection_or_404(pk)
    context = {
        "inspection": found,
        "recommendations": selectors.followed([found])[found.pk],
        "may_record": can(request.user, Action.RECORD_INSPECTIONS),
        "may_raise": can(request.user, Action.RAISE_ACTION),
        "source": facts.source(found),
    }
    return render(request, "inspections/inspection.html", context)


@require(Action.RECORD_INSPECTIONS, methods=FORM)
def inspection_record(request):
    authority = selectors.sandwell()
    if authority is None:
        raise Http404("No authority has Sandwell's ONS code yet.")
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.inspection_record(
                user=request.user, authority=authority, **form.cleaned_data
            )
        except (services.InspectionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"Recorded: {found.title}, {found.dates}.")
            return redirect("inspections:inspection", found.pk)
    return _form_page(request, form, "inspections/record.html", {"authority": authority})


@require(Action.RECORD_INSPECTIONS, methods=FORM)
def inspection_edit(request, pk):
    found = _inspection_or_404(pk)
    if not found.by_hand:
        raise PermissionDenied("An imported inspection is Ofsted's: it changes with the import.")
    initial = {name: getattr(found, name) for name in InspectionEditForm.base_fields}
    form = InspectionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_edit(inspection=found, user=request.user, **form.cleaned_data)
        except (services.InspectionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"Saved: {found.title}, {found.dates}.")
            return redirect("inspections:inspection", found.pk)
    return _form_page(request, form, "inspections/edit.html", {"inspection": found})


@require(Action.RECORD_INSPECTIONS, methods=FORM)
def recommendation_add(request, pk):
    found = _inspection_or_404(pk)
    numbers = [r.number for r in found.recommendations.all()]
    form = RecommendationForm(request.POST or None, initial={"number": max(numbers, default=0) + 1})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.recommendation_add(
                inspection=found, user=request.user, **form.cleaned_data
            )
        except (services.InspectionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"Recommendation {added.number} recorded.")
            return redirect("inspections:inspection", found.pk)
    context = {"inspection": found, "title": "Add a recommendation"}
    return _form_page(request, form, "inspections/recommendation.html", context)


@require(Action.RECORD_INSPECTIONS, methods=FORM)
def recommendation_edit(request, pk):
    found = selectors.recommendation_for_page(pk)
    if found is None:
        raise Http404("There is no such recommendation.")
    form = RecommendationEditForm(
        request.POST or None, initial={"text": found.text, "area": found.area}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_edit(
                recommendation=found, user=request.user, **form.cleaned_data
            )
        except (services.InspectionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, f"Recommendation {found.number} saved.")
            return redirect("inspections:inspection", found.inspection.pk)
    context = {
        "inspection": found.inspection,
        "recommendation": found,
        "title": f"Edit recommendation {found.number}",
    }
    return _form_page(request, form, "inspections/recommendation.html", context)
