"""Locking and unlocking months: an administrator's page, with the history of every lock."""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions.models import LockedPeriod, PeriodLockEvent

PERIODS = reverse("submissions:periods")
# The page offers the last 24 months, whatever today is.
MONTH = Period.current().shift(-2)


@pytest.fixture
def admin(client, demo):
    client.force_login(User.objects.get(username="admin"))
    return client


def _row(html: str, month: str) -> str:
    row = re.search(rf'<tr[^>]*>\s*<th scope="row"[^>]*>{month}</th>.*?</tr>', html, re.S).group(0)
    return re.sub(r"\s+", " ", row)


def test_the_page_lists_the_last_24_months_each_with_a_form(admin):
    html = admin.get(PERIODS).content.decode()
    months = re.findall(r'<th scope="row"[^>]*>(\w+ \d{4})</th>', html)
    assert len(months) == 24
    assert months[0] == Period.current().long
    row = _row(html, MONTH.long)
    assert "Open" in row
    assert f'for="id_reason_{MONTH.iso}"' in row
    assert f"Reason for locking {MONTH.long} (optional)" in row


def test_locking_a_month_records_who_and_why(admin):
    response = admin.post(
        PERIODS, {"period": MONTH.iso, "action": "lock", "reason": "OPB met on 12 May"}, follow=True
    )

    html = response.content.decode()
    assert f"Locked {MONTH.long}: its returns accept no more changes." in html
    assert "Locked</strong> by Jo Clarke" in _row(html, MONTH.long)
    assert f"Why unlock {MONTH.long}?" in _row(html, MONTH.long)
    assert LockedPeriod.objects.get().reason == "OPB met on 12 May"
    history = html.split('id="history-heading"')[1]
    assert re.search(rf"{MONTH.long}</td>\s*<td >Locked</td>\s*<td >Jo Clarke</td>", history)


def test_unlocking_without_a_reason_is_refused_and_the_month_stays_locked(admin):
    admin.post(PERIODS, {"period": MONTH.iso, "action": "lock", "reason": ""})

    response = admin.post(PERIODS, {"period": MONTH.iso, "action": "unlock", "reason": " "})

    html = response.content.decode()
    row = _row(html, MONTH.long)
    assert "Say why the month is being unlocked" in row
    assert f'aria-describedby="id_reason_{MONTH.iso}_error"' in row
    assert LockedPeriod.objects.filter(period=MONTH.first_day).exists()


def test_unlocking_with_a_reason_opens_the_month_and_keeps_the_history(admin):
    admin.post(PERIODS, {"period": MONTH.iso, "action": "lock", "reason": "OPB met"})
    admin.post(
        PERIODS, {"period": MONTH.iso, "action": "unlock", "reason": "PI4 correction agreed"}
    )

    assert not LockedPeriod.objects.exists()
    assert list(PeriodLockEvent.objects.values_list("action", "reason")) == [
        ("locked", "OPB met"),
        ("unlocked", "PI4 correction agreed"),
    ]


def test_locking_a_locked_month_says_so(admin):
    admin.post(PERIODS, {"period": MONTH.iso, "action": "lock"})
    html = admin.post(PERIODS, {"period": MONTH.iso, "action": "lock"}).content.decode()
    assert f"{MONTH.long} is already locked." in html


def test_a_month_outside_the_list_is_refused_with_a_sentence(admin):
    html = admin.post(PERIODS, {"period": "1999-01", "action": "lock"}).content.decode()
    assert "Select a valid choice" in html
    assert not LockedPeriod.objects.exists()
