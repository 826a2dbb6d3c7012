"""Locking and unlocking months: an administrator's page, with the history of every lock."""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions.models import LockedPeriod, PeriodLockEvent, Return

PERIODS = reverse("submissions:periods")
# The page offers the months that have returns: the demonstration's 2024-25, whatever today is.
MONTH = Period.parse("2025-02")


@pytest.fixture
def admin(client, demo):
    client.force_login(User.objects.get(username="admin"))
    return client


def _row(html: str, month: str) -> str:
    row = re.search(rf'<tr[^>]*>\s*<th scope="row"[^>]*>{month}</th>.*?</tr>', html, re.S).group(0)
    return re.sub(r"\s+", " ", row)


def _months(html: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*>(\w+ \d{4})</th>', html)


def test_the_page_lists_the_months_that_have_returns_newest_first_each_with_a_form(admin):
    html = admin.get(PERIODS).content.decode()
    months = _months(html)
    with_returns = sorted(set(Return.objects.values_list("period", flat=True)), reverse=True)
    assert months == [month.long for month in with_returns]
    assert "April 2024" in months
    assert "March 2025" in months
    assert Period.current().long not in months
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


def test_a_locked_month_with_no_return_stays_listed_so_it_can_be_unlocked(admin):
    empty = Period.parse("2023-01")
    assert not Return.objects.filter(period=empty.first_day).exists()
    assert empty.long not in _months(admin.get(PERIODS).content.decode())
    LockedPeriod.objects.create(period=empty, locked_by=User.objects.get(username="admin"))

    html = admin.get(PERIODS).content.decode()

    assert _months(html)[-1] == empty.long
    assert f"Why unlock {empty.long}?" in _row(html, empty.long)


def test_the_page_reads_the_months_and_their_locks_in_a_pinned_number_of_queries(
    admin, django_assert_num_queries
):
    # 7 queries: session, user, savepoint, the months with a return or a lock, the locks of
    # those months with who locked each, the lock history with its people, release savepoint
    with django_assert_num_queries(7):
        admin.get(PERIODS)


def test_a_month_outside_the_list_is_refused_with_a_sentence(admin):
    html = admin.post(PERIODS, {"period": "1999-01", "action": "lock"}).content.decode()
    assert "Select a valid choice" in html
    assert not LockedPeriod.objects.exists()
