"""
A return to submit, and real mail servers on loopback as the sender meets them in
production: one that refuses connections, one that accepts and never says a word, and a
working SMTP server (aiosmtpd) that keeps what it receives. No mock stands in for the network.
"""

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

APRIL = Period(2025, 4)


@pytest.fixture
def april_draft(demo) -> Return:
    """April 2025's KPI return, saved with March's figures (nothing to explain), not submitted."""
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    services.return_save(ret=ret, user=submitter, data=march, base_version=None)
    return ret


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_at(settings):
    """Point the portal's SMTP backend at 127.0.0.1:`port`, giving up after 1 second."""

    def point(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 1

    return point


@pytest.fixture
def refusing_port(smtp_at) -> int:
    """A port that is bound but not listening: every connection is refused at once."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        smtp_at(port)
        yield port


@dataclass
class SilentServer:
    """Accepts connections and never answers: what a hung mail server looks like."""

    port: int
    accepted: list[float] = field(default_factory=list)


@pytest.fixture
def silent_server(smtp_at):
    listener = socket.create_server(("127.0.0.1", 0))
    server = SilentServer(port=listener.getsockname()[1])
    held, done = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            server.accepted.append(time.monotonic())
            held.append(conn)  # kept open, never written to

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    smtp_at(server.port)
    yield server
    done.set()
    thread.join(5)
    for conn in held:
        conn.close()
    listener.close()


@dataclass
class Inbox:
    """What the SMTP server accepted: one entry per message, with the recipients."""

    port: int = 0
    delay: float = 0.0
    refuse: set[str] = field(default_factory=set)
    messages: list[tuple[list[str], str]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # A server that takes a moment per message, so two senders overlap.
        await asyncio.sleep(self.delay)
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [
            line.removeprefix("Subject: ")
            for _, content in self.messages
            for line in content.splitlines()
            if line.startswith("Subject: ")
        ]


@pytest.fixture
def smtp_server(smtp_at):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    smtp_at(controller.port)
    yield inbox
    controller.stop()
