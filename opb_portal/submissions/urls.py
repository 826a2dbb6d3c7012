"""
The return pages of every domain: `/returns/<domain>/<yyyy-mm>/...`.

A domain nobody registered, or a month that does not exist (2025-13), does not
match any pattern, so it is a 404 before any view runs.
"""

from django.urls import path, register_converter

from opb_portal.periods import Period

from . import exports, registry, views


class DomainConverter:
    """A registered return domain; the view receives the name."""

    regex = "[a-z][a-z0-9_]*"

    def to_python(self, value: str) -> str:
        try:
            registry.get(value)
        except KeyError as exc:
            raise ValueError(f"No return is registered for {value!r}") from exc
        return value

    def to_url(self, value: str) -> str:
        return value


class MonthConverter:
    """A reporting month written `2025-03`; the view receives a `Period`."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> Period:
        return Period.parse(value)  # PeriodError is a ValueError: no match, so a 404

    def to_url(self, value) -> str:
        return value.iso if isinstance(value, Period) else str(value)


register_converter(DomainConverter, "return_domain")
register_converter(MonthConverter, "yyyy_mm")

app_name = "submissions"

MONTH = "returns/<return_domain:domain>/<yyyy_mm:period>"

urlpatterns = [
    path("returns/", views.return_list, name="list"),
    path("returns/<return_domain:domain>/upload/", views.upload, name="upload"),
    path(
        "returns/<return_domain:domain>/upload/problems/<slug:token>.xlsx",
        views.upload_problems,
        name="upload_problems",
    ),
    path(
        "returns/<return_domain:domain>/upload/problems/<slug:token>/",
        views.upload_refused,
        name="upload_refused",
    ),
    path(
        "returns/<return_domain:domain>/upload/<slug:token>/",
        views.upload_preview,
        name="upload_preview",
    ),
    path(
        "returns/<return_domain:domain>/template/<yyyy_mm:period>.xlsx",
        views.template,
        name="template",
    ),
    path(f"{MONTH}/", views.detail, name="detail"),
    path(f"{MONTH}/figures.<str:fmt>", exports.return_figures_view, name="figures_export"),
    path(f"{MONTH}/edit/", views.edit, name="edit"),
    path(f"{MONTH}/rag/", views.rag, name="rag"),
    path(f"{MONTH}/submit/", views.submit, name="submit"),
    path(f"{MONTH}/review/", views.review, name="review"),
    path(f"{MONTH}/comment/", views.comment, name="comment"),
    path(f"{MONTH}/versions/<int:number>/file/", views.version_file, name="version_file"),
    path("periods/", views.periods, name="periods"),
]
