"""
The board's accountability records, one module each; every model is imported here so
that Django finds it.
"""

from .actions import Action, ActionReminder, ActionUpdate  # noqa: F401
from .audits import Audit, AuditFigure  # noqa: F401
from .changes import Board, Change, ChangeEvent  # noqa: F401
from .decisions import Decision  # noqa: F401
from .exceptions import ExceptionReport, ExceptionReportEvent, ExceptionReportVersion  # noqa: F401
from .improvement import (  # noqa: F401
    ImprovementAction,
    ImprovementPlan,
    ImprovementPriority,
    ImprovementProgress,
)
from .meetings import AgendaItem, Attendee, MinutesVersion  # noqa: F401
from .plans import Milestone, PlanEvent, PlanProgress, PlanVersion, RectificationPlan  # noqa: F401
from .risks import Risk, RiskReview, RiskSubject  # noqa: F401
