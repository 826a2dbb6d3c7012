#!/usr/bin/env python
"""Django's command-line utility for the OPB portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opb_portal.settings")
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
