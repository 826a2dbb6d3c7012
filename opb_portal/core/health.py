"""
Is this app server alive, and ready for people? Three answers, none behind a sign-in:

- `GET /livez`: the process answers (no database, no broker). For a supervisor that
  restarts a hung process; a database outage must not make it restart healthy ones.
- `GET /readyz`: the process can serve: the primary database (and the replica, when there
  is one) answers `SELECT 1` and the job queue's broker accepts a connection; 503 naming
  what is down otherwise. For deploys (send no one to an instance before it is ready) and
  monitoring.
- `GET /healthz`: the load balancer's check, unchanged: 503 only when the database is down.
  It leaves the broker out on purpose: while the broker is down every page still works and
  jobs wait to be sent (opb_portal.jobs.queue), and a check that failed then would take
  every app server out of the balancer at once. docs/operations.md.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from opb_portal.jobs.queue import broker_status


def probe(view):
    """A check: no request transaction (a database that is down would fail it before the
    check), no sign-in, GET and HEAD only, never cached."""
    for decorator in (never_cache, require_safe, login_not_required):
        view = decorator(view)
    return transaction.non_atomic_requests(view)


def database_answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


@probe
def healthz(request):
    """200 {"status": "ok", "database": "ok"}, or 503 when `SELECT 1` fails."""
    if not database_answers("default"):
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@probe
def livez(request):
    """200 {"status": "ok"} whenever the process can answer at all."""
    return JsonResponse({"status": "ok"})


@probe
def readyz(request):
    """200 when the database(s) and the broker answer; 503 with each one's state otherwise."""
    checks = {
        "database": "ok" if database_answers("default") else "unreachable",
    }
    if "replica" in settings.DATABASES:
        checks["replica"] = "ok" if database_answers("replica") else "unreachable"
    reachable, state = broker_status()
    checks["queue"] = state
    databases_up = all(value == "ok" for name, value in checks.items() if name != "queue")
    status = 200 if reachable and databases_up else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)
