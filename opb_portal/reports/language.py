"""
The layout language: how a section's body (in a layout or a report) becomes a document.

A body is plain text, written by a person, and stays data: it is never marked safe, and
the templates escape every word of it. Its rules:

- Paragraphs are separated by a blank line; the lines of one paragraph run together.
- A line starting "- " is a bullet; bullets next to each other make one list.
- A line written "| a | b |" is a row of a table; rows next to each other make one table,
  and its first row is the table's headings.
- `{prefix.name}` is a fact (`opb_portal.reports.facts`): the report writes the fact's
  `text` with a numbered note marker, and the "Sources" notes at the end give the fact's
  source, the month it describes, its link, "illustrative" where it is one, and its note.
- A fact that is a table, on a line alone (`{inspections.judgements}`), becomes a table.
- Braces that are not a fact's key pattern (`{like this}`, `{}`) stay as written.
- The front matter is one "Label: text" a line (Subject, Director, Contact Officer): the
  report's first table, of two columns. Facts may be named in its text too.

A key that matches the pattern but names no fact is an error that names the key, the
section and the nearest known keys: a layout or a report section naming one is refused
when saved. A known fact that is not available at the report's date is written
"[not available at <date>: {key}]", with a warning on the page, never left blank.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from .facts import Fact

# A fact's key in braces, as `facts.KEY` allows it; any other braces are literal text.
FACT = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)\}")
TABLE_ROW = re.compile(r"^\|(.*)\|$")
FRONT_MATTER_LINE = re.compile(r"^([^:]{1,80}):\s*(.*)$")


@dataclass(frozen=True)
class Run:
    """A stretch of a sentence: text as written, or a fact's text with its note's number."""

    text: str
    note: int | None = None
    key: str = ""
    missing: bool = False
    illustrative: bool = False

    @property
    def is_fact(self) -> bool:
        return bool(self.key)


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    headings: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    # A fact that is a table says what it shows, with its note: the table's caption.
    caption: tuple[Run, ...] = ()
    kind: str = "table"


Block = Paragraph | Bullets | Table


@dataclass(frozen=True)
class Note:
    """One numbered note of the "Sources": where a fact comes from."""

    number: int
    key: str
    label: str
    source: str
    as_at: str
    url: str
    illustrative: bool
    note: str


@dataclass
class Writer:
    """
    Turns bodies into blocks against the facts at one date, numbering the notes as the
    facts first appear (a fact named twice keeps its first number).
    """

    facts: dict[str, Fact]
    day: datetime.date
    known: frozenset[str] = frozenset()
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def runs(self, text: str, *, where: str) -> tuple[Run, ...]:
        found: list[Run] = []
        last = 0
        for match in FACT.finditer(text):
            if match.start() > last:
                found.append(Run(text[last : match.start()]))
            found.append(self._fact_run(match.group(1), where=where))
            last = match.end()
        if last < len(text):
            found.append(Run(text[last:]))
        return tuple(found)

    def _fact_run(self, key: str, *, where: str) -> Run:
        fact = self.facts.get(key)
        if fact is None:
            self.warnings.append(
                f"{where}: {{{key}}} is not available at {self.day:%d %B %Y}; "
                "the report says so where the figure would be."
            )
            return Run(f"[not available at {self.day:%d %B %Y}: {{{key}}}]", key=key, missing=True)
        return Run(fact.text, note=self._note(fact), key=key, illustrative=fact.illustrative)

    def _note(self, fact: Fact) -> int:
        if fact.key not in self._numbers:
            number = len(self.notes) + 1
            self._numbers[fact.key] = number
            self.notes.append(
                Note(
                    number=number,
                    key=fact.key,
                    label=fact.label,
                    source=fact.source,
                    as_at=fact.as_at,
                    url=fact.url,
                    illustrative=fact.illustrative,
                    note=fact.note,
                )
            )
        return self._numbers[fact.key]

    def blocks(self, body: str, *, where: str) -> list[Block]:
        """The blocks of a section's body (see the module's rules)."""
        found: list[Block] = []
        for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
            found.extend(self._chunk(chunk, where=where))
        return found

    def _chunk(self, chunk: str, *, where: str) -> list[Block]:
        found: list[Block] = []
        text: list[str] = []
        bullets: list[tuple[Run, ...]] = []
        rows: list[tuple[tuple[Run, ...], ...]] = []

        def flush() -> None:
            if text:
                found.append(Paragraph(self.runs(" ".join(text), where=where)))
                text.clear()
            if bullets:
                found.append(Bullets(tuple(bullets)))
                bullets.clear()
            if rows:
                found.append(Table(headings=rows[0], rows=tuple(rows[1:])))
                rows.clear()

        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            alone = FACT.fullmatch(line)
            table_fact = alone and self.facts.get(alone.group(1))
            row = TABLE_ROW.match(line)
            if table_fact and table_fact.is_table:
                flush()
                found.append(self._fact_table(table_fact))
            elif line.startswith("- "):
                if text or rows:
                    flush()
                bullets.append(self.runs(line[2:].strip(), where=where))
            elif row:
                if text or bullets:
                    flush()
                cells = [cell.strip() for cell in row.group(1).split("|")]
                rows.append(tuple(self.runs(cell, where=where) for cell in cells))
            else:
                if bullets or rows:
                    flush()
                text.append(line)
        flush()
        return found

    def _fact_table(self, fact: Fact) -> Table:
        caption = (
            Run(fact.text, note=self._note(fact), key=fact.key, illustrative=fact.illustrative),
        )
        return Table(
            headings=tuple((Run(h),) for h in fact.headings),
            rows=tuple(tuple((Run(cell),) for cell in row) for row in fact.rows),
            caption=caption,
        )

    def front_matter(self, text: str) -> list[tuple[str, tuple[Run, ...]]]:
        """The "Label: text" lines as the first table's rows; a line with no label is text."""
        found = []
        for raw in text.replace("\r\n", "\n").split("\n"):
            line = raw.strip()
            if not line:
                continue
            match = FRONT_MATTER_LINE.match(line)
            label, value = (match.group(1).strip(), match.group(2)) if match else ("", line)
            found.append((label, self.runs(value, where="The front matter")))
        return found


# --- checking a body when it is saved ------------------------------------------------------


def keys_in(text: str) -> list[str]:
    """Every fact key a body names, in order, once each."""
    return list(dict.fromkeys(FACT.findall(text)))


def unknown_keys(text: str, *, known: set[str] | frozenset[str], where: str) -> list[str]:
    """
    One message for each key `text` names that no provider gives: the key, the section
    (`where`) and the nearest known keys, so a misspelt key is found at once.
    """
    messages = []
    for key in keys_in(text):
        if key in known:
            continue
        nearest = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.6)
        hint = (
            "; the nearest known: " + ", ".join("{" + k + "}" for k in nearest)
            if nearest
            else "; no known figure is near it (the figures you may use are listed)"
        )
        messages.append(f"{where}: no figure is called {{{key}}}{hint}.")
    return messages
