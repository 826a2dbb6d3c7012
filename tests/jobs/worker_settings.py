"""
Settings of the worker tests/jobs/test_worker.py starts: the test suite's, with the broker and
the directories the test gives it (the suite's own settings run every job in-process).
"""

import os
from pathlib import Path

from opb_portal.test_settings import *  # noqa: F403

CELERY_BROKER_URL = os.environ["DJANGO_CELERY_BROKER_URL"]
JOB_ROOT = Path(os.environ["DJANGO_JOB_ROOT"])
PACK_ROOT = Path(os.environ["DJANGO_PACK_ROOT"])
