"""
Projected series one domain keeps that another builds on, found by key.

Demand projects the children we care for and their placements (a stock-and-flow
model); the finance driver model costs the placements it projects. Demand registers
one provider for the agreed keys from its `AppConfig.ready()` (one read of its figures
gives them all); finance asks here (`projected_all`: each provider once),
and neither imports the other (as `core.counts` does for the latest count). With nobody
projecting a key, the answer is None and the caller carries the last figure forward.

Agreed keys: "children_in_care", "placements.residential", "placements.supported",
"placements.foster_internal", "placements.foster_external".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


# A provider projects the keys it was registered under from one read of its figures.
Provider = Callable[[Period, int], Mapping[str, Projected | None]]
_PROVIDERS: dict[str, Provider] = {}


def register(keys: Sequence[str], project: Provider) -> None:
    """Offer `project(after, months)`, giving each of `keys` its projection; from `ready()`."""
    for key in keys:
        _PROVIDERS[key] = project


def projected(key: str, *, after: Period, months: int) -> Projected | None:
    """The projection under `key` for `months` months after `after`; None if nobody keeps it."""
    return projected_all([key], after=after, months=months)[key]


def projected_all(
    keys: Sequence[str], *, after: Period, months: int
) -> dict[str, Projected | None]:
    """Each of `keys`' projections, asking each provider once however many keys it gives."""
    given: dict[int, Mapping[str, Projected | None]] = {}
    found: dict[str, Projected | None] = {}
    for key in keys:
        provider = _PROVIDERS.get(key)
        if provider is None:
            found[key] = None
            continue
        if id(provider) not in given:
            given[id(provider)] = provider(after, months)
        found[key] = given[id(provider)].get(key)
    return found
