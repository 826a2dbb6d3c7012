"""The list of returns: who sees which, what each row says, and what the page costs."""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services

from .test_views_edit import figures

LIST = reverse("submissions:list")


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


def _signed_in(client, user):
    client.force_login(user)
    return client


def _rows(html: str) -> list[str]:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in body.split("</tr>")[:-1]
    ]


def _draft(people, period: Period, saves: int = 1):
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=period)
    for number in range(saves):
        services.return_save(ret=ret, user=submitter, data=figures(), base_version=number or None)
    return ret


def test_a_reviewer_sees_every_month_of_the_demonstration_newest_first(client, people):
    html = _signed_in(client, people["reviewer"]).get(LIST, {"domain": "kpis"}).content.decode()
    rows = _rows(html)
    assert len(rows) == 12
    assert rows[0].startswith(
        "KPI return Mar-25 (March 2025) Approved Version 1 Approved by Sam Hughes"
    )
    assert '<a href="/returns/kpis/2025-03/">Mar-25' in html


def test_each_status_is_a_word_on_a_badge(client, people):
    _draft(people, Period(2025, 4))
    html = _signed_in(client, people["reviewer"]).get(LIST).content.decode()
    assert re.findall(r'status-badge text-bg-\w+">(\w+)<', html)[:2] == ["Draft", "Approved"]


def test_a_correction_under_way_says_which_version_the_dashboards_show(client, people):
    submitter = people["kpi.submitter"]
    march = services.return_for(
        organisation=submitter.organisation, domain="kpis", period=Period(2025, 3)
    )
    services.return_save(
        ret=march, user=submitter, data=figures(), base_version=1, reason="Recount"
    )
    html = _signed_in(client, people["reviewer"]).get(LIST, {"domain": "kpis"}).content.decode()
    assert (
        "Version 2 Dashboards show version 1 Started a correction by Priya Shah" in _rows(html)[0]
    )


@pytest.mark.parametrize(
    ("query", "months"),
    [
        pytest.param({"status": "draft"}, ["Apr-25"], id="drafts"),
        pytest.param({"status": "approved"}, ["Mar-25", "Feb-25"], id="approved"),
        pytest.param({"domain": "kpis", "status": "submitted"}, [], id="none-submitted"),
        pytest.param({"status": "nonsense"}, ["Apr-25", "Mar-25"], id="a-bad-filter-shows-all"),
    ],
)
def test_the_list_filters_by_domain_and_status(client, people, query, months):
    _draft(people, Period(2025, 4))
    html = _signed_in(client, people["reviewer"]).get(LIST, query).content.decode()
    shown = re.findall(r'<a href="/returns/kpis/\d{4}-\d{2}/">([A-Z][a-z]{2}-\d{2})', html)
    assert shown[: len(months)] == months
    if not months:
        assert "No returns match." in html


def test_a_finance_submitter_sees_no_kpi_returns_and_no_links_to_send_one(client, people):
    html = _signed_in(client, people["finance.submitter"]).get(LIST).content.decode()
    assert "/returns/kpis/" not in html
    assert "KPI return" not in html


def test_a_kpi_submitter_gets_links_for_the_month_they_choose(client, people):
    month = Period.current().shift(-3)  # any of the last 24 months may be chosen
    officer = _signed_in(client, people["kpi.submitter"])

    html = officer.get(LIST, {"month": month.iso}).content.decode()

    assert f"Send a return for {month.long}" in html
    assert f'href="/returns/kpis/{month.iso}/edit/">Type a return' in html
    assert 'href="/returns/kpis/upload/">Upload a workbook' in html
    assert f'href="/returns/kpis/template/{month.iso}.xlsx" download>Download a template' in html


def test_the_links_are_for_last_month_unless_another_is_chosen(client, people):
    html = _signed_in(client, people["kpi.submitter"]).get(LIST).content.decode()
    assert f"Send a return for {Period.current().shift(-1).long}" in html


def test_a_reviewer_gets_no_links_to_send_a_return(client, people):
    html = _signed_in(client, people["reviewer"]).get(LIST).content.decode()
    assert "Type a return" not in html


def test_the_nav_offers_returns_to_those_who_see_them_and_locking_to_administrators(client, people):
    nav = {
        name: _signed_in(client, people[name]).get(reverse("kpis:scorecard")).content.decode()
        for name in ("kpi.submitter", "board", "admin")
    }
    assert ">Returns</a>" in nav["kpi.submitter"]
    assert ">Lock months</a>" not in nav["kpi.submitter"]
    assert ">Returns</a>" not in nav["board"]
    assert ">Returns</a>" in nav["admin"]
    assert ">Lock months</a>" in nav["admin"]


def test_the_list_costs_seven_queries_however_many_returns_and_events(
    client, people, django_assert_num_queries
):
    officer = _signed_in(client, people["reviewer"])
    # 7 queries: session, user, savepoint, count of returns (for the pages), this page of
    # returns with their version numbers, the last event of each with its person, release
    with django_assert_num_queries(7):
        officer.get(LIST)
    for month in (Period(2025, 4), Period(2025, 5), Period(2025, 6)):
        _draft(people, month, saves=3)
    with django_assert_num_queries(7):
        html = officer.get(LIST, {"domain": "kpis"}).content.decode()
    assert len(_rows(html)) == 15


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        pytest.param("2025-03", True, id="a-month-with-a-budget"),
        pytest.param("2026-11", False, id="a-month-of-a-year-with-no-budget"),
    ],
)
def test_the_list_offers_to_type_a_finance_return_only_for_a_month_that_expects_one(
    client, people, month, expected
):
    body = _signed_in(client, people["finance.submitter"]).get(LIST, {"month": month})
    html = body.content.decode()
    edit = reverse("submissions:edit", args=["finance", month])
    assert (f'href="{edit}"' in html) is expected
    assert ("No finance return is expected" in html) is not expected
