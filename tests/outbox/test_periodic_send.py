"""The worker's scheduler sends the outbox every 30 seconds: its periodic work sends what is due."""

from opb_portal.jobs import registry
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.outbox.services import queue_email


def test_the_periodic_send_delivers_a_queued_email_to_the_smtp_server(db, smtp_server):
    queue_email(to="chair@example.org", subject="Issue 1 of the pack is out", body="Read it.")

    said = registry.periodic()["outbox.send_due"].run()

    assert said == "1 sent, 0 to retry, 0 failed"
    assert smtp_server.subjects() == ["Issue 1 of the pack is out"]
    assert OutgoingEmail.objects.get().sent_at is not None


def test_the_periodic_send_says_when_the_server_cannot_be_reached(db, refusing_port):
    queue_email(to="chair@example.org", subject="Issue 1 of the pack is out", body="Read it.")

    said = registry.periodic()["outbox.send_due"].run()

    assert said.startswith("0 sent, 1 to retry, 0 failed; stopped: ")
    assert OutgoingEmail.objects.get().sent_at is None
