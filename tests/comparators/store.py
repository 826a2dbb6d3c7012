"""
A small comparator store built in code, as a published file would fill it: Sandwell, ten
neighbours to May 2025 and a group changed in June 2025, three other authorities, two
regions and England.
"""

import datetime
from decimal import Decimal

from opb_portal.comparators.models import Authority, ComparatorValue, NeighbourGroup, YearBasis

CODE = "cla_rate"
TO_MAY_2025 = [f"N{n:02}" for n in range(1, 11)]
FROM_JUNE_2025 = [*TO_MAY_2025[:8], "M1", "M2"]


def _authority(code: str, **fields) -> Authority:
    """The authority with `code` as this store names it: the shipped register (migration
    0004) already holds England, the regions, Sandwell and some of these codes."""
    authority, _ = Authority.objects.update_or_create(code=code, defaults=fields)
    return authority


def build() -> dict[str, Authority]:
    """The authorities and the two groups; returns the authorities by name."""
    found = {}
    for number, name in enumerate(["Sandwell", *TO_MAY_2025, "M1", "M2", "O1", "O2", "O3"]):
        found[name] = _authority(
            "E08000028" if name == "Sandwell" else f"E06{number:06}",
            name=name,
            kind=Authority.Kind.LOCAL_AUTHORITY,
            region="West Midlands" if name in ("Sandwell", "N01") else "North West",
        )
    found["England"] = _authority("E92000001", name="England", kind=Authority.Kind.ENGLAND)
    for code, name in (("E12000005", "West Midlands"), ("E12000002", "North West")):
        found[name] = _authority(code, name=name, kind=Authority.Kind.REGION)
    before = NeighbourGroup.objects.create(
        name="Neighbours to May 2025", effective_to=datetime.date(2025, 5, 31)
    )
    before.members.set(found[name] for name in TO_MAY_2025)
    after = NeighbourGroup.objects.create(
        name="Neighbours from June 2025", effective_from=datetime.date(2025, 6, 1)
    )
    after.members.set(found[name] for name in FROM_JUNE_2025)
    return found


def figures(
    authorities: dict[str, Authority],
    year: int,
    rows: dict[str, str],
    *,
    code: str = CODE,
    basis: str = YearBasis.AT_MARCH,
    source: str = "DfE, children looked after",
) -> None:
    """One figure per name: a number, or a symbol (`c`, `x`, `z`...) printed in its place."""
    for name, shown in rows.items():
        number = shown[0].isdigit()
        ComparatorValue.objects.create(
            code=code,
            authority=authorities[name],
            year=year,
            year_basis=basis,
            value=Decimal(shown) if number else None,
            symbol="" if number else shown,
            source=source,
        )


# 2024: eight of the ten neighbours published (N01 suppressed, N02 no row). By hand: the
# mean of 100, 90, 90, 80, 110, 120, 60 and 70 is 720 / 8 = 90.0.
YEAR_2024 = {
    "Sandwell": "94.0",
    "N01": "c",
    "N03": "100",
    "N04": "90",
    "N05": "90",
    "N06": "80",
    "N07": "110",
    "N08": "120",
    "N09": "60",
    "N10": "70",
    "O1": "200",
    "O2": "94.0",
    "O3": "10",
    "England": "70",
    "West Midlands": "80",
    "North West": "60",
}
