"""
What importing a statistics file would do: its figures beside the ones stored, summarised.

A file may hold 100,000 figures, so the preview is a summary, not a list: by measure and
year, the figures to add, to change (the first `EXAMPLES` with old -> new, then a count)
and unchanged, the symbols and blanks; the rows read at each geographic level and those
no mapping selected; the authorities the file would add, and the periods and what each
is stored as. `summary` is plain JSON, kept with the import (`ComparatorImport.summary`).

Authorities are found by code, never by name (`Register`): England by E92000001 (or the
portal's one England, if it has no code yet); a region by its region_code; an authority by
its new_la_code, or a `FormerCode` of the same series. Any other code is a new authority,
made from the row, even when an authority of the same name exists (Dorset, a county to
2019 and a unitary since: two series); the preview lists it and says so. A known code with
another name keeps the stored name, and the preview notes the file's.

The fingerprint is over what the file touches as stored: for each (code, year) the file
has figures for, the SHA-256 of every stored figure of that code and year. A preview's
`base` is those hashes (small, whatever the file's size); a change to any of them since
makes a confirmation stale.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from opb_portal.core.previews import ADDED, CHANGED, UNCHANGED
from opb_portal.spreadsheets.problems import ERROR, Problem, SpreadsheetRejected
from opb_portal.submissions.uploads import fingerprint

from ..models import Authority, ComparatorValue, FormerCode
from .mapping import ENGLAND_CODE, LEVELS, Figure, Place, Reading, read_figures
from .reader import LOCAL_AUTHORITY, NATIONAL, REGIONAL

# Changed figures named, with old -> new, per measure and year; the rest are counted.
EXAMPLES = 5
KINDS = {
    NATIONAL: Authority.Kind.ENGLAND,
    REGIONAL: Authority.Kind.REGION,
    LOCAL_AUTHORITY: Authority.Kind.LOCAL_AUTHORITY,
}


def shown(value: Decimal | None, symbol: str) -> str:
    """A figure as the file printed it: its number, or its symbol."""
    return symbol if value is None else str(value)


class Register:
    """The authorities, fetched once (2 queries), found by the codes a file's rows give."""

    def __init__(self):
        authorities = list(Authority.objects.all())
        self.by_code = {a.code: a for a in authorities if a.code}
        self.former = {f.code: f for f in FormerCode.objects.select_related("authority")}
        self.by_name: dict[str, list[Authority]] = defaultdict(list)
        for authority in authorities:
            self.by_name[authority.name.casefold()].append(authority)
        englands = [a for a in authorities if a.kind == Authority.Kind.ENGLAND]
        # The portal has one England; before the register gave it its code, it had none.
        self.england = self.by_code.get(ENGLAND_CODE) or (
            englands[0] if len(englands) == 1 else None
        )
        self.new: dict[str, Authority] = {}
        self.notes: list[str] = []
        self._noted: set[str] = set()

    def find(self, place: Place) -> Authority:
        """The authority a row is about; a new (unsaved) one where its code is not known."""
        found = self.new.get(place.code)
        if found is not None:
            return found
        if place.level == NATIONAL and self.england is not None:
            found = self.england
        else:
            found = self.by_code.get(place.code)
        if found is None and place.code in self.former:
            former = self.former[place.code]
            found = former.authority
            self._note(
                place.code,
                f"{place.name} ({place.code}) is {found.name}'s former code: its figures join "
                f"{found.name}'s series.",
            )
        if found is None:
            found = Authority(
                name=place.name,
                kind=KINDS[place.level],
                code=place.code,
                la_code=place.la_code,
                region=place.region,
            )
            self.new[place.code] = found
            return found
        if place.name != found.name and place.level != NATIONAL:
            self._note(
                place.code,
                f"{place.code} is called {place.name} in the file and {found.name} in the "
                f"portal: the portal's name is kept.",
            )
        return found

    def _note(self, code: str, note: str) -> None:
        if code not in self._noted:
            self._noted.add(code)
            self.notes.append(note)

    def same_name(self, authority: Authority) -> list[Authority]:
        """Stored authorities with a new one's name and another code: kept apart."""
        return [
            a for a in self.by_name.get(authority.name.casefold(), []) if a.code != authority.code
        ]


@dataclass
class Planned:
    """One figure of the file beside the one stored (`current`, None if none is)."""

    figure: Figure
    authority: Authority
    current: ComparatorValue | None

    @property
    def state(self) -> str:
        current, figure = self.current, self.figure
        if current is None:
            return ADDED
        same = (
            current.value == figure.value
            and current.symbol == figure.symbol
            and current.source == figure.measure.cited_as
            and current.year_basis == figure.measure.year_basis
        )
        return UNCHANGED if same else CHANGED


@dataclass
class StatisticsPlan:
    """What importing a file would do, or its problems."""

    filename: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)
    new_authorities: list[Authority] = field(default_factory=list)
    base: dict[str, str] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def added(self) -> int:
        return self.counts[ADDED]

    @property
    def changed(self) -> int:
        return self.counts[CHANGED]

    @property
    def unchanged(self) -> int:
        return self.counts[UNCHANGED]

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of `base` (`uploads.fingerprint`): stale once a touched figure moves."""
        return fingerprint(self.base)

    @property
    def publication(self) -> str:
        return self.summary.get("publication", "")


def _cell_hash(values: list[ComparatorValue]) -> str:
    rows = sorted(
        [
            v.authority_id,
            str(v.value) if v.value is not None else "",
            v.symbol,
            v.source,
            v.year_basis,
        ]
        for v in values
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def plan_statistics(
    source: bytes | BinaryIO, *, filename: str, lock: bool = False
) -> StatisticsPlan:
    """
    Read, check and compare a file (3 queries after the mappings: authorities, former
    codes, the stored figures of the codes and years it has). `lock` holds those figures
    until the transaction ends, for the import.
    """
    try:
        reading = read_figures(source, filename=filename)
    except SpreadsheetRejected as refused:
        return StatisticsPlan(filename=filename, problems=[refused.problem])
    if not reading.ok:
        return StatisticsPlan(filename=filename, problems=list(reading.problems))
    register = Register()
    codes = {figure.code for figure in reading.figures}
    years = {figure.year for figure in reading.figures}
    stored = ComparatorValue.objects.filter(code__in=codes, year__in=years).order_by()
    if lock:
        stored = stored.select_for_update()
    by_cell: dict[tuple[str, int], list[ComparatorValue]] = defaultdict(list)
    current: dict[tuple[str, int, int], ComparatorValue] = {}
    for value in stored:
        by_cell[(value.code, value.year)].append(value)
        current[(value.code, value.authority_id, value.year)] = value
    plan = StatisticsPlan(filename=filename)
    touched = set()
    seen: dict[tuple, Figure] = {}
    for figure in reading.figures:
        authority = register.find(figure.place)
        # Under a former code and the code it became, one authority's figure can come twice.
        key = (figure.code, figure.year, authority.code or id(authority))
        first = seen.setdefault(key, figure)
        if first is not figure:
            plan.problems.append(
                Problem(
                    severity=ERROR,
                    message=f"Row {figure.row:,}, column {figure.measure.indicator}: "
                    f"{figure.code} for {authority.name} in {figure.year} is given twice, under "
                    f"{first.place.code} (row {first.row:,}) and {figure.place.code}, codes of "
                    "the same authority: keep one of the rows.",
                    file=filename,
                    measure=figure.code,
                    period=str(figure.year),
                    field=figure.measure.indicator,
                )
            )
            continue
        stored_now = current.get((figure.code, authority.pk, figure.year)) if authority.pk else None
        planned = Planned(figure=figure, authority=authority, current=stored_now)
        plan.rows.append(planned)
        plan.counts[planned.state] += 1
        touched.add((figure.code, figure.year))
    plan.base = {
        f"{code}|{year}": _cell_hash(by_cell[(code, year)]) for code, year in sorted(touched)
    }
    plan.new_authorities = list(register.new.values())
    plan.summary = _summary(reading, plan, register)
    return plan


def _summary(reading: Reading, plan: StatisticsPlan, register: Register) -> dict:
    cells: dict[tuple[str, int], dict] = {}
    titles = {measure.code: measure.title for measure in reading.measures}

    def cell(code: str, year: int) -> dict:
        if (code, year) not in cells:
            cells[(code, year)] = {
                "code": code,
                "title": titles.get(code, code),
                "year": year,
                ADDED: 0,
                CHANGED: 0,
                UNCHANGED: 0,
                "symbols": {},
                "blank": 0,
                "examples": [],
                "more": 0,
            }
        return cells[(code, year)]

    for planned in plan.rows:
        figure, state = planned.figure, planned.state
        entry = cell(figure.code, figure.year)
        entry[state] += 1
        if figure.symbol:
            entry["symbols"][figure.symbol] = entry["symbols"].get(figure.symbol, 0) + 1
        if state == CHANGED:
            if len(entry["examples"]) < EXAMPLES:
                old = planned.current
                entry["examples"].append(
                    {
                        "authority": planned.authority.name,
                        "code": planned.authority.code,
                        "old": shown(old.value, old.symbol),
                        "new": shown(figure.value, figure.symbol),
                        "old_source": old.source,
                    }
                )
            else:
                entry["more"] += 1
    for (code, year), blanks in reading.blanks.items():
        cell(code, year)["blank"] = blanks
    publications = list(dict.fromkeys(measure.publication for measure in reading.measures))
    return {
        "publication": "; ".join(publications),
        "cited_as": "; ".join(dict.fromkeys(measure.cited_as for measure in reading.measures)),
        "rows": reading.rows,
        "levels": {level: reading.levels.get(level, 0) for level in LEVELS},
        "other_levels": {
            level or "(blank)": count
            for level, count in sorted(reading.levels.items())
            if level not in LEVELS
        },
        "skipped": reading.skipped,
        "added": plan.added,
        "changed": plan.changed,
        "unchanged": plan.unchanged,
        "measures": [cells[key] for key in sorted(cells)],
        "periods": [
            {"time_period": p.time_period, "year": p.year, "meaning": p.meaning}
            for p in sorted(reading.periods.values(), key=lambda p: (p.year, p.time_period))
        ],
        "new_authorities": [
            {
                "name": a.name,
                "code": a.code,
                "kind": a.get_kind_display(),
                "la_code": a.la_code,
                "region": a.region,
                "same_name_as": [
                    f"{s.name} ({s.code or 'no code'})" for s in register.same_name(a)
                ],
            }
            for a in sorted(register.new.values(), key=lambda a: (a.kind, a.name, a.code))
        ],
        "notes": [*register.notes, *_too_early(reading)],
        "not_read": reading.not_read,
    }


def _too_early(reading: Reading) -> list[str]:
    """What the preview says of the figures a mapping's `first_year` left out."""
    first = {measure.code: measure.first_year for measure in reading.measures}
    return [
        f"{count:,} figure{'s' if count != 1 else ''} of {code} before {first[code]} not "
        f"read: {code} meant something else then (its mapping's first year is {first[code]})."
        for code, count in sorted(reading.too_early.items())
    ]
