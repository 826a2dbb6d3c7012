"""
One way from a return version to figures, and which version a page shows.

Approval saves a version's figures in the domain's own tables (`ReturnSpec.apply`), and
the dashboards read those tables. A few places show another version: the Trust's own
people see their latest figures beside the approved ones, a draft board pack shows the
figures sent for approval, and a check across two returns compares with the other
return's latest figures, approved or not. Each says which version it wants with a
`Source`, and turns that version into the domain's rows with the spec's
`figures(version)`: the very rows approval saves, so a figure reads the same whichever
way it reached the page.

`VersionShown` says which version a page shows; `templates/partials/version_shown.html`
puts it in the same words on every domain's pages and in the pack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models

from opb_portal.periods import Period

from . import registry
from .models import Return, ReturnVersion

# How a figure that nobody has approved yet is marked, on every page and in the pack.
UNAPPROVED = "Not yet approved"


class Source(StrEnum):
    """Which version of a month's return the figures come from."""

    # The approved version: what dashboards, the API and an issued pack show.
    APPROVED = "approved"
    # The version with the council while the return is submitted, else the approved one:
    # what a draft pack shows, so the chair previews what is coming. A Trust draft or a
    # return sent back is never shown: the council has not seen it.
    SUBMITTED = "submitted"
    # The latest version saved, whatever its state: the Trust's own figures, and what a
    # check across returns compares with (the two returns are usually prepared together).
    LATEST = "latest"

    def version(self, ret: Return | None) -> ReturnVersion | None:
        """The version of `ret` this source picks; None when there is none to show."""
        if ret is None:
            return None
        if self is Source.LATEST or (
            self is Source.SUBMITTED and ret.status == Return.Status.SUBMITTED
        ):
            version = ret.current_version
        else:
            version = ret.approved_version
        if version is not None:
            version.ret = ret  # at hand already: `figures` reads its month without a query
        return version


@dataclass(frozen=True)
class VersionShown:
    """
    Which version of a month's return a page shows, for the one partial that says so.

    `version` is the version whose figures the page shows (None: nothing approved yet, or
    no return); `beside` a later version whose figures are shown beside them, marked as not
    yet approved (the Trust's own view of its scorecard).
    """

    domain: str
    period: Period
    ret: Return | None
    version: ReturnVersion | None = None
    beside: ReturnVersion | None = None

    @property
    def label(self) -> str:
        """How people call the return: "KPI return", "finance return"."""
        return registry.get(self.domain).label

    @property
    def unapproved(self) -> bool:
        """Whether the page's figures are not the approved ones (a draft pack's)."""
        return self.version is not None and self.version.pk != self.ret.approved_version_id

    @property
    def approved(self) -> ReturnVersion | None:
        return self.ret.approved_version if self.ret else None

    @property
    def later(self) -> ReturnVersion | None:
        """The return's current version when it is not the one shown: a correction under way."""
        if self.ret is None or self.ret.current_version_id is None:
            return None
        if self.version is not None and self.ret.current_version_id == self.version.pk:
            return None
        return self.ret.current_version

    @property
    def source(self) -> str:
        """Where the shown version's figures came from: the uploaded file's name, or the form."""
        if self.version is None:
            return ""
        return "typed in the form" if self.version.source == "form" else self.version.source

    @property
    def status(self) -> str:
        return self.ret.get_status_display().lower() if self.ret else ""

    def figures(self):
        """The shown version's figures as the domain's unsaved rows (`ReturnSpec.figures`)."""
        return registry.get(self.domain).figures(version=self.version)

    def beside_figures(self):
        return registry.get(self.domain).figures(version=self.beside)


def version_shown(
    *,
    domain: str,
    period: Period,
    ret: Return | None,
    source: Source = Source.APPROVED,
    beside: Source | None = None,
) -> VersionShown:
    """
    Which version of `ret` (the month's return, already fetched) a page reading `source`
    shows, and the version `beside` picks when it is another one. No query.
    """
    version = source.version(ret)
    other = beside.version(ret) if beside is not None else None
    if other is not None and version is not None and other.pk == version.pk:
        other = None
    return VersionShown(domain=domain, period=period, ret=ret, version=version, beside=other)


def save_rows(rows: Iterable[models.Model], *, keys: tuple[str, ...]) -> None:
    """
    Save `figures(version)`'s unsaved rows, each over the stored row with the same `keys`
    (its measure and month) or as a new row. The stored row keeps its id; every other
    field becomes the given row's. This is `apply`'s write, the same for every domain.
    """
    for row in rows:
        fields = {
            field.attname: getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if not field.primary_key
        }
        lookup = {}
        for key in keys:
            name = row._meta.get_field(key).attname
            lookup[name] = fields.pop(name)
        type(row).objects.update_or_create(**lookup, defaults=fields)
