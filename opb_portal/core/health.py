"""`GET /healthz` for the load balancer and monitoring: is the portal up, is its database?"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


# No request transaction: when the database is down, opening one would fail before the check.
@transaction.non_atomic_requests
@login_not_required
@require_safe
@never_cache
def healthz(request):
    """200 {"status": "ok", "database": "ok"}, or 503 when `SELECT 1` fails."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
