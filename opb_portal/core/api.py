"""
The small shared layer of the read-only JSON API.

The API answers scripts and Power BI, not people at a browser, so an
anonymous request gets a 401 with a JSON body rather than a redirect to the
login page. Roles are the same as for the pages: `can()` decides.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

from opb_portal.accounts.permissions import READ, Action, can


def json_error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def api_view(action: Action = Action.USE_API):
    def decorator(view):
        @login_not_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                response = json_error(
                    401, "Authentication required: send 'Authorization: Token <key>' or sign in."
                )
                response["WWW-Authenticate"] = "Token"
                return response
            if not can(request.user, action):
                return json_error(403, "Your role does not allow this.")
            # After the sign-in and role checks, as for the pages (`permissions.require`).
            if request.method not in READ:
                response = json_error(405, "The API only reads: send a GET.")
                response["Allow"] = ", ".join(READ)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def api_response(data: dict) -> JsonResponse:
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 1})
