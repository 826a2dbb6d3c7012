"""
The version of a subject's rules that starts in a month, found through a registry.

A change to a KPI's thresholds is agreed by the board and kept in the change control log;
it creates a new threshold rule from the month it is in force. The log and the rules belong
to different domains and neither imports the other. A KPI has at most one rule starting in
a month, so the change's subject (`kpi:2024/PI9`, `opb_portal.core.subjects`) and its
month in force are the rule's natural key: the change keeps that pair, and the domain that
owns the subject's kind registers a finder that describes the rules starting then, one
query for all of them. A pair whose rule does not (yet) exist finds nothing: the change
says so, and links to it once the rule is added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from opb_portal.periods import Period

from . import subjects


@dataclass(frozen=True)
class RuleVersion:
    """A rule a change created: `PI9 from April 2025: green ≥ 67.0% and ≤ 75.0% ...`."""

    ref: str  # the subject's reference, kpi:2024/PI9
    period: Period  # the month the rule starts
    label: str
    url: str = ""


# finder(keys and months) -> the rules that start then, by (key, month)
Finder = Callable[[Iterable[tuple[str, Period]]], dict[tuple[str, Period], RuleVersion]]

_FINDERS: dict[str, Finder] = {}


def register(kind: str, finder: Finder) -> None:
    """Describe the versioned rules of a subject kind; from the owner's `AppConfig.ready()`."""
    _FINDERS[kind] = finder


def versioned(ref: str) -> bool:
    """Does the kind of `ref` keep rules versioned by month (so a change may create one)?"""
    return ref.partition(":")[0] in _FINDERS


def find(pairs: Iterable[tuple[str, Period]]) -> dict[tuple[str, Period], RuleVersion]:
    """The rule each (subject reference, month) pair names, where it exists: one query a kind."""
    by_kind: dict[str, list[tuple[str, Period]]] = {}
    for ref, period in dict.fromkeys(pairs):
        kind, _, key = ref.partition(":")
        if kind in _FINDERS and key:
            by_kind.setdefault(kind, []).append((key, period))
    found: dict[tuple[str, Period], RuleVersion] = {}
    for kind, wanted in by_kind.items():
        for (key, period), version in _FINDERS[kind](wanted).items():
            found[(subjects.ref(kind, key), period)] = version
    return found
