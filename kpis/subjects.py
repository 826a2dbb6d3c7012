"""
KPIs as subjects of accountability records (`opb_portal.core.subjects`).

A KPI's reference is `kpi:<framework>/<code>` (`kpi:2024/PI9`): a code alone names
different measures in the 2018 and 2024 frameworks.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from .models import KpiDefinition
from .selectors import framework_in_force

KIND = "kpi"


def key_of(kpi: KpiDefinition) -> str:
    return f"{kpi.framework.code}/{kpi.code}"


def subject_of(kpi: KpiDefinition) -> subjects.Subject:
    return subjects.Subject(
        ref=subjects.ref(KIND, key_of(kpi)),
        label=f"{kpi.code} {kpi.title}",
        url=reverse("kpis:detail", args=[kpi.framework.code, kpi.code]),
    )


def choices(period: Period) -> list[subjects.Subject]:
    """The KPIs of the framework in force in `period` (two queries)."""
    framework = framework_in_force(period)
    if framework is None:
        return []
    return [subject_of(kpi) for kpi in framework.kpis.select_related("framework")]


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """The KPIs of `keys` (`2024/PI9`) it still knows, in one query."""
    wanted = Q(pk__in=[])
    for key in keys:
        framework, _, code = key.partition("/")
        wanted |= Q(framework__code=framework, code=code)
    found = KpiDefinition.objects.filter(wanted).select_related("framework")
    return {key_of(kpi): subject_of(kpi) for kpi in found}


def register() -> None:
    subjects.register(
        subjects.SubjectKind(kind=KIND, noun="KPI", choices=choices, describe=describe, order=10)
    )
