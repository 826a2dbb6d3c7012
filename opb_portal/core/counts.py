"""
Counts one domain keeps that another sets beside its own figures, found by key.

The finance plan may make no assumption for the number of children we care for; its
"demand against plan" then shows the latest count beside "No assumption". That count is
demand's. Demand registers how to find it under an agreed key (`"children_in_care"`)
from its `AppConfig.ready()`; finance asks for it here, and neither imports the other.
With nobody keeping the count, the answer is None and the row is simply not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from opb_portal.periods import Period

_COUNTS: dict[str, Callable[[Period], Count | None]] = {}


@dataclass(frozen=True)
class Count:
    """One count as the pages write it: `Children we care for`, `816`, `31 March 2025`."""

    title: str
    number: Decimal
    as_of: str  # when the count was taken, as the pages write it ("31 March 2025", "Mar-25")


def register(key: str, latest: Callable[[Period], Count | None]) -> None:
    """Offer `latest(period)`, the latest count under `key` by a month; from `ready()`."""
    _COUNTS[key] = latest


def latest(key: str, period: Period) -> Count | None:
    """The latest count under `key` by `period`; None when there is none or nobody keeps it."""
    found = _COUNTS.get(key)
    return None if found is None else found(period)
