"""
Reads the board pack pages share: meetings, issues, and the assembled pack itself.

`pack_contents(period)` asks every registered section for its part, its summary
lines and the return versions it used, in one build (so a read several sections
make is done once), and says whether the pack may be issued.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.periods import FinancialYear, Period
from opb_portal.submissions import registry
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion

from . import sections
from .models import (
    AnnualReviewDraft,
    AnnualReviewSignOff,
    AnnualReviewText,
    FrozenAnnualReview,
    Meeting,
    PackIssue,
)
from .sections import HeadlineItem, Section

TRUST = "trust"


# --- the returns a pack depends on --------------------------------------------------------


@dataclass
class ReturnState:
    """The month's return of one domain, as far as issuing a pack is concerned."""

    domain: str
    period: Period
    ret: Return | None

    @property
    def label(self) -> str:
        return _label(self.domain)

    @property
    def approved(self) -> bool:
        # A correction under review (draft, submitted or sent back after approval) also
        # blocks issuing: the figures are about to change, so issue once it is decided.
        return self.ret is not None and self.ret.status == Return.Status.APPROVED

    @property
    def description(self) -> str:
        what = f"{self.label} for {self.period.long}"
        if self.ret is None:
            return f"{what}: not yet received"
        if self.approved:
            return f"{what}: approved (version {self.ret.approved_version.number})"
        state = self.ret.get_status_display().lower()
        if self.ret.approved_version_id:
            return f"{what}: a correction is {state}, not yet approved"
        return f"{what}: {state}, not yet approved"


def _label(domain: str) -> str:
    """What people call a domain's return ("KPI return"), even before its app registers a spec."""
    try:
        label = registry.get(domain).label
    except KeyError:
        label = f"{domain} return"
    return label[:1].upper() + label[1:]


def return_states(period: Period) -> list[ReturnState]:
    """One query: the Trust's return of every domain the registered sections depend on."""
    domains = sections.domains()
    found = {
        ret.domain: ret
        for ret in Return.objects.filter(
            organisation__kind=TRUST, domain__in=domains, period=period
        ).select_related("approved_version")
    }
    return [ReturnState(domain, period, found.get(domain)) for domain in domains]


# --- where the figures came from -------------------------------------------------------------


@dataclass
class Source:
    """A return version whose figures the pack shows, with who prepared and approved it."""

    version: ReturnVersion
    approval: ReturnEvent | None

    @property
    def label(self) -> str:
        return _label(self.version.ret.domain)

    @property
    def period(self) -> Period:
        return self.version.ret.period


def version_sources(ids) -> list[Source]:
    """Two queries: the versions with their returns and authors, and their approvals."""
    ids = sorted(set(ids))
    if not ids:
        return []
    versions = ReturnVersion.objects.filter(pk__in=ids).select_related("ret", "created_by")
    approvals = {
        event.version_id: event
        for event in ReturnEvent.objects.filter(
            version_id__in=ids, action=ReturnEvent.Action.APPROVED
        )
        .select_related("user")
        .order_by("at", "pk")
    }
    found = [Source(version, approvals.get(version.pk)) for version in versions]
    return sorted(
        found, key=lambda s: (s.version.ret.domain, s.version.ret.period, s.version.number)
    )


# --- the pack ----------------------------------------------------------------------------------


@dataclass
class Part:
    """
    One section's pages in a pack, or its part of the annual review: the section, the
    context its build gave and, in the review, its narrative.
    """

    section: Section
    context: dict
    narrative: Narrative | None = None
    # The review's "Source:": the page the part's figures are read on ("" if none).
    source_url: str = ""

    @property
    def anchor(self) -> str:
        return self.section.key

    @property
    def contents(self) -> list[tuple[str, str]]:
        return self.context.get("contents", [])

    @property
    def letter_label(self) -> str:
        """ "Section (b)" of "Section (b) The Trust's performance ...", or ""."""
        title = self.section.annual_title
        return title[: title.index(")") + 1] if self.section.annual_letter != "~" else ""

    @property
    def short_title(self) -> str:
        """The title without its letter, as the Introduction's table gives it."""
        return self.section.annual_title[len(self.letter_label) :].strip()

    @property
    def illustrative(self) -> bool:
        """The part shows demonstration figures the published documents do not give."""
        return bool(self.context.get("illustrative"))

    @property
    def illustrative_note(self) -> str:
        """What is illustrative, where the part says so in a sentence."""
        said = self.context.get("illustrative")
        return said if isinstance(said, str) else ""

    @property
    def notes(self) -> list:
        """The facts a part cites by numbered markers (the Executive Summary's)."""
        return self.context.get("notes", [])


@dataclass
class Pack:
    period: Period
    parts: list[Part]
    headlines: list[tuple[str, list[HeadlineItem]]]
    returns: list[ReturnState]
    version_ids: set[int]
    sources: list[Source]
    generated_at: datetime.datetime
    meeting: Meeting | None = None
    number: int | None = None  # None: a preview, not an issue

    @property
    def members(self) -> list:
        """The meeting's members by surname: the same order on every rendering of an issue."""
        if self.meeting is None:
            return []
        people = self.meeting.members.all()
        return sorted(people, key=lambda p: (p.last_name, p.first_name, p.username))

    @property
    def draft(self) -> bool:
        """Built from figures not all approved: it shows the band and cannot be issued."""
        return not all(state.approved for state in self.returns)

    @property
    def draft_reasons(self) -> list[str]:
        return [state.description for state in self.returns if not state.approved]


@dataclass
class Summary:
    """
    The pack's one-page summary, "where the contract stands": each section's headline lines
    under its title, and the month's returns (a summary of figures not all approved says so).
    The pack prints it; the board's home page shows it with each line linked to its page.
    """

    period: Period | None  # None: no month has approved figures yet
    headlines: list[tuple[str, list[HeadlineItem]]]
    returns: list[ReturnState]

    @property
    def draft(self) -> bool:
        return not all(state.approved for state in self.returns)

    @property
    def draft_reasons(self) -> list[str]:
        return [state.description for state in self.returns if not state.approved]


def _linked(section: Section, items: list[HeadlineItem], period: Period) -> list[HeadlineItem]:
    """The items, each with its page: its own, else the page its section's lines summarise."""
    if section.headline_url is None:
        return items
    page = section.headline_url(period)
    return [item if item.url else dataclasses.replace(item, url=page) for item in items]


def pack_summary(period: Period) -> Summary:
    """
    The summary of `period`'s pack: the return states (1 query) and every section's headline
    lines (the sections' own reads, each done once in a pack build: call it inside
    `sections.one_build()` to share them with the pages, as `pack_contents` does).
    """
    headlines = [
        (section.headline_title, _linked(section, section.headline(period), period))
        for section in sections.pack_sections()
        if section.headline
    ]
    return Summary(period, headlines, return_states(period))


def summary_period() -> Period | None:
    """
    The month the board's home page summarises: the latest with an approved return of a
    domain the pack depends on (1 query), or None before any.
    """
    return Return.objects.filter(
        organisation__kind=TRUST, domain__in=sections.domains(), status=Return.Status.APPROVED
    ).aggregate(latest=Max("period"))["latest"]


def pack_contents(
    period: Period,
    *,
    meeting: Meeting | None = None,
    number: int | None = None,
    generated_at: datetime.datetime | None = None,
) -> Pack:
    """Every registered section's part of the pack for `period`, and whether it is a draft."""
    with sections.one_build():
        summary = pack_summary(period)
        returns, headlines = summary.returns, summary.headlines
        registered = sections.pack_sections()
        parts = [Part(section, section.build(period)) for section in registered]
        version_ids: set[int] = set()
        for section in registered:
            if section.sources:
                version_ids |= set(section.sources(period))
    return Pack(
        period=period,
        parts=parts,
        headlines=headlines,
        returns=returns,
        version_ids=version_ids,
        sources=version_sources(version_ids),
        generated_at=generated_at or timezone.now(),
        meeting=meeting,
        number=number,
    )


# --- the annual review ---------------------------------------------------------------------


@dataclass
class Narrative:
    """
    A narrative section of the annual review: the draft its section gives from the data
    now, and the latest version people kept (None until someone edits it or it is frozen).
    """

    section: Section
    draft: str
    latest: AnnualReviewText | None = None

    @property
    def text(self) -> str:
        """What the review says: the latest version kept, else the draft from the data."""
        return self.latest.text if self.latest is not None else self.draft

    @property
    def edited(self) -> bool:
        return self.latest is not None and not self.latest.at_freeze

    @property
    def draft_changed(self) -> bool:
        """The data's draft is no longer the one the latest version was written against."""
        return self.latest is not None and self.latest.draft != self.draft


@dataclass
class AnnualReview:
    year: FinancialYear
    parts: list[Part] = field(default_factory=list)
    frozen: FrozenAnnualReview | None = None
    # The circulated drafts, latest first, each with its sign-offs (`draft.signed`).
    drafts: list[AnnualReviewDraft] = field(default_factory=list)
    # The draft being written (its number and when), for the cover of a circulated draft.
    circulating: AnnualReviewDraft | None = None

    @property
    def narratives(self) -> list[Narrative]:
        return [part.narrative for part in self.parts if part.narrative is not None]

    @property
    def front_parts(self) -> list[Part]:
        """The parts before the Introduction (the Executive Summary)."""
        return [part for part in self.parts if part.section.annual_front]

    @property
    def lettered_parts(self) -> list[Part]:
        """Sections (a) to (k), after the Introduction."""
        return [part for part in self.parts if not part.section.annual_front]

    @property
    def illustrative(self) -> bool:
        """Some part shows illustrative demonstration figures: the cover says so."""
        return any(part.illustrative for part in self.parts)

    @property
    def latest_draft(self) -> AnnualReviewDraft | None:
        return self.drafts[0] if self.drafts else None


def latest_texts(year: FinancialYear) -> dict[str, AnnualReviewText]:
    """The latest kept version of each narrative section of `year`, with its author: one query."""
    found: dict[str, AnnualReviewText] = {}
    texts = (
        AnnualReviewText.objects.filter(review__start_year=year.start_year)
        .select_related("written_by")
        .order_by("section", "-number")
    )
    for text in texts:
        found.setdefault(text.section, text)
    return found


def frozen_review(year: FinancialYear) -> FrozenAnnualReview | None:
    """The year's frozen review with who froze it, or None: one query."""
    return (
        FrozenAnnualReview.objects.filter(review__start_year=year.start_year)
        .select_related("review", "frozen_by", "draft")
        .first()
    )


def annual_review(year: FinancialYear, *, progress=None) -> AnnualReview:
    """
    Every registered section's part of the annual review of `year`, in the review's order
    (the front parts, then by letter): what it draws from the figures, its narrative (the
    latest version kept, or the draft from the data) and the page its figures are read on.
    Four queries besides the sections' own: the texts, the freeze, the drafts and their
    sign-offs. `progress(done, total, message)`, if given, hears of each section as it is
    drafted (a job's progress: "Drafting section (f) of 11").
    """
    with sections.one_build():
        texts = latest_texts(year)
        registered = sections.annual_sections()
        parts = []
        for done, section in enumerate(registered):
            if progress is not None:
                progress(done, len(registered), _drafting(section, done, registered))
            parts.append(
                Part(
                    section,
                    section.annual(year) if section.annual else {},
                    Narrative(section, section.annual_draft(year), texts.get(section.key))
                    if section.annual_draft
                    else None,
                    section.annual_source_url(year),
                )
            )
        return AnnualReview(year, parts, frozen_review(year), review_drafts(year))


def _drafting(section: Section, done: int, registered: list[Section]) -> str:
    """ "Drafting section (f) of 11", counting the lettered sections; the front ones by title."""
    if section.annual_front or section.annual_letter == "~":
        return f"Drafting {section.annual_title or section.title}"
    letters = {s.annual_letter for s in registered if not s.annual_front} - {"~"}
    return f"Drafting section ({section.annual_letter}) of {len(letters)}"


def review_drafts(year: FinancialYear) -> list[AnnualReviewDraft]:
    """
    The year's circulated drafts, latest first, with who circulated each and its sign-offs
    (with who signed and for which organisation): two queries.
    """
    return list(
        AnnualReviewDraft.objects.filter(review__start_year=year.start_year)
        .select_related("review", "circulated_by")
        .prefetch_related(
            Prefetch(
                "sign_offs",
                queryset=AnnualReviewSignOff.objects.select_related("signed_by", "organisation"),
            )
        )
        .order_by("-number")
    )


def review_draft(year: FinancialYear, number: int) -> AnnualReviewDraft | None:
    """One circulated draft of the year: one query."""
    return (
        AnnualReviewDraft.objects.filter(review__start_year=year.start_year, number=number)
        .select_related("review")
        .first()
    )


def frozen_reviews():
    """Every frozen annual review with who froze it, latest year first: one query."""
    return FrozenAnnualReview.objects.select_related("review", "frozen_by")


def text_versions(year: FinancialYear, key: str) -> list[AnnualReviewText]:
    """Every kept version of one narrative section, latest first, with its author: one query."""
    return list(
        AnnualReviewText.objects.filter(review__start_year=year.start_year, section=key)
        .select_related("written_by")
        .order_by("-number")
    )


def draft_years(frozen: list[FrozenAnnualReview]) -> list[FinancialYear]:
    """
    The years whose review is still a draft: every year from the first approved return to the
    latest, latest first, but those already frozen. One query.
    """
    span = Return.objects.filter(status=Return.Status.APPROVED).aggregate(
        first=Min("period"), last=Max("period")
    )
    if span["first"] is None:
        return []
    done = {f.review.start_year for f in frozen}
    first, last = span["first"].financial_year, span["last"].financial_year
    return [
        FinancialYear(start)
        for start in range(last.start_year, first.start_year - 1, -1)
        if start not in done
    ]


# --- meetings and issues -------------------------------------------------------------------


def meetings_with_issues():
    """Every meeting with its chair, its number of issues and when it was last issued."""
    return Meeting.objects.select_related("chair").annotate(
        issue_count=Count("issues"), last_issued_at=Max("issues__issued_at")
    )


def meeting_for_page(date: datetime.date) -> Meeting | None:
    """A meeting with its chair, members and issues (with who issued them), in 3 queries."""
    return (
        Meeting.objects.filter(date=date)
        .select_related("chair")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("issues", queryset=PackIssue.objects.select_related("issued_by")),
        )
        .first()
    )


def issue_for_download(pk: int) -> PackIssue | None:
    return PackIssue.objects.filter(pk=pk).first()
