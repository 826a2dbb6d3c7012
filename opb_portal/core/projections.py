"""
Projected series one domain keeps that another builds on, found by key.

Demand projects the children we care for and their placements (a stock-and-flow
model); the finance driver model costs the placements it projects. Demand registers
each projection under an agreed key from its `AppConfig.ready()`; finance asks here,
and neither imports the other (as `core.counts` does for the latest count). With nobody
projecting a key, the answer is None and the caller carries the last figure forward.

Agreed keys: "children_in_care", "placements.residential", "placements.supported",
"placements.foster_internal", "placements.foster_external".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from opb_portal.periods import Period


@dataclass(frozen=True)
class Projected:
    """A projection: a value for each month after `after`, and what it rests on in words."""

    key: str
    title: str  # "Children in residential placements"
    after: Period  # the last month of actual figures it starts from
    values: tuple[Decimal, ...]  # the months after `after`, in order
    basis: str  # "816 at 31 March 2025, 265 starts and 260 ceases a year carried forward"
    # The projection's own level in `after`, which the values move on from. Another domain's
    # count of the same children may differ (finance's 79 in residential placements against
    # demand's latest 62, counted a year earlier): it then takes the projection's growth.
    start: Decimal | None = None

    def at(self, period: Period) -> Decimal | None:
        ahead = period.months_since(self.after)
        if 1 <= ahead <= len(self.values):
            return self.values[ahead - 1]
        return None

    def growth(self, period: Period) -> Decimal | None:
        """How many times its level in `after` the projection is in `period` (1.02: 2% more)."""
        level = self.at(period)
        if level is None or not self.start:
            return None
        return level / self.start


_PROJECTIONS: dict[str, Callable[[Period, int], Projected | None]] = {}


def register(key: str, project: Callable[[Period, int], Projected | None]) -> None:
    """Offer `project(after, months)` under `key`; from `ready()`."""
    _PROJECTIONS[key] = project


def projected(key: str, *, after: Period, months: int) -> Projected | None:
    """The projection under `key` for `months` months after `after`; None if nobody keeps it."""
    project = _PROJECTIONS.get(key)
    return None if project is None else project(after, months)
