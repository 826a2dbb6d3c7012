"""
The Trust's narrative is kept where the figure is (issue 14, part 1).

An explanation given at submission becomes its line's commentary in a new version, whose
author and time are the commentary's; an answer given at submission sits in its query's
thread. Both were once kept only in the history note at the foot of the return.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import KpiValue
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import (
    EXPLAINED_AT_SUBMISSION,
    Comment,
    Return,
    ReturnEvent,
)

from ..factories import UserFactory
from ..finance.builders import on_plan
from .test_views_edit import figures

APRIL = Period(2025, 4)
EXPLANATION = "PI2: three social workers left in March; agency cover from mid-April."


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def jo(people):
    """A second KPI submitter of the Trust, who types the figures someone else submits."""
    return UserFactory(
        role="kpi_submitter",
        organisation=people["kpi.submitter"].organisation,
        first_name="Jo",
        last_name="Bloggs",
    )


@pytest.fixture
def ret(people):
    trust = people["kpi.submitter"].organisation
    return services.return_for(organisation=trust, domain="kpis", period=APRIL)


def _red_pi2(ret, user):
    return services.return_save(
        ret=ret,
        user=user,
        data=figures(PI2={"value": "50.0", "commentary": ""}),
        base_version=None,
    )


def test_an_explanation_becomes_the_lines_commentary_in_the_version_submitted(ret, people, jo):
    submitter = people["kpi.submitter"]
    _red_pi2(ret, jo)  # Jo typed the figures; the explanation is the submitter's

    event = services.return_submit(ret=ret, user=submitter, explanations={"PI2": EXPLANATION})

    ret.refresh_from_db()
    version = ret.current_version
    assert (version.number, version.reason, version.created_by) == (
        2,
        EXPLAINED_AT_SUBMISSION,
        submitter,
    )
    assert version.data["PI2"]["commentary"] == EXPLANATION
    # Every other figure as Jo saved it, from the same source.
    first = ret.versions.get(number=1)
    assert {c: f for c, f in version.data.items() if c != "PI2"} == {
        c: f for c, f in first.data.items() if c != "PI2"
    }
    assert version.source == first.source
    assert (event.version, event.note) == (version, f"PI2: {EXPLANATION}")
    assert list(ret.events.values_list("action", "version__number", "note")) == [
        (ReturnEvent.Action.SAVED, 1, ""),
        (ReturnEvent.Action.SAVED, 2, EXPLAINED_AT_SUBMISSION),
        (ReturnEvent.Action.SUBMITTED, 2, f"PI2: {EXPLANATION}"),
    ]


def test_approval_puts_the_commentary_on_the_kpi_with_its_version_and_author(ret, people, jo):
    _red_pi2(ret, jo)
    services.return_submit(ret=ret, user=people["kpi.submitter"], explanations={"PI2": EXPLANATION})
    services.return_approve(ret=ret, user=people["reviewer"])

    value = KpiValue.objects.select_related("version__created_by").get(
        kpi__code="PI2", period=APRIL
    )
    assert (value.value, value.commentary) == (Decimal("50.0"), EXPLANATION)
    assert (value.version.number, value.version.created_by) == (2, people["kpi.submitter"])


def test_a_return_whose_warnings_its_commentary_answers_is_submitted_as_it_is(ret, people):
    services.return_save(
        ret=ret,
        user=people["kpi.submitter"],
        data=figures(PI2={"value": "50.0", "commentary": "Staff shortage."}),
        base_version=None,
    )
    event = services.return_submit(ret=ret, user=people["kpi.submitter"])
    assert (event.version.number, event.note) == (1, "")
    assert ret.versions.count() == 1


def test_an_explanation_never_overwrites_a_lines_own_commentary(ret, people):
    services.return_save(
        ret=ret,
        user=people["kpi.submitter"],
        data=figures(PI2={"value": "50.0", "commentary": "Staff shortage."}),
        base_version=None,
    )
    event = services.return_submit(
        ret=ret, user=people["kpi.submitter"], explanations={"PI2": "Said again."}
    )
    assert (event.version.number, event.note) == (1, "PI2: Said again.")
    assert event.version.data["PI2"]["commentary"] == "Staff shortage."


def test_a_finance_explanation_becomes_its_lines_commentary_too(demo):
    submitter = User.objects.get(username="finance.submitter")
    ret = services.return_for(organisation=submitter.organisation, domain="finance", period=APRIL)
    services.return_save(
        ret=ret, user=submitter, data=on_plan(PL_SA={"value": "9400000"}), base_version=None
    )
    said = "Eight more young people in supported accommodation."
    services.return_submit(ret=ret, user=submitter, explanations={"PL-SA": said})
    ret.refresh_from_db()
    assert ret.current_version.data["PL-SA"]["commentary"] == said


# --- answers to queries ------------------------------------------------------------------


def _queried(ret, people):
    submitter = people["kpi.submitter"]
    _red_pi2(ret, submitter)
    services.return_submit(ret=ret, user=submitter, explanations={"PI2": EXPLANATION})
    services.return_send_back(
        ret=ret, user=people["reviewer"], comment="Is agency cover funded?", line="PI2"
    )


def test_an_answer_given_at_submission_joins_its_querys_thread(ret, people):
    _queried(ret, people)
    assert set(services.open_queries(ret)) == {"PI2"}

    services.return_submit(
        ret=ret, user=people["kpi.submitter"], answers={"PI2": "Yes, from the vacancy budget."}
    )

    thread = list(ret.comments.filter(line="PI2").values_list("author__username", "text"))
    assert thread == [
        ("reviewer", "Is agency cover funded?"),
        ("kpi.submitter", "Yes, from the vacancy budget."),
    ]
    assert services.open_queries(ret) == {}
    assert Return.objects.get(pk=ret.pk).status == Return.Status.SUBMITTED


def test_a_query_answered_by_another_of_the_trusts_people_is_answered(ret, people, jo):
    _queried(ret, people)
    services.comment_add(ret=ret, user=jo, text="Yes, it is funded.", line="PI2")
    assert services.open_queries(ret) == {}


def test_a_reviewers_second_comment_is_still_one_open_query(ret, people):
    _queried(ret, people)
    services.comment_add(ret=ret, user=people["reviewer"], text="And until when?", line="PI2")
    assert services.open_queries(ret)["PI2"].text == "Is agency cover funded?"


def test_an_answer_to_no_open_query_is_refused_and_nothing_is_kept(ret, people):
    _queried(ret, people)
    with pytest.raises(services.ReturnError, match="no open query on PI1"):
        services.return_submit(ret=ret, user=people["kpi.submitter"], answers={"PI1": "?"})
    assert Comment.objects.filter(ret=ret).count() == 1
    assert Return.objects.get(pk=ret.pk).status == Return.Status.RETURNED


# --- the return page -----------------------------------------------------------------------


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("submissions:detail", args=["kpis", APRIL.iso])).content.decode()


def test_the_reviewer_sees_the_commentary_with_its_version_author_and_time(client, ret, people):
    _red_pi2(ret, people["kpi.submitter"])
    services.return_submit(ret=ret, user=people["kpi.submitter"], explanations={"PI2": EXPLANATION})

    html = _page(client, people["reviewer"])

    assert EXPLANATION in html
    assert f"Given at submission in version 2, by {people['kpi.submitter']}," in html


def test_an_open_query_is_flagged_beside_its_line_and_the_answer_shows_beside_it(
    client, ret, people
):
    _queried(ret, people)
    assert "A query awaits an answer" in _page(client, people["reviewer"])
    submit = reverse("submissions:submit", args=["kpis", APRIL.iso])
    client.force_login(people["kpi.submitter"])
    form = client.get(submit).content.decode()
    assert "Your answer to the query on PI2" in form
    assert "Is agency cover funded?" in form

    client.post(submit, {"answer-PI2": "Yes, from the vacancy budget."})

    html = _page(client, people["reviewer"])
    assert "A query awaits an answer" not in html
    exchange = html[html.index('id="thread-PI2"') :]
    assert exchange.index("Query:") < exchange.index("Is agency cover funded?")
    assert exchange.index("Is agency cover funded?") < exchange.index("Answer:")
    assert exchange.index("Answer:") < exchange.index("Yes, from the vacancy budget.")
