"""
The scenario pages under `/finance/scenarios/`: the list (each saved scenario beside the
Trust's forecast and the base model, with the sensitivity chart), the compare view, one
scenario's page, building and editing one, deleting one, and the chair's choice for the pack.
Everyone who reads the dashboards reads them; the council builds them (BUILD_SCENARIOS).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from opb_portal.accounts.permissions import FORM, POST, Action, can, require

from .. import selectors as finance_selectors
from . import charts, selectors, services
from .forms import ChangeFormSet, ScenarioForm, change_initial
from .services import ScenarioError


def _scenario_or_404(pk: int):
    scenario = selectors.scenario_or_none(pk)
    if scenario is None:
        raise Http404("There is no such scenario.")
    return scenario


@require(Action.VIEW_DASHBOARDS)
def scenario_list(request):
    comparison = selectors.work_out(selectors.saved_scenarios())
    context = {
        "comparison": comparison,
        "may_build": can(request.user, Action.BUILD_SCENARIOS),
        "sensitivity": charts.sensitivity_for(comparison),
    }
    return render(request, "finance/scenarios/list.html", context)


@require(Action.VIEW_DASHBOARDS)
def scenario_compare(request):
    chosen = [pk for pk in request.GET.getlist("scenario") if pk.isdigit()]
    comparison = selectors.work_out(selectors.saved_scenarios().filter(pk__in=chosen))
    return render(request, "finance/scenarios/compare.html", {"comparison": comparison})


@require(Action.VIEW_DASHBOARDS)
def scenario_detail(request, pk):
    scenario = _scenario_or_404(pk)
    comparison = selectors.work_out([scenario])
    worked = comparison.worked[0] if comparison.worked else None
    context = {
        "scenario": scenario,
        "worked": worked,
        "case": comparison.cases[0] if comparison.cases else None,
        "path_charts": charts.path_charts(worked) if worked else [],
        "medium_term": selectors.medium_term(worked, comparison.at) if worked else [],
        "may_build": can(request.user, Action.BUILD_SCENARIOS),
        "may_choose": services.may_choose_for_pack(request.user),
    }
    return render(request, "finance/scenarios/detail.html", context)


def _edit(request, *, scenario=None):
    editing = scenario is not None
    initial = {}
    if editing:
        initial = {
            "year": scenario.year,
            "name": scenario.name,
            "description": scenario.description,
        }
    form = ScenarioForm(request.POST or None, initial=initial, editing=editing)
    year = scenario.year if editing else None
    if not editing and form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
    changes = ChangeFormSet(
        request.POST or None,
        initial=change_initial(scenario) if editing else None,
        prefix="changes",
        year=year,
        latest=finance_selectors.latest_period(),
    )
    if request.method == "POST" and form.is_valid() and changes.is_valid():
        fields = {
            "name": form.cleaned_data["name"],
            "description": form.cleaned_data["description"],
            "changes": changes.changes(),
            "user": request.user,
        }
        try:
            if editing:
                saved = services.scenario_update(scenario=scenario, **fields)
            else:
                saved = services.scenario_create(year=year, **fields)
        except ScenarioError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{saved.name}: saved.")
            return redirect("finance:scenario", saved.pk)
    status = 400 if form.is_bound and (form.errors or not changes.is_valid()) else 200
    context = {
        "form": form,
        "changes": changes,
        "scenario": scenario,
        "latest": finance_selectors.latest_period(),
    }
    return render(request, "finance/scenarios/form.html", context, status=status)


@require(Action.BUILD_SCENARIOS, methods=FORM)
def scenario_create(request):
    return _edit(request)


@require(Action.BUILD_SCENARIOS, methods=FORM)
def scenario_edit(request, pk):
    return _edit(request, scenario=_scenario_or_404(pk))


@require(Action.BUILD_SCENARIOS, methods=POST)
def scenario_delete(request, pk):
    scenario = _scenario_or_404(pk)
    try:
        services.scenario_delete(scenario=scenario, user=request.user)
    except ScenarioError as refused:
        messages.error(request, refused.message)
        return redirect("finance:scenario", scenario.pk)
    messages.success(request, f"{scenario.name}: deleted.")
    return redirect("finance:scenarios")


@require(Action.SELECT_PACK_SCENARIOS, methods=POST)
def scenario_choose(request, pk):
    scenario = _scenario_or_404(pk)
    in_pack = request.POST.get("in_pack") == "1"
    try:
        services.scenario_choose_for_pack(scenario=scenario, in_pack=in_pack, user=request.user)
    except ScenarioError as refused:
        messages.error(request, refused.message)
    else:
        shown = "is shown in" if in_pack else "is no longer in"
        messages.success(request, f"{scenario.name} {shown} the board pack.")
    return redirect("finance:scenario", scenario.pk)
