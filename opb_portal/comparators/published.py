"""
The codes of the published statistics the portal maps (`PublishedMeasure`), as subjects the
comparator store accepts: `cla_placed_foster_pct` has no demand measure or KPI behind it, yet its
figures are stored and benchmarked. Registered from the app's `ready()` as a deferring
source, so a code a domain lists (`children_in_care`, `PI7`) keeps the domain's meaning.
"""

from __future__ import annotations

from .models import PublishedMeasure
from .registry import Subject, SubjectSource

NOUN = "published statistic"


def published_subjects() -> list[Subject]:
    """Each mapped code once, with its first mapping's title and unit (1 query)."""
    found: dict[str, Subject] = {}
    for code, title, unit in PublishedMeasure.objects.order_by("code", "pk").values_list(
        "code", "title", "unit"
    ):
        found.setdefault(code, Subject(code, title, unit))
    return list(found.values())


SOURCE = SubjectSource(
    noun=NOUN, example="cla_placed_foster_pct", subjects=published_subjects, order=30, defers=True
)
