"""
The KPI sections of the board pack and the KPI part of the annual review draft.

Registered with `opb_portal.boardpack.sections` from `KpisConfig.ready()`. Every
figure comes from the dashboards' selectors (`scorecard`, `year_summary`) and every
chart from `kpis.charts.history_chart`, so paper and screen cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from opb_portal import rag
from opb_portal.boardpack.sections import HeadlineItem, Section, shared
from opb_portal.boardpack.sections import register as register_section
from opb_portal.charts import sparkline
from opb_portal.comparators.selectors import ComparatorLine
from opb_portal.core.text import joined
from opb_portal.periods import FinancialYear, Period
from opb_portal.rag import Status
from opb_portal.reference.models import Unit
from opb_portal.submissions.figures import Source
from opb_portal.submissions.models import Comment, ReturnVersion

from . import charts, outlook, selectors
from .tables import given_with

DOMAIN = "kpis"
CHART_WIDTH, CHART_HEIGHT = 680, 270


@dataclass
class PackCard:
    """The month's scorecard as the pack shows it, with the codes whose figure is unapproved."""

    card: selectors.Scorecard
    unapproved: set[str] = field(default_factory=set)

    @property
    def period(self) -> Period:
        return self.card.period

    @property
    def rows(self) -> list[selectors.ScorecardRow]:
        return self.card.rows


def pack_card(period: Period) -> PackCard:
    """
    The scorecard for `period`, read once per pack.

    A pack shows approved figures. While the month's return is with the council
    (submitted, not yet approved) a draft pack shows the figures sent for approval
    in their place (`Source.SUBMITTED`), those that differ listed in `unapproved`, so
    the chair can preview what is coming. A Trust draft or a return sent back is never
    shown: the council has not seen it.
    """

    def compute() -> PackCard:
        card = selectors.scorecard(period, source=Source.SUBMITTED)
        return PackCard(card, {row.kpi.code for row in card.rows if row.awaiting_approval})

    return shared(("kpis.pack_card", period), compute)


# --- the summary page ------------------------------------------------------------------


def _kpi_url(kpi) -> str:
    return reverse("kpis:detail", args=[kpi.framework.code, kpi.code])


def headline_url(period: Period) -> str:
    """The page the summary's lines come from, for the month: the home page links them there."""
    return f"{reverse('kpis:scorecard')}?period={period.iso}"


def headline(period: Period) -> list[HeadlineItem]:
    """Counts with their change, then what the board must look at: exceptions, red, changes."""
    rows = pack_card(period).rows
    previous = period.shift(-1)
    items = []
    for status in (Status.GREEN, Status.AMBER, Status.RED):
        now = sum(1 for row in rows if row.status == status)
        before = sum(1 for row in rows if row.previous.status == status)
        items.append(
            HeadlineItem(
                label=status.label,
                value=str(now),
                note=f"{_signed(now - before)} on {previous.long} ({before})",
                status=status.value,
                emphasis=True,
            )
        )
    exceptions = [row for row in rows if row.escalated]
    items.append(
        HeadlineItem(
            "Contract exceptions",
            ", ".join(row.kpi.code for row in exceptions) or "None",
            note="Red for more than three consecutive months outside the grace period.",
            status="red" if exceptions else None,
        )
    )
    for row in exceptions:
        items.append(
            HeadlineItem(
                f"{row.kpi.code}: {row.kpi.title}",
                f"Red for {row.consecutive_red} consecutive months",
                note=f"{row.kpi.format_value(row.month.number)}; target {row.month.rule.target()}",
                status="red",
                url=_kpi_url(row.kpi),
            )
        )
    red = [row.kpi.code for row in rows if row.status == Status.RED]
    items.append(
        HeadlineItem("Red this month", ", ".join(red) or "None", status="red" if red else None)
    )
    missing = [row.kpi.code for row in rows if row.status == Status.MISSING]
    if missing:
        items.append(HeadlineItem("No figure this month", ", ".join(missing)))
    changed = [
        row
        for row in rows
        if Status.MISSING not in (row.status, row.previous.status)
        and row.status != row.previous.status
    ]
    items.append(
        HeadlineItem(
            f"Changed colour since {previous.long}",
            ", ".join(row.kpi.code for row in changed) or "None",
        )
    )
    for row in sorted(changed, key=lambda r: -r.status.rank):
        items.append(
            HeadlineItem(
                f"{row.kpi.code}: {row.kpi.title}",
                f"from {row.previous.status.label}",
                note=(
                    f"{row.kpi.format_value(row.month.number)}, "
                    f"was {row.kpi.format_value(row.previous.number)}"
                ),
                status=row.status.value,
                url=_kpi_url(row.kpi),
            )
        )
    return items


def _signed(number: int) -> str:
    return "No change" if number == 0 else f"{number:+d}".replace("-", "\u2212")


# --- the scorecard -----------------------------------------------------------------------


@dataclass
class ScorecardLine:
    row: selectors.ScorecardRow
    trend: str
    unapproved: bool

    @property
    def change_text(self) -> str:
        """`▼ 0.9 points` or `= no change`: the arrow gives the way the figure moved."""
        said = self.row.change_said
        return f"{said.arrow} {said.amount}" if said else ""

    @property
    def direction_word(self) -> str:
        """What the move did against the target: `further below target`, `now on target`."""
        said = self.row.change_said
        return said.words if said else ""


def build_scorecard(period: Period) -> dict:
    found = pack_card(period)
    lines = []
    for row in found.rows:
        months = row.sparkline
        trend = sparkline(
            [m.number for m in months],
            title=f"{row.kpi.code}, last {len(months)} months",
            statuses=[m.status.value if m.value else None for m in months],
        )
        lines.append(ScorecardLine(row, trend, row.kpi.code in found.unapproved))
    return {
        "period": period,
        "framework": found.card.framework,
        "lines": lines,
        "unapproved": bool(found.unapproved),
        "shown": found.card.shown,
    }


# --- one page per red or amber KPI ---------------------------------------------------------


@dataclass
class KpiPage:
    row: selectors.ScorecardRow
    chart: str
    commentary: str
    comments: list[Comment]
    unapproved: bool
    comparators: list = field(default_factory=list)
    # Which version of the return the commentary came with, by whom and when.
    given_with: str = ""
    # The commentary is from a version not yet approved (a draft pack's).
    commentary_unapproved: bool = False

    @property
    def anchor(self) -> str:
        return f"kpi-{self.row.kpi.code.lower()}"

    @property
    def compared(self) -> str:
        return selectors.compared(self.row.kpi, self.comparators)

    @property
    def recent(self) -> list[selectors.Month]:
        return self.row.history[-12:]


def build_pages(period: Period) -> dict:
    found = pack_card(period)
    attention = sorted(
        (row for row in found.rows if row.status in (Status.RED, Status.AMBER)),
        key=lambda row: (-row.status.rank, row.kpi.order),
    )
    comments: dict[str, list[Comment]] = {}
    ret = found.card.ret
    if ret is not None and attention:
        codes = [row.kpi.code for row in attention]
        for comment in Comment.objects.filter(ret=ret, line__in=codes).select_related(
            "author__organisation"
        ):
            comments.setdefault(comment.line, []).append(comment)
    # The versions the commentaries came with, and their authors: the month's approved or
    # submitted version, fetched with the return; any other (none, as `apply` writes every
    # value of a month) in 1 query.
    said = [row.month.value for row in attention if row.month.value and row.month.value.commentary]
    known = (ret.approved_version, ret.current_version) if ret is not None else ()
    versions = {version.pk: version for version in known if version is not None}
    others = {value.version_id for value in said if value.version_id} - versions.keys()
    if others:
        versions |= ReturnVersion.objects.select_related("created_by").in_bulk(others)
    for value in said:
        if value.version_id in versions:
            value.version = versions[value.version_id]
    pages = []
    for row in attention:
        unapproved = row.kpi.code in found.unapproved
        value = row.month.value
        # The scorecard's, gathered as the KPI page gathers them: a comparator on screen
        # is a line on paper.
        comparators = row.comparators
        history = selectors.KpiHistory(row.kpi, row.history, _merged(comparators))
        pages.append(
            KpiPage(
                row=row,
                chart=charts.history_chart(history, width=CHART_WIDTH, height=CHART_HEIGHT),
                # The figure's own: from the version sent for approval when the pack shows it.
                commentary=value.commentary if value else "",
                comments=comments.get(row.kpi.code, []),
                unapproved=unapproved,
                comparators=comparators,
                given_with=given_with(value) if value and value.commentary else "",
                commentary_unapproved=bool(
                    value
                    and value.commentary
                    and ret is not None
                    and value.version_id != ret.approved_version_id
                ),
            )
        )
    return {
        "period": period,
        "pages": pages,
        "contents": [
            (page.anchor, f"{page.row.kpi.code} ({page.row.status.label}): {page.row.kpi.title}")
            for page in pages
        ],
    }


@dataclass(frozen=True)
class _SharedComparator:
    """Comparators with one value drawn as one line: two labels on one line cannot be read."""

    kinds: str
    value: object
    refers_to: str

    def get_kind_display(self) -> str:
        return self.kinds


def _merged(comparators: list[ComparatorLine]) -> list:
    groups: dict[tuple, list[ComparatorLine]] = {}
    for comparator in comparators:
        groups.setdefault((comparator.value, comparator.refers_to), []).append(comparator)
    return [
        found[0]
        if len(found) == 1
        else _SharedComparator(" and ".join(c.get_kind_display() for c in found), value, refers_to)
        for (value, refers_to), found in groups.items()
    ]


# --- looking ahead ------------------------------------------------------------------------


def build_outlook(period: Period) -> dict:
    """
    Each KPI's outlook from the latest forecast made from approved figures to `period`:
    the scorecard's KPIs (read once per pack) and their forecasts (1 query).
    """
    found = pack_card(period)
    kpis = [row.kpi for row in found.rows]
    ahead = outlook.outlooks(kpis, period)
    return {
        "period": period,
        "outlooks": [ahead[kpi.pk] for kpi in kpis if kpi.pk in ahead],
        "without": [kpi for kpi in kpis if kpi.pk not in ahead],
        "horizon": outlook.HORIZON,
        "next": period.shift(1),
    }


# --- the appendix -------------------------------------------------------------------------


def build_definitions(period: Period) -> dict:
    found = pack_card(period)
    return {"period": period, "framework": found.card.framework, "rows": found.rows}


def sources(period: Period) -> set[int]:
    """The return versions behind every KPI figure the pack shows (history included)."""
    found = pack_card(period)
    used = {
        month.value.version_id
        for row in found.rows
        for month in row.history
        if month.value is not None and month.value.version_id
    }
    if found.card.shown.unapproved:
        used.add(found.card.shown.version.pk)
    return used


# --- the annual review --------------------------------------------------------------------

# How the review names each kind of comparator, in the order it lists them.
COMPARATOR_PHRASES = {
    "england": "the England average",
    "statistical_neighbour": "the statistical neighbour average",
    "region": "the {label} average",
}


@dataclass
class AnnualKpi:
    """One KPI in section (b): its rule in words, the year in a sentence, where it ended."""

    row: selectors.YearRow
    target: str
    tolerance: str
    failure: str
    sentence: str
    position: str
    revisions: list


def annual(year: FinancialYear) -> dict:
    summary = selectors.year_summary(year)
    benchmarks = selectors.kpi_comparators([row.kpi for row in summary.rows], until=year.last)
    kpis = [_annual_kpi(row, year, benchmarks.get(row.kpi.pk, [])) for row in summary.rows]
    year_end = [row.months[-1].status for row in summary.rows]
    return {
        "year": year,
        "framework": summary.framework,
        "kpis": kpis,
        "met": year_end.count(Status.GREEN),
        "tolerance": year_end.count(Status.AMBER),
        "failure": year_end.count(Status.RED),
    }


def _annual_kpi(
    row: selectors.YearRow, year: FinancialYear, comparators: list[ComparatorLine]
) -> AnnualKpi:
    rule = row.kpi.rule_for(year.last)
    percent = row.kpi.unit == Unit.PERCENT

    def zone(status: Status) -> str:
        return rag.describe_zone(rule.bounds, status, percent=percent) if rule else "No rule"

    return AnnualKpi(
        row=row,
        target=zone(Status.GREEN),
        tolerance=zone(Status.AMBER),
        failure=zone(Status.RED),
        sentence=row.sentence(with_average=True),
        position=_position(row, comparators),
        revisions=[r for r in row.kpi.rules.all() if year.first < r.effective_from <= year.last],
    )


def _position(row: selectors.YearRow, comparators: list[ComparatorLine]) -> str:
    """`In March 2025 the figure was 63.8% (amber), below the England average of 68%.`"""
    end, kpi = row.months[-1], row.kpi
    if end.number is None:
        return f"No figure was reported for {end.period.long}."
    text = (
        f"In {end.period.long} the figure was {kpi.format_value(end.number)} ({end.status.value})"
    )
    against = []
    kinds = list(COMPARATOR_PHRASES)
    for comparator in sorted(comparators, key=lambda c: kinds.index(c.kind)):
        if end.number > comparator.value:
            where = "above"
        elif end.number < comparator.value:
            where = "below"
        else:
            where = "level with"
        phrase = COMPARATOR_PHRASES[comparator.kind].format(label=comparator.label)
        against.append(
            f"{where} {phrase} of {kpi.format_value(comparator.value)} ({comparator.refers_to})"
        )
    if against:
        text += ", " + joined(against)
    return text + "."


# --- registration -------------------------------------------------------------------------


def register() -> None:
    """Called from `KpisConfig.ready()`."""
    register_section(
        Section(
            key="kpi-scorecard",
            title="KPI scorecard",
            order=100,
            template="boardpack/kpis/scorecard.html",
            build=build_scorecard,
            domain=DOMAIN,
            headline=headline,
            headline_url=headline_url,
            headline_title="Contract KPIs",
            sources=sources,
            annual=annual,
            annual_template="boardpack/kpis/annual.html",
            annual_title="Section (b) The Trust's performance of the Services against the "
            "Performance Targets",
        )
    )
    register_section(
        Section(
            key="kpi-attention",
            title="KPIs needing attention",
            order=110,
            template="boardpack/kpis/pages.html",
            build=build_pages,
            domain=DOMAIN,
        )
    )
    register_section(
        Section(
            key="kpi-outlook",
            title="Looking ahead: the KPIs' forecasts",
            order=120,
            template="boardpack/kpis/outlook.html",
            build=build_outlook,
            domain=DOMAIN,
        )
    )
    register_section(
        Section(
            key="kpi-definitions",
            title="Appendix: KPI definitions and the rules in force",
            order=800,
            template="boardpack/kpis/definitions.html",
            build=build_definitions,
            domain=DOMAIN,
        )
    )
