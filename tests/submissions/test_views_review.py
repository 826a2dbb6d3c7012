"""Submitting, reviewing and answering queries, through the pages, as the people involved do."""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnEvent

from .test_views_edit import figures, typed

APRIL = Period(2025, 4)


def url(name: str) -> str:
    return reverse(f"submissions:{name}", args=["kpis", APRIL.iso])


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def trust(client, people):
    """The KPI submitter's browser."""
    client.force_login(people["kpi.submitter"])
    return client


@pytest.fixture
def council(people):
    """The reviewer's browser."""
    from django.test import Client

    browser = Client()
    browser.force_login(people["reviewer"])
    return browser


def _april():
    return Return.objects.get(domain="kpis", period=APRIL.first_day)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_submitting_a_red_kpi_asks_for_an_explanation_first(
    trust, django_capture_on_commit_callbacks
):
    trust.post(url("edit"), typed(figures(PI2={"value": "50.0", "commentary": ""})))

    page = trust.get(url("submit")).content.decode()
    assert "passes every check" not in page
    assert "but 1 figure needs an explanation first" in _text(page)
    # Asked once: in the field that asks for it, not again in a list above.
    assert page.count("PI2 is red at 50.0%") == 1
    assert re.search(r'<label\s+for="id_explain-PI2"', page)
    refused = trust.post(url("submit"), {}).content.decode()
    assert "Explain PI2 before submitting" in refused
    assert _april().status == Return.Status.DRAFT

    explanation = "Two social workers left; agency cover from May."
    with django_capture_on_commit_callbacks(execute=True):
        response = trust.post(url("submit"), {"explain-PI2": explanation}, follow=True)

    ret = _april()
    assert ret.status == Return.Status.SUBMITTED
    # Kept with the submission, and as the line's commentary in the version submitted.
    assert ret.events.latest("at").note == f"PI2: {explanation}"
    assert ret.current_version.data["PI2"]["commentary"] == explanation
    assert (
        "Submitted version 2 of the KPI return for April 2025 to the council. It holds your "
        "explanations as the commentary of their lines."
    ) in response.content.decode()
    # Queued with the act, for `manage.py send_mail_outbox` to send.
    assert [m.to for m in OutgoingEmail.objects.all()] == ["reviewer@example.org"]


def test_a_line_with_commentary_needs_no_further_explanation(trust):
    data = figures(PI2={"value": "50.0", "commentary": "Staff shortage."})
    trust.post(url("edit"), typed(data))

    page = trust.get(url("submit")).content.decode()

    assert "Figures already explained by their commentary" in page
    assert "every figure that needs an explanation has one in its commentary" in _text(page)
    assert "id_explain-PI2" not in page


def test_a_return_with_errors_cannot_be_submitted_and_points_back_to_the_form(trust):
    data = figures()
    del data["PI5"]
    trust.post(url("edit"), typed(data))

    page = trust.get(url("submit")).content.decode()

    assert "has 1 problem to fix before it can be submitted" in page
    assert "PI5 (" in page
    assert f'href="{url("edit")}">Go back to the return to fix it' in page
    assert 'value="Submit the return to the council"' not in page


def test_a_query_answered_then_approved_reaches_the_scorecard(trust, council, people):
    trust.post(url("edit"), typed(figures(PI1={"value": "88.8"})))
    trust.post(url("submit"))

    # The reviewer asks about PI1...
    council.post(url("review"), {"decision": "return", "line": "PI1", "comment": "Why up?"})
    assert _april().status == Return.Status.RETURNED
    # ...the Trust answers, and submits again...
    trust.post(url("comment"), {"line": "PI1", "text": "A new assessment team started."})
    page = trust.get(url("detail")).content.decode()
    thread = _text(re.search(r'id="thread-PI1".*?</ol>', page, re.S).group(0))
    # The answer beside its query.
    assert "Query: Why up?" in thread
    assert thread.index("Why up?") < thread.index("Answer: A new assessment team started.")
    trust.post(url("submit"))
    # ...and the reviewer approves.
    response = council.post(url("review"), {"decision": "approve", "comment": ""}, follow=True)

    assert "Approved: the KPI return for April 2025." in response.content.decode()
    ret = _april()
    assert (ret.status, ret.approved_version.number) == (Return.Status.APPROVED, 1)
    actions = list(ret.events.values_list("action", flat=True))
    assert actions == ["saved", "submitted", "returned", "submitted", "approved"]
    card = council.get(reverse("kpis:scorecard"), {"period": APRIL.iso}).content.decode()
    pi1 = re.search(r"<tr[^>]*>(?:(?!</tr>).)*>PI1<(?:(?!</tr>).)*</tr>", card, re.S).group(0)
    assert "88.8%" in pi1


def test_returning_a_return_without_saying_why_is_refused(trust, council):
    trust.post(url("edit"), typed(figures()))
    trust.post(url("submit"))

    response = council.post(url("review"), {"decision": "return", "comment": " "}, follow=True)

    assert (
        "Nothing was done: Say what needs answering: a return goes back with a query."
        in response.content.decode()
    )
    assert _april().status == Return.Status.SUBMITTED


def test_approving_a_draft_is_refused_with_the_reason(trust, council):
    trust.post(url("edit"), typed(figures()))

    response = council.post(url("review"), {"decision": "approve"}, follow=True)

    assert "This return is draft, not submitted" in response.content.decode()
    assert not _april().events.filter(action=ReturnEvent.Action.APPROVED).exists()


def test_a_refused_query_is_given_back_to_its_author(trust, council, people):
    trust.post(url("edit"), typed(figures()))
    trust.post(url("submit"))
    services.return_approve(ret=_april(), user=people["reviewer"])

    response = council.post(
        url("review"), {"decision": "return", "comment": "Check PI4 again"}, follow=True
    )

    assert "What you wrote: “Check PI4 again”" in response.content.decode()


def test_a_submitted_return_shows_nothing_to_submit(trust):
    trust.post(url("edit"), typed(figures()))
    trust.post(url("submit"))
    page = trust.get(url("submit")).content.decode()
    assert "This return is submitted: there is nothing to submit." in page
