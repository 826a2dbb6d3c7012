"""
Everything that changes an annual review: editing a narrative section, freezing the year.

Each act checks the person may do it (so the command line obeys the pages' rules), takes a
row lock on the year's review (an edit saved while the review is frozen lands before the
freeze or is refused), cleans the row with its model and saves it. Nothing is overwritten:
each edit is a new version; the freeze keeps the PDF as an issued pack is kept
(`StoredPdf`), and after it nothing edits the year.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can
from opb_portal.periods import FinancialYear, Period

from . import render, sections, selectors
from .models import AnnualReviewText, AnnualReviewYear, FrozenAnnualReview
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
            f"The annual review {review.year} was frozen on {frozen.frozen_at:%d %B %Y} by "
            f"{frozen.frozen_by}: nothing in it can be edited."
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
def annual_review_freeze(*, year: FinancialYear, user: User) -> FrozenAnnualReview:
    """
    Freeze the year's review: every narrative nobody edited is kept as the draft it is now,
    the PDF is written once with its SHA-256, and from then on nothing edits the year.
    """
    if not can(user, Action.FREEZE_ANNUAL_REVIEW):
        raise PackError("Only an administrator can freeze the annual review.")
    if Period.current() <= year.last:
        raise PackError(f"The year {year} has not ended: freeze its review after March.")
    review = _locked(year)
    _refuse_if_frozen(review)
    # The same instant goes on the cover, into the PDF's metadata and on the record.
    frozen_at = timezone.now().replace(microsecond=0)
    built = selectors.annual_review(year)
    for narrative in built.narratives:
        if narrative.latest is None:
            kept = AnnualReviewText(
                review=review,
                section=narrative.section.key,
                number=1,
                text=narrative.draft,
                draft=narrative.draft,
                written_by=user,
                written_at=frozen_at,
                at_freeze=True,
            )
            kept.full_clean()
            kept.save()
            narrative.latest = kept
    frozen = FrozenAnnualReview(
        review=review,
        stored_name=f"{uuid.uuid4().hex}.pdf",
        sha256="0" * 64,
        size=0,
        pages=0,
        frozen_by=user,
        frozen_at=frozen_at,
    )
    built.frozen = frozen
    rendered = render.render_annual_review(built, frozen_at)
    frozen.sha256, frozen.size, frozen.pages = rendered.sha256, len(rendered.pdf), rendered.pages
    frozen.full_clean()
    frozen.write(rendered.pdf)
    # Should the row not be written, nothing may point at the file: remove it.
    try:
        frozen.save()
    except Exception:
        frozen.path.unlink(missing_ok=True)
        raise
    return frozen
