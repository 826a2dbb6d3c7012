"""
A KPI's threshold rules as versions a change creates (`opb_portal.core.rule_versions`).

The change control log records "the amendment of KPI 9 from April 2025" with the KPI's
subject reference and that month; the rule of that KPI starting that month is the version
the change created.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from opb_portal.core import rule_versions, subjects
from opb_portal.periods import Period

from .models import ThresholdRule
from .subjects import KIND


def find(
    pairs: Iterable[tuple[str, Period]],
) -> dict[tuple[str, Period], rule_versions.RuleVersion]:
    """The rules of `2024/PI9` starting in each month asked for, in one query."""
    wanted = Q(pk__in=[])
    for key, period in pairs:
        framework, _, code = key.partition("/")
        wanted |= Q(kpi__framework__code=framework, kpi__code=code, effective_from=period)
    found = {}
    for rule in ThresholdRule.objects.filter(wanted).select_related("kpi__framework"):
        kpi = rule.kpi
        key = f"{kpi.framework.code}/{kpi.code}"
        found[(key, rule.effective_from)] = rule_versions.RuleVersion(
            ref=subjects.ref(KIND, key),
            period=rule.effective_from,
            label=f"{kpi.code} thresholds from {rule.effective_from.long}: {rule.describe()}",
            url=reverse("kpis:detail", args=[kpi.framework.code, kpi.code]),
        )
    return found


def register() -> None:
    rule_versions.register(KIND, find)
