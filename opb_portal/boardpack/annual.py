"""
Everything that changes an annual review: editing a narrative section, circulating a draft of
the whole document, signing a draft off for the Trust or the council.

Each act checks the person may do it (so the command line obeys the pages' rules), takes a
row lock on the year's review (an edit or a sign-off lands before the freeze or is refused),
cleans the row with its model and saves it. Nothing is overwritten: each edit is a new
version; each circulated draft keeps its PDF and Word files with their SHA-256 as an issued
pack is kept (`StoredPdf`); when both organisations have signed the same draft, the review is
frozen with that draft's PDF, and after it nothing edits the year.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import Organisation, User
from opb_portal.accounts.permissions import Action, can
from opb_portal.periods import FinancialYear, Period

from . import render, sections, selectors
from .models import (
    AnnualReviewDraft,
    AnnualReviewSignOff,
    AnnualReviewText,
    AnnualReviewYear,
    FrozenAnnualReview,
)
from .sections import Section
from .services import PackError

# A narrative is a few paragraphs; this bounds what one form can store.
LONGEST_TEXT = 20_000


class TextChanged(PackError):
    """An edit refused because someone saved the section after the editor opened it."""


def narrative_section(key: str) -> Section | None:
    """The registered section of the annual review with a narrative under `key`."""
    return next((s for s in sections.annual_sections() if s.key == key and s.annual_draft), None)


def _locked(year: FinancialYear) -> AnnualReviewYear:
    AnnualReviewYear.objects.get_or_create(start_year=year.start_year)
    return AnnualReviewYear.objects.select_for_update().get(start_year=year.start_year)


def _refuse_if_frozen(review: AnnualReviewYear) -> None:
    frozen = FrozenAnnualReview.objects.filter(review=review).select_related("frozen_by").first()
    if frozen is not None:
        raise PackError(
            f"The annual review {review.year} was frozen on {frozen.frozen_at:%d %B %Y} "
            f"(signed off last by {frozen.frozen_by}): nothing in it can be edited."
        )


@transaction.atomic
def annual_text_save(
    *, year: FinancialYear, key: str, text: str, based_on: int, user: User
) -> AnnualReviewText:
    """
    Keep a new version of a narrative section, written against version `based_on` (0: the
    draft from the data). Refused if someone saved the section since, or if it says what
    the latest version says against the same draft.
    """
    if not can(user, Action.EDIT_ANNUAL_REVIEW):
        raise PackError("Your role does not allow editing the annual review.")
    section = narrative_section(key)
    if section is None:
        raise PackError("The annual review has no such section to edit.")
    review = _locked(year)
    _refuse_if_frozen(review)
    latest = review.texts.filter(section=key).select_related("written_by").order_by("-number")
    latest = latest.first()
    number = latest.number if latest else 0
    if based_on != number:
        raise TextChanged(
            f"{latest.written_by} saved version {number} of this section while you were "
            "editing it: read theirs, then make your change again."
        )
    text = text.strip()
    if not text:
        raise PackError("Write the section's text: an empty section says nothing.")
    if len(text) > LONGEST_TEXT:
        raise PackError(f"A section holds at most {LONGEST_TEXT:,} characters.")
    draft = section.annual_draft(year)
    if latest is not None and latest.text == text and latest.draft == draft:
        raise PackError("Nothing has changed since the last version.")
    version = AnnualReviewText(
        review=review,
        section=key,
        number=number + 1,
        text=text,
        draft=draft,
        written_by=user,
        written_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def annual_review_circulate(*, year: FinancialYear, user: User) -> AnnualReviewDraft:
    """
    Keep draft N of the whole review as it stands: its PDF and its Word document written once
    with their SHA-256, who circulated it and when. The Trust and the council sign off a
    draft; circulating a new one after a sign-off means both sign the new one again.
    """
    if not can(user, Action.EDIT_ANNUAL_REVIEW):
        raise PackError("Your role does not allow circulating a draft of the annual review.")
    _refuse_if_not_ended(year)
    review = _locked(year)
    _refuse_if_frozen(review)
    last = review.drafts.order_by("-number").values_list("number", flat=True).first() or 0
    # The same instant goes on the cover, into the files' metadata and on the record.
    circulated_at = timezone.now().replace(microsecond=0)
    draft = AnnualReviewDraft(
        review=review,
        number=last + 1,
        stored_name=f"{uuid.uuid4().hex}.pdf",
        sha256="0" * 64,
        size=0,
        pages=0,
        docx_name=f"{uuid.uuid4().hex}.docx",
        docx_sha256="0" * 64,
        docx_size=0,
        circulated_by=user,
        circulated_at=circulated_at,
    )
    built = selectors.annual_review(year)
    built.circulating = draft
    rendered = render.render_annual_review(built, circulated_at)
    docx = render.annual_docx(built, circulated_at)
    draft.sha256, draft.size, draft.pages = rendered.sha256, len(rendered.pdf), rendered.pages
    draft.docx_sha256, draft.docx_size = hashlib.sha256(docx).hexdigest(), len(docx)
    draft.full_clean()
    draft.write(rendered.pdf)
    # Should the row not be written, nothing may point at the files: remove them.
    try:
        draft.write_docx(docx)
        draft.save()
    except Exception:
        draft.path.unlink(missing_ok=True)
        draft.docx_path.unlink(missing_ok=True)
        raise
    return draft


@transaction.atomic
def annual_review_sign_off(
    *, year: FinancialYear, number: int, user: User
) -> tuple[AnnualReviewSignOff, FrozenAnnualReview | None]:
    """
    Sign off draft `number` (the latest circulated) for the signer's own organisation. When the
    Trust and the council have both signed the same draft, the review is frozen with it: the
    frozen document is that draft's PDF, and from then on nothing edits the year.
    """
    if not can(user, Action.SIGN_OFF_ANNUAL_REVIEW):
        raise PackError(
            "Only a board member of the Trust or the council signs off the annual review."
        )
    _refuse_if_not_ended(year)
    organisation = user.organisation
    if organisation is None:
        raise PackError(
            "You belong to neither the Trust nor the council, so you cannot sign for either: "
            "ask an administrator to set your organisation."
        )
    review = _locked(year)
    _refuse_if_frozen(review)
    latest = review.drafts.order_by("-number").first()
    if latest is None:
        raise PackError("No draft of the annual review has been circulated yet: nothing to sign.")
    if latest.number != number:
        raise PackError(
            f"Draft {latest.number} has been circulated since you opened draft {number}: "
            f"read draft {latest.number}, then sign it off."
        )
    earlier = latest.sign_offs.filter(organisation=organisation).select_related("signed_by")
    earlier = earlier.first()
    if earlier is not None:
        raise PackError(
            f"{organisation} has already signed off draft {latest.number} "
            f"({earlier.signed_by}, {earlier.signed_at:%d %B %Y})."
        )
    signed_at = timezone.now().replace(microsecond=0)
    sign_off = AnnualReviewSignOff(
        draft=latest, organisation=organisation, signed_by=user, signed_at=signed_at
    )
    sign_off.full_clean()
    sign_off.save()
    signed = set(latest.sign_offs.values_list("organisation__kind", flat=True))
    if signed < set(Organisation.Kind.values):
        return sign_off, None
    return sign_off, _freeze(review, latest, user=user, at=signed_at)


def _refuse_if_not_ended(year: FinancialYear) -> None:
    if Period.current() <= year.last:
        raise PackError(f"The year {year} has not ended: its review is signed off after March.")


def _freeze(
    review: AnnualReviewYear, draft: AnnualReviewDraft, *, user: User, at
) -> FrozenAnnualReview:
    """
    Freeze the review with the draft both organisations signed: the frozen document is the
    draft's own file (the same name and SHA-256), and every narrative nobody edited is kept as
    the draft it is now, so the page shows what the review said.
    """
    texts = selectors.latest_texts(review.year)
    for section in sections.annual_sections():
        if section.annual_draft and section.key not in texts:
            text = section.annual_draft(review.year)
            kept = AnnualReviewText(
                review=review,
                section=section.key,
                number=1,
                text=text,
                draft=text,
                written_by=user,
                written_at=at,
                at_freeze=True,
            )
            kept.full_clean()
            kept.save()
    frozen = FrozenAnnualReview(
        review=review,
        draft=draft,
        stored_name=draft.stored_name,
        sha256=draft.sha256,
        size=draft.size,
        pages=draft.pages,
        frozen_by=user,
        frozen_at=at,
    )
    frozen.full_clean()
    frozen.save()
    return frozen
