"""
What each domain app puts in the board pack and the annual review, found through a registry.

A domain app describes its sections with `Section` and calls `register()` from its
`AppConfig.ready()`, exactly as it registers its return spec. The pack and the
annual review render whatever is registered, in `order`, and never import a
domain app: adding a domain's pages is a registration, not an edit here.
docs/decisions/0003-board-pack.md describes the contract with an example.

Everything a section gives is computed from the same selectors as its
dashboards, so a figure in the pack is the figure on the screen.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from opb_portal.periods import FinancialYear, Period

_SECTIONS: dict[str, Section] = {}
_ISSUE_CHECKS: dict[str, Callable[[Period], list[Missing]]] = {}
_LETTER = re.compile(r"^Section \((\w)\)", re.IGNORECASE)
_SHARED: ContextVar[dict | None] = ContextVar("boardpack_shared", default=None)


@dataclass(frozen=True)
class HeadlineItem:
    """
    One line of the one-page summary: `label` and `value` as the board reads them.

    `status` ("green", "amber", "red") shows a RAG badge (word, colour and shape);
    `emphasis` makes the item one of the large figures at the top of its group
    (the KPI counts, the forecast deficit). `url` is the page the item is about (a KPI's
    page); the home page links it there, or to its section's `headline_url` without one.
    The PDF leaves links out.
    """

    label: str
    value: str
    note: str = ""
    status: str | None = None
    emphasis: bool = False
    url: str = ""


@dataclass(frozen=True)
class Section:
    """
    A part of the board pack (and, optionally, of the annual review) that a domain app provides.

    - `key`: unique, also the anchor the contents page links to (`kpi-scorecard`).
    - `title`: the heading and the contents entry.
    - `order`: where it goes: the summary is 10, domain sections 100 to 799,
      appendices 800 and above.
    - `template` and `build(period) -> dict`: the section's page(s) and their
      context. A context may hold `contents`, a list of (anchor, title) pairs
      for sub-entries in the contents list (one per KPI page, say). A section
      that gives neither is a part of the annual review only, never of the pack.
    - `domain`: the return domain whose return for the month must be
      approved before a pack using this section can be issued.
    - `headline(period) -> list[HeadlineItem]`: the section's lines on the
      summary page, under `headline_title`; `headline_url(period)` is the page on the
      screen those lines summarise (the dashboard for the month), which the home page
      links each line to unless the line names its own.
    - `sources(period) -> ids`: the `ReturnVersion` ids whose figures the section
      shows; an issued pack records them and the appendix lists them.
    - `annual(year) -> dict` with `annual_template` and `annual_title`: the
      section's part of the annual review draft for a financial year.
    - `annual_draft(year) -> str` with `annual_title`: the section's narrative for the
      annual review, drafted from the data in the published review's own words ("There
      were no formal action plans or rectification plans in the Contract year 2024/25"),
      which people may edit before the review is frozen.
    - `annual_url(year) -> str`: the page the part's figures are read on, which the review
      names under "Source:" (without it, `headline_url` of the year's last month).
    - `annual_front`: the part comes before the Introduction, as the Executive Summary does,
      not among the lettered sections.
    An `annual` context with a truthy `"illustrative"` (True, or a sentence saying what is
    illustrative) marks the part as illustrative demonstration figures wherever it appears.
    """

    key: str
    title: str
    order: int
    template: str = ""
    build: Callable[[Period], dict] | None = None
    domain: str = ""
    headline: Callable[[Period], list[HeadlineItem]] | None = None
    headline_title: str = ""
    headline_url: Callable[[Period], str] | None = None
    sources: Callable[[Period], Iterable[int]] | None = None
    annual: Callable[[FinancialYear], dict] | None = None
    annual_template: str = ""
    annual_title: str = ""
    annual_draft: Callable[[FinancialYear], str] | None = None
    annual_url: Callable[[FinancialYear], str] | None = None
    annual_front: bool = False

    @property
    def in_pack(self) -> bool:
        return bool(self.template)

    @property
    def annual_letter(self) -> str:
        """The review's letter of the section ("b" of "Section (b) ..."), by which it is placed."""
        match = _LETTER.match(self.annual_title)
        return match[1].lower() if match else "~"

    def annual_source_url(self, year: FinancialYear) -> str:
        """The page the part's figures are read on, or "" when it names none."""
        if self.annual_url is not None:
            return self.annual_url(year)
        if self.headline_url is not None:
            return self.headline_url(year.last)
        return ""

    def __post_init__(self):
        if bool(self.template) != bool(self.build):
            raise ValueError(
                f"Section {self.key!r} gives a pack page without its template or build."
            )
        if not self.template and not (self.annual or self.annual_draft):
            raise ValueError(f"Section {self.key!r} gives neither a pack page nor an annual part.")
        if self.annual and not (self.annual_template and self.annual_title):
            raise ValueError(f"Section {self.key!r} gives `annual` without its template or title.")
        if self.annual_draft and not self.annual_title:
            raise ValueError(f"Section {self.key!r} gives `annual_draft` without `annual_title`.")
        if self.headline and not self.headline_title:
            raise ValueError(f"Section {self.key!r} gives `headline` without `headline_title`.")


def register(section: Section) -> None:
    """Add (or replace, by key) a section; call it from the domain app's `ready()`."""
    _SECTIONS[section.key] = section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def all_sections() -> list[Section]:
    """Every registered section in pack order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def pack_sections() -> list[Section]:
    """The sections that give pages of the pack, in pack order."""
    return [section for section in all_sections() if section.in_pack]


def annual_sections() -> list[Section]:
    """
    The sections of the annual review: the front ones (the Executive Summary), then by their
    letter as the published review orders them ((a) to (k)), then in pack order: a part
    drafted from the figures (`annual`), a narrative people edit (`annual_draft`), or both.
    """
    found = [s for s in all_sections() if s.annual or s.annual_draft]
    return sorted(found, key=lambda s: (not s.annual_front, s.annual_letter, s.order, s.key))


def domains() -> list[str]:
    """The return domains whose approval an issued pack needs, in section order."""
    return list(dict.fromkeys(s.domain for s in pack_sections() if s.domain))


# --- what must exist before a pack is issued ------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """
    Something the board needs that a month's pack lacks: "PI9 is red and has no
    exception report". The chair sees each, with `url` to where it is put right; a pack
    with anything missing cannot be issued, as a pack with unapproved figures cannot.
    """

    what: str
    url: str = ""


def register_issue_check(key: str, check: Callable[[Period], list[Missing]]) -> None:
    """Add `check(period)`, what a month's pack still lacks; from the owner's `ready()`."""
    _ISSUE_CHECKS[key] = check


def missing_before_issue(period: Period) -> list[Missing]:
    """Everything every registered check finds missing from `period`'s pack, by key."""
    return [item for key in sorted(_ISSUE_CHECKS) for item in _ISSUE_CHECKS[key](period)]


# --- one read for several sections ---------------------------------------------------


@contextlib.contextmanager
def one_build() -> Iterator[None]:
    """
    While a pack is assembled, `shared()` computes each read once.

    The KPI summary lines, the scorecard, the pages per KPI and the appendix all
    start from the same month's scorecard; without this, each would query it again.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: tuple, compute: Callable[[], object]) -> object:
    """`compute()` once per pack build for `key`; outside a build, every time."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
