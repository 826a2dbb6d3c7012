"""
Section (f) of the annual review, its care experienced young people: the published review's
table (2024-25) and its words, drafted from the figures, then the care leavers' outcomes.

    Care Experienced Young People
                                   Mar 18  Mar 19 ... Mar 25  Variance Mar 18 – Mar 25
    Care Experienced Young People     268     282 ...    390                       122

    "This cohort has steadily increased over seven years from 268 to 390 (an increase of 122
    Care Experienced Young People) with a slight increase from March 2024-March 2025
    (366-390)."

The care leavers aged 19 to 21 in touch, in education, employment or training and in
suitable accommodation follow, each year beside the statistical neighbours' average and
England where the comparator store holds them (`opb_portal.comparators`). Every figure is
the demand measures' (`selectors.care_experienced`); one the Trust never published is marked
illustrative wherever it is shown. Registered from `demand.pack.register()`, after the
demand part of section (f) (order 400).
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass
from decimal import Decimal

from opb_portal.boardpack.sections import Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.comparators.selectors import ComparatorLine, ComparatorLines
from opb_portal.periods import FinancialYear, Period

from . import selectors
from .models import Measure, illustrative_source

KEY = "care-experienced"
TITLE = "Section (f) Care Experienced Young People"
NOUN = "Care Experienced Young People"
# A change from one March to the next up to this share of the earlier count is "slight".
SLIGHT = Decimal("0.1")
WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# How the draft names each outcome after "care leavers aged 19 to 21 ... were".
PHRASES = {
    "care_leavers_in_touch": "in touch with the Trust",
    "care_leavers_eet": "in education, employment or training",
    "care_leavers_suitable_accommodation": "in suitable accommodation",
}


def march(period: Period) -> str:
    """`Mar 25`, as the published table heads its columns."""
    return f"{calendar.month_abbr[period.month]} {period.year % 100:02d}"


def _in_words(n: int) -> str:
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


def _years(n: int) -> str:
    return f"{_in_words(n)} {'year' if n == 1 else 'years'}"


@dataclass(frozen=True)
class Compared:
    """A comparator as the table writes it: `88.0%`, its year (`2023-24`), whether made up."""

    text: str
    when: str
    illustrative: bool


@dataclass
class OutcomeRow:
    """One care leavers' outcome: its figure each year, and the comparators of its latest."""

    measure: Measure
    cells: list[selectors.Figure | None]
    comparators: ComparatorLines

    def _line(self, kind: str) -> ComparatorLine | None:
        return next((line for line in self.comparators if line.kind == kind), None)

    def _compared(self, line: ComparatorLine | None) -> Compared | None:
        if line is None:
            return None
        return Compared(
            self.measure.format_value(line.value), line.when, illustrative_source(line.source)
        )

    @property
    def neighbours(self) -> Compared | None:
        """The statistical neighbours' average: worked out from their figures, else published."""
        return self._compared(self._line("statistical_neighbour"))

    @property
    def england(self) -> Compared | None:
        return self._compared(self._line("england"))

    @property
    def comparators_shown(self) -> tuple[Compared | None, Compared | None]:
        """The table's two comparator columns, in order."""
        return self.neighbours, self.england

    @property
    def illustrative(self) -> bool:
        return any(cell and cell.value.illustrative for cell in self.cells) or any(
            illustrative_source(line.source) for line in self.comparators
        )


def annual(year: FinancialYear) -> dict:
    """The count at each March to the year's end with its variance, and the outcomes."""
    # Read once for the part and its draft while the review is built (`sections.shared`).
    found = shared(
        ("demand.care_experienced", year.last), lambda: selectors.care_experienced(year.last)
    )
    ends = found.year_ends
    cohort = [found.cohort.figures[p] for p in ends] if found.cohort else []
    variance = cohort[-1].number - cohort[0].number if len(cohort) > 1 else None
    outcome_years = found.outcome_years
    return {
        "year": year,
        "noun": NOUN,
        "columns": [march(p) for p in ends],
        "cohort": cohort,
        "variance": variance,
        "variance_heading": f"Variance {march(ends[0])} – {march(ends[-1])}"
        if variance is not None
        else "",
        "outcome_years": [p.financial_year for p in outcome_years],
        "outcomes": [
            OutcomeRow(
                trend.measure,
                [trend.figures.get(p) for p in outcome_years],
                found.comparators.get(trend.measure.code) or ComparatorLines(),
            )
            for trend in found.outcomes
        ],
        "illustrative": found.illustrative,
    }


def _change(before: Decimal, after: Decimal) -> str:
    """`a slight increase`, `a decrease`, `no change`: one March to the next."""
    if after == before:
        return "no change"
    slight = before and abs(after - before) <= SLIGHT * before
    direction = "increase" if after > before else "decrease"
    return f"a slight {direction}" if slight else f"{'an' if after > before else 'a'} {direction}"


def cohort_sentence(counts: list[tuple[Period, Decimal]]) -> str:
    """
    The published review's sentence from the counts at each March, oldest first: "This cohort
    has steadily increased over seven years from 268 to 390 (an increase of 122 Care
    Experienced Young People) with a slight increase from March 2024-March 2025 (366-390)."
    """
    if not counts:
        return f"No count of {NOUN} is stored."
    (first_at, first), (last_at, last) = counts[0], counts[-1]
    if len(counts) == 1:
        return f"There were {last:,} {NOUN} at 31 March {last_at.year}."
    years = _years(last_at.year - first_at.year)
    numbers = [n for _, n in counts]
    if last == first:
        overall = f"This cohort has stayed at {last:,} over {years}"
    else:
        rising = last > first
        steady = all((b >= a) if rising else (b <= a) for a, b in itertools.pairwise(numbers))
        verb = "increased" if rising else "decreased"
        overall = (
            f"This cohort has {'steadily ' if steady else ''}{verb} over {years} from "
            f"{first:,} to {last:,} ({'an increase' if rising else 'a decrease'} of "
            f"{abs(last - first):,} {NOUN})"
        )
    (before_at, before) = counts[-2]
    return (
        f"{overall} with {_change(before, last)} from {before_at.long}-{last_at.long} "
        f"({before:,}-{last:,})."
    )


def outcomes_sentence(year: FinancialYear, rows: list[OutcomeRow], illustrative: bool) -> str:
    """ "Of the care leavers aged 19 to 21 in 2024-25, 94.1% were in touch with the Trust, ...",
    from the year's figures; "" where the year has none."""
    at = len(rows[0].cells) - 1 if rows else 0
    parts = [
        f"{row.measure.format_value(row.cells[at].number)} were "
        f"{PHRASES.get(row.measure.code, row.measure.title)}"
        for row in rows
        if row.cells and row.cells[at] and row.cells[at].value.period == year.last
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    note = " (illustrative figures, not published)" if illustrative else ""
    return f"Of the care leavers aged 19 to 21 in {year.label}, {listed}{note}."


def annual_draft(year: FinancialYear) -> str:
    """The section's words from the figures, for people to edit (3 to 5 queries: `annual`;
    none while the review is built, which has read them for the part)."""
    part = annual(year)
    counts = [(f.value.period, f.number) for f in part["cohort"]]
    paragraphs = [cohort_sentence(counts)]
    outcomes = part["outcomes"]
    marked = any(row.illustrative for row in outcomes)
    found = outcomes_sentence(year, outcomes, marked)
    if found:
        paragraphs.append(found)
    return "\n\n".join(paragraphs)


def register() -> None:
    """Called from `demand.pack.register()`."""
    register_section(
        Section(
            key=KEY,
            title="Care experienced young people",
            # After the demand part of section (f) (400), before the appendices.
            order=410,
            annual=annual,
            annual_template="boardpack/demand/care_experienced.html",
            annual_title=TITLE,
            annual_draft=annual_draft,
        )
    )
