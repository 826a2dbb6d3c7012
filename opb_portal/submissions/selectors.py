"""Reads about returns that pages, the API and the board pack share."""

from __future__ import annotations

from django.db.models import F, Prefetch

from opb_portal.periods import Period

from .models import Comment, LockedPeriod, Return, ReturnEvent, ReturnVersion


def return_with_history(*, domain: str, period: Period, organisation=None) -> Return | None:
    """
    The return for a month with its versions and the people on its events, in 2 queries.

    Without an organisation, the Trust's: it is the one organisation that sends returns.
    """
    owner = {"organisation": organisation} if organisation else {"organisation__kind": "trust"}
    return (
        Return.objects.filter(domain=domain, period=period, **owner)
        .select_related(
            "organisation",
            "current_version__created_by",
            "approved_version__created_by",
        )
        .prefetch_related(Prefetch("events", queryset=ReturnEvent.objects.select_related("user")))
        .first()
    )


def return_with_versions(*, domain: str, period: Period) -> Return | None:
    """
    The Trust's return for a month with its current and approved versions, in 1 query:
    enough to say which version a page shows, or to read a version's figures.
    """
    return (
        Return.objects.filter(domain=domain, period=period, organisation__kind="trust")
        .select_related("current_version", "approved_version")
        .first()
    )


def _last(ret: Return, action: str) -> ReturnEvent | None:
    events = [e for e in ret.events.all() if e.action == action]
    return events[-1] if events else None


def return_summary(ret: Return | None) -> dict | None:
    """
    The `return` object of the API: the state of the return behind the figures.

    The version described is the approved one the figures come from; status is
    the return's state now (a correction may be under review).
    """
    if ret is None:
        return None
    version = ret.approved_version or ret.current_version
    submitted = _last(ret, ReturnEvent.Action.SUBMITTED)
    approved = _last(ret, ReturnEvent.Action.APPROVED)
    return {
        "status": ret.status,
        "version": version.number if version else None,
        "source": version.source if version else None,
        "submitted_by": submitted.user.username if submitted else None,
        "submitted_at": submitted.at if submitted else None,
        "approved_by": approved.user.username if approved else None,
        "approved_at": approved.at if approved else None,
    }


def returns_for_list(*, domains: list[str], domain: str = "", status: str = ""):
    """
    The Trust's returns of `domains`, newest first, with `current_number`,
    `approved_number` and `last_events` (the latest event, with its person): 2 queries.
    """
    returns = Return.objects.filter(organisation__kind="trust", domain__in=domains)
    if domain:
        returns = returns.filter(domain=domain)
    if status:
        returns = returns.filter(status=status)
    last_event = ReturnEvent.objects.select_related("user").order_by("-at", "-pk")[:1]
    return returns.annotate(
        current_number=F("current_version__number"),
        approved_number=F("approved_version__number"),
    ).prefetch_related(Prefetch("events", queryset=last_event, to_attr="last_events"))


def return_for_page(*, domain: str, period: Period) -> Return | None:
    """The Trust's return for a month with its events, versions and comments: 4 queries."""
    return (
        Return.objects.filter(organisation__kind="trust", domain=domain, period=period)
        .select_related("organisation", "current_version", "approved_version")
        .prefetch_related(
            Prefetch("events", queryset=ReturnEvent.objects.select_related("user", "version")),
            Prefetch(
                "versions", queryset=ReturnVersion.objects.select_related("created_by", "upload")
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author", "version")),
        )
        .first()
    )


def lockable_months() -> list[Period]:
    """
    The months an administrator may lock or unlock, newest first: every month some return is
    for, and every month locked (a lock is never hidden). One query.
    """
    with_returns = Return.objects.order_by().values_list("period", flat=True)
    locked = LockedPeriod.objects.order_by().values_list("period", flat=True)
    return sorted(set(with_returns.union(locked)), reverse=True)
