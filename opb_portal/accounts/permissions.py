"""
The one permission check of the portal.

Every view asks `can(user, action)`; the role matrix lives here and nowhere
else, so the role x view test and the templates read the same rules.
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


class Action(StrEnum):
    VIEW_DASHBOARDS = "view_dashboards"
    USE_API = "use_api"
    MANAGE_FRAMEWORKS = "manage_frameworks"


_EVERYONE = frozenset(Role)

MATRIX: dict[Action, frozenset[Role]] = {
    Action.VIEW_DASHBOARDS: _EVERYONE,
    Action.USE_API: _EVERYONE,
    Action.MANAGE_FRAMEWORKS: frozenset({Role.ADMINISTRATOR}),
}


def can(user, action: Action) -> bool:
    if not user.is_authenticated or not user.is_active or not user.role:
        return False
    return Role(user.role) in MATRIX[action]


def require(action: Action):
    """View decorator: 403 unless the signed-in user may do `action`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, action):
                raise PermissionDenied(f"Your role does not allow this ({action}).")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
