"""What the accounts commands share."""

from django.core.management.base import CommandError


def person_named(username: str):
    """The person with `username`, or the error every command gives for a name it cannot find."""
    from opb_portal.accounts.models import (
        User,  # the app registry is ready only once a command runs
    )

    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"No user called {username!r}.") from exc
