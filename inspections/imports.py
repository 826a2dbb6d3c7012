"""
Reading Ofsted's management information for local authority children's services, as
published, and working out what importing it would change.

The file is Ofsted's own (an .xlsx or a CSV): a heading row, then one row an inspection or
visit of an authority, read by the spreadsheets' one table reader (`read_table`). Ofsted
has headed its columns differently over the years ("Local authority" or "LA name",
"Inspection type" or "Inspection framework", "The experiences and progress of children in
care (and care leavers)" or "... children in care and care leavers"): `TABLE` names each
column with the words Ofsted used, compared without case. Columns it does not name (notes,
the inspector's name) are read past. docs/data-dictionary.md lists the layout.

Authorities (docs/decisions/0009). A row's authority is the one with its ONS code (or a
former code) where the row gives one, else the one authority of its name. A well-formed ONS
code the portal has not seen adds that local authority with the import, even where its name
is one the portal has (the MI file covers every authority, and authorities are told apart by
code, never by name); the preview lists it first. A row without a code whose name is not
exactly one authority's is a problem naming its cell: a typo never makes an authority.

Every problem is collected with its file, sheet and cell; nothing here writes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from opb_portal.comparators.models import Authority, FormerCode
from opb_portal.core.previews import ADDED, CHANGED, UNCHANGED, ByState
from opb_portal.spreadsheets import (
    ERROR,
    Cell,
    Column,
    Problem,
    ProblemList,
    TableRow,
    TableSpec,
    read_table,
)
from opb_portal.spreadsheets.cells import shown
from opb_portal.submissions.uploads import fingerprint

from .models import JUDGEMENT_FIELDS, JUDGEMENTS, Grade, Inspection, Kind, differences

# The headings as Ofsted's files give them, then the variations used over the years.
TABLE = TableSpec(
    columns=(
        Column(
            "authority",
            "Local authority",
            ("la name", "local authority name", "la", "authority", "organisation name"),
        ),
        Column(
            "ons_code",
            "ONS code",
            ("new la code", "la code (ons)", "ons la code", "gss code"),
            required=False,
        ),
        Column("la_code", "LA code", ("old la code", "la number", "dfe la code"), required=False),
        Column("region", "Region", ("ofsted region", "region name"), required=False),
        Column(
            "kind",
            "Inspection type",
            ("inspection framework", "type", "event type", "type of inspection", "visit type"),
        ),
        Column("start", "Inspection start date", ("start date", "inspection start")),
        Column("end", "Inspection end date", ("end date", "inspection end"), required=False),
        Column(
            "published",
            "Publication date",
            ("published", "date published", "report published", "publication"),
            required=False,
        ),
        Column("overall", JUDGEMENTS[0][1], ("overall effectiveness grade",), required=False),
        Column(
            "leaders",
            JUDGEMENTS[1][1],
            (
                "impact of leaders on social work practice with children and families",
                "impact of leaders",
                "leadership, management and governance",
            ),
            required=False,
        ),
        Column(
            "help_and_protection",
            JUDGEMENTS[2][1],
            (
                "experiences and progress of children who need help and protection",
                "children who need help and protection",
            ),
            required=False,
        ),
        Column(
            "in_care",
            # Read without its "(...)" too: "... of children in care" from 2023.
            JUDGEMENTS[3][1],
            (
                "the experiences and progress of children in care and care leavers",
                "experiences and progress of children in care and care leavers",
                "experiences and progress of children in care",
                "the experiences and progress of children in care",
                "children in care and care leavers",
                "children in care",
                "children looked after and achieving permanence",
            ),
            required=False,
        ),
        Column(
            "care_leavers",
            JUDGEMENTS[4][1],
            ("experiences and progress of care leavers", "care leavers"),
            required=False,
        ),
        Column(
            "report_url", "Report URL", ("web link", "link", "url", "report link"), required=False
        ),
    )
)
HEADINGS = {column.name: column.heading for column in TABLE.columns}
MAX_URL = Inspection._meta.get_field("report_url").max_length
MAX_NAME = Authority._meta.get_field("name").max_length

# A local authority's ONS code: unitary (E06), metropolitan (E08), London borough (E09),
# county (E10).
ONS_CODE = re.compile(r"E(06|08|09|10)\d{6}\Z")
LA_CODE = re.compile(r"\d{3}\Z")

# Each kind as Ofsted's files have written it (folded), and the words for "no judgement".
KIND_WORDS = {
    Kind.ILACS_FULL: (
        "ilacs full inspection",
        "ilacs full",
        "ilacs standard inspection",
        "ilacs standard",
        "standard inspection",
        "standard",
        "full inspection",
        "full",
        "inspection of local authority children's services",
        "inspection of local authority children's services (ilacs)",
    ),
    Kind.ILACS_SHORT: ("ilacs short inspection", "ilacs short", "short inspection", "short"),
    Kind.FOCUSED_VISIT: (
        "focused visit",
        "focussed visit",
        "ilacs focused visit",
        "focused visit (ilacs)",
    ),
    Kind.MONITORING_VISIT: ("monitoring visit", "ilacs monitoring visit", "monitoring"),
    Kind.JTAI: ("jtai", "joint targeted area inspection", "joint targeted area inspection (jtai)"),
    Kind.SIF: (
        "sif",
        "sif inspection",
        "single inspection framework",
        "single inspection framework (sif)",
        "single inspection",
    ),
}
KINDS = {word: kind for kind, words in KIND_WORDS.items() for word in words}
GRADES = {
    **{grade.label.casefold(): grade for grade in Grade},
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    # Ofsted's numbered grades, as some releases give them.
    **{grade.value: grade for grade in Grade},
}
NO_JUDGEMENT = frozenset(
    {"", "-", "n/a", "na", "not applicable", "no judgement", "none", "not judged", "."}
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y")


def _folded(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None or cell.error is not None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass(frozen=True)
class NewAuthority:
    """An authority the file names by an ONS code the portal does not know: added with it."""

    code: str
    name: str
    region: str = ""
    la_code: str = ""

    @property
    def key(self) -> str:
        return f"new:{self.code}"


@dataclass
class Lookups:
    """The authorities by ONS code (current and former) and by name, fetched once (2 queries)."""

    by_code: dict[str, Authority]
    by_name: dict[str, list[Authority]]

    @classmethod
    def load(cls) -> Lookups:
        by_code: dict[str, Authority] = {}
        by_name: dict[str, list[Authority]] = {}
        authorities = {a.pk: a for a in Authority.objects.all()}
        for authority in authorities.values():
            if authority.code:
                by_code[authority.code.upper()] = authority
            by_name.setdefault(_folded(authority.name), []).append(authority)
        for former in FormerCode.objects.all():
            by_code.setdefault(former.code.upper(), authorities[former.authority_id])
        return cls(by_code=by_code, by_name=by_name)

    def find(self, *, code: str, name: str) -> Authority | None | str:
        """
        The authority of a row: by its code where it gives one (None for a code the portal
        has not seen: a new authority, even where its name is one the portal has, as with the
        two Dorsets; docs/decisions/0009), else the one authority of its name (None for
        none); a sentence where the name alone cannot say which.
        """
        if code:
            return self.by_code.get(code.upper())
        named = self.by_name.get(_folded(name), []) if name else []
        if len(named) > 1:
            return (
                f"{len(named)} authorities are called {shown(name)}: give the row its ONS code "
                "(such as E08000028) so it names one."
            )
        return named[0] if named else None


@dataclass(frozen=True)
class InspectionRow:
    """One checked row: an inspection or visit, with its authority."""

    authority: Authority | NewAuthority
    kind: str
    start_date: datetime.date
    values: dict[str, str]  # `Inspection.fields()`'s keys, as text
    where: str = ""

    @property
    def authority_key(self) -> str:
        if isinstance(self.authority, NewAuthority):
            return self.authority.key
        return str(self.authority.pk)

    @property
    def key(self) -> str:
        """ "7|focused_visit|2024-10-30": the authority, the kind, the first day."""
        return f"{self.authority_key}|{self.kind}|{self.start_date.isoformat()}"

    @property
    def authority_name(self) -> str:
        return self.authority.name

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def read_date(cell: Cell) -> datetime.date | None | str:
    """A cell's date (a date cell, or text such as 30/10/2024 or 2024-10-30), None if blank,
    or a sentence saying what was expected."""
    value = cell.value
    if cell.is_blank:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(cell)
    if isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(
                    text.split("T")[0].split(" 00:00")[0], pattern
                ).date()
            except ValueError:
                continue
    found = cell.error if cell.error is not None else text
    return f"{shown(found)} is not a date: expected a day such as 30/10/2024 or 2024-10-30."


def check_row(raw: TableRow, *, file: str, lookups: Lookups) -> tuple[InspectionRow | None, list]:
    """One row's inspection, or None and every problem with it."""
    cells = raw.cells
    problems: list[Problem] = []
    name = _text(cells.get("authority"))

    def problem(column: str, message: str) -> None:
        cell = cells[column]
        problems.append(
            Problem(
                severity=ERROR,
                message=message,
                file=file,
                sheet=cell.sheet,
                cell=cell.ref,
                measure=name,
                field=HEADINGS[column],
            )
        )

    for column in ("authority", "kind", "start"):
        if cells[column].is_blank:
            problem(
                column,
                f"No {HEADINGS[column].lower()}: every row needs its local authority, its "
                "inspection type and its start date.",
            )
    code = _text(cells.get("ons_code")).upper()
    la_code = _text(cells.get("la_code"))
    if code and not ONS_CODE.match(code):
        problem(
            "ons_code",
            f"{shown(code)} is not a local authority's ONS code: expected E06, E08, E09 or E10 "
            "and six digits, such as E08000028.",
        )
        code = ""
    if la_code and not LA_CODE.match(la_code):
        # Some releases put the ONS code under "LA code".
        if ONS_CODE.match(la_code.upper()) and not code:
            code, la_code = la_code.upper(), ""
        else:
            problem(
                "la_code",
                f"{shown(la_code)} is not a DfE local authority code: expected three digits, "
                "such as 333, or an ONS code such as E08000028.",
            )
            la_code = ""
    authority: Authority | NewAuthority | None = None
    if name:
        found = lookups.find(code=code, name=name)
        if isinstance(found, str):
            problem("ons_code" if "ons_code" in cells else "authority", found)
        elif found is not None:
            authority = found
        elif code:
            if len(name) > MAX_NAME:
                problem("authority", f"The name is over {MAX_NAME} characters long.")
            else:
                authority = NewAuthority(
                    code=code, name=name, region=_text(cells.get("region")), la_code=la_code
                )
        else:
            problem(
                "authority",
                f"{shown(name)} is not an authority the portal knows: give the row its ONS "
                "code (such as E08000028), or correct the name.",
            )
    kind = None
    kind_text = _text(cells["kind"])
    if kind_text:
        kind = KINDS.get(_folded(kind_text))
        if kind is None:
            problem(
                "kind",
                f"{shown(kind_text)} is not an inspection type: expected ILACS full (or "
                "standard) inspection, ILACS short inspection, focused visit, monitoring visit, "
                "JTAI or SIF inspection.",
            )
    dates: dict[str, datetime.date | None] = {}
    for column in ("start", "end", "published"):
        if column not in cells:
            dates[column] = None
            continue
        day = read_date(cells[column])
        if isinstance(day, str):
            problem(column, day)
            day = None
        dates[column] = day
    start, end, published = dates["start"], dates["end"], dates["published"]
    if start and end and end < start:
        problem("end", f"The inspection ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
    if start and published and published < start:
        problem(
            "published",
            f"The report is published ({published:%d/%m/%Y}) before the inspection starts "
            f"({start:%d/%m/%Y}).",
        )
    values = {
        "end_date": end.isoformat() if end else "",
        "published_on": published.isoformat() if published else "",
        "report_url": "",
    }
    for column in JUDGEMENT_FIELDS:
        text = _text(cells.get(column))
        values[column] = ""
        if _folded(text) in NO_JUDGEMENT:
            continue
        grade = GRADES.get(_folded(text))
        if grade is None:
            problem(
                column,
                f"{shown(text)} is not one of Ofsted's grades: expected Outstanding, Good, "
                "Requires improvement to be good or Inadequate, or a blank for no judgement.",
            )
        elif kind is not None and kind not in Kind.graded():
            problem(
                column,
                f"A {Kind(kind).label.lower()} gives no judgement, but this row grades it "
                f"{grade.label!r}: leave the cell blank, or correct the inspection type.",
            )
        else:
            values[column] = grade.value
    url = _text(cells.get("report_url"))
    if url:
        if not url.startswith(("https://", "http://")) or len(url) > MAX_URL or " " in url:
            problem(
                "report_url",
                f"{shown(url)} is not a web address of up to {MAX_URL} characters: expected one "
                "such as https://reports.ofsted.gov.uk/provider/44/80530.",
            )
        else:
            values["report_url"] = url
    if problems or authority is None or kind is None or start is None:
        return None, problems
    row = InspectionRow(
        authority=authority, kind=kind, start_date=start, values=values, where=raw.where
    )
    return row, problems


def check_rows(
    raw_rows: Iterable[TableRow], *, file: str, lookups: Lookups
) -> tuple[list[InspectionRow], list[Problem]]:
    """Every row checked; an inspection given twice is reported at its second row."""
    rows: list[InspectionRow] = []
    problems = ProblemList()
    seen: dict[str, TableRow] = {}
    new_names: dict[str, str] = {}
    for raw in raw_rows:
        row, found = check_row(raw, file=file, lookups=lookups)
        problems.extend(found)
        if row is None:
            continue
        first = seen.get(row.key)
        cell = raw.cells["start"]
        if first is not None:
            problems.append(
                Problem(
                    severity=ERROR,
                    message=f"The {row.kind_label.lower()} of {row.authority_name} starting "
                    f"{row.start_date:%d/%m/%Y} is given twice (also at {first.where}): keep "
                    "one row.",
                    file=file,
                    sheet=cell.sheet,
                    cell=cell.ref,
                    measure=row.authority_name,
                    field=HEADINGS["start"],
                )
            )
            continue
        if isinstance(row.authority, NewAuthority):
            named = new_names.setdefault(row.authority.code, row.authority.name)
            if _folded(named) != _folded(row.authority.name):
                code_cell = raw.cells.get("ons_code", cell)
                problems.append(
                    Problem(
                        severity=ERROR,
                        message=f"{row.authority.code} is called {shown(named)} in an earlier "
                        f"row and {shown(row.authority.name)} here: one code is one authority.",
                        file=file,
                        sheet=code_cell.sheet,
                        cell=code_cell.ref,
                        measure=row.authority_name,
                        field=HEADINGS["ons_code"],
                    )
                )
                continue
        seen[row.key] = raw
        rows.append(row)
    return rows, problems.finished(file=file)


# --- what saving would change ------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One checked row beside the inspection stored now (`current`, None if there is none)."""

    row: InspectionRow
    current: Inspection | None

    @property
    def was(self) -> dict[str, str] | None:
        return None if self.current is None else self.current.fields()

    @property
    def state(self) -> str:
        if self.current is None:
            return ADDED
        return CHANGED if self.was != self.row.values else UNCHANGED

    @property
    def differences(self) -> list[tuple[str, str, str]]:
        """(what, old, new) of each field that changes, as a person reads them."""
        return [] if self.current is None else differences(self.was, self.row.values)

    @property
    def judgements(self) -> list[tuple[str, str]]:
        return [
            (heading, Grade(self.row.values[name]).label)
            for name, heading in JUDGEMENTS
            if self.row.values[name]
        ]


@dataclass
class AuthorityPlan(ByState):
    """What the file does to one authority's inspections, for the preview."""

    name: str
    new: bool
    rows: list[Planned] = field(default_factory=list)


@dataclass
class Plan(ByState):
    """What importing a file would do, or why it cannot."""

    filename: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_authorities(self) -> list[NewAuthority]:
        found = {
            p.row.authority.code: p.row.authority
            for p in self.rows
            if isinstance(p.row.authority, NewAuthority)
        }
        return sorted(found.values(), key=lambda a: a.name)

    @property
    def by_authority(self) -> list[AuthorityPlan]:
        """Each authority the file names, by name, with its inspections newest first."""
        found: dict[str, AuthorityPlan] = {}
        for planned in sorted(self.rows, key=lambda p: p.row.start_date, reverse=True):
            row = planned.row
            entry = found.setdefault(
                row.authority_key,
                AuthorityPlan(name=row.authority_name, new=isinstance(row.authority, NewAuthority)),
            )
            entry.rows.append(planned)
        return sorted(found.values(), key=lambda a: a.name.casefold())

    @property
    def base(self) -> dict[str, dict | None]:
        """
        Every inspection the file touches as it stands ({key: fields}, None where none is
        stored): what the preview was computed against. An authority added meanwhile by
        someone else changes the rows' keys, and so the fingerprint.
        """
        return {planned.row.key: planned.was for planned in self.rows}

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.base)


def plan_rows(rows: list[InspectionRow], *, lock: bool = False) -> list[Planned]:
    """Each row beside the inspection stored now (1 query; `lock` holds them for the save)."""
    known = {row.authority.pk for row in rows if isinstance(row.authority, Authority)}
    stored = Inspection.objects.filter(authority_id__in=known)
    if lock:
        stored = stored.select_for_update()
    by_key = {inspection.key: inspection for inspection in stored}
    return [Planned(row=row, current=by_key.get(row.key)) for row in rows]


def plan_file(data: bytes, *, filename: str, lock: bool = False) -> Plan:
    """Read, check and compare a file: its problems, or every inspection it would add or change."""
    reading = read_table(data, filename=filename, spec=TABLE)
    if reading.problems:
        return Plan(filename=filename, problems=reading.problems.finished(file=filename))
    rows, problems = check_rows(reading.rows, file=filename, lookups=Lookups.load())
    if problems:
        return Plan(filename=filename, problems=problems)
    return Plan(filename=filename, rows=plan_rows(rows, lock=lock))
