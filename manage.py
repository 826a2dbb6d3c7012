#!/usr/bin/env python
"""Django's command-line utility for the OPB portal."""

import os
import sys

# Commands that only read and write code never sign anything: with neither a secret key
# nor DJANGO_DEBUG set, they run with the development key rather than refuse, so
# `manage.py makemigrations --check` works on a fresh clone. Everything else, the
# server and `check --deploy` included, still needs the environment set.
CODE_ONLY_COMMANDS = {"makemigrations", "help"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opb_portal.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command in CODE_ONLY_COMMANDS and not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the settings now, to report a bad environment
    except ImproperlyConfigured as problem:
        # A missing secret key or a mistyped boolean is a set-up mistake, not a crash:
        # say what to set, without a traceback (Django would otherwise go on and fail
        # later with "Models aren't loaded yet").
        sys.exit(f"manage.py: {problem}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
