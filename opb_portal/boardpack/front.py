"""
The annual review's own parts, which no domain owns: the Executive Summary, drafted from the
facts the domains register (`opb_portal.reports.facts`), and section (k), the other matters
the parties agree.

The summary is written in the published review's own words ("As of 31 March 2025, there were
816 children we care for, with 353 children subject to a Child Protection Plan, ..."). Each
figure carries a marker, `[1]`, to a numbered note naming the fact's source and the page it is
read on; a fact the domains do not give leaves its words out (never a blank or "None"). Both
are narratives: people edit them, each edit a kept version, until the review is frozen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from opb_portal.periods import FinancialYear
from opb_portal.reports.facts import Fact, facts_on

from . import sections
from .sections import Section

SUMMARY_KEY = "executive-summary"
SUMMARY_TITLE = "Executive Summary"
OTHER_MATTERS_KEY = "other-matters"
OTHER_MATTERS_TITLE = "Section (k) Such other matters that the Parties may agree from time to time"
NO_OTHER_MATTERS = (
    "There are no additional matters in this report that have been agreed by both parties"
)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class Notes:
    """The facts the summary cites, numbered in the order it first cites them."""

    facts: dict[str, Fact]
    cited: list[Fact] = field(default_factory=list)

    def has(self, *keys: str) -> bool:
        return all(key in self.facts for key in keys)

    def cite(self, key: str) -> str:
        """The fact's text with its note's marker: "816[1]"."""
        fact = self.facts[key]
        if fact not in self.cited:
            self.cited.append(fact)
        return f"{fact.text}[{self.cited.index(fact) + 1}]"

    def value(self, key: str) -> Decimal | None:
        """The fact's figure, read from its text ("94.0" of "94.0 per 10,000"), or None."""
        match = _NUMBER.search(self.facts[key].text) if key in self.facts else None
        try:
            return Decimal(match[0].replace(",", "")) if match else None
        except InvalidOperation:
            return None


@dataclass(frozen=True)
class Summary:
    text: str
    notes: list[Fact]

    @property
    def illustrative(self) -> str:
        """What in the summary is a demonstration figure, as a sentence, or ""."""
        numbers = [str(n) for n, fact in enumerate(self.notes, 1) if fact.illustrative]
        if not numbers:
            return ""
        plural = "s" if len(numbers) > 1 else ""
        return f"the figure{plural} of note{plural} {_listed(numbers)}."


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _short_year(year: FinancialYear) -> str:
    """The published review's way of writing a year: 2024/25."""
    return f"{year.start_year}/{(year.start_year + 1) % 100:02d}"


def _demand(notes: Notes, as_of: str) -> str:
    # Cited in the order read, so the notes number from the first figure.
    lead = ""
    if notes.has("demand.children_in_care"):
        lead = f"there were {notes.cite('demand.children_in_care')} children we care for"
    rest = [
        f"{notes.cite(key)} {words}"
        for key, words in (
            ("demand.child_protection_plans", "children subject to a Child Protection Plan"),
            ("demand.children_in_need", "Children in Need"),
            ("demand.strengthening_families", "children open to Strengthening Families"),
            ("demand.care_experienced", "Care Experienced young people aged 18-25"),
        )
        if notes.has(key)
    ]
    if lead:
        return f"{as_of}, {lead}, with {_listed(rest)}." if rest else f"{as_of}, {lead}."
    return f"{as_of}, there were {_listed(rest)}." if rest else ""


def _rate(notes: Notes) -> str:
    rate, neighbours = "demand.children_in_care_rate", "demand.children_in_care_rate_neighbours"
    if not notes.has(rate):
        return ""
    said = f"The rate per 10,000 of children we care for currently stands at {notes.cite(rate)}"
    ours, theirs = notes.value(rate), notes.value(neighbours)
    if ours is None or theirs is None:
        return f"{said}."
    side = "below" if ours < theirs else "above" if ours > theirs else "in line with"
    return f"{said}, {side} statistical neighbour average ({notes.cite(neighbours)} per 10,000)."


def _kpis(notes: Notes, as_of: str) -> list[str]:
    said = []
    clauses = []
    if notes.has("kpis.green"):
        clauses.append(f"the Trust met {notes.cite('kpis.green')} of our KPI targets")
    if notes.has("kpis.amber"):
        further = "a further " if clauses else ""
        clauses.append(f"{further}{notes.cite('kpis.amber')} are within the contract tolerance")
    if notes.has("kpis.red"):
        red = notes.value("kpis.red")
        clauses.append(
            f"no indicators within failure zone[{_marker(notes, 'kpis.red')}]"
            if red == 0
            else f"{notes.cite('kpis.red')} are within the failure zone"
        )
    if clauses:
        said.append(f"{as_of}, {_listed(clauses)}.")
    if notes.has("kpis.failure_zone_over_3_months"):
        # The fact is a clause ("no KPI has been in the performance failure zone for more than
        # a 3-month period"): said as a sentence of its own.
        clause = notes.cite("kpis.failure_zone_over_3_months")
        said.append(f"{clause[:1].upper()}{clause[1:]}.")
    return said


def _marker(notes: Notes, key: str) -> str:
    """The number of the fact's note, citing it without its text (a count of none in words)."""
    notes.cite(key)
    return str(notes.cited.index(notes.facts[key]) + 1)


def _finance(notes: Notes, year: FinancialYear) -> list[str]:
    said = []
    if notes.has("finance.contract_sum"):
        rise = ""
        if notes.has("finance.contract_sum_rise", "finance.contract_sum_rise_percent"):
            rise = (
                f", an increase of {notes.cite('finance.contract_sum_rise')} or approximately "
                f"{notes.cite('finance.contract_sum_rise_percent')} on the year before"
            )
        said.append(
            f"The basic contract sum for {_short_year(year)} was "
            f"{notes.cite('finance.contract_sum')}{rise}."
        )
    outturn = next(
        (k for k in ("finance.outturn", "finance.forecast_outturn") if notes.has(k)), None
    )
    clauses = []
    if notes.has("finance.forecast_income"):
        clauses.append(
            f"income totalling {notes.cite('finance.forecast_income')} was received for "
            f"{_short_year(year)}"
        )
    if outturn:
        clauses.append(f"expenditure was {notes.cite(outturn)}")
    if clauses and notes.has("finance.deficit"):
        said.append(
            f"{_capital(', '.join(clauses))}, resulting in a provisional deficit of "
            f"{notes.cite('finance.deficit')}."
        )
    elif clauses:
        said.append(f"{_capital(' and '.join(clauses))}.")
    elif notes.has("finance.deficit"):
        said.append(f"The provisional deficit for the year is {notes.cite('finance.deficit')}.")
    if notes.has("finance.opening_cumulative_deficit", "finance.cumulative_deficit"):
        said.append(
            f"With an opening deficit of {notes.cite('finance.opening_cumulative_deficit')}, "
            f"the cumulative deficit is {notes.cite('finance.cumulative_deficit')} at year end."
        )
    return said


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _workforce(notes: Notes, as_of: str) -> str:
    clauses = []
    if notes.has("workforce.agency_share"):
        clauses.append(
            f"agency social workers made up {notes.cite('workforce.agency_share')} "
            "of the social work workforce"
        )
    if notes.has("workforce.permanent_vacancy_rate"):
        clauses.append(
            f"the permanent vacancy rate was {notes.cite('workforce.permanent_vacancy_rate')}"
        )
    if notes.has("workforce.vacancy_rate"):
        clauses.append(
            "the real time vacancy rate, including agency social workers, was "
            f"{notes.cite('workforce.vacancy_rate')}"
        )
    return f"{as_of}, {_listed(clauses)}." if clauses else ""


def summary(year: FinancialYear) -> Summary:
    """
    The Executive Summary of `year` from the facts as they stood on its last day, and the facts
    it cites (its notes, in order). Once per review build (`sections.shared`): the draft and
    the notes read the same facts.
    """
    day = year.last.last_day
    facts = sections.shared(("facts_on", day), lambda: facts_on(day))
    notes = Notes(facts)
    as_of = f"As of {day.day} {day:%B %Y}"
    paragraphs = [
        " ".join(s for s in (_demand(notes, as_of), _rate(notes)) if s),
        " ".join(_kpis(notes, as_of)),
        " ".join(_finance(notes, year)),
        _workforce(notes, as_of),
    ]
    return Summary("\n\n".join(p for p in paragraphs if p), list(notes.cited))


def summary_draft(year: FinancialYear) -> str:
    return summary(year).text or (
        "The portal holds no figures for this year yet: write the summary here."
    )


def summary_context(year: FinancialYear) -> dict:
    drafted = summary(year)
    return {"notes": drafted.notes, "illustrative": drafted.illustrative}


def other_matters_draft(year: FinancialYear) -> str:
    return NO_OTHER_MATTERS


def register() -> None:
    """Called from `BoardPackConfig.ready()`: the review's parts no domain owns."""
    sections.register(
        Section(
            key=SUMMARY_KEY,
            title=SUMMARY_TITLE,
            order=1,
            annual=summary_context,
            annual_template="boardpack/annual/summary_notes.html",
            annual_title=SUMMARY_TITLE,
            annual_draft=summary_draft,
            annual_front=True,
        )
    )
    sections.register(
        Section(
            key=OTHER_MATTERS_KEY,
            title="Other matters",
            order=900,
            annual_title=OTHER_MATTERS_TITLE,
            annual_draft=other_matters_draft,
        )
    )
