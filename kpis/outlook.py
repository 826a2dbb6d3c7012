"""
Early warning on the KPIs: each KPI's outlook, from its stored forecast.

`refresh_forecasts` makes and keeps a `KpiForecast` per KPI for a month when that month's
return is approved (`KpiReturnSpec.apply`), from the KPI's approved history within its
framework (a code means one thing in a framework, so never across two). Every colour of a
month ahead is the one RAG evaluator's, under the rule in force that month. `outlooks`
reads the latest forecast of each KPI back as an `Outlook`, whose signals the scorecard,
the KPI page, the home page, the pack, the exports and the API show, always as forecasts.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db.models import OuterRef, Subquery

from opb_portal.forecasting import Accuracy, Forecast, accuracy_sentence, forecast
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.reference.models import Unit

from . import selectors
from .models import KpiDefinition, KpiForecast, KpiValue

# A KPI red for more than three consecutive months outside grace is a contract exception.
TRIGGER_STREAK = 4
HORIZON = 6
# What the home page calls a warning, besides turning red next month or reaching the trigger.
WARNING_CHANCE = 0.5


@dataclass(frozen=True)
class Ahead:
    """One forecast month: never a figure, always shown as a forecast."""

    period: Period
    value: Decimal  # at the KPI's precision
    lower: Decimal  # the 80% prediction interval
    upper: Decimal
    red: float  # the chance the month is red, 0 to 1
    status: Status  # the colour the point forecast would have under the rule in force then
    in_grace: bool = False  # a red month in grace does not count towards the trigger

    @property
    def kind(self) -> str:
        """What the API and the exports call it: never a figure."""
        return "forecast"


@dataclass(frozen=True)
class Outlook:
    kpi: KpiDefinition
    forecast: KpiForecast
    steps: tuple[Ahead, ...]
    # "Over the last 12 months, the 1-month forecast was within 2.1 points 9 times in 10."
    accuracy: str
    chance_red_next: float
    turns_red_next: bool  # not red now, and red next month on trajectory
    trigger: Period | None  # the month of the 4th consecutive red outside grace, on trajectory
    recovers_by: Period | None  # not green now: the first month green on trajectory
    escalated: bool = False  # already red for 4 months or more outside grace: no trigger ahead

    @property
    def last_period(self) -> Period:
        return self.forecast.last_period

    @property
    def next(self) -> Ahead:
        return self.steps[0]

    @property
    def method(self) -> str:
        """The method in a reader's words: "the last value carried forward"."""
        return self.forecast.method_label

    @property
    def warning(self) -> bool:
        """Worth the home page's attention: red next month, the trigger ahead, or likely red."""
        return (
            self.turns_red_next
            or self.trigger is not None
            or (self.chance_red_next >= WARNING_CHANCE and not self.escalated)
        )

    @property
    def signal(self) -> str:
        """The scorecard's outlook in a few words."""
        if self.escalated:
            return "Escalated"
        # Red next month is the nearer news; its trigger month follows on the KPI's page.
        if self.turns_red_next:
            return f"Red next month ({percent(self.chance_red_next)})"
        if self.trigger is not None:
            return f"4th red month in {self.trigger.short}"
        if self.recovers_by is not None:
            return f"Green by {self.recovers_by.short}"
        return f"Steady: {self.next.status.value}"

    @property
    def chance_red_said(self) -> str:
        return percent(self.chance_red_next)

    @property
    def next_value_said(self) -> str:
        """`Forecast 72.4%`: never a bare figure."""
        return f"Forecast {self.kpi.format_value(self.next.value)}"

    @property
    def next_interval_said(self) -> str:
        """`80% interval 69.6% to 75.2%`."""
        fmt = self.kpi.format_value
        return f"80% interval {fmt(self.next.lower)} to {fmt(self.next.upper)}"

    @property
    def next_said(self) -> str:
        """Next month's forecast in words that cannot be read as a figure."""
        return f"{self.next_value_said} ({self.next_interval_said})"


def percent(chance: float) -> str:
    return f"{round(chance * 100)}%"


# --- reading ---------------------------------------------------------------------------------


def outlooks(kpis: list[KpiDefinition], period: Period) -> dict[int, Outlook]:
    """Each KPI's outlook from the latest forecast made from `period` or before (1 query)."""
    by_id = {kpi.pk: kpi for kpi in kpis}
    latest = KpiForecast.objects.filter(kpi=OuterRef("kpi"), last_period__lte=period).order_by(
        "-last_period"
    )
    found = KpiForecast.objects.filter(
        kpi__in=list(by_id), last_period=Subquery(latest.values("last_period")[:1])
    )
    result = {}
    for stored in found:
        stored.kpi = by_id[stored.kpi_id]  # already fetched: spare a query each
        if stored.steps:
            result[stored.kpi_id] = outlook_of(stored)
    return result


def outlook_of(stored: KpiForecast) -> Outlook:
    """The signals of one stored forecast, from its steps and where the actuals stood."""
    kpi = stored.kpi
    steps = tuple(_ahead(step) for step in stored.steps)
    now = Status(stored.last_status)
    escalated = stored.red_streak >= TRIGGER_STREAK
    return Outlook(
        kpi=kpi,
        forecast=stored,
        steps=steps,
        accuracy=accuracy_said(kpi, stored.accuracy),
        chance_red_next=steps[0].red,
        turns_red_next=now != Status.RED and steps[0].status == Status.RED,
        trigger=None if escalated else trigger(stored.red_streak, steps),
        recovers_by=None
        if now == Status.GREEN
        else next((s.period for s in steps if s.status == Status.GREEN), None),
        escalated=escalated,
    )


def trigger(streak: int, steps: tuple[Ahead, ...]) -> Period | None:
    """
    The month the red streak outside grace (`streak` actual months) would reach the
    contract's trigger if the forecast months whose point is red continue it; None when a
    month not red, or in grace, breaks it first (as `consecutive_red_months` counts).
    """
    for step in steps:
        if step.status != Status.RED or step.in_grace:
            return None
        streak += 1
        if streak == TRIGGER_STREAK:
            return step.period
    return None


def _ahead(step: dict) -> Ahead:
    return Ahead(
        period=Period.parse(step["period"]),
        value=Decimal(step["value"]),
        lower=Decimal(step["lower"]),
        upper=Decimal(step["upper"]),
        red=step["red"],
        status=Status(step["status"]),
        in_grace=step.get("in_grace", False),
    )


def accuracy_said(kpi: KpiDefinition, stored: dict) -> str:
    """The stored accuracy (`KpiForecast.accuracy`) as the sentence every forecast carries."""
    accuracy = Accuracy(
        method=stored.get("method", ""),
        label=stored.get("label", ""),
        tries=stored.get("tries", 0),
        within=None if stored.get("within") is None else float(stored["within"]),
        hits=stored.get("hits", 0),
        mase=stored.get("mase"),
        coverage=stored.get("coverage"),
        fallback=stored.get("fallback", False),
    )
    return accuracy_sentence(accuracy, lambda x: error_size(kpi, _decimal(x)))


def error_size(kpi: KpiDefinition, size: Decimal) -> str:
    """
    A forecast's error in the KPI's unit, for the accuracy sentence: "2.1 points", "1.8 per
    10,000 children"; a count or a ratio as the KPI's own figure.
    """
    written = kpi.format_difference(size)
    if kpi.unit == Unit.RATE_PER_10000:
        return f"{written} per 10,000 children"
    return written


# --- making ----------------------------------------------------------------------------------


def refresh_forecasts(*, period: Period) -> list[KpiForecast]:
    """
    Forecast every KPI of the framework in force in `period` from its history to then, and
    keep one `KpiForecast` per KPI for the month; those whose inputs (each month's figure
    and return version) are unchanged are kept as they are, not made again. A KPI without
    a figure in `period`, or with too short a history, has none (any made before is
    removed). Returns the month's forecasts.

    Queries, whatever the number of KPIs or months: the framework, its KPIs, their rules,
    their values, the month's forecasts (5); then a delete of those remade or gone, and an
    insert of those made (2 more at most).
    """
    framework = selectors.framework_in_force(period)
    if framework is None:
        return []
    kpis = list(selectors.kpis_of(framework))
    by_id = {kpi.pk: kpi for kpi in kpis}
    values: dict[int, list[KpiValue]] = defaultdict(list)
    for value in KpiValue.objects.filter(
        kpi__in=kpis, period__gte=framework.first_period, period__lte=period
    ).order_by("period"):
        value.kpi = by_id[value.kpi_id]  # already fetched, with its rules: spare a query each
        values[value.kpi_id].append(value)
    kept = {f.kpi_id: f for f in KpiForecast.objects.filter(kpi__in=kpis, last_period=period)}
    made, kept_as_is = [], []
    for kpi in kpis:
        history = values[kpi.pk]
        if not history or history[-1].period != period:
            continue
        digest = inputs_digest(history)
        stored = kept.get(kpi.pk)
        if stored is not None and stored.inputs == digest:
            stored.kpi = kpi
            kept_as_is.append(stored)
            continue
        fresh = forecast_of(kpi, history, period=period, digest=digest)
        if fresh is not None:
            made.append(fresh)
    # A forecast remade replaces the month's old one: one delete and one insert for all of
    # them (Django's bulk_update writes a CASE per field and row, slower than both).
    current = made + kept_as_is
    replaced = set(kept) - {f.kpi_id for f in kept_as_is}
    if replaced:
        KpiForecast.objects.filter(pk__in=[kept[k].pk for k in replaced]).delete()
    if made:
        KpiForecast.objects.bulk_create(made)
    return sorted(current, key=lambda f: f.kpi.order)


def inputs_digest(history: list[KpiValue]) -> str:
    """SHA-256 of the (month, value, version) list a forecast is made from."""
    inputs = [(v.period.iso, str(v.value), v.version_id) for v in history]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()


def forecast_of(
    kpi: KpiDefinition, history: list[KpiValue], *, period: Period, digest: str
) -> KpiForecast | None:
    """
    The unsaved forecast of `kpi` from `history` (its values to `period`, oldest first, the
    rules prefetched): None when the history is too short to forecast from, or the engine
    gives a figure that is not a number.
    """
    by_month = {value.period: value for value in history}
    first = history[0].period
    months = selectors.months_of(
        kpi, (first.shift(i) for i in range(period.months_since(first) + 1)), by_month
    )
    made = forecast(
        [None if m.number is None else float(m.number) for m in months], horizon=HORIZON
    )
    if made is None or not all(
        math.isfinite(x) for s in made.steps for x in (s.value, s.lower, s.upper)
    ):
        return None
    stored = KpiForecast(
        kpi=kpi,
        last_period=period,
        inputs=digest,
        versions=sorted({v.version_id for v in history if v.version_id}),
        method=made.method,
        method_label=made.label,
        steps=[_step(kpi, made, k, period.shift(k)) for k in range(1, len(made.steps) + 1)],
        accuracy=_accuracy(kpi, made.accuracy),
        last_status=months[-1].status.value,
        red_streak=selectors.consecutive_red_months(months),
    )
    # Unique by construction (the month's forecasts were read first): no query per KPI.
    stored.full_clean(exclude=["kpi"], validate_unique=False, validate_constraints=False)
    return stored


def possible(kpi: KpiDefinition, figure: float) -> Decimal:
    """
    A forecast figure at the KPI's precision, within what the KPI can be: a trend or an
    interval carried past 100% or below 0 says only that the figure will be at the edge.
    """
    ceiling = 100 if kpi.unit == Unit.PERCENT else math.inf
    return kpi.at_precision(_decimal(min(max(figure, 0.0), ceiling)))


def _step(kpi: KpiDefinition, made: Forecast, ahead: int, month: Period) -> dict:
    step = made.steps[ahead - 1]
    rule = kpi.rule_for(month)
    value = possible(kpi, step.value)

    def is_red(figure: float) -> bool:
        return rule.evaluate(possible(kpi, figure)) == Status.RED

    return {
        "period": month.iso,
        "value": str(value),
        "lower": str(possible(kpi, step.lower)),
        "upper": str(possible(kpi, step.upper)),
        "red": round(made.chance(ahead, is_red), 3) if rule else 0.0,
        "status": (rule.evaluate(value) if rule else Status.MISSING).value,
        "in_grace": kpi.in_grace(month),
    }


def _accuracy(kpi: KpiDefinition, accuracy: Accuracy) -> dict:
    within = accuracy.within
    return {
        "method": accuracy.method,
        "label": accuracy.label,
        "tries": accuracy.tries,
        # Rounded up at the KPI's precision: "within 2.1 points" must not flatter it.
        "within": None if within is None else str(_ceiling(kpi, _decimal(within))),
        "hits": accuracy.hits,
        "mase": None if accuracy.mase is None else round(accuracy.mase, 3),
        "coverage": None if accuracy.coverage is None else round(accuracy.coverage, 3),
        "fallback": accuracy.fallback,
    }


def _ceiling(kpi: KpiDefinition, value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-kpi.decimal_places), ROUND_CEILING)


def _decimal(number: float) -> Decimal:
    """A float as the shortest decimal that reads back as it (0.1, not 0.1000000000000000055)."""
    return Decimal(repr(float(number)))
