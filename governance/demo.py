"""
The demonstration's governance records, each part in its own module, loaded after the
domains whose figures they are about (`core.domains.DemoLoader`, order 900).
"""

from django.db import transaction

from .exception_reports.demo import load_demo_exception_reports


@transaction.atomic
def load_demo_governance() -> int:
    """Every part of governance's demonstration; the number of exception reports."""
    return load_demo_exception_reports()
