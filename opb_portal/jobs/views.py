"""The job's page: its progress while it runs, then its result."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from opb_portal.accounts.permissions import can
from opb_portal.exports import audited_export

from . import registry, services
from .models import Job


def _job_for(request, pk) -> Job:
    """The job, to someone who may see what it makes; a 404 for a job of an unknown kind."""
    job = get_object_or_404(Job, pk=pk)
    try:
        job_kind = registry.kind(job.kind)
    except KeyError:
        raise Http404("There is no such job.") from None
    if not can(request.user, job_kind.view_action):
        raise PermissionDenied("Your role does not allow this.")
    return job


@require_safe
@never_cache
def job_detail(request, pk):
    job = _job_for(request, pk)
    return render(request, "jobs/job.html", {"job": job})


@require_safe
@never_cache
def job_progress(request, pk):
    """The progress block alone, polled by htmx; when the job is done, go to its result."""
    job = _job_for(request, pk)
    response = render(request, "jobs/partials/progress.html", {"job": job})
    if job.state == Job.State.DONE and request.headers.get("HX-Request"):
        response["HX-Redirect"] = job_result_url(job)
    return response


def job_result_url(job: Job) -> str:
    if job.result_file:
        return reverse("jobs:result", args=[job.pk])
    return job.result_url or reverse("jobs:job", args=[job.pk])


@require_safe
@audited_export
def job_result(request, pk):
    """A done job's kept file, inline (a PDF opens in the browser's viewer)."""
    job = _job_for(request, pk)
    if job.state != Job.State.DONE or not job.result_file:
        raise Http404("This job has no file to give.")
    path = services.result_path(job)
    if not path.is_file():
        raise Http404("This job's file is no longer kept: ask for it again.")
    response = FileResponse(path.open("rb"), content_type=job.result_content_type)
    attachment = not job.result_content_type.startswith("application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, job.result_filename)
    response["Cache-Control"] = "private, no-store"
    return response


def kept_or_prepare(request, *, kind: str, params: dict, what: str, button: str):
    """
    For a GET of a document made as a job (a link, a bookmark): the kept result when one was
    made for the current inputs, the job's page while it is being made, otherwise a page
    with a button that POSTs to the same address to ask for it. A GET never makes a job.
    """
    job = services.job_find(kind=kind, params=params)
    if job is not None:
        return redirect(job_result_url(job) if job.state == Job.State.DONE else job_page(job))
    context = {"what": what, "button": button, "action": request.path}
    return render(request, "jobs/prepare.html", context)


def job_asked(request, *, kind: str, params: dict):
    """For the POST that asks for a job: the job (new, going or done) and its page."""
    job = services.job_request(kind=kind, params=params, user=request.user)
    return redirect(job_page(job))


def document(request, *, kind: str, params: dict, title: str, what: str):
    """
    A document made as a job, at one address: a POST asks for it, a GET finds it kept or
    offers the button ("The annual review 2024-25 as a PDF", "Prepare PDF").
    """
    if request.method == "POST":
        return job_asked(request, kind=kind, params=params)
    return kept_or_prepare(
        request,
        kind=kind,
        params=params,
        what=f"{title} as {what}",
        button=f"Prepare {what.removeprefix('a ')}",
    )


def job_page(job: Job) -> str:
    return reverse("jobs:job", args=[job.pk])
