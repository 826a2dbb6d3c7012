"""
Children we care for, projected month by month: a stock-and-flow model.

    next month = this month + starts - ceases

- **Starts** are a rate per 10,000 children of the child population: a year's starts over
  the population of their financial year, times the population of the month projected
  (the latest stored year where a later one has none). A bigger population brings more
  children into care; nothing else about the population is assumed.
- **Ceases** are a share of the children in care: a year's ceases over that year's average
  count (the counts either side), a twelfth of it each month. More children in care means
  more leaving, so the projection settles where the two flows meet instead of running away.

The rates come from the latest twelve months of flows by the count the projection starts
from: the activity return's monthly figures where all twelve months and the counts either
side are there, else the financial year's totals with the counts at the Marches either side
(as the demonstration has). They are carried forward unchanged: `opb_portal.forecasting`
forecasts monthly series, and the demonstration's starts are seven yearly totals; once the
activity return has given a few years of monthly starts, their rate could be forecast there.

The projection starts from the latest count, never from the flows' sum: published flows do
not reconcile exactly with the counts (2024-25: 808 + 265 - 260 = 813, counted 816).

Placements by type: each type's share of the children in care at the type's own latest
count (a month with both counts), carried forward on the projection of children in care.
In-house fostering includes connected carers: the finance plan costs them on one line,
"Internal fostering and connected carers".

Everything here is arithmetic on plain numbers (`History`); the reads are `selectors`'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from opb_portal import formatting
from opb_portal.core import projections
from opb_portal.core.projections import Projected
from opb_portal.periods import Period

IN_CARE, ENTERED, CEASED = "children_in_care", "entered_care", "ceased_care"
YEAR = 12


@dataclass(frozen=True)
class PlacementKey:
    """A projection key of `core.projections` and the demand measures it adds up."""

    key: str
    title: str
    codes: tuple[str, ...]


PLACEMENTS = (
    PlacementKey(
        "placements.residential", "Children in residential placements", ("placed_residential",)
    ),
    PlacementKey(
        "placements.supported",
        "Children in supported and independent living",
        ("placed_supported_living",),
    ),
    PlacementKey(
        "placements.foster_internal",
        "Children with in-house foster carers and connected carers",
        ("placed_internal_foster", "placed_connected"),
    ),
    PlacementKey(
        "placements.foster_external",
        "Children in external fostering",
        ("placed_external_foster",),
    ),
)
CODES = (IN_CARE, ENTERED, CEASED, *(code for p in PLACEMENTS for code in p.codes))


@dataclass(frozen=True)
class History:
    """The counts and flows a projection reads, by measure code: plain numbers, no queries."""

    monthly: dict[str, dict[Period, Decimal]]
    yearly: dict[str, dict[Period, Decimal]]  # the year's figure, stored against its March
    populations: dict[int, int]  # children by the first year of their financial year

    def count(self, code: str, period: Period) -> Decimal | None:
        """A count at the end of `period`: the month's, else the year's at March."""
        found = self.monthly.get(code, {}).get(period)
        if found is None and period.month == 3:
            found = self.yearly.get(code, {}).get(period)
        return found

    def counted(self, code: str, by: Period) -> list[Period]:
        """The months by `by` with a count of `code`, latest first."""
        months = set(self.monthly.get(code, {})) | {
            p for p in self.yearly.get(code, {}) if p.month == 3
        }
        return sorted((p for p in months if p <= by), reverse=True)

    def population(self, start_year: int) -> int | None:
        """The year's child population, else the latest before it, else the earliest after."""
        if start_year in self.populations:
            return self.populations[start_year]
        before = [y for y in self.populations if y < start_year]
        after = [y for y in self.populations if y > start_year]
        year = max(before) if before else min(after) if after else None
        return None if year is None else self.populations[year]


@dataclass(frozen=True)
class Flows:
    """Twelve months of starts and ceases with the counts of children in care either side."""

    end: Period  # the last of the twelve months
    starts: Decimal
    ceases: Decimal
    opening: Decimal
    closing: Decimal
    population: int | None  # the child population of the flows' year
    monthly: bool  # from twelve monthly figures, not a year's total

    @property
    def label(self) -> str:
        if self.monthly:
            return f"the 12 months to {self.end.short}"
        return self.end.financial_year.label

    @property
    def start_rate(self) -> Decimal | None:
        """Starts a year per 10,000 children; None without a child population."""
        return None if not self.population else self.starts / self.population * 10000

    @property
    def cease_share(self) -> Decimal:
        """Ceases a year as a share of the year's average count of children in care."""
        average = (self.opening + self.closing) / 2
        return self.ceases / average if average else Decimal(0)


def flows(history: History, by: Period) -> Flows | None:
    """The latest twelve months of flows ending by `by`: monthly where whole, else a year's."""
    for end in history.counted(IN_CARE, by):
        found = _monthly_flows(history, end)
        if found is not None:
            return found
    for end in sorted(history.yearly.get(ENTERED, {}), reverse=True):
        closing, opening = history.count(IN_CARE, end), history.count(IN_CARE, end.shift(-YEAR))
        ceases = history.yearly.get(CEASED, {}).get(end)
        if end <= by and None not in (closing, opening, ceases):
            starts = history.yearly[ENTERED][end]
            population = history.population(end.financial_year.start_year)
            return Flows(end, starts, ceases, opening, closing, population, monthly=False)
    return None


def _monthly_flows(history: History, end: Period) -> Flows | None:
    months = [end.shift(-k) for k in range(YEAR)]
    entered, ceased = history.monthly.get(ENTERED, {}), history.monthly.get(CEASED, {})
    opening, closing = history.count(IN_CARE, end.shift(-YEAR)), history.count(IN_CARE, end)
    if (
        opening is None
        or closing is None
        or any(m not in entered or m not in ceased for m in months)
    ):
        return None
    population = history.population(end.financial_year.start_year)
    starts, ceases = sum(entered[m] for m in months), sum(ceased[m] for m in months)
    return Flows(end, starts, ceases, opening, closing, population, monthly=True)


@dataclass(frozen=True)
class StockAndFlow:
    """The model: the count it starts from, the flows its rates come from, the population."""

    origin: Period  # the month of the count it starts from
    count: Decimal
    flows: Flows
    history: History

    def starts_in(self, period: Period) -> Decimal:
        """The month's starts: the rate per 10,000 on the month's child population."""
        rate = self.flows.start_rate
        population = self.history.population(period.financial_year.start_year)
        if rate is None or population is None:
            return self.flows.starts / YEAR
        return rate * population / 10000 / YEAR

    def path(self, months: int) -> list[Decimal]:
        """Children in care at the end of each of the `months` months after `origin`."""
        share, stock, found = self.flows.cease_share / YEAR, self.count, []
        for ahead in range(1, months + 1):
            stock = stock + self.starts_in(self.origin.shift(ahead)) - share * stock
            found.append(stock)
        return found

    @property
    def basis(self) -> str:
        """What it rests on in words: "816 at 31 March 2025; 265 starts (30.5 per 10,000) ..."."""
        f = self.flows
        rate = (
            f" ({formatting.number(f.start_rate, 1)} per 10,000 children)" if f.start_rate else ""
        )
        share = formatting.number(f.cease_share * 100, 0)
        return (
            f"{_whole(self.count)} at {_when(self.origin, self.history)}; "
            f"{_whole(f.starts)} starts{rate} and {_whole(f.ceases)} ceases "
            f"({share}% of children in care) a year, as in {f.label}, carried forward"
        )

    @property
    def reconciliation(self) -> str:
        """Whether the flows add up to the count; the projection starts from the count."""
        f = self.flows
        implied = f.opening + f.starts - f.ceases
        if implied == f.closing:
            return ""
        return (
            f"The flows of {f.label} do not add up to the count exactly ({_whole(f.opening)} + "
            f"{_whole(f.starts)} \u2212 {_whole(f.ceases)} = {_whole(implied)}, counted "
            f"{_whole(f.closing)}): the projection starts from the count."
        )


def model(history: History, after: Period) -> StockAndFlow | None:
    """The stock-and-flow model from the latest count by `after`; None without count or flows."""
    counted = history.counted(IN_CARE, after)
    if not counted:
        return None
    origin = counted[0]
    found = flows(history, origin)
    if found is None:
        return None
    return StockAndFlow(origin, history.count(IN_CARE, origin), found, history)


def _ahead(found: StockAndFlow, after: Period, months: int) -> list[Decimal]:
    """The path for the `months` months after `after` (which may be later than the count)."""
    skip = after.months_since(found.origin)
    return found.path(skip + months)[skip:]


def _start(found: StockAndFlow, after: Period) -> Decimal:
    """The model's children in care in `after`: the count, or the path's level by then."""
    skip = after.months_since(found.origin)
    return found.count if skip <= 0 else found.path(skip)[-1]


def children_in_care(history: History, after: Period, months: int) -> Projected | None:
    """Children we care for, projected for the `months` months after `after`."""
    found = model(history, after)
    if found is None:
        return None
    values = tuple(_tenth(v) for v in _ahead(found, after, months))
    start = _tenth(_start(found, after))
    return Projected(IN_CARE, "Children we care for", after, values, found.basis, start)


@dataclass(frozen=True)
class Share:
    """One placement type's share of the children in care at its latest count."""

    code: str
    period: Period
    count: Decimal
    in_care: Decimal

    @property
    def share(self) -> Decimal:
        return self.count / self.in_care

    def words(self, history: History) -> str:
        percent = formatting.number(self.share * 100, 1)
        when = _when(self.period, history)
        return f"{_whole(self.count)} of {_whole(self.in_care)} ({percent}%) at {when}"


def share(history: History, code: str, by: Period) -> Share | None:
    """The type's share at its latest month by `by` with both counts."""
    for period in history.counted(code, by):
        in_care = history.count(IN_CARE, period)
        if in_care:
            return Share(code, period, history.count(code, period), in_care)
    return None


def placements(
    history: History, placement: PlacementKey, after: Period, months: int
) -> Projected | None:
    """A placement type's children: its share carried forward on children in care."""
    found = model(history, after)
    if found is None:
        return None
    shares = mix(history, placement, found.origin)
    if not shares:
        return None
    total = sum(s.share for s in shares)
    values = tuple(_tenth(v * total) for v in _ahead(found, after, months))
    basis = mix_words(history, placement, shares)
    basis += f" carried forward on children we care for ({found.basis})"
    start = _tenth(_start(found, after) * total)
    return Projected(placement.key, placement.title, after, values, basis, start)


def mix(history: History, placement: PlacementKey, by: Period) -> list[Share]:
    """The shares of the placement's measures, each at its latest count by `by`."""
    return [s for code in placement.codes if (s := share(history, code, by))]


def mix_words(history: History, placement: PlacementKey, shares: list[Share]) -> str:
    """ "62 of 808 (7.7%) at 31 March 2024", naming any measure with no count."""
    words = "; ".join(s.words(history) for s in shares)
    missing = [c for c in placement.codes if c not in {s.code for s in shares}]
    return words + (f" (no count of {', '.join(missing)})" if missing else "")


def register(read: Callable[[Period], History]) -> None:
    """Offer every projection to `core.projections`, all from one `read(by)`."""

    def project(after: Period, months: int) -> dict[str, Projected | None]:
        history = read(after)
        found = {IN_CARE: children_in_care(history, after, months)}
        for placement in PLACEMENTS:
            found[placement.key] = placements(history, placement, after, months)
        return found

    projections.register([IN_CARE, *(placement.key for placement in PLACEMENTS)], project)


# --- how the one-year projection has done ---------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """
    The projection tested on the past: from each March with a count a year on, project a
    year and compare with that count; beside it, the last count carried forward.
    """

    origins: tuple[Period, ...]
    errors: tuple[Decimal, ...]  # projected minus counted
    baseline: tuple[Decimal, ...]  # the last count minus counted

    @property
    def tries(self) -> int:
        return len(self.errors)

    @property
    def hits(self) -> int:
        """9 in 10 of the tries (at least 1), as every forecast's accuracy counts them."""
        return max(1, int(self.tries * 0.9))

    @staticmethod
    def _within(errors: Sequence[Decimal], hits: int) -> Decimal:
        return sorted(abs(e) for e in errors)[hits - 1]

    @property
    def within(self) -> Decimal:
        return self._within(self.errors, self.hits)

    @property
    def baseline_within(self) -> Decimal:
        return self._within(self.baseline, self.hits)

    @property
    def sentence(self) -> str:
        first, last = self.origins[0].year, self.origins[-1].year
        return (
            f"Tested on each March from {first} to {last}, projecting a year and comparing "
            f"with the next March's count: the one-year projection was within "
            f"{_whole(self.within)} children {self.hits} times in {self.tries}; the last count "
            f"carried forward was within {_whole(self.baseline_within)} children "
            f"{self.hits} times in {self.tries}."
        )


def backtest(history: History, by: Period) -> Backtest | None:
    """The one-year projection from every March by `by` with a count a year later."""
    origins, errors, baseline = [], [], []
    for origin in sorted(p for p in history.counted(IN_CARE, by) if p.month == 3):
        counted = history.count(IN_CARE, origin.shift(YEAR))
        found = model(history, origin)
        if counted is None or origin.shift(YEAR) > by or found is None or found.origin != origin:
            continue
        origins.append(origin)
        errors.append(found.path(YEAR)[-1] - counted)
        baseline.append(found.count - counted)
    if not origins:
        return None
    return Backtest(tuple(origins), tuple(errors), tuple(baseline))


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


def _whole(value: Decimal) -> str:
    return formatting.number(value, 0)


def _when(period: Period, history: History) -> str:
    """ "31 March 2025" for a count at March from the year's figures, else the month."""
    if period.month == 3 and period not in history.monthly.get(IN_CARE, {}):
        return f"31 March {period.year}"
    return period.short
