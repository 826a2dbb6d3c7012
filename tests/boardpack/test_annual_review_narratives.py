"""
The annual review's narrative sections: drafted from the data, edited by council reviewers and
administrators (each edit a kept version, who and when), frozen by an administrator (the PDF
kept with its SHA-256 as an issued pack is), after which nothing edits the year.
"""

from __future__ import annotations

import hashlib

import pytest

from governance.changes import services as change_services
from governance.models import Change
from opb_portal.accounts.models import Role, User
from opb_portal.boardpack import annual, render, sections, selectors
from opb_portal.boardpack.models import AnnualReviewText
from opb_portal.boardpack.services import PackError
from opb_portal.periods import FinancialYear

from ..factories import UserFactory
from .conftest import pdf_pages

YEAR = FinancialYear(2024)
H = "change-control"
PAGE = "/annual-review/2024-25/"
EDIT = f"{PAGE}sections/{H}/"


@pytest.fixture
def sam(demo):
    return User.objects.get(username="reviewer")


@pytest.fixture
def kim(demo):
    """A second council reviewer, editing the same section as Sam."""
    return UserFactory(role=Role.REVIEWER, username="kim")


@pytest.fixture
def admin(demo):
    return User.objects.get(username="admin")


@pytest.fixture
def fast_pdf(monkeypatch):
    """The review's files made instantly: for tests of the freeze's rules, not of its pages."""
    made = []

    def render_annual_review(review, generated_at):
        made.append(review)
        pdf = f"%PDF-1.7 draft {review.year} {review.circulating.number} {generated_at}".encode()
        return render.Rendered(pdf, 1, hashlib.sha256(pdf).hexdigest(), None)

    monkeypatch.setattr(render, "render_annual_review", render_annual_review)
    monkeypatch.setattr(render, "annual_docx", lambda review, at: b"PK word " + str(at).encode())
    return made


def _freeze(year=YEAR):
    """Circulate a draft as the reviewer and have both organisations' board members sign it."""
    draft = annual.annual_review_circulate(year=year, user=User.objects.get(username="reviewer"))
    for username in ("board", "trust.ceo"):
        _, frozen = annual.annual_review_sign_off(
            year=year, number=draft.number, user=User.objects.get(username=username)
        )
    return frozen


def _save(user, text, based_on=0, key=H):
    return annual.annual_text_save(year=YEAR, key=key, text=text, based_on=based_on, user=user)


# --- the sections, in the review's order ------------------------------------------------------


def test_the_sections_come_in_the_published_reviews_letter_order():
    # The Executive Summary comes first (before the Introduction), then (a) to (k).
    first, *lettered = sections.annual_sections()
    assert (first.key, first.annual_letter) == ("executive-summary", "~")
    letters = [s.annual_letter for s in lettered]
    assert letters == sorted(letters)
    assert {"b", "d", "e", "f", "h", "i", "k"} <= set(letters)


def test_a_narrative_starts_as_the_draft_from_the_data(sam, client):
    review = selectors.annual_review(YEAR)
    (narrative,) = [n for n in review.narratives if n.section.key == H]
    assert (narrative.latest, narrative.edited) == (None, False)
    assert narrative.text.startswith("Changes to Service Delivery Contract")
    client.force_login(sam)
    html = client.get(PAGE).content.decode()
    assert "- Amendment of KPI 9 (Date of the Fast Track Change) from 1st April 2025" in html
    assert "Drafted from the data; nobody has edited it yet." in html
    assert f'href="{EDIT}"' in html


@pytest.mark.parametrize(
    "username", [pytest.param("board", id="board-member"), pytest.param("kpi.submitter", id="kpi")]
)
def test_only_reviewers_and_administrators_are_offered_the_edit(client, demo, username):
    client.force_login(User.objects.get(username=username))
    assert f'href="{EDIT}"' not in client.get(PAGE).content.decode()
    with pytest.raises(PackError, match="does not allow"):
        _save(User.objects.get(username=username), "Mine.")


# --- editing ----------------------------------------------------------------------------------


def test_each_edit_is_a_kept_version_with_who_and_when(sam, kim, client):
    first = _save(sam, "Changes to Service Delivery Contract\n\n- One change.")
    second = _save(kim, "Changes to Service Delivery Contract\n\n- Two changes.", based_on=1)
    assert [(v.number, v.written_by) for v in selectors.text_versions(YEAR, H)] == [
        (2, kim),
        (1, sam),
    ]
    (narrative,) = [n for n in selectors.annual_review(YEAR).narratives if n.section.key == H]
    assert first.draft == second.draft == narrative.draft
    client.force_login(sam)
    html = client.get(PAGE).content.decode()
    assert "- Two changes." in html
    assert "Edited by kim" in html
    assert "(version 2)" in html


def test_an_edit_written_against_an_older_version_is_refused(sam, kim):
    _save(sam, "Sam's words.")
    with pytest.raises(annual.TextChanged, match="saved version 1 of this section while you"):
        _save(kim, "Kim's words.", based_on=0)
    assert [v.text for v in selectors.text_versions(YEAR, H)] == ["Sam's words."]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("   ", "empty section", id="empty"),
        pytest.param("x" * (annual.LONGEST_TEXT + 1), "at most", id="too-long"),
    ],
)
def test_a_text_that_says_nothing_or_too_much_is_refused(sam, text, says):
    with pytest.raises(PackError, match=says):
        _save(sam, text)


def test_saving_the_same_text_again_is_refused(sam):
    _save(sam, "Sam's words.")
    with pytest.raises(PackError, match="Nothing has changed"):
        _save(sam, "Sam's words.", based_on=1)


def test_a_section_without_a_narrative_cannot_be_edited(sam, client):
    with pytest.raises(PackError, match="no such section"):
        _save(sam, "Words.", key="kpi-scorecard")
    client.force_login(sam)
    assert client.get(f"{PAGE}sections/kpi-scorecard/").status_code == 404


def test_the_page_says_when_the_datas_draft_changed_since_the_edit(sam, admin, client):
    _save(sam, "Sam's words.")
    client.force_login(sam)
    assert "The data's draft has changed" not in client.get(PAGE).content.decode()
    ssa = Change.objects.get(kind=Change.Kind.SSA)
    change_services.change_withdraw(change=ssa, user=admin, reason="Recorded in error.")
    html = client.get(PAGE).content.decode()
    assert "The data's draft has changed since this text was edited." in html
    assert "Sam&#x27;s words." in html
    assert "There were no changes to the support services agreements" in html


def test_editing_through_the_page_keeps_a_version(sam, client):
    client.force_login(sam)
    form = client.get(EDIT)
    assert form.status_code == 200
    assert form.context["form"].initial["text"].startswith("Changes to Service Delivery")
    response = client.post(EDIT, {"text": "Reviewed wording.", "based_on": "0"})
    assert response["Location"] == f"{PAGE}#{H}"
    assert AnnualReviewText.objects.get().text == "Reviewed wording."
    stale = client.post(EDIT, {"text": "Another wording.", "based_on": "0"})
    assert stale.status_code == 400
    assert "while you were editing" in stale.content.decode()


# --- freezing ---------------------------------------------------------------------------------


def test_signing_off_keeps_the_signed_draft_and_every_section_as_it_stands(sam, fast_pdf):
    _save(sam, "Sam's words.")
    frozen = _freeze()
    assert frozen.read() == frozen.path.read_bytes() == frozen.draft.read()
    assert frozen.sha256 == hashlib.sha256(frozen.path.read_bytes()).hexdigest()
    assert (frozen.frozen_by.username, frozen.review.start_year) == ("trust.ceo", 2024)
    # The edited section stays as edited; the one nobody edited is kept as its draft.
    kept = {t.section: t for t in AnnualReviewText.objects.filter(number__gte=1)}
    assert (kept[H].text, kept[H].at_freeze) == ("Sam's words.", False)
    assert kept["proposed-changes"].at_freeze
    assert kept["proposed-changes"].text.startswith("- LIAT changes")
    (review,) = fast_pdf
    assert review.circulating == frozen.draft


def test_after_the_freeze_nothing_edits_the_year(sam, client, fast_pdf):
    _freeze()
    with pytest.raises(PackError, match="frozen"):
        _save(sam, "Too late.", based_on=1)
    with pytest.raises(PackError, match="frozen"):
        annual.annual_review_circulate(year=YEAR, user=sam)
    client.force_login(sam)
    assert client.get(EDIT)["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert "Frozen" in html
    assert f'href="{EDIT}"' not in html
    assert client.get("/annual-review/2024-25.pdf")["Location"] == f"{PAGE}frozen.pdf"
    assert client.get("/annual-review/2024-25.docx")["Location"] == f"{PAGE}drafts/1.docx"


def test_the_frozen_review_is_listed_and_downloaded_as_stored(
    sam, client, fast_pdf, django_assert_num_queries
):
    frozen = _freeze()
    client.force_login(sam)
    # 6 queries: session, user, savepoint, the frozen reviews with who froze them, the span of
    # approved returns (the years still drafts), release
    with django_assert_num_queries(6):
        html = client.get("/annual-review/").content.decode()
    assert f'href="{PAGE}frozen.pdf"' in html
    assert "Annual review 2024-25 (draft)" not in html
    response = client.get(f"{PAGE}frozen.pdf")
    assert response.content == frozen.path.read_bytes()
    assert response["ETag"] == f'"{frozen.sha256}"'
    assert response["Content-Disposition"] == 'attachment; filename="annual-review-2024-25.pdf"'


def test_the_reviews_own_reads_are_two_queries_however_many_versions(
    sam, kim, django_assert_num_queries
):
    for number in range(3):
        _save(sam if number % 2 else kim, f"Version {number + 1}.", based_on=number)
    # The latest version of each section with its author; the freeze with who froze it.
    with django_assert_num_queries(2):
        texts = selectors.latest_texts(YEAR)
        selectors.frozen_review(YEAR)
    assert texts[H].text == "Version 3."


def test_the_frozen_pdf_is_the_signed_draft_with_what_was_edited(sam, monkeypatch):
    monkeypatch.setattr(render, "annual_docx", lambda review, at: b"PK not this test's concern")
    _save(sam, "Reviewed at the OPB of May 2025: <b>three</b> changes.")
    frozen = _freeze()
    text = " ".join(" ".join(page.split()) for page in pdf_pages(frozen.read()))
    assert "Reviewed at the OPB of May 2025: <b>three</b> changes." in text
    assert f"Draft 1, circulated on {frozen.draft.circulated_at:%-d %B %Y}" in text
    assert "Section (h) Any Changes to the Agreement" in text
    assert "- LIAT changes to Statistical Neighbour Group from June 2025" in text
    assert "There are no additional matters in this report that have been agreed" in text
