"""
What an accountability record can be about, found through a registry.

An action, an exception report, a decision or a risk concerns something the board
watches: a KPI, a finance line, a workforce measure. Those belong to their domains, and
the records that point at them belong to another; neither imports the other. So a record
keeps a plain reference, `<kind>:<key>` (`kpi:2024/PI9`, `finance:PLACEMENTS`), and each
domain registers a `SubjectKind` that lists what may be chosen in a month and describes
references back as a `Subject` (a label and the page to read it on).

A reference whose kind nobody registers, or whose key its kind no longer knows, is still
shown, as its bare reference: a record is never lost because its subject moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from opb_portal.periods import Period

_KINDS: dict[str, SubjectKind] = {}


@dataclass(frozen=True)
class Subject:
    """One thing a record is about, as the pages name it: `PI9 Placement stability`."""

    ref: str  # kpi:2024/PI9
    label: str
    url: str = ""

    @property
    def kind(self) -> str:
        return self.ref.partition(":")[0]


@dataclass(frozen=True)
class SubjectKind:
    """
    A kind of subject a domain offers.

    - `kind`: the reference's prefix (`"kpi"`); `noun`: how a sentence names one ("KPI").
    - `choices(period)`: every subject of the kind that may be chosen in a month, in order.
    - `describe(keys)`: the subjects of those keys it still knows, by key, in one query.
    - `order`: where the kind's choices come in a list of every kind's.
    """

    kind: str
    noun: str
    choices: Callable[[Period], list[Subject]]
    describe: Callable[[Iterable[str]], dict[str, Subject]]
    order: int = 100


def register(kind: SubjectKind) -> None:
    """Offer a kind of subject; called from the owning domain's `AppConfig.ready()`."""
    if ":" in kind.kind:
        raise ValueError(f"A subject kind may not contain ':' ({kind.kind!r}).")
    _KINDS[kind.kind] = kind


def kinds() -> list[SubjectKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.kind))


def ref(kind: str, key: str) -> str:
    """The reference a record stores for `key` of `kind`."""
    return f"{kind}:{key}"


def choices(period: Period) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every subject that may be chosen in `period`, grouped by kind, for a form's select."""
    return [(kind.noun, [(s.ref, s.label) for s in kind.choices(period)]) for kind in kinds()]


def describe(refs: Iterable[str]) -> dict[str, Subject]:
    """
    Each reference as a `Subject`, in one query a kind: the ones nobody knows are their
    own bare label, with no page.
    """
    refs = [r for r in dict.fromkeys(refs) if r]
    by_kind: dict[str, list[str]] = {}
    for r in refs:
        kind, _, key = r.partition(":")
        by_kind.setdefault(kind, []).append(key)
    found: dict[str, Subject] = {}
    for kind, keys in by_kind.items():
        owner = _KINDS.get(kind)
        known = owner.describe(keys) if owner else {}
        for key in keys:
            found[ref(kind, key)] = known.get(key) or Subject(ref(kind, key), ref(kind, key))
    return found


def validate(value: str) -> None:
    """A model field validator: a reference of a registered kind, `<kind>:<key>`."""
    kind, colon, key = value.partition(":")
    if not colon or not key:
        raise ValidationError(
            f"{value!r} is not a subject; expected kind:key, such as kpi:2024/PI9."
        )
    if kind not in _KINDS:
        known = ", ".join(sorted(_KINDS)) or "none"
        raise ValidationError(f"{kind!r} is not a kind of subject the portal knows ({known}).")
