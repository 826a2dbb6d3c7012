"""
The pages of README.md's "What is where" table: what `make screenshots` photographs and what
the browser tests walk at a phone's width, as each demonstration user.

The table is the list, so a page added to it is photographed and checked with no other change.
The API's addresses answer JSON, not pages, and are left out.
"""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
NOT_PAGES = ("/api/",)
# Besides the table: the home page every sign-in lands on, and the portal's "not found" page.
EXTRA = [("home", "/"), ("not-found", "/no-such-page/")]


def readme_pages(readme: Path = README) -> list[tuple[str, str]]:
    """
    Every page of the table as (name, address), in the table's order (a row may give two),
    after the home page and the "not found" page.
    """
    text = readme.read_text(encoding="utf-8")
    table = text.split("## What is where", 1)[1].split("\n## ", 1)[0]
    pages = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[1].startswith("`"):
            continue
        for address in re.findall(r"`(/[^`]*)`", cells[1]):
            if not address.startswith(NOT_PAGES):
                pages.append((slug(address), address))
    return [*EXTRA, *pages]


def slug(address: str) -> str:
    """A file name for a page: `/kpis/scorecard/?period=2025-03` is `kpis-scorecard-2025-03`."""
    return re.sub(r"[^a-z0-9]+", "-", address.lower()).strip("-") or "home"
