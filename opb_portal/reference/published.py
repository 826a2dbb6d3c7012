"""
Published tables the demonstration is built from, read in one place.

The Trust's social work workforce table (section (f) of the 2024-25 annual review,
fixtures/workforce_2024_25.csv) is one published source two domains draw on: the
workforce demonstration loads it as approved workforce returns, and the KPI
demonstration works PI12 (the permanent vacancy rate) out of it. It lives here, below
both, so that neither demonstration reads the other's code.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
WORKFORCE_CSV = FIXTURES / "workforce_2024_25.csv"


def workforce_rows() -> list[dict]:
    """The published workforce table, one dict of text per month (`month` is `2024-03`)."""
    with open(WORKFORCE_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
