"""
Reporting months read from requests and tables: the month a dashboard or an export is
asked for (`period_from_request`), a financial year named in a URL, and the latest month
a table holds (`latest_period`).

Every dashboard and export reads `?period=2025-03` the same way: the month asked for
(written as people write it: `2025-03`, `Mar-25`, `March 2025`), else the latest month
with figures, else this month. A month that cannot be read is the page's 400 with the
picker showing why, and the export's plain-text 400; nothing is handed out for a month
nobody asked for. The API reads its `period` through `core.api.Month`, stricter (only
`YYYY-MM`, 2000 to 2099, as its schema says), with the same `Period.parse` underneath.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBadRequest

from opb_portal.core.forms import PeriodForm
from opb_portal.periods import FinancialYear, Period, PeriodError


class AskedPeriod:
    """The month a request is answered for, and the bound form that read it."""

    def __init__(self, form: PeriodForm, latest: Callable[[], Period | None]):
        self.form = form
        self._latest = latest

    @cached_property
    def period(self) -> Period:
        """The month asked for; else the latest with figures (only then asked); else this month."""
        asked = self.form.cleaned_data["period"] if self.form.is_valid() else None
        return asked or self._latest() or Period.current()

    @property
    def error(self) -> str:
        """Why the month asked for could not be read; empty when it could (or none was)."""
        return self.form.errors["period"][0] if "period" in self.form.errors else ""

    @property
    def status(self) -> int:
        """A page's status: 400 for a month it could not read (it still shows a month)."""
        return 400 if self.error else 200

    def refusal(self) -> HttpResponseBadRequest | None:
        """An export's answer to a month it could not read: the reason, as plain text."""
        if not self.error:
            return None
        return HttpResponseBadRequest(self.error, content_type="text/plain")


def period_from_request(
    request: HttpRequest, *, latest: Callable[[], Period | None]
) -> AskedPeriod:
    """
    The month `?period=` asks for; without one (or with one that cannot be read), the
    latest month with figures (`latest`, asked only then), else this month. An export
    answers `refusal()` first, when there is one, and never needs the fallback.
    """
    return AskedPeriod(PeriodForm(request.GET), latest)


def financial_year_or_404(text: str) -> FinancialYear:
    """The financial year a URL names (`2024-25`); a year that cannot be read is a 404."""
    try:
        return FinancialYear.parse(text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


def latest_period(rows: QuerySet, field: str = "period") -> Period | None:
    """The latest month `rows` hold in `field` (a `PeriodField`), or None: one query."""
    return rows.aggregate(latest=Max(field))["latest"]
