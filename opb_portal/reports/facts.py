"""
The figures a report is drafted from, found through a registry.

A report to Scrutiny or Cabinet, and the annual review's executive summary, say the same
figures the dashboards show ("Cabinet approved the contract sum, £80.80m for 2024/25, an
increase of £6.325m or approximately 8.5%"). Those figures belong to the domains, and the
reports machinery names none of them. So each domain registers a provider from its
`AppConfig.ready()`: `register(prefix, provider)`, where `provider(day)` gives the
domain's facts as they stood on `day` (the approved figures of the latest month reported
by then), each under a key of the domain's prefix (`finance.contract_sum`).

A layout names a fact by its key in braces (`{finance.contract_sum}`); the report writes
the fact's `text` in its place with a note of its `source` and a link to the page it is
read on (`url`), so every figure in a report can be traced. A fact that is a demonstration
value says so (`illustrative`), and the report marks it wherever it appears.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from opb_portal.periods import Period

_PROVIDERS: dict[str, Callable[[datetime.date], list[Fact]]] = {}
# prefix -> (the provider, the keys it declared): a test that swaps a provider swaps its keys.
_KEYS: dict[str, tuple[Callable, frozenset[str]]] = {}
KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")


@dataclass(frozen=True)
class Fact:
    """
    One figure (or short list, or table) a report may say.

    - `key`: `finance.contract_sum`; `label`: what the list of facts calls it ("Contract sum").
    - `text`: how the report writes it in a sentence ("£80.80m"); for a table, a sentence
      that says what the table shows.
    - `source`: where it comes from, for the note ("Finance return for December 2024,
      approved version 2"); `url`: the page that shows it (a dashboard for the month).
    - `as_at`: the month or day it describes, where that is not the report's date.
    - `illustrative`: a demonstration value the published documents do not give.
    - `note`: said beside it where the portal's figure differs from a published one
      ("16.4% in the annual review's table; 16.3% in the Scrutiny report of March 2025").
    - `headings` and `rows`: a fact that is a table (the Ofsted judgements), written as a
      table where its key stands alone on a line.
    """

    key: str
    label: str
    text: str
    source: str = ""
    url: str = ""
    as_at: str = ""
    illustrative: bool = False
    note: str = ""
    headings: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self):
        if not KEY.match(self.key):
            raise ValueError(f"A fact's key is `prefix.name` in lower case: {self.key!r}")
        if self.headings and not self.rows:
            # An empty table says so in `text` and gives no headings.
            raise ValueError(f"Fact {self.key!r} gives a table's headings without its rows.")

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


def month_reported(day: datetime.date) -> Period:
    """
    The month whose figures a fact "as at `day`" describes: the latest month that had ended by
    `day` (31 December 2024 gives December 2024; 24 March 2025 gives February 2025). A report
    is read at its `figures_at` day, which its author sets (the Scrutiny report of 24 March
    2025 gave the figures as at 31 December 2024). Providers give their approved figures of
    this month, and say so in each fact's `source`.
    """
    month = Period.from_date(day)
    return month if day == month.last_day else month.shift(-1)


def return_source(shown) -> str:
    """
    Where a month's approved figures come from, for a fact's `source`: the return's label,
    its month and the approved version ("… return for December 2024, approved version 2";
    `shown`: the `VersionShown` a domain's selector gives).
    Figures loaded before returns existed (no version) say only the return and the month.
    """
    said = f"{shown.label[:1].upper()}{shown.label[1:]} for {shown.period.long}"
    version = shown.approved
    return f"{said}, approved version {version.number}" if version is not None else said


def register(
    prefix: str, provider: Callable[[datetime.date], list[Fact]], *, keys: Iterable[str] = ()
) -> None:
    """
    Offer a domain's facts under `prefix.`; called from the domain's `ready()`. `keys` are the
    names (after the prefix) the provider can give: a layout may name one the provider leaves
    out on a given day (a month with no return), and is checked against these, not a day's.
    """
    _PROVIDERS[prefix] = provider
    _KEYS[prefix] = (provider, frozenset(f"{prefix}.{name}" for name in keys))


def declared_keys() -> frozenset[str]:
    """Every key a registered provider says it can give."""
    return frozenset().union(*(_declared(prefix) for prefix in _PROVIDERS))


def _declared(prefix: str) -> frozenset[str]:
    provider, keys = _KEYS.get(prefix, (None, frozenset()))
    return keys if provider is _PROVIDERS.get(prefix) else frozenset()


def facts_on(day: datetime.date, prefixes: Iterable[str] | None = None) -> dict[str, Fact]:
    """Every registered fact as it stood on `day`, by key (only `prefixes`' if given)."""
    found: dict[str, Fact] = {}
    for prefix in sorted(_PROVIDERS):
        if prefixes is not None and prefix not in prefixes:
            continue
        for fact in _PROVIDERS[prefix](day):
            if not fact.key.startswith(prefix + "."):
                raise ValueError(f"{prefix!r} gave a fact outside its prefix: {fact.key!r}")
            declared = _declared(prefix)
            if declared and fact.key not in declared:
                raise ValueError(f"{prefix!r} gave a fact it does not declare: {fact.key!r}")
            found[fact.key] = fact
    return found


def prefixes() -> list[str]:
    return sorted(_PROVIDERS)
