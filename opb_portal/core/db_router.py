"""
Read-only pages read from the streaming replica; everything else from the primary.

With `DATABASE_REPLICA_URL` set, settings add a second alias, `replica`, and this router.
Unset (`make demo`, the test suite, one machine) there is no `replica` alias and every
query goes to `default` as before.

Which requests may read from the replica is decided once per request by
`ReplicaReadMiddleware` (innermost, so after the session and the signed-in person are
read from the primary): a GET or HEAD of a view marked `@replica_reader` (or of the
JSON API), from a browser that has not written anything in the last
`READ_YOUR_WRITES_SECONDS`. The
decision lives in a context variable for the view and its template rendering, and is
dropped before the response leaves the middleware (so the session save goes to the
primary).

A decorator on the view, not a list here: the machinery never names a domain's pages
(tests/test_domain_shape.py), and the mark stays beside the view it describes.

Writes always go to the primary. ATOMIC_REQUESTS still wraps every view in a transaction
on `default`: a replica reader's writes (an API key's last use, say) are atomic with the
request, and once a request has written, its later reads go to the primary too, so it
never reads around its own write.
"""

from __future__ import annotations

import contextvars
import time

from django.conf import settings

REPLICA = "replica"

#: Every endpoint of the JSON API (GET only) reads from the replica.
REPLICA_READER_NAMESPACES = frozenset({"api"})

#: The cookie that keeps a browser on the primary for a while after its own write.
WROTE_COOKIE = "opb_wrote"
_SALT = "opb_portal.core.db_router.wrote"

# None: the primary. "replica": this request may read from the replica.
_reading_from: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "opb_reading_from", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_reader(view):
    """
    Mark a page that only reads and may show figures a few seconds old (a dashboard, the
    scorecard, a KPI's page, a benchmark page, the issued pack's download): it reads from
    the replica, when there is one. Put it above the view's other decorators.
    """
    view.replica_reader = True
    return view


def is_replica_reader(view, namespaces: list[str]) -> bool:
    return getattr(view, "replica_reader", False) or bool(
        REPLICA_READER_NAMESPACES.intersection(namespaces)
    )


class ReplicaRouter:
    """Reads to the replica while the request allows it; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return _reading_from.get()

    def db_for_write(self, model, **hints):
        # Read-your-writes inside one request: after a write, reads follow it to the primary.
        _reading_from.set(None)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: a replica-read user may own a primary-written token.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a copy made by streaming replication: nothing is ever migrated on it.
        return db != REPLICA


def wrote_recently(request) -> bool:
    """Whether this browser wrote within READ_YOUR_WRITES_SECONDS (its signed cookie says when)."""
    return (
        request.get_signed_cookie(
            WROTE_COOKIE,
            default=None,
            salt=_SALT,
            max_age=settings.READ_YOUR_WRITES_SECONDS,
        )
        is not None
    )


class ReplicaReadMiddleware:
    """
    Chooses the database a request reads from (see the module's docstring), and after any
    write that succeeded (a POST, PUT, PATCH or DELETE answered below 400) sets a signed
    cookie that keeps this browser's reads on the primary for READ_YOUR_WRITES_SECONDS.

    Last but one in MIDDLEWARE (django-axes wants the last place): its `process_view` runs
    after the login checks have read the session and the person from the primary.
    """

    SAFE = frozenset({"GET", "HEAD"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _reading_from.set(None)
        try:
            response = self.get_response(request)
        finally:
            _reading_from.reset(reset)
        if replica_configured() and request.method not in self.SAFE and response.status_code < 400:
            response.set_signed_cookie(
                WROTE_COOKIE,
                str(int(time.time())),
                salt=_SALT,
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            replica_configured()
            and request.method in self.SAFE
            and match is not None
            and is_replica_reader(view_func, match.namespaces)
            and not wrote_recently(request)
        ):
            _reading_from.set(REPLICA)
