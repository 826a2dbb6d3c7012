"""
Reads of the risk register: the register page and one risk's page.

Each risk comes with its reviews and what it concerns (`core.subjects`): three queries for
the risks, their reviews and their subjects, then one a kind of subject, however many
risks there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from opb_portal import rag
from opb_portal.core import subjects

from ..models import Risk, RiskReview


@dataclass(frozen=True)
class RiskRow:
    """A risk, its reviews (oldest first) and the subjects it concerns."""

    risk: Risk
    reviews: list[RiskReview]
    subjects: list[subjects.Subject]

    @property
    def latest(self) -> RiskReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def score(self) -> int:
        return self.latest.score if self.latest else 0

    @property
    def status(self) -> rag.Status:
        return self.latest.status if self.latest else rag.Status.MISSING


def _rows(risks: list[Risk]) -> list[RiskRow]:
    found = subjects.describe(s.subject for risk in risks for s in risk.subjects.all())
    return [
        RiskRow(
            risk=risk,
            reviews=list(risk.reviews.all()),
            subjects=[found[s.subject] for s in risk.subjects.all()],
        )
        for risk in risks
    ]


def _risks():
    return Risk.objects.select_related("raised_by", "closed_by").prefetch_related(
        Prefetch(
            "reviews",
            RiskReview.objects.select_related("recorded_by").order_by("reviewed_on", "pk"),
        ),
        "subjects",
    )


def risk_register() -> tuple[list[RiskRow], list[RiskRow]]:
    """The open risks, highest score first, and the closed ones, latest closed first."""
    rows = _rows(list(_risks()))
    current = sorted((r for r in rows if r.risk.is_open), key=lambda r: (-r.score, r.risk.pk))
    closed = sorted(
        (r for r in rows if not r.risk.is_open), key=lambda r: r.risk.closed_at, reverse=True
    )
    return current, closed


def risk_for_page(pk: int) -> RiskRow | None:
    risk = _risks().filter(pk=pk).first()
    return _rows([risk])[0] if risk else None
