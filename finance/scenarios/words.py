"""
A scenario's changes in words, as the board reads them: "Residential children stay at 79
from April 2025; the residential weekly cost rises to £6,900 from October 2025".

Whether a driver rises, falls or stays is read against the base model's level in the
month before the change (`ModelOutturn.paths`), the level the change moves it from.
"""

from __future__ import annotations

from decimal import Decimal

from opb_portal.formatting import as_given, pounds
from opb_portal.periods import Period

from .services import MONEY_MEASURES, PERCENT_MEASURES, Measure

# What each driver is called in a sentence, and whether it takes a plural verb.
SUBJECTS: dict[str, tuple[str, bool]] = {
    Measure.RESIDENTIAL_CHILDREN: ("residential children", True),
    Measure.RESIDENTIAL_WEEKLY_COST: ("the residential weekly cost", False),
    Measure.SUPPORTED_CHILDREN: ("children in supported accommodation", True),
    Measure.SUPPORTED_WEEKLY_COST: ("the supported accommodation weekly cost", False),
    Measure.FOSTER_INTERNAL_CHILDREN: ("children with in-house foster carers", True),
    Measure.FOSTER_INTERNAL_WEEKLY_COST: ("the in-house fostering weekly cost", False),
    Measure.FOSTER_EXTERNAL_CHILDREN: ("children in external fostering", True),
    Measure.FOSTER_EXTERNAL_WEEKLY_COST: ("the external fostering weekly cost", False),
    Measure.SOCIAL_WORKERS: ("social workers (FTE)", True),
    Measure.AGENCY_SHARE: ("the agency share of social workers", False),
    Measure.AGENCY_WEEKLY_COST: ("the weekly cost of an agency social worker", False),
    Measure.HOME_OFFICE_CHILDREN: ("children the Home Office contributes for", True),
    Measure.HOME_OFFICE_WEEKLY_RATE: ("the Home Office weekly contribution", False),
    Measure.SAVINGS_DELIVERED: ("savings delivered", True),
}


def level(measure: str, value: Decimal | None) -> str:
    """A driver's level as written: `£6,900`, `12%`, `79`."""
    if value is None:
        return "–"
    if measure in MONEY_MEASURES:
        return pounds(value)
    if measure in PERCENT_MEASURES:
        suffix = " of the target" if measure == Measure.SAVINGS_DELIVERED else ""
        return f"{as_given(value)}%{suffix}"
    return as_given(value)


def unit(measure: str) -> str:
    """What a driver is counted in, for a chart's axis."""
    if measure in MONEY_MEASURES:
        return "£ a week"
    if measure in PERCENT_MEASURES:
        return "%"
    return "FTE" if measure == Measure.SOCIAL_WORKERS else "children"


def level_before(paths: dict, measure: str, month: Period) -> Decimal | None:
    """The base model's level of `measure` in the month before `month` (None: not known)."""
    before = [value for when, value, _actual in paths.get(measure, []) if when < month]
    return before[-1] if before else None


def _verb(value: Decimal, was: Decimal | None, *, plural: bool, how: str) -> str:
    if was is None:
        verb = (
            ("are at" if plural else "is at") if how == "from" else "reach" if plural else "reaches"
        )
    elif value > was:
        verb = "rise to" if plural else "rises to"
    elif value < was:
        verb = "fall to" if plural else "falls to"
    else:
        verb = "stay at" if plural else "stays at"
    return verb


def change_words(change, *, was: Decimal | None) -> str:
    """One change in words; `was` is the level it moves from."""
    subject, plural = SUBJECTS.get(change.measure, (Measure(change.measure).label, False))
    verb = _verb(change.value, was, plural=plural, how=change.how)
    how = "by" if change.how == "by" else "from"
    return f"{subject} {verb} {level(change.measure, change.value)} {how} {change.month.long}"


def scenario_words(changes, paths: dict) -> str:
    """Every change of a scenario in one sentence, its first letter a capital."""
    parts = [
        change_words(change, was=level_before(paths, change.measure, change.month))
        for change in changes
    ]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "No change to the drivers"
