"""
The comparator and published statistics files' check step, as background jobs
(`submissions.checking`): registered in the app's ready(), used by the import pages.
"""

from urllib.parse import urlencode

from django.urls import reverse

from opb_portal.accounts.permissions import Action
from opb_portal.submissions.checking import UploadCheck, Verdict

from . import services
from .statistics import services as statistics


def _verdict(plan) -> Verdict:
    return Verdict(ok=plan.ok, problems=list(plan.problems), base=plan.base if plan.ok else {})


def _check_comparators(*, params, data, filename, owner, progress) -> Verdict:
    progress(0, 1, f"Reading and checking {filename}: each row against the stored figures")
    return _verdict(services.comparator_import_preview(data=data, filename=filename, user=owner))


def _check_statistics(*, params, data, filename, owner, progress) -> Verdict:
    progress(0, 1, f"Reading and checking {filename}: each published figure")
    return _verdict(statistics.statistics_import_preview(data=data, filename=filename, user=owner))


def _statistics_preview(params: dict, token: str) -> str:
    url = reverse("comparators:statistics_preview", args=[token])
    published_on = params.get("published_on")
    return f"{url}?{urlencode({'published_on': published_on})}" if published_on else url


COMPARATOR_FILES = UploadCheck(
    name="comparators.check_file",
    what="a comparator file",
    view_action=Action.MANAGE_FRAMEWORKS,
    check=_check_comparators,
    preview=lambda params, token: reverse("comparators:import_preview", args=[token]),
    problems=lambda params, token: reverse("comparators:import_refused", args=[token]),
)
STATISTICS_FILES = UploadCheck(
    name="comparators.check_statistics",
    what="a published statistics file",
    view_action=Action.MANAGE_FRAMEWORKS,
    check=_check_statistics,
    preview=_statistics_preview,
    problems=lambda params, token: reverse("comparators:statistics_refused", args=[token]),
)
