"""
The annual review's drafts and sign-off: someone who edits the review circulates draft N of the
whole document (its PDF and Word files kept with their SHA-256); a board member of the Trust and
one of the council each sign off the latest draft for their own organisation; when both have
signed the same draft, the review is frozen with that draft's PDF.
"""

from __future__ import annotations

import hashlib

import pytest

from opb_portal.accounts.models import Role, User
from opb_portal.boardpack import annual, render, selectors
from opb_portal.boardpack.models import AnnualReviewDraft, AnnualReviewSignOff, FrozenAnnualReview
from opb_portal.boardpack.services import PackError
from opb_portal.periods import FinancialYear

from ..factories import UserFactory

YEAR = FinancialYear(2024)
PAGE = "/annual-review/2024-25/"


@pytest.fixture
def fast_files(monkeypatch):
    """A draft's PDF and Word files made instantly: these tests are about the rules."""

    def render_annual_review(review, generated_at):
        pdf = f"%PDF-1.7 draft {review.circulating.number} {generated_at}".encode()
        return render.Rendered(pdf, 1, hashlib.sha256(pdf).hexdigest(), None)

    monkeypatch.setattr(render, "render_annual_review", render_annual_review)
    monkeypatch.setattr(render, "annual_docx", lambda review, at: b"PK word " + str(at).encode())


@pytest.fixture
def signers(demo):
    """Board members of each side, a second of the council's, one of no organisation."""
    UserFactory(username="council.two", role=Role.BOARD_MEMBER)
    UserFactory(username="nobody", role=Role.BOARD_MEMBER, organisation=None)
    return {u.username: u for u in User.objects.all()}


def _circulate(year=YEAR):
    return annual.annual_review_circulate(year=year, user=User.objects.get(username="reviewer"))


def _sign(username, number=1, year=YEAR):
    return annual.annual_review_sign_off(
        year=year, number=number, user=User.objects.get(username=username)
    )


# Each case: the steps before (a username signs draft n, or "circulate"), then the last step
# and what it says if refused; then the draft frozen (None: not frozen).
CASES = [
    pytest.param(
        ["circulate", ("board", 1)],
        ("council.two", 1),
        "Sandwell Council has already",
        None,
        id="two-signers-of-the-same-organisation",
    ),
    pytest.param(["circulate", ("trust.ceo", 1)], ("board", 1), "", 1, id="trust-then-council"),
    pytest.param(["circulate", ("board", 1)], ("trust.ceo", 1), "", 1, id="council-then-trust"),
    pytest.param(
        ["circulate", ("trust.ceo", 1), "circulate"],
        ("board", 2),
        "",
        None,
        id="a-new-draft-between-needs-both-again",
    ),
    pytest.param(
        ["circulate", ("trust.ceo", 1), "circulate", ("board", 2)],
        ("trust.ceo", 2),
        "",
        2,
        id="both-sign-the-new-draft",
    ),
    pytest.param(
        ["circulate", "circulate"],
        ("board", 1),
        "Draft 2 has been circulated since",
        None,
        id="an-older-draft",
    ),
    pytest.param(["circulate"], ("reviewer", 1), "Only a board member", None, id="a-reviewer"),
    pytest.param(
        ["circulate"],
        ("nobody", 1),
        "neither the Trust nor the council",
        None,
        id="no-organisation",
    ),
    pytest.param([], ("board", 1), "No draft", None, id="nothing-circulated"),
]


@pytest.mark.parametrize(("before", "last", "refusal", "frozen_draft"), CASES)
def test_the_sign_off_rules(signers, fast_files, before, last, refusal, frozen_draft):
    for step in before:
        if step == "circulate":
            _circulate()
        else:
            _sign(*step)
    if refusal:
        with pytest.raises(PackError, match=refusal):
            _sign(*last)
    else:
        _sign(*last)
    frozen = FrozenAnnualReview.objects.select_related("draft").first()
    assert (frozen.draft.number if frozen else None) == frozen_draft


def test_signing_before_the_year_has_ended_is_refused(signers, fast_files):
    with pytest.raises(PackError, match="has not ended"):
        _sign("board", year=FinancialYear(2098))
    with pytest.raises(PackError, match="has not ended"):
        _circulate(year=FinancialYear(2098))
    assert not AnnualReviewDraft.objects.exists()


def test_an_earlier_sign_off_stays_recorded_against_its_draft(signers, fast_files):
    _circulate()
    _sign("trust.ceo", 1)
    _circulate()
    _sign("board", 2)
    signed = {
        (s.draft.number, s.organisation.kind)
        for s in AnnualReviewSignOff.objects.select_related("draft", "organisation")
    }
    assert signed == {(1, "trust"), (2, "council")}


def test_the_frozen_file_is_the_signed_draft(signers, fast_files):
    draft = _circulate()
    _sign("board")
    _, frozen = _sign("trust.ceo")
    assert (frozen.draft, frozen.stored_name, frozen.sha256) == (
        draft,
        draft.stored_name,
        draft.sha256,
    )
    assert frozen.read() == draft.read()
    assert hashlib.sha256(frozen.read()).hexdigest() == draft.sha256
    with pytest.raises(PackError, match="frozen"):
        _circulate()


def test_a_draft_keeps_its_pdf_and_word_files_with_their_sha256(signers, fast_files):
    draft = _circulate()
    assert draft.number == 1
    assert draft.read() == draft.path.read_bytes()
    assert draft.read_docx().startswith(b"PK word ")
    assert draft.docx_sha256 == hashlib.sha256(draft.docx_path.read_bytes()).hexdigest()
    assert _circulate().number == 2


def test_a_draft_is_circulated_and_signed_from_the_page(signers, fast_files, client):
    client.force_login(signers["reviewer"])
    response = client.post(f"{PAGE}circulate/")
    assert response["Location"] == PAGE
    html = client.get(PAGE).content.decode()
    assert "Draft 1 of the annual review 2024-25 is kept" in html
    assert f'href="{PAGE}drafts/1.pdf"' in html
    assert f'href="{PAGE}drafts/1.docx"' in html
    assert "Sign off draft 1" not in html
    client.force_login(signers["trust.ceo"])
    html = client.get(PAGE).content.decode()
    assert "Sign off draft 1 for Sandwell Children&#x27;s Trust" in html
    assert "Circulate a new draft" not in html
    client.post(f"{PAGE}sign-off/", {"number": "1"})
    client.force_login(signers["board"])
    client.post(f"{PAGE}sign-off/", {"number": "1"})
    html = client.get(PAGE).content.decode()
    assert "the annual review is frozen" in html
    assert "when the Trust and the council had both signed off draft 1" in html
    assert "Sign off draft" not in html


def test_a_refused_sign_off_says_why_on_the_page(signers, fast_files, client):
    _circulate()
    _circulate()
    client.force_login(signers["board"])
    response = client.post(f"{PAGE}sign-off/", {"number": "1"}, follow=True)
    assert "Draft 2 has been circulated since you opened draft 1" in response.content.decode()
    assert not AnnualReviewSignOff.objects.exists()


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("reviewer", id="reviewer"),
        pytest.param("board", id="board-member"),
        pytest.param("kpi.submitter", id="kpi-submitter"),
        pytest.param("admin", id="administrator"),
    ],
)
def test_every_reader_downloads_a_draft_as_stored(signers, fast_files, client, username):
    draft = _circulate()
    client.force_login(signers[username])
    pdf = client.get(f"{PAGE}drafts/1.pdf")
    assert pdf.content == draft.path.read_bytes()
    assert pdf["ETag"] == f'"{draft.sha256}"'
    docx = client.get(f"{PAGE}drafts/1.docx")
    assert docx.content == draft.docx_path.read_bytes()
    assert docx["Content-Disposition"] == (
        'attachment; filename="annual-review-2024-25-draft-1.docx"'
    )
    assert client.get(f"{PAGE}drafts/2.pdf").status_code == 404


def test_the_drafts_and_their_sign_offs_are_two_queries(
    signers, fast_files, django_assert_num_queries
):
    for _ in range(3):
        _circulate()
    _sign("board", 3)
    # 2 queries: the drafts with who circulated them, their sign-offs with who and for whom
    with django_assert_num_queries(2):
        drafts = selectors.review_drafts(YEAR)
        signed = [[s.signed_by.username for s in d.sign_offs.all()] for d in drafts]
    assert [d.number for d in drafts] == [3, 2, 1]
    assert signed == [["board"], [], []]
