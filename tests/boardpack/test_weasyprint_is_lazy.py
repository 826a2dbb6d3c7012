"""
WeasyPrint is imported where a PDF is made, never at start-up.

Importing it (its CSS engine, fonts and PDF writer) took a good part of a second of every
`manage.py` command and every worker's start; only `boardpack.pdf` imports it, and only
`render.pdf_from_html` imports that. Each check runs in a fresh interpreter, since this
test process has long since imported everything.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SETUP = "import django; django.setup()\n"
ASK = "import sys; print('weasyprint' in sys.modules)"


def imports_weasyprint(code: str) -> bool:
    """Does running `code` in a fresh interpreter with the portal's settings import WeasyPrint?"""
    answer = subprocess.run(
        [sys.executable, "-c", f"{code}\n{ASK}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "opb_portal.test_settings"},
        timeout=120,
    )
    return answer.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(SETUP, id="django-setup"),
        pytest.param(SETUP + "import opb_portal.urls", id="the-url-configuration"),
        pytest.param(
            SETUP + "from django.core.management import call_command; call_command('check')",
            id="manage-py-check",
        ),
        pytest.param(SETUP + "import opb_portal.boardpack.render", id="the-pack-html"),
    ],
)
def test_starting_the_portal_does_not_import_weasyprint(code):
    assert not imports_weasyprint(code)


def test_making_a_pdf_imports_it():
    # The check above would pass for nothing if the question could not see an import.
    code = (
        SETUP
        + "from opb_portal.boardpack import render\n"
        + "render.pdf_from_html('<p>A page</p>', identifier='lazy')"
    )
    assert imports_weasyprint(code)
