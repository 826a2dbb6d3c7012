"""Queueing an email is part of the act: kept with it, rolled back with it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from opb_portal.accounts.models import User
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.outbox.services import queue_email
from opb_portal.submissions import services
from opb_portal.submissions.models import Return


class ActAbandoned(Exception):
    pass


def test_an_act_queues_its_email_in_its_own_transaction(april_draft):
    services.return_submit(ret=april_draft, user=User.objects.get(username="kpi.submitter"))

    (queued,) = OutgoingEmail.objects.all()
    assert queued.to == "reviewer@example.org"
    assert (queued.attempts, queued.sent_at, queued.failed_at) == (0, None, None)
    assert queued.state == OutgoingEmail.State.WAITING


def _submit_then_abandon(ret) -> None:
    """Submit inside a transaction that something later in the same act rolls back."""
    with transaction.atomic():
        services.return_submit(ret=ret, user=User.objects.get(username="kpi.submitter"))
        assert OutgoingEmail.objects.count() == 1  # queued inside the act...
        raise ActAbandoned


def test_a_rolled_back_act_queues_nothing(april_draft):
    with pytest.raises(ActAbandoned):
        _submit_then_abandon(april_draft)

    assert not OutgoingEmail.objects.exists()  # ...and gone with it
    april_draft.refresh_from_db()
    assert april_draft.status == Return.Status.DRAFT


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        pytest.param("not an address", "A subject", id="an-address-that-is-not-one"),
        pytest.param("someone@example.org", "", id="no-subject"),
        pytest.param("someone@example.org", "x" * 256, id="a-subject-over-255-characters"),
    ],
)
def test_an_email_that_could_never_be_sent_is_refused_when_queued(db, to, subject):
    with pytest.raises(ValidationError):
        queue_email(to=to, subject=subject, body="Hello.")
    assert not OutgoingEmail.objects.exists()
