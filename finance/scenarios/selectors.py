"""
Reads of saved scenarios, each worked through the driver model.

A scenario's outturn is computed, never stored: the model (`finance.model.outturn`) runs
once for the base case of each year a page shows and once for each scenario, so a page's
queries do not grow with the months. Every figure a scenario page, the list, the compare
view and the pack show comes from `work_out`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from opb_portal.periods import Period

from .. import model
from .. import selectors as finance_selectors
from ..models import FinanceYear, Scenario, ScenarioChange
from . import words


def saved_scenarios() -> QuerySet[Scenario]:
    """Every saved scenario with its year, author and changes (3 queries when read)."""
    return Scenario.objects.select_related("year", "created_by").prefetch_related(
        Prefetch("changes", queryset=ScenarioChange.objects.order_by("order", "pk"))
    )


def scenario_or_none(pk: int) -> Scenario | None:
    return saved_scenarios().filter(pk=pk).first()


def as_changes(scenario: Scenario) -> list[model.Change]:
    """The engine's changes of a saved scenario (its prefetched rows)."""
    return [
        model.Change(measure=row.measure, value=row.value, month=row.month, how=row.how)
        for row in scenario.changes.all()
    ]


def as_of_for(year: FinanceYear, at: Period) -> Period:
    """The month whose figures are the actuals: `at`, or the year's last month if later."""
    return min(at, year.financial_year.last)


@dataclass
class LineDifference:
    """One line of the position under the scenario against the base model."""

    name: str
    base: Decimal
    scenario: Decimal

    @property
    def difference(self) -> Decimal:
        return self.scenario - self.base


@dataclass
class DriverPath:
    """A changed driver's months under the base model and under the scenario."""

    measure: str
    label: str
    months: list[Period]
    base: list[Decimal | None]
    scenario: list[Decimal | None]
    actual: list[bool]

    @property
    def rows(self) -> list[tuple[Period, str, str, bool]]:
        """Month, base level and scenario level as written, and whether it is an actual."""
        return [
            (month, words.level(self.measure, base), words.level(self.measure, under), actual)
            for month, base, under, actual in zip(
                self.months, self.base, self.scenario, self.actual, strict=True
            )
        ]


@dataclass
class Worked:
    """A scenario worked through the model, beside the base model of its year."""

    scenario: Scenario
    outturn: model.ModelOutturn
    base: model.ModelOutturn
    changes: list[model.Change] = field(default_factory=list)

    @property
    def year(self) -> FinanceYear:
        return self.scenario.year

    @property
    def deficit(self) -> Decimal:
        return self.outturn.deficit

    @property
    def cumulative_deficit(self) -> Decimal:
        return self.outturn.cumulative_deficit

    @property
    def against_base(self) -> Decimal:
        return self.outturn.deficit - self.base.deficit

    @property
    def against_trust(self) -> Decimal | None:
        trust = self.base.trust_deficit
        return None if trust is None else self.outturn.deficit - trust

    @cached_property
    def words(self) -> str:
        return words.scenario_words(self.changes, self.base.paths)

    @cached_property
    def lines(self) -> list[LineDifference]:
        """Every line whose outturn the scenario moves, with the move."""
        base = {row.line.pk: row for row in self.base.lines}
        found = []
        for row in self.outturn.lines:
            before = base.get(row.line.pk)
            if before is not None and before.outturn != row.outturn:
                found.append(LineDifference(row.line.name, before.outturn, row.outturn))
        return found

    @cached_property
    def paths(self) -> list[DriverPath]:
        """Each changed driver's path under the scenario against the base model's."""
        found = []
        for change in self.changes:
            under = self.outturn.paths.get(change.measure, [])
            if not under:  # a later year's model keeps no month-by-month path
                continue
            before = {when: value for when, value, _ in self.base.paths.get(change.measure, [])}
            found.append(
                DriverPath(
                    measure=change.measure,
                    label=words.Measure(change.measure).label,
                    months=[when for when, _, _ in under],
                    base=[before.get(when) for when, _, _ in under],
                    scenario=[value for _, value, _ in under],
                    actual=[actual for _, _, actual in under],
                )
            )
        return found


@dataclass
class YearCase:
    """A year's base model: the Trust's own forecast and the model with no change."""

    year: FinanceYear
    base: model.ModelOutturn

    @property
    def against_trust(self) -> Decimal | None:
        """The base model's deficit less the Trust's: how far the model reads the year apart."""
        trust = self.base.trust_deficit
        return None if trust is None else self.base.deficit - trust

    @property
    def trust_cumulative_deficit(self) -> Decimal | None:
        trust = self.base.trust_deficit
        if trust is None:
            return None
        opening = self.base.cumulative_deficit - self.base.deficit
        return opening + trust


@dataclass
class Comparison:
    """Scenarios worked out, with each of their years' base case: what every page shows."""

    at: Period | None
    cases: list[YearCase]
    worked: list[Worked]

    def case_of(self, year: FinanceYear) -> YearCase:
        return next(case for case in self.cases if case.year.pk == year.pk)


def work_out(scenarios: Iterable[Scenario], *, at: Period | None = None) -> Comparison:
    """
    Each scenario through the model as at `at` (the latest month with figures unless
    given), with the base case of each of their years: each year's inputs are read once,
    however many scenarios it has (`finance.model.outturns`, `next_years_cases`).
    """
    scenarios = list(scenarios)
    at = at or finance_selectors.latest_period()
    if at is None:
        return Comparison(at=None, cases=[], worked=[])
    by_year: dict[int, list[Scenario]] = {}
    for scenario in scenarios:
        by_year.setdefault(scenario.year.pk, []).append(scenario)
    cases: dict[int, YearCase] = {}
    outturns: dict[int, model.ModelOutturn] = {}
    for group in by_year.values():
        year = group[0].year
        changes = [as_changes(scenario) for scenario in group]
        if at < year.financial_year.first:
            # A year after the figures': the medium-term model carries the drivers forward.
            base, *worked = _ahead(year, at, changes)
        else:
            base, *worked = model.outturns(year=year, as_of=as_of_for(year, at), cases=changes)
        cases[year.pk] = YearCase(year, base)
        outturns |= {scenario.pk: found for scenario, found in zip(group, worked, strict=True)}
    return Comparison(
        at=at,
        cases=list(cases.values()),
        worked=[Worked(s, outturns[s.pk], cases[s.year.pk].base, as_changes(s)) for s in scenarios],
    )


def _figures_year(at: Period) -> FinanceYear | None:
    return FinanceYear.objects.filter(start_year=at.financial_year.start_year).first()


def _ahead(
    year: FinanceYear, at: Period, cases: list[list[model.Change]]
) -> list[model.ModelOutturn]:
    """
    A later year's position, base first, then each case's, from `finance.model`'s
    `next_years_cases` (the drivers of `at` carried forward), as outturns: no month of it is
    actual and the Trust has no forecast of it. The base keeps the paths of the figures'
    year, to read the levels a change moves from.
    """
    found = _figures_year(at)
    years = year.start_year - found.start_year
    paths = model.outturn(year=found, as_of=at).paths
    return [
        model.ModelOutturn(
            year=year,
            as_of=at,
            lines=ahead.lines,
            expenditure=ahead.expenditure,
            income=ahead.income,
            deficit=ahead.deficit,
            cumulative_deficit=ahead.cumulative_deficit,
            trust_deficit=None,
            paths=paths if index == 0 else {},
        )
        for index, ahead in enumerate(
            years_ahead[-1]
            for years_ahead in model.next_years_cases(
                from_year=found, years=years, cases=cases, as_of=at
            )
        )
    ]


@dataclass
class MediumTermYear:
    label: str
    base_deficit: Decimal
    deficit: Decimal
    base_cumulative: Decimal
    cumulative: Decimal

    @property
    def against_base(self) -> Decimal:
        return self.deficit - self.base_deficit


def medium_term(worked: Worked, at: Period, years: int = 3) -> list[MediumTermYear]:
    """The three years after the figures' year, base and scenario, its changes carried forward."""
    found = _figures_year(at)
    if found is None:
        return []
    base, under = model.next_years_cases(
        from_year=found, years=years, cases=[worked.changes], as_of=at
    )
    return [
        MediumTermYear(b.label, b.deficit, u.deficit, b.cumulative_deficit, u.cumulative_deficit)
        for b, u in zip(base, under, strict=True)
    ]


def year_for_sensitivity(at: Period | None) -> FinanceYear | None:
    """The year whose sensitivity the list page draws: the latest figures' year."""
    if at is None:
        return None
    return FinanceYear.objects.filter(start_year=at.financial_year.start_year).first()


def sensitivity(year: FinanceYear, at: Period) -> list:
    """
    Each driver's realistic low and high year-end deficit (finance.model.sensitivity), as at
    `at`; empty when no month of the year is left to move (its figures run to March).
    """
    as_of = as_of_for(year, at)
    if as_of >= year.financial_year.last:
        return []
    return model.sensitivity(year=year, as_of=as_of)


def pack_choice(period: Period) -> QuerySet[Scenario]:
    """The scenarios the chair chose for the pack, of the month's year or a later one."""
    return saved_scenarios().filter(
        in_pack=True, year__start_year__gte=period.financial_year.start_year
    )
