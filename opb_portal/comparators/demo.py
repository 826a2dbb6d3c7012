"""
The demonstration's authorities and Sandwell's statistical neighbour groups, as published.

Sources: the Trust's annual review 2024-25, section (f) (the statistical neighbours at
March 2024) and section (i) (the statistical neighbour group from June 2025). The
domains' demonstration loaders store their published comparator figures against these
(`load_demo_neighbours` first, whichever loads first: it is idempotent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Authority, NeighbourGroup

SANDWELL = "Sandwell"
WEST_MIDLANDS = "West Midlands"
ENGLAND = "England"
# Region of each authority named in either group.
AUTHORITIES = {
    "Sandwell": "West Midlands",
    "Birmingham": "West Midlands",
    "Blackburn with Darwen": "North West",
    "Coventry": "West Midlands",
    "Derby": "East Midlands",
    "Luton": "East of England",
    "Nottingham": "East Midlands",
    "Peterborough": "East of England",
    "Stoke-on-Trent": "West Midlands",
    "Walsall": "West Midlands",
    "Wolverhampton": "West Midlands",
    "Kingston upon Hull, City of": "Yorkshire and The Humber",
    "Rochdale": "North West",
    "Bradford": "Yorkshire and The Humber",
    "Middlesbrough": "North East",
    "Oldham": "North West",
}
GROUP_TO_MAY_2025 = [
    "Birmingham",
    "Blackburn with Darwen",
    "Coventry",
    "Derby",
    "Luton",
    "Nottingham",
    "Peterborough",
    "Stoke-on-Trent",
    "Walsall",
    "Wolverhampton",
]
GROUP_FROM_JUNE_2025 = [
    "Wolverhampton",
    "Kingston upon Hull, City of",
    "Stoke-on-Trent",
    "Walsall",
    "Rochdale",
    "Bradford",
    "Middlesbrough",
    "Coventry",
    "Oldham",
    "Luton",
]


@dataclass
class Neighbours:
    """The demonstration's authorities by name, and its two neighbour groups."""

    authorities: dict[str, Authority]
    to_may_2025: NeighbourGroup
    from_june_2025: NeighbourGroup


def load_demo_neighbours() -> Neighbours:
    """The authorities, the West Midlands, England and both neighbour groups. Idempotent."""
    authorities = {}
    for name, region in AUTHORITIES.items():
        authorities[name], _ = Authority.objects.update_or_create(
            name=name,
            defaults={
                "kind": Authority.Kind.LOCAL_AUTHORITY,
                "region": region,
                "code": "E08000028" if name == SANDWELL else "",
            },
        )
    authorities[WEST_MIDLANDS], _ = Authority.objects.update_or_create(
        name=WEST_MIDLANDS, defaults={"kind": Authority.Kind.REGION}
    )
    authorities[ENGLAND], _ = Authority.objects.update_or_create(
        name=ENGLAND, defaults={"kind": Authority.Kind.ENGLAND}
    )
    old, _ = NeighbourGroup.objects.update_or_create(
        name="Statistical neighbours to May 2025",
        defaults={
            "effective_from": None,
            "effective_to": datetime.date(2025, 5, 31),
            "source": "Annual review 2024-25, section (f)",
        },
    )
    old.members.set([authorities[name] for name in GROUP_TO_MAY_2025])
    new, _ = NeighbourGroup.objects.update_or_create(
        name="Statistical neighbours from June 2025 (LIAT)",
        defaults={
            "effective_from": datetime.date(2025, 6, 1),
            "effective_to": None,
            "source": "Annual review 2024-25, section (i)",
        },
    )
    new.members.set([authorities[name] for name in GROUP_FROM_JUNE_2025])
    return Neighbours(authorities=authorities, to_may_2025=old, from_june_2025=new)
