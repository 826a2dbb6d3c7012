"""
The board's accountability records, one module each; every model is imported here so
that Django finds it.
"""

from .exceptions import ExceptionReport, ExceptionReportEvent, ExceptionReportVersion  # noqa: F401
from .plans import Milestone, PlanEvent, PlanProgress, PlanVersion, RectificationPlan  # noqa: F401
