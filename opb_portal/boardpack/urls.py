"""
The board pack's pages: `/meetings/...`, `/packs/<issue>.pdf` and `/annual-review/...` (the
years' reviews, a narrative section's edits, circulated drafts and their sign-offs, the
frozen PDF).

A date or a financial year that does not exist matches no pattern: a 404 before any view runs.
"""

import datetime

from django.urls import path, register_converter

from opb_portal.periods import FinancialYear

from . import views


class DateConverter:
    """A meeting's date written `2025-04-17`; the view receives a `datetime.date`."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match, so a 404

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


class FinancialYearConverter:
    """A financial year written `2024-25`; the view receives a `FinancialYear`."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> FinancialYear:
        return FinancialYear.parse(value)  # PeriodError is a ValueError

    def to_url(self, value) -> str:
        return value.label if isinstance(value, FinancialYear) else str(value)


register_converter(DateConverter, "iso_date")
register_converter(FinancialYearConverter, "financial_year")

app_name = "boardpack"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<iso_date:date>/", views.meeting_detail, name="meeting"),
    path("meetings/<iso_date:date>/preview.pdf", views.pack_preview, name="preview"),
    path("meetings/<iso_date:date>/issue/", views.pack_issue, name="issue"),
    path("packs/<int:pk>.pdf", views.pack_download, name="download"),
    path("annual-review/", views.annual_reviews, name="annual_reviews"),
    path("annual-review/<financial_year:year>/", views.annual_review, name="annual_review"),
    path(
        "annual-review/<financial_year:year>.pdf",
        views.annual_review_pdf,
        name="annual_review_pdf",
    ),
    path(
        "annual-review/<financial_year:year>/sections/<slug:key>/",
        views.annual_text_edit,
        name="annual_text_edit",
    ),
    path(
        "annual-review/<financial_year:year>.docx",
        views.annual_review_docx,
        name="annual_review_docx",
    ),
    path(
        "annual-review/<financial_year:year>/circulate/",
        views.annual_review_circulate,
        name="annual_review_circulate",
    ),
    path(
        "annual-review/<financial_year:year>/sign-off/",
        views.annual_review_sign_off,
        name="annual_review_sign_off",
    ),
    path(
        "annual-review/<financial_year:year>/drafts/<int:number>.pdf",
        views.annual_draft_pdf,
        name="annual_draft_pdf",
    ),
    path(
        "annual-review/<financial_year:year>/drafts/<int:number>.docx",
        views.annual_draft_docx,
        name="annual_draft_docx",
    ),
    path(
        "annual-review/<financial_year:year>/frozen.pdf",
        views.annual_review_frozen,
        name="annual_review_frozen",
    ),
]
