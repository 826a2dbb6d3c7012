"""
How a domain plugs its monthly return into the shared machinery.

Each domain app subclasses `ReturnSpec` and registers an instance from its
`AppConfig.ready()`. The machinery finds specs here by domain name and never
imports a domain app, so another domain is one new app and no edits to this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from opb_portal import formatting
from opb_portal.accounts import roles
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.spreadsheets import Cell, LayoutSpec, Problem

_SPECS: dict[str, ReturnSpec] = {}


@dataclass(frozen=True)
class Line:
    """One line of a return: a measure the domain expects each month."""

    code: str
    title: str
    unit: str = ""
    percent: bool = False
    # Pounds: its figures are written `£29,600,000` (the typing form's "last month").
    money: bool = False
    # The places its figures are written with (full-time equivalents: 2, `58.40`); None: as
    # given.
    places: int | None = None
    numeric_fields: tuple[str, ...] = ("value",)
    text_fields: tuple[str, ...] = ("commentary",)
    required: tuple[str, ...] = ("value",)
    # A derived line (a total, a percentage) may arrive in a workbook to be
    # checked against what the portal works out; it is never stored as typed.
    derived: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return self.numeric_fields + self.text_fields

    def written(self, text: str | None, name: str = "value") -> str:
        """
        A stored figure of this line's field `name` as the portal writes it (`£29,600,000`,
        `87.2%`, `3,728`), at the places it was given with (two at most: a spreadsheet's
        double `97.40000000000001` reads `97.40`); "" for none. A text field is as given.
        """
        if not text:
            return ""
        if name not in self.numeric_fields:
            return text
        try:
            figure = Decimal(text)
        except InvalidOperation:
            return text
        if self.money:
            return formatting.pounds(figure)
        places = self.places
        if places is None:
            places = min(max(0, -figure.as_tuple().exponent), 2)
        if self.percent and name == "value":
            return formatting.percent(figure, places)
        return formatting.number(figure, places)


@dataclass
class Entry:
    """One line for one month as it arrived, from the typed form or a workbook."""

    code: str | None
    label: Cell
    period: Period
    fields: dict[str, Cell] = field(default_factory=dict)
    period_cell: Cell | None = None


class ReturnSpec:
    """What a domain tells the machinery about its monthly return."""

    domain: str = ""
    label: str = ""
    # The value of a submitter role a domain registered (accounts.roles).
    submitter_role: str = ""
    layout: LayoutSpec
    # Words that betray this return's workbook when it is uploaded as another domain's
    # return (lower case, whole words): the other returns say "this looks like a finance
    # return" from these, so no domain keeps a copy of another's vocabulary.
    words: tuple[str, ...] = ()
    # Words other domains declare that this return's own workbooks use too, which are
    # therefore no sign of another domain here (a KPI's title says "vacancy rate").
    shared_words: tuple[str, ...] = ()

    def lines(self, period: Period) -> list[Line]:
        """The lines a complete return for `period` holds, in display order."""
        raise NotImplementedError

    def typed_lines(self, period: Period) -> list[Line]:
        """The lines a person types or fills in: derived lines are worked out, never typed."""
        return [line for line in self.lines(period) if not line.derived]

    def context(self, *, organisation, period: Period) -> object:
        """Whatever `clean_entry` and `status_of` need for a month, fetched once."""
        return None

    def clean_entry(
        self, *, entry: Entry, line: Line, context: object, file: str
    ) -> tuple[dict[str, str], list[Problem]]:
        """Turn one entry into stored text, with every error and warning it raises."""
        raise NotImplementedError

    def check_month(
        self,
        *,
        period: Period,
        data: dict[str, dict[str, str]],
        entries: dict[str, Entry],
        context: object,
        file: str,
    ) -> list[Problem]:
        """
        Checks across the lines of one month, after each line is cleaned.

        `data` holds the month's stored lines by code; `entries` every entry by
        code, derived lines included, so a total given in a workbook can be
        compared with the total the portal works out, naming its cell.
        """
        return []

    def status_of(self, *, line: Line, data: dict[str, str], context: object) -> Status | None:
        """The RAG status of one line's figures, if the domain rates it."""
        return None

    def current(self, *, organisation, period: Period) -> dict[str, dict[str, str]]:
        """The approved figures for a month, in the same shape as a version's data."""
        raise NotImplementedError

    def figures(self, *, version) -> object:
        """
        The version's figures as the domain's own rows, unsaved: what its tables would hold
        for the month were the version approved (a list of rows, or a small structure of them).

        The one reading of a version's data: `apply` saves exactly these rows, and every
        page that shows a version not approved (`figures.Source`) and every check across
        returns reads them, so a figure cannot read one way on approval and another on a draft.
        """
        raise NotImplementedError

    def apply(self, *, version) -> None:
        """Make the domain's own tables show an approved version's figures: `figures`, saved."""
        raise NotImplementedError


def register(spec: ReturnSpec) -> None:
    """Add a domain's return; the permission check learns which role sends it."""
    _SPECS[spec.domain] = spec
    roles.register_sender(domain=spec.domain, role=spec.submitter_role)


def get(domain: str) -> ReturnSpec:
    """The spec of `domain`; KeyError for a domain nobody registered."""
    return _SPECS[domain]


def all_specs() -> list[ReturnSpec]:
    return list(_SPECS.values())


def words_of_others(domain: str) -> dict[str, tuple[str, ...]]:
    """
    The tell-tale words of every registered domain but `domain`, for its `LayoutSpec`.

    Less the words `domain` shares with them, and in the order of the domains' names, so
    which domain a workbook is said to belong to never depends on the order the apps
    registered in.
    """
    shared = set(_SPECS[domain].shared_words) if domain in _SPECS else set()
    return {
        other.domain: tuple(word for word in other.words if word not in shared)
        for other in sorted(_SPECS.values(), key=lambda spec: spec.domain)
        if other.domain != domain and other.words
    }


def domains_in_words() -> str:
    """The registered returns' names as a sentence says them, for a command's help."""
    names = [spec.domain for spec in _SPECS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def check_senders(app_configs=None, **kwargs) -> list:
    """
    A system check: every registered return is sent by a registered submitter role.

    Run once every app is ready, so a return may name a role another domain registered.
    """
    from django.core import checks

    return [
        checks.Error(
            f"The {spec.domain!r} return is sent by {spec.submitter_role!r}, which no domain "
            "registered as a submitter role.",
            hint="Register the role with opb_portal.core.domains.register(... submitter=...).",
            obj=type(spec),
            id="submissions.E001",
        )
        for spec in _SPECS.values()
        if not roles.is_submitter(spec.submitter_role)
    ]
