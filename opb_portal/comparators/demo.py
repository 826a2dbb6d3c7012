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
# Each authority named in either group: its ONS code, DfE LA code and region. Keyed by
# code (the register shipped by migration 0004 holds the same), so a name never decides
# which authority a figure is stored against.
AUTHORITIES = {
    "Sandwell": ("E08000028", "333", "West Midlands"),
    "Birmingham": ("E08000025", "330", "West Midlands"),
    "Blackburn with Darwen": ("E06000008", "889", "North West"),
    "Coventry": ("E08000026", "331", "West Midlands"),
    "Derby": ("E06000015", "831", "East Midlands"),
    "Luton": ("E06000032", "821", "East of England"),
    "Nottingham": ("E06000018", "892", "East Midlands"),
    "Peterborough": ("E06000031", "874", "East of England"),
    "Stoke-on-Trent": ("E06000021", "861", "West Midlands"),
    "Walsall": ("E08000030", "335", "West Midlands"),
    "Wolverhampton": ("E08000031", "336", "West Midlands"),
    "Kingston upon Hull, City of": ("E06000010", "810", "Yorkshire and The Humber"),
    "Rochdale": ("E08000005", "354", "North West"),
    "Bradford": ("E08000032", "380", "Yorkshire and The Humber"),
    "Middlesbrough": ("E06000002", "806", "North East"),
    "Oldham": ("E08000004", "353", "North West"),
}
WEST_MIDLANDS_CODE = "E12000005"
ENGLAND_CODE = "E92000001"
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
    """The authorities, the West Midlands, England and both neighbour groups, each
    authority found by its ONS code. Idempotent."""
    authorities = {}
    for name, (code, la_code, region) in AUTHORITIES.items():
        authorities[name], _ = Authority.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": Authority.Kind.LOCAL_AUTHORITY,
                "la_code": la_code,
                "region": region,
            },
        )
    authorities[WEST_MIDLANDS], _ = Authority.objects.update_or_create(
        code=WEST_MIDLANDS_CODE, defaults={"name": WEST_MIDLANDS, "kind": Authority.Kind.REGION}
    )
    authorities[ENGLAND], _ = Authority.objects.update_or_create(
        code=ENGLAND_CODE, defaults={"name": ENGLAND, "kind": Authority.Kind.ENGLAND}
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
