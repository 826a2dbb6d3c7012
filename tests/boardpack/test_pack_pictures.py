"""
A picture of the pack's pages for people to look at (test-artifacts/, kept out of git).

Nothing is judged here but that the pages rasterise; the PNGs are for eyes, as a
browser test keeps a screenshot, so they are made by `make screenshots`, not the suite.
Look at them after changing the pack's templates.
"""

import subprocess

import pytest

from opb_portal.boardpack import render, selectors

from .conftest import ARTIFACTS, MARCH, submitted_return

pytestmark = pytest.mark.screenshots


def _pictures(pdf: bytes, stem: str, pages: str) -> list:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    first, last = pages.split("-")
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", first, "-l", last, str(path), str(ARTIFACTS / stem)],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


def test_the_issued_march_2025_pack_rasterises_for_a_look(demo_march_issue):
    rendered = demo_march_issue.rendered
    pictures = _pictures(rendered.pdf, "board-pack-2025-03", f"1-{rendered.pages}")
    assert len(pictures) == rendered.pages
    assert all(picture.stat().st_size > 5_000 for picture in pictures)


def test_a_draft_pack_rasterises_for_a_look(meeting):
    submitted_return(MARCH, changes={"PI1": "84.2", "PI3": "23.5"})
    rendered = render.render_pack(selectors.pack_contents(MARCH, meeting=meeting))
    pictures = _pictures(rendered.pdf, "board-pack-2025-03-draft", "1-5")
    assert len(pictures) == 5


def test_the_annual_review_rasterises_for_a_look(demo_annual_review):
    pictures = _pictures(demo_annual_review.rendered.pdf, "annual-review-2024-25", "1-3")
    assert len(pictures) == 3
