"""
The Trust's narrative is data, never markup, wherever it now flows (issue 14, part 1).

An explanation given at submission becomes its line's commentary, and a query's answer
shows beside it: both are person-written text, and so is the query the submit page now
quotes. Each holds hostile markup here, and every page that shows it, to each role that
sees it, shows it escaped (the helpers of test_person_written_text_is_escaped).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.boardpack import render, selectors
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .test_person_written_text_is_escaped import assert_shown_escaped, hostile

APRIL = Period(2025, 4)
EXPLANATION, QUERY, ANSWER = hostile("explanation"), hostile("query"), hostile("answer")


def _april_data(**changes) -> dict:
    march = Return.objects.get(domain="kpis", period=Period(2025, 3).first_day).approved_version
    data = {code: dict(fields) for code, fields in march.data.items()}
    for code, fields in changes.items():
        data[code] |= fields
    return data


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def returned(people):
    """April's KPI return: PI2 red, explained at submission, then queried by the reviewer."""
    submitter, reviewer = people["kpi.submitter"], people["reviewer"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(
        ret=ret,
        user=submitter,
        data=_april_data(PI2={"value": "50.0", "commentary": ""}),
        base_version=None,
    )
    services.return_submit(ret=ret, user=submitter, explanations={"PI2": EXPLANATION})
    services.return_send_back(ret=ret, user=reviewer, comment=QUERY, line="PI2")
    return ret


@pytest.fixture
def answered(returned, people):
    """The Trust answered the query as it submitted again, and the reviewer approved."""
    services.return_submit(ret=returned, user=people["kpi.submitter"], answers={"PI2": ANSWER})
    services.return_approve(ret=returned, user=people["reviewer"])
    return returned


def _page(client, user, url, **query) -> str:
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_submit_page_quotes_an_open_query_escaped(client, people, returned):
    url = reverse("submissions:submit", args=["kpis", APRIL.iso])
    assert_shown_escaped(_page(client, people["kpi.submitter"], url), [QUERY])


@pytest.mark.parametrize("username", ["kpi.submitter", "reviewer"])
def test_the_return_page_shows_commentary_query_and_answer_escaped(
    client, people, answered, username
):
    url = reverse("submissions:detail", args=["kpis", APRIL.iso])
    html = _page(client, people[username], url)
    assert_shown_escaped(html, [EXPLANATION, QUERY, ANSWER])


@pytest.mark.parametrize("username", ["board", "reviewer", "kpi.submitter"])
def test_the_kpi_pages_show_the_commentary_escaped(client, people, answered, username):
    user = people[username]
    card = _page(client, user, reverse("kpis:scorecard"), period=APRIL.iso)
    detail = _page(client, user, reverse("kpis:detail", args=["2024", "PI2"]))
    assert_shown_escaped(card, [EXPLANATION])
    assert_shown_escaped(detail, [EXPLANATION])


def test_the_pack_shows_commentary_and_answer_escaped(answered):
    html = render.pack_html(selectors.pack_contents(APRIL))
    assert_shown_escaped(html, [EXPLANATION, QUERY, ANSWER])
