"""Demonstration months recorded as returns the Trust sent and the council approved."""

from opb_portal.accounts.models import Organisation
from opb_portal.periods import Period

from . import registry
from .models import Return, ReturnEvent, ReturnVersion

SOURCE = "demonstration data"


def approved_return(
    *, domain: str, period: Period, data: dict, submitter, reviewer
) -> ReturnVersion | None:
    """
    Record a month as a return `submitter` sent and `reviewer` approved, and apply it.

    Written directly rather than through the services so that loading the
    demonstration sends no emails; the rows are the same the services write.
    Returns the new version, or None when the month already holds these
    figures (so loading the demonstration twice changes nothing).
    """
    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    ret, _ = Return.objects.get_or_create(organisation=trust, domain=domain, period=period)
    if ret.approved_version and ret.approved_version.data == data:
        return None
    version = ReturnVersion.objects.create(
        ret=ret, number=ret.versions.count() + 1, data=data, source=SOURCE, created_by=submitter
    )
    previous = ret.status
    ret.current_version = ret.approved_version = version
    ret.status = Return.Status.APPROVED
    ret.save()
    for action, user, from_status, to_status in (
        (ReturnEvent.Action.SAVED, submitter, previous, Return.Status.DRAFT),
        (ReturnEvent.Action.SUBMITTED, submitter, Return.Status.DRAFT, Return.Status.SUBMITTED),
        (ReturnEvent.Action.APPROVED, reviewer, Return.Status.SUBMITTED, Return.Status.APPROVED),
    ):
        ReturnEvent.objects.create(
            ret=ret,
            version=version,
            action=action,
            user=user,
            from_status=from_status,
            to_status=to_status,
        )
    registry.get(domain).apply(version=version)
    return version
