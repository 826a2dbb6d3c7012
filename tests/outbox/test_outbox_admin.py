"""
What is unsent, for the administrators: the admin's list of outgoing emails, read-only,
unsent and failed first, with attempts and the last error, every value escaped.
"""

import pytest
from django.utils import timezone

from opb_portal.accounts.models import Role
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.outbox.services import queue_email
from tests.factories import UserFactory

LIST = "/admin/outbox/outgoingemail/"
ATTACK = """<div hx-post="/admin/accounts/user/1/change/" hx-trigger="load">"""


@pytest.fixture
def administrator(client, db):
    admin = UserFactory(role=Role.ADMINISTRATOR, username="jo", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def outbox(db):
    waiting = queue_email(to="waiting@example.org", subject="Still waiting", body="Hello.")
    OutgoingEmail.objects.filter(pk=waiting.pk).update(
        attempts=3, last_error="ConnectionRefusedError: [Errno 111] Connection refused"
    )
    failed = queue_email(to="failed@example.org", subject=f"A query: {ATTACK}", body=ATTACK)
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        attempts=8, failed_at=timezone.now(), last_error=f"SMTPDataError: 554 {ATTACK}"
    )
    sent = queue_email(to="sent@example.org", subject="Delivered", body="Hello.")
    OutgoingEmail.objects.filter(pk=sent.pk).update(attempts=1, sent_at=timezone.now())


def test_the_admin_index_links_to_the_outbox(administrator):
    page = administrator.get("/admin/").content.decode()
    assert f'href="{LIST}"' in page
    assert "Outgoing emails" in page


def test_the_list_shows_unsent_and_failed_emails_with_attempts_and_the_last_error(
    administrator, outbox
):
    page = administrator.get(LIST).content.decode()

    assert "waiting@example.org" in page
    assert "Connection refused" in page
    assert "failed@example.org" in page
    assert "sent@example.org" not in page  # delivered: not what this page is for
    assert "Failed" in page
    assert "Waiting" in page
    assert "sent@example.org" in administrator.get(f"{LIST}?state=sent").content.decode()


def test_what_people_wrote_in_a_subject_or_an_error_arrives_escaped(administrator, outbox):
    page = administrator.get(LIST).content.decode()
    assert "<div hx-post" not in page
    assert "&lt;div hx-post=&quot;/admin/accounts/user/1/change/&quot;" in page


def test_the_list_is_read_only(administrator, outbox):
    failed = OutgoingEmail.objects.get(to="failed@example.org")
    page = administrator.get(LIST).content.decode()
    assert "Add outgoing email" not in page
    assert administrator.get(f"{LIST}add/").status_code == 403
    assert administrator.post(f"{LIST}{failed.pk}/delete/", {"post": "yes"}).status_code == 403
    response = administrator.post(f"{LIST}{failed.pk}/change/", {"subject": "changed"})
    assert response.status_code == 403
    assert OutgoingEmail.objects.filter(pk=failed.pk, subject__startswith="A query").exists()


@pytest.mark.parametrize(
    "role",
    [
        pytest.param(Role.REVIEWER, id="reviewer"),
        pytest.param("kpi_submitter", id="submitter"),
        pytest.param(Role.BOARD_MEMBER, id="board-member"),
    ],
)
def test_nobody_but_an_administrator_sees_the_outbox(client, outbox, role):
    client.force_login(UserFactory(role=role, is_staff=True))
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
