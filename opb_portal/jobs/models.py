"""
A job: one piece of work done off the request, its progress and its result.

The row is the portal's record of the work; the queue only carries the job's id. So a
message lost with the broker, or delivered twice after a worker died, never loses or
repeats the work: `services.job_run` reads the row, and a job already done is not redone.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (State.QUEUED, State.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A registered kind (registry.register), e.g. "boardpack.preview".
    kind = models.CharField(max_length=60)
    # What the job was asked to work on: the kind's own parameters, as JSON.
    params = models.JSONField(default=dict, blank=True)
    # A digest of the inputs (the versions of the figures, the text, the layout): two
    # requests with one fingerprint are one job, and a done job's result is reused.
    fingerprint = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker has started it (a worker killed mid-job makes a second).
    attempts = models.PositiveSmallIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    # The result: a file kept under settings.JOB_ROOT (a preview, a document), or a page
    # to go to (an issued pack's meeting), or both.
    result_file = models.CharField(max_length=200, blank=True)
    result_filename = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # Two clicks, two people or two app servers asking at once make one job.
            models.UniqueConstraint(
                fields=["kind", "fingerprint"],
                condition=Q(state__in=["queued", "running"]),
                name="jobs_one_active_job_per_fingerprint",
            )
        ]
        indexes = [models.Index(fields=["kind", "fingerprint", "state"])]

    def __str__(self):
        return f"{self.title} ({self.get_state_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
