"""
Emails the workflow sends: reviewers hear of a submission, submitters of a decision.

Queued in the outbox (opb_portal.outbox) in the act's own transaction: a rolled-back act
emails nobody, and an act never waits for the mail server or fails because it is down.
`manage.py send_mail_outbox` sends them.
"""

from django.conf import settings
from django.urls import reverse

from opb_portal.accounts.models import Role, User
from opb_portal.outbox.services import queue_email

from . import registry


def _link(ret) -> str:
    path = reverse("submissions:detail", args=[ret.domain, ret.period.iso])
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"


def _send(subject: str, body: str, recipients) -> None:
    for address in sorted({u.email for u in recipients if u.email}):
        queue_email(to=address, subject=subject, body=body)


def return_submitted(*, ret, event) -> None:
    spec = registry.get(ret.domain)
    reviewers = User.objects.filter(is_active=True, role=Role.REVIEWER)
    _send(
        f"OPB portal: {spec.label} for {ret.period.long} submitted",
        f"{event.user} submitted the {spec.label} for {ret.period.long} "
        f"(version {ret.current_version.number}).\n\nReview it: {_link(ret)}\n",
        reviewers,
    )


def return_decided(*, ret, event) -> None:
    spec = registry.get(ret.domain)
    submitters = User.objects.filter(
        is_active=True, role=spec.submitter_role, organisation=ret.organisation
    )
    what = event.get_action_display().lower()
    note = f"\n\n{event.note}\n" if event.note else "\n"
    _send(
        f"OPB portal: {spec.label} for {ret.period.long} {what}",
        f"{event.user} {what} the {spec.label} for {ret.period.long} "
        f"(version {ret.current_version.number}).{note}\nSee it: {_link(ret)}\n",
        submitters,
    )
