"""
The codes comparator figures may be stored under, as the domains declare them.

The store keeps a figure under a code and knows nothing of what the code names. The
import needs to know: whether the code exists, whether its figures are percentages
(0 to 100, and a fraction in a plain cell is questioned), and what to call it in a
message. Each domain registers a `SubjectSource` from its `AppConfig.ready()`:

    registry.register(SubjectSource(noun="KPI", example="PI1", subjects=kpi_subjects, order=20))

A code reused over time (a KPI code in two frameworks) is several `Subject`s with
dates: a figure of `year` belongs to the one in force at March of that year.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from opb_portal.reference.models import Unit

# How the import names a figure of each unit in its messages ("a percentage, which
# cannot be below 0").
UNIT_NOUNS = {
    Unit.PERCENT: "percentage",
    Unit.COUNT: "count",
    Unit.RATE_PER_10000: "rate per 10,000",
    Unit.RATIO: "ratio",
}


@dataclass(frozen=True)
class Subject:
    """What a code names, as far as checking its comparator figures goes."""

    code: str
    title: str
    unit: str  # a `Unit`
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None

    @property
    def noun(self) -> str:
        return UNIT_NOUNS.get(self.unit, "figure")

    @property
    def percent(self) -> bool:
        return self.unit == Unit.PERCENT

    def covers(self, day: datetime.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class SubjectSource:
    """One domain's codes: what it calls them, an example, and how to list them (1 query)."""

    noun: str  # "demand measure"
    example: str  # "children_in_care"
    subjects: Callable[[], list[Subject]]  # oldest first where a code has several
    order: int = 100  # where its codes come in lists and messages
    # Its codes count only where no other source lists them: a published statistic mapped
    # to a demand measure's code means the demand measure, whatever the mapping's title.
    defers: bool = False
    # The page benchmarking one of its codes, where the domain has one (demand's benchmark
    # page); None: the published statistics page links nothing.
    url: Callable[[str], str] | None = None


_SOURCES: dict[str, SubjectSource] = {}


def register(source: SubjectSource) -> None:
    """Called from a domain's `AppConfig.ready()`; registering the same noun again replaces it."""
    _SOURCES[source.noun] = source


def sources() -> list[SubjectSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.noun))


def listed() -> list[tuple[SubjectSource, list[Subject]]]:
    """
    Each source with its subjects (a query a source), in order: a deferring source's
    subjects without the codes another source lists, so a code means one thing.
    """
    found = [(source, source.subjects()) for source in sources()]
    taken = {
        subject.code.casefold()
        for source, subjects in found
        if not source.defers
        for subject in subjects
    }
    return [
        (source, [s for s in subjects if s.code.casefold() not in taken])
        if source.defers
        else (source, subjects)
        for source, subjects in found
    ]


def titles() -> dict[str, str]:
    """What each code names (`children_in_care`: "Children we care for"), the latest subject's
    title where a code has several: for the admin, which shows titles rather than codes."""
    found: dict[str, str] = {}
    for _source, subjects in listed():
        for subject in subjects:
            found[subject.code] = subject.title
    return found


def described() -> dict[str, tuple[str, str, str]]:
    """Each code's title, the page benchmarking it ("" where none) and its unit, 1 query per
    source: for the published statistics page."""
    found: dict[str, tuple[str, str, str]] = {}
    for source, subjects in listed():
        for subject in subjects:
            url = source.url(subject.code) if source.url else ""
            found[subject.code] = (subject.title, url, subject.unit)
    return found
