"""
The returns' panels on the home page (`core.home`): what is due from a Trust submitter, and
what waits for a council reviewer.

The month due is the reporting cycle's, never the calendar's: the month after the latest a
return of the domain was sent for (in the demonstration, whose returns run to March 2025,
April 2025, however long ago that is). A domain with no return yet is due from the month
after the latest the Trust sent any return for. A month with no return sent before the
month due is overdue. Every one of the person's returns appears once: due or overdue, a
draft to submit (a correction of an approved month, or a month after the month due), or a
return with queries to answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max, Q

from opb_portal.accounts.permissions import SUBMITTERS, Action, can
from opb_portal.accounts.roles import Role
from opb_portal.core import home
from opb_portal.periods import Period

from . import registry, services
from .models import Comment, Return, ReturnEvent
from .registry import ReturnSpec


def _sent(ret: Return) -> bool:
    """Sent to the council at least once: submitted, returned with queries or approved."""
    return ret.status != Return.Status.DRAFT or ret.approved_version_id is not None


@dataclass
class DueMonth:
    """A month of one return the person sends: the month due, or an earlier one overdue."""

    spec: ReturnSpec
    period: Period
    ret: Return | None
    overdue: bool = False
    # A month that has not ended yet is not due: its figures do not exist.
    ended: bool = True
    # The domain expects a return this month (a framework, a plan is set up for it).
    expected: bool = True

    @property
    def saved(self) -> bool:
        """A draft with figures in it: the next step is Submit."""
        return self.ret is not None and self.ret.current_version_id is not None


@dataclass
class Queried:
    """A return the council sent back, with the queries still waiting for an answer."""

    spec: ReturnSpec
    ret: Return
    queries: list[Comment]


@dataclass
class Due:
    """Everything the Trust submitter should act on, for the returns their role sends."""

    months: list[DueMonth] = field(default_factory=list)
    drafts: list[tuple[ReturnSpec, Return]] = field(default_factory=list)
    queried: list[Queried] = field(default_factory=list)


def _own_specs(user) -> list[ReturnSpec]:
    return [
        spec for spec in registry.all_specs() if can(user, Action.SUBMIT_RETURN, domain=spec.domain)
    ]


def due_for(user, *, today: Period | None = None) -> Due:
    """
    What `user` sends that is due, overdue, a draft to submit or queried: the Trust's returns
    (1 query), the lines each month due expects (each domain's own reads, once a domain), and
    the comments on the returns sent back (1 query, only when there are such).
    """
    today = today or Period.current()
    specs = _own_specs(user)
    returns = list(
        Return.objects.filter(organisation_id=user.organisation_id)
        .select_related("current_version")
        .only(
            "organisation",
            "domain",
            "period",
            "status",
            "approved_version",
            "current_version__number",
        )
        .order_by("period")
    )
    sent = [ret.period for ret in returns if _sent(ret)]
    # A domain with no return yet starts where the Trust's reporting has got to.
    trust_due = max(sent).shift(1) if sent else today.shift(-1)
    due = Due()
    for spec in specs:
        own = {ret.period: ret for ret in returns if ret.domain == spec.domain}
        own_sent = [period for period, ret in own.items() if _sent(ret)]
        month = max(own_sent).shift(1) if own_sent else trust_due
        first = min(own) if own else month
        for period in _months(first, month):
            ret = own.get(period)
            if ret is None or not _sent(ret):
                due.months.append(DueMonth(spec, period, ret, overdue=True))
        due.months.append(
            DueMonth(
                spec,
                month,
                own.get(month),
                ended=month < today,
                expected=bool(spec.typed_lines(month)),
            )
        )
        listed = {row.period for row in due.months if row.spec is spec}
        due.drafts += [
            (spec, ret)
            for period, ret in own.items()
            if period not in listed
            and ret.status == Return.Status.DRAFT
            and ret.current_version_id is not None
        ]
        due.queried += [
            Queried(spec, ret, []) for ret in own.values() if ret.status == Return.Status.RETURNED
        ]
    if due.queried:
        comments = Comment.objects.filter(ret__in=[q.ret for q in due.queried]).select_related(
            "author"
        )
        by_return: dict[int, list[Comment]] = {}
        for comment in comments:
            by_return.setdefault(comment.ret_id, []).append(comment)
        for queried in due.queried:
            waiting = services.open_queries(queried.ret, by_return.get(queried.ret.pk, []))
            queried.queries = list(waiting.values())
    return due


def _months(first: Period, last: Period) -> list[Period]:
    """The months from `first` up to, not including, `last`."""
    found, month = [], first
    while month < last:
        found.append(month)
        month = month.shift(1)
    return found


@dataclass
class Waiting:
    """A return with the council: its label and how long it has waited."""

    label: str
    ret: Return


def waiting_for_review(user) -> list[Waiting]:
    """
    The returns submitted and not yet decided, oldest submission first, with their current
    version (1 query).
    """
    labels = {spec.domain: spec.label for spec in registry.all_specs()}
    returns = (
        Return.objects.filter(status=Return.Status.SUBMITTED, domain__in=list(labels))
        .select_related("current_version")
        .defer("current_version__data")
        .annotate(
            submitted_at=Max("events__at", filter=Q(events__action=ReturnEvent.Action.SUBMITTED))
        )
        .order_by("submitted_at", "period", "domain")
    )
    return [Waiting(labels[ret.domain], ret) for ret in returns]


def register() -> None:
    """The returns' panels; called from `SubmissionsConfig.ready()`."""
    home.register(
        home.HomePanel(
            key="submissions.due",
            title="Your returns",
            order=10,
            template="submissions/home/due.html",
            build=due_for,
            audience=frozenset({SUBMITTERS}),
        )
    )
    home.register(
        home.HomePanel(
            key="submissions.review",
            title="Returns waiting for review",
            order=10,
            template="submissions/home/review.html",
            build=waiting_for_review,
            audience=frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
        )
    )
