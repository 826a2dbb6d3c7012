"""Loading the contract KPI frameworks from the project's CSV fixture."""

from __future__ import annotations

import csv
import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from opb_portal.reference.models import Unit

from .models import Framework, KpiDefinition, ThresholdRule

FRAMEWORKS_CSV = Path(settings.BASE_DIR) / "fixtures" / "kpi_frameworks.csv"

FRAMEWORK_NAMES = {
    "2018": "2018 contract KPIs (service delivery contract, April 2018)",
    "2024": "2024 contract KPIs (revised set, April 2024)",
}

_TERM = re.compile(r"^(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def parse_zone(expression: str) -> dict[str, tuple[Decimal, bool]]:
    """
    Read a normalised zone such as `>=67.0 and <=75.0` into bounds.

    Returns {"lower": (value, inclusive), "upper": (value, inclusive)} with
    only the sides the expression sets. `or` is not accepted here: only the
    amber zone uses it, and amber is never stored.
    """
    bounds = {}
    for term in expression.split(" and "):
        match = _TERM.match(term.strip())
        if not match or " or " in expression:
            raise ValueError(f"cannot read the zone {expression!r}")
        sign, number = match.groups()
        side = "lower" if sign.startswith(">") else "upper"
        bounds[side] = (Decimal(number), sign.endswith("="))
    return bounds


def rule_fields(row: dict) -> dict:
    green, red = parse_zone(row["green"]), parse_zone(row["red"])
    fields = {"polarity": row["polarity"]}
    for side, (value, inclusive) in green.items():
        fields[f"green_{side}"], fields[f"green_{side}_inclusive"] = value, inclusive
    # A red zone's upper bound means "red below this"; its lower bound "red above".
    for side, name in (("upper", "red_below"), ("lower", "red_above")):
        if side in red:
            fields[name], fields[f"{name}_inclusive"] = red[side]
    return fields


@transaction.atomic
def load_frameworks(path: Path = FRAMEWORKS_CSV) -> int:
    """Create or update every framework, KPI and first rule in the CSV; return the KPI count."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for order, row in enumerate(rows, start=1):
        framework, _ = Framework.objects.update_or_create(
            code=row["framework"],
            defaults={
                "name": FRAMEWORK_NAMES.get(row["framework"], row["framework"]),
                "effective_from": datetime.date.fromisoformat(row["effective_from"]),
                "effective_to": (
                    datetime.date.fromisoformat(row["effective_to"])
                    if row["effective_to"]
                    else None
                ),
            },
        )
        kpi, _ = KpiDefinition.objects.update_or_create(
            framework=framework,
            code=row["code"],
            defaults={
                "title": row["title"],
                "unit": row["unit"],
                "measure_type": row["measure_type"],
                "grace_months": int(row["grace_months"]),
                # As published (87.2%, 27.73%); a CSV without the column gets the unit's usual.
                "decimal_places": int(row.get("decimal_places") or Unit(row["unit"]).usual_places),
                # The key of the other return's figure it must agree with (PI12: the
                # workforce return's permanent vacancy rate); a CSV without the column has none.
                "cross_check": row.get("cross_check") or "",
                "order": order,
            },
        )
        rule = ThresholdRule(
            kpi=kpi,
            effective_from=framework.effective_from,
            contract_wording=row["contract_wording"],
            source=row["source"],
            **rule_fields(row),
        )
        rule.full_clean(validate_unique=False, validate_constraints=False)
        ThresholdRule.objects.update_or_create(
            kpi=kpi,
            effective_from=framework.effective_from,
            defaults={f: getattr(rule, f) for f in _RULE_FIELDS},
        )
    return len(rows)


_RULE_FIELDS = [
    "polarity",
    "green_lower",
    "green_lower_inclusive",
    "green_upper",
    "green_upper_inclusive",
    "red_below",
    "red_below_inclusive",
    "red_above",
    "red_above_inclusive",
    "contract_wording",
    "source",
]
