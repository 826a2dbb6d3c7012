"""
Workforce measures as subjects of accountability records (`opb_portal.core.subjects`).

A measure's reference is `workforce:<measure>` (`workforce:agency_share`), the measures
the workforce rules rate, and `workforce:caseload:<service>` for a service's caseloads.
"""

from collections.abc import Iterable

from django.urls import reverse

from opb_portal.core import subjects
from opb_portal.periods import Period

from .models import Service, WorkforceRule

KIND = "workforce"
Measure = WorkforceRule.Measure


def _subject(key: str, label: str) -> subjects.Subject:
    return subjects.Subject(
        ref=subjects.ref(KIND, key), label=f"Workforce: {label}", url=reverse("workforce:dashboard")
    )


def _service_key(service: Service) -> str:
    return f"{Measure.CASELOAD}:{service.code}"


def choices(period: Period) -> list[subjects.Subject]:
    """The rated measures, then each service running in `period` (one query)."""
    measures = [_subject(m.value, m.label) for m in Measure]
    services = [
        _subject(_service_key(s), f"{s.name} caseloads")
        for s in Service.objects.all()
        if s.runs_in(period)
    ]
    return measures + services


def describe(keys: Iterable[str]) -> dict[str, subjects.Subject]:
    """The measures and services of `keys` it knows (one query, for the services)."""
    keys = list(keys)
    found = {m.value: _subject(m.value, m.label) for m in Measure if m.value in keys}
    codes = [k.partition(":")[2] for k in keys if k.startswith(f"{Measure.CASELOAD}:")]
    for service in Service.objects.filter(code__in=codes):
        found[_service_key(service)] = _subject(_service_key(service), f"{service.name} caseloads")
    return found


def register() -> None:
    subjects.register(
        subjects.SubjectKind(
            kind=KIND, noun="Workforce measure", choices=choices, describe=describe, order=30
        )
    )
