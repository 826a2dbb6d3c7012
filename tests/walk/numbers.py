"""
What the demo walk reads in a page's words: numbers written the portal's one way.

`opb_portal.formatting` writes every figure: `3,728` (thousands separated), `87.2%`.
These checks read the text a person sees on a page (not attributes, scripts or styles)
and name every number over 999 written without a separator, and every percentage
measure's figure written without its `%`.

Numbers that are not figures are left alone on purpose, each for its reason (below):
years, times and dates, references such as return versions and SHA-256 digests, and
anything inside a word (postcodes, codes like `PI11`, version strings).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Text inside these is not read by a person as words on the page.
# Text inside these is not a figure the portal wrote: a person's own words in a textarea, an
# example of what to type (`<kbd>86.4</kbd>`), code.
_UNREAD = {"script", "style", "head", "title", "textarea", "code", "pre", "kbd", "samp"}

# A run of digits that is a whole token: not part of a word (`PI11`, `B69`, a hex digest's
# `4f2a1234`), not already grouped with commas (`3,728`) and not part of a dotted version or
# a path. A decimal part is kept with it, so `1234.5` is one token.
_NUMBER = re.compile(r"(?<![\w.,/:#])(\d{4,})(?:\.\d+)?(?![\w,:/]|\.\d)")

# Years are written without separators (`2024`, `2024-25`, `April 2025`); a figure between
# 1900 and 2099 is taken for a year, which a count of that size would also look like: the
# demo's counts in that range are written grouped anyway, and this is the price of reading
# words rather than markup.
_YEARS = range(1900, 2100)

# Telephone numbers (`0121 569 2200`) start with a zero and come in groups; no figure does.
_TELEPHONE = re.compile(r"\b0\d{2,4}(?: \d{3,4}){1,2}\b")

# The contract's own KPI titles say "(rate per 10000)": quoted words of the framework as the
# contract publishes them (fixtures/), not a figure the portal writes.
_QUOTED = re.compile(r"\bper 10000\b")


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and int(digits) in _YEARS


class _Words(HTMLParser):
    """The text of a page a person reads, block by block."""

    def __init__(self, unread: set[str]):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._unread = unread

    def handle_starttag(self, tag, attrs):
        if tag in self._unread:
            self._skip += 1
        # A block boundary, so two cells never run together into one number.
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._unread and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def words(html: str, *, charts: bool = True) -> str:
    """The page's visible text, with tags as spaces; without the charts' SVG if not `charts`."""
    parser = _Words(_UNREAD if charts else _UNREAD | {"svg"})
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def ungrouped_numbers(text: str) -> list[str]:
    """Every number over 999 written without thousands separators, with a little context."""
    found = []
    text = _TELEPHONE.sub("(telephone)", _QUOTED.sub("per ten thousand", text))
    for match in _NUMBER.finditer(text):
        digits = match.group(1)
        if _is_year(digits):
            continue
        start, end = max(0, match.start() - 30), match.end() + 30
        found.append(f"{match.group(0)!r} in …{text[start:end]}…")
    return found


def percentages_without_sign(text: str, figures: set[str]) -> list[str]:
    """
    Each of `figures` (percentage measures' values as the portal writes them, `87.2`) that
    appears in the text without `%` after it.

    A change between two percentages is in percentage points (`0.9 points`), so a figure
    followed by `points` or `pp` is right too. Pass `words(html, charts=False)`: a chart's
    own words (its SVG) are not read here, since the chart module knows no units yet (its
    labels are grouped through formatting; their `%` is the charts work of issue 15, part 5).
    """
    if not figures:
        return []
    alternatives = "|".join(re.escape(f) for f in sorted(figures, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.,])({alternatives})(?![\w.,]|\s*%|\s*(?:points?|pp)\b)")
    found = []
    for match in pattern.finditer(text):
        start, end = max(0, match.start() - 40), match.end() + 20
        found.append(f"{match.group(1)!r} in …{text[start:end]}…")
    return found
