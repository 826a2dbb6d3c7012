"""
The demonstration's inspections and visits of Sandwell, from the seeds: the Trust's annual
reviews (2019-20 section (d): the monitoring visits of 2019 and 2020; 2024-25 section (d):
the focused visits of October 2024 and April 2025), the Cabinet report of 2018 (the
monitoring visit of 30 and 31 May 2018) and the council's report on the Trust (the ILACS
inspection of May 2022, 'requires improvement to be good').

Only what the seeds say is stored: the May 2022 inspection's days and sub-judgements are
not given there, so it has its overall judgement and its month only (`month_only`);
Ofsted's own file gives the rest where it is imported (a real deployment imports it and
loads no demonstration).
"""

from __future__ import annotations

import datetime

from opb_portal.comparators.demo import load_demo_neighbours

from .models import Grade, Inspection, Kind
from .selectors import sandwell

D = datetime.date
# The ILACS inspection the seeds date by its month only.
MAY_2022 = D(2022, 5, 1)
# (kind, start, end, overall, what the visit looked at as the seeds say)
SANDWELL = [
    (
        Kind.MONITORING_VISIT,
        D(2018, 5, 30),
        D(2018, 5, 31),
        "",
        "Help and protection, and children looked after: the quality of assessments",
    ),
    (
        Kind.MONITORING_VISIT,
        D(2019, 4, 16),
        None,
        "",
        "Children subject to care proceedings and children in care",
    ),
    (
        Kind.MONITORING_VISIT,
        D(2019, 10, 16),
        None,
        "",
        "Children subject to child protection and child in need plans",
    ),
    (Kind.MONITORING_VISIT, D(2020, 2, 11), None, "", "The leaving care service"),
    (
        Kind.ILACS_FULL,
        MAY_2022,
        None,
        Grade.REQUIRES_IMPROVEMENT,
        "",
    ),
    (
        Kind.FOCUSED_VISIT,
        D(2024, 10, 30),
        D(2024, 10, 31),
        "",
        "Front door",
    ),
    (
        Kind.FOCUSED_VISIT,
        D(2025, 4, 15),
        D(2025, 4, 16),
        "",
        "PLO and children at risk of family breakdown",
    ),
]


def load_demo_inspections() -> int:
    """Sandwell's inspections and visits from the seeds (idempotent); how many there are."""
    load_demo_neighbours()
    authority = sandwell()
    for kind, start, end, overall, note in SANDWELL:
        inspection, _ = Inspection.objects.get_or_create(
            authority=authority, kind=kind, start_date=start
        )
        inspection.end_date = end
        inspection.month_only = start == MAY_2022
        inspection.overall = overall
        inspection.note = note
        inspection.full_clean()
        inspection.save()
    return len(SANDWELL)
