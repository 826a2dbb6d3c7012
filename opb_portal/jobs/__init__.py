"""
Work off the request: background jobs with progress, results kept by fingerprint.

A domain (or another part of the machinery) registers a job kind (`registry.register`);
a view asks for a job with `services.job_request`, which returns the job already asked
for the same inputs (queued, running, or done with its result still on disk) or queues
a new one; the person waits on the job's page, which shows its progress and then its
result. The queue is Celery (docs/decisions/0012-background-jobs.md): with no broker
configured (`make demo`, most tests) jobs run in-process when the request commits.
"""
