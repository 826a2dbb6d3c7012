"""
What work can be done off the request, registered by the parts that do it.

The machinery never names a domain: a domain (or a machinery app such as boardpack)
registers its job kinds and periodic work in its AppConfig.ready(), and the queue, the
job page and the worker find them here by name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opb_portal.accounts.permissions import Action

    from .models import Job


class Progress:
    """Called by a job's work as it goes: `progress(7, 19, "page 7 of 19")`."""

    def __call__(self, done: int, total: int, message: str = "") -> None:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Outcome:
    """
    What a job made: a file kept for the person (a PDF, a Word document), a page to go
    to (an issued pack's meeting), and a sentence saying what was done.
    """

    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    url: str = ""
    message: str = ""


class JobRefused(Exception):
    """The work cannot be done as asked; `message` says why, to the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobKind:
    """
    One kind of job.

    `run(job, progress)` does the work and returns an `Outcome`. It may be run twice for
    one job (its worker was killed and the queue delivered the job again), so an effect
    that must happen once (issuing a pack) records `job.pk` on the row it makes, under a
    unique constraint, and a second run finds that row and returns the same outcome.

    `fingerprint(params)` is a digest of everything the result depends on (the versions of
    the figures, the text, the layout, the code's own version where it shapes the output):
    the same fingerprint is the same job, and a done job's kept result is served again.
    """

    name: str
    title: Callable[[dict], str]
    run: Callable[[Job, Progress], Outcome]
    fingerprint: Callable[[dict], str]
    # Who may watch the job and take its result (the permission the page that asks for it
    # checks): a preview kept for one person's fingerprint is anybody's with that permission.
    view_action: Action
    # False for work whose result must not be served again from an earlier run (none yet).
    reuse_result: bool = True
    # Whether a done job's result still stands, for work whose result can be used up: an
    # upload's check leads to a preview that is gone once confirmed or cancelled, and a new
    # check is due then. None: a kept result always stands.
    still_stands: Callable[[Job], bool] | None = None


@dataclass(frozen=True)
class Periodic:
    """Work the worker's scheduler (Celery beat) starts every `every`; `run()` says what it did."""

    name: str
    run: Callable[[], str]
    every: datetime.timedelta


_kinds: dict[str, JobKind] = {}
_periodic: dict[str, Periodic] = {}


def register(kind: JobKind) -> None:
    if kind.name in _kinds and _kinds[kind.name] != kind:
        raise ValueError(f"A job kind named {kind.name!r} is already registered.")
    _kinds[kind.name] = kind


def kind(name: str) -> JobKind:
    return _kinds[name]


def kinds() -> dict[str, JobKind]:
    return dict(_kinds)


def register_periodic(work: Periodic) -> None:
    if work.name in _periodic and _periodic[work.name] != work:
        raise ValueError(f"Periodic work named {work.name!r} is already registered.")
    _periodic[work.name] = work


def periodic() -> dict[str, Periodic]:
    return dict(_periodic)
