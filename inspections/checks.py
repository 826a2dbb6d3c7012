"""
Ofsted's management information's check step, as a background job
(`opb_portal.submissions.checking`): registered in the app's ready(), used by the import page.
"""

from django.urls import reverse

from opb_portal.accounts.permissions import Action
from opb_portal.submissions.checking import UploadCheck, Verdict

from . import services


def _check(*, params, data, filename, owner, progress) -> Verdict:
    progress(0, 1, f"Reading and checking {filename}: each inspection against those stored")
    plan = services.inspections_import_preview(data=data, filename=filename, user=owner)
    return Verdict(ok=plan.ok, problems=list(plan.problems), base=plan.base if plan.ok else {})


OFSTED_FILES = UploadCheck(
    name="inspections.check_file",
    what="Ofsted's management information",
    view_action=Action.MANAGE_FRAMEWORKS,
    check=_check,
    preview=lambda params, token: reverse("inspections:import_preview", args=[token]),
    problems=lambda params, token: reverse("inspections:import_refused", args=[token]),
)
