"""Running the portal in a fresh interpreter, as someone would from a shell."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def clean_environment() -> dict[str, str]:
    """This process's environment without any of the portal's own variables."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }


def manage(
    *args, settings: str = "opb_portal.settings", timeout: int = 120, **environ
) -> subprocess.CompletedProcess:
    """`python manage.py ARGS` with only the portal variables given here."""
    env = clean_environment()
    env.update(environ, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
