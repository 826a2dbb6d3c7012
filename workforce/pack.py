"""
The workforce section of the board pack and the workforce part of section (f) of the
annual review draft.

Registered with `opb_portal.boardpack.sections` from `WorkforceConfig.ready()`. Every
figure comes from the dashboard's selectors (`workforce_position`,
`workforce_history`) at the precision the Trust publishes it, and every chart from
`workforce.charts.for_dashboard`, so paper and screen cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from opb_portal.boardpack.sections import HeadlineItem, Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.periods import FinancialYear, Period
from opb_portal.rag import Status
from opb_portal.submissions.figures import UNAPPROVED, Source

from . import charts, selectors
from .models import DERIVATIONS, WorkforceMonth, rounded

DOMAIN = selectors.DOMAIN
# A year and the month a year before: the pack's table under the charts, and the annual
# review's, which runs from the March before the year to its March, as the Trust's does.
YEAR_AND_A_MONTH = 13


@dataclass
class CaseloadRow:
    """A service's caseload as the dashboard's table writes it."""

    caseload: selectors.Caseload

    @property
    def children(self) -> str:
        children = self.caseload.children
        return "–" if children is None else f"{children:,}"

    @property
    def percent(self) -> Decimal | None:
        return rounded(self.caseload.percent_of_model, 1)


@dataclass
class PackWorkforce:
    """The month and its history as the pack shows them, and whether the month awaits approval."""

    position: selectors.Position
    history: selectors.History

    @property
    def period(self) -> Period:
        return self.position.period

    @property
    def unapproved(self) -> bool:
        return self.position.shown.unapproved

    @property
    def version(self):
        """The return version whose figures the month shows: approved, or sent for approval."""
        return self.position.shown.version

    @property
    def charts(self) -> dict:
        """The dashboard's charts, drawn by the dashboard's own function."""
        return charts.for_dashboard(selectors.Dashboard(self.position, self.history, []))

    @property
    def caseload_rows(self) -> list[CaseloadRow]:
        return [CaseloadRow(c) for c in self.position.caseloads]

    @property
    def hot_spots(self) -> list[selectors.Caseload]:
        """Services whose caseload is amber or red against the model, worst first."""
        found = [c for c in self.position.caseloads if c.status in (Status.AMBER, Status.RED)]
        return sorted(found, key=lambda c: (-c.status.rank, -(c.percent_of_model or 0)))


def pack_workforce(period: Period) -> PackWorkforce:
    """
    The workforce of `period` and its history, read once per pack, as the dashboard reads them.

    A pack shows approved figures. While the month's return is with the council
    (submitted, not yet approved) a draft pack shows the figures sent for approval
    in their place (`Source.SUBMITTED`), marked as such, so the chair can preview what
    is coming. A Trust draft or a return sent back is never shown: the council has not
    seen it.
    """

    def compute() -> PackWorkforce:
        rules = selectors.rules_until(period)
        position = selectors.workforce_position(period, rules=rules, source=Source.SUBMITTED)
        history = selectors.workforce_history(period, rules=rules, position=position)
        return PackWorkforce(position, history)

    return shared(("workforce.pack_workforce", period), compute)


# --- the summary page ---------------------------------------------------------------------


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


def headline_url(period: Period) -> str:
    """The page the summary's lines come from, for the month: the home page links them there."""
    return f"{reverse('workforce:dashboard')}?period={period.iso}"


def headline(period: Period) -> list[HeadlineItem]:
    """The agency share, both vacancy rates, and the services whose caseloads exceed the model."""
    found = pack_workforce(period)
    position, month = found.position, found.position.month
    items = []
    if month is None:
        items.append(
            HeadlineItem(
                "Social workers",
                "No figures",
                note=f"No approved workforce return for {period.long}.",
            )
        )
    else:
        figures = position.figures
        marked = f" {UNAPPROVED}." if found.unapproved else ""
        items += [
            HeadlineItem(
                "Agency share",
                _percent(figures["PCT_AGENCY"]),
                note=f"{month.agency_fte} of {month.total_fte} FTE.{marked}",
                emphasis=True,
            ),
            HeadlineItem(
                "Permanent vacancy rate",
                _percent(figures["PERM_VACANCY_RATE"]),
                note=f"{month.permanent_vacancies} of {month.establishment_fte} FTE.{marked}",
                emphasis=True,
            ),
            HeadlineItem(
                "Real-time vacancy rate",
                _percent(figures["RT_VACANCY_RATE"]),
                note=(
                    f"{month.real_time_vacancies} of {month.establishment_fte} FTE, "
                    f"agency in post.{marked}"
                ),
                emphasis=True,
            ),
        ]
        rule = position.agency_rule
        items.append(
            HeadlineItem(
                "Agency share against the rule",
                rule.describe() if rule else "No rule in force",
                status=position.agency_status.value if rule else None,
            )
        )
    if position.has_caseloads:
        spots = found.hot_spots
        named = "; ".join(
            f"{c.service.name} {_percent(rounded(c.percent_of_model, 1))}" for c in spots
        )
        items.append(
            HeadlineItem(
                "Caseload hot spots",
                f"{named} of the model" if spots else "None: every service within the model",
                note="Average caseload against the model, ASYEs allowed for."
                + (" Illustrative." if position.caseloads_illustrative else ""),
                status=spots[0].status.value if spots else None,
            )
        )
    return items


# --- the pages -----------------------------------------------------------------------------


def build(period: Period) -> dict:
    found = pack_workforce(period)
    return {
        "period": period,
        "found": found,
        "position": found.position,
        "month": found.position.month,
        "figures": found.position.figures,
        "charts": found.charts,
        "recent": [MonthRow(m) for m in found.history.months[-YEAR_AND_A_MONTH:]],
        "unapproved": found.unapproved,
        "shown": found.position.shown,
    }


def sources(period: Period) -> set[int]:
    """The return versions behind the month, its caseloads and every month the charts draw."""
    found = pack_workforce(period)
    used = {m.month.version_id for m in found.history.months if m.month and m.month.version_id}
    used |= {
        c.figure.version_id for c in found.position.caseloads if c.figure and c.figure.version_id
    }
    if found.unapproved:
        used.add(found.version.pk)
    return used


# --- the annual review: section (f) -----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A figure at the start and the end of the year: `from 95.84 to 114.24 (up 18.40)`."""

    title: str
    start: Decimal | None
    end: Decimal | None

    @property
    def text(self) -> str:
        if self.start is None or self.end is None:
            return f"{self.title}: {self.end if self.end is not None else 'no figure'}"
        difference = self.end - self.start
        if difference == 0:
            return f"{self.title}: unchanged at {self.end}"
        way = "up" if difference > 0 else "down"
        return f"{self.title}: from {self.start} to {self.end} ({way} {abs(difference)})"


@dataclass
class MonthRow:
    """One month of the monthly figures table: the dashboard's columns, published precision."""

    item: selectors.HistoryMonth

    @property
    def period(self) -> Period:
        return self.item.period

    @property
    def month(self) -> WorkforceMonth | None:
        return self.item.month

    @property
    def figures(self) -> dict[str, Decimal | None]:
        if self.month is None:
            return {}
        return {d.code: self.month.published(d.code) for d in DERIVATIONS}


def annual(year: FinancialYear) -> dict:
    """The year month by month, from the March before it, as the Trust's own table runs."""
    rules = selectors.rules_until(year.last)
    history = selectors.workforce_history(year.last, months=YEAR_AND_A_MONTH, rules=rules)
    position = selectors.workforce_position(year.last, rules=rules)
    months = history.with_figures
    context = {"year": year, "position": position, "rows": [MonthRow(m) for m in months]}
    if not months:
        return context
    first, last = months[0], months[-1]
    start, end = first.month, last.month
    return context | {
        "first": first,
        "last": MonthRow(last),
        "changes": [
            Change("Total social workers", start.total_fte, end.total_fte),
            Change(
                "Permanent social workers (ASYEs included)", start.permanent_fte, end.permanent_fte
            ),
            Change(
                "Permanent excluding ASYE",
                start.permanent_excl_asye_fte,
                end.permanent_excl_asye_fte,
            ),
            Change("ASYEs", start.asye_fte, end.asye_fte),
            Change("Agency social workers", start.agency_fte, end.agency_fte),
        ],
        "caseloads": [c for c in position.caseloads if c.figure is not None],
    }


# --- registration -------------------------------------------------------------------------


def register() -> None:
    """Called from `WorkforceConfig.ready()`."""
    register_section(
        Section(
            key="workforce",
            title="Workforce: social workers, vacancies and caseloads",
            order=300,
            template="boardpack/workforce/pack.html",
            build=build,
            domain=DOMAIN,
            headline=headline,
            headline_url=headline_url,
            headline_title="Workforce",
            sources=sources,
            annual=annual,
            annual_template="boardpack/workforce/annual.html",
            annual_title=(
                "Section (f) Demand analysis against assumptions and models: "
                "the social work workforce"
            ),
        )
    )
