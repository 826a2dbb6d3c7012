"""The page of one return: its state, figures, threads, history, versions and what may be done."""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .test_views_edit import figures

APRIL, MARCH = Period(2025, 4), Period(2025, 3)


def page(month: Period) -> str:
    return reverse("submissions:detail", args=["kpis", month.iso])


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def april(people):
    """April 2025 saved as a draft, version 1."""
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    return ret


def _as(client, user):
    client.force_login(user)
    return client


def _section(html: str, heading_id: str) -> str:
    return re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S).group(0)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_status_figures_with_rag_history_and_versions(client, people):
    html = _as(client, people["reviewer"]).get(page(MARCH)).content.decode()

    assert "KPI return: March 2025" in html
    assert 'text-bg-success">Approved<' in html
    figures_table = _section(html, "figures-heading")
    pi1 = re.search(r"<tr.*?PI1.*?</tr>", figures_table, re.S).group(0)
    assert ">86.4%<" in pi1
    assert 'rag-green"><span class="rag-shape" aria-hidden="true"></span>Green' in pi1
    history = _text(_section(html, "history-heading"))
    assert "Priya Shah Submitted Draft → Submitted" in history
    assert "Sam Hughes Approved Submitted → Approved" in history
    versions = _text(_section(html, "versions-heading"))
    assert "demonstration data" in versions
    assert "Approved: the dashboards show it, Current" in versions


def test_a_correction_under_way_says_the_dashboards_show_the_approved_version(client, people):
    submitter = people["kpi.submitter"]
    ret = Return.objects.get(domain="kpis", period=MARCH.first_day)
    services.return_save(
        ret=ret,
        user=submitter,
        data=figures(PI1={"value": "86.5"}),
        base_version=1,
        reason="Recount",
    )

    html = _as(client, people["reviewer"]).get(page(MARCH)).content.decode()

    assert (
        "Dashboards show version 1</strong>, the approved one, until version 2 is approved" in html
    )
    assert "Figures of version 2" in html


def test_the_changes_between_two_versions_are_listed_field_by_field(client, people, april):
    submitter = people["kpi.submitter"]
    services.return_save(
        ret=april,
        user=submitter,
        data=figures(PI1={"value": "90.1"}, PI3={"commentary": "New referral pathway."}),
        base_version=1,
    )

    html = _as(client, people["reviewer"]).get(page(APRIL), {"from": 1, "to": 2}).content.decode()

    diff = re.search(r'id="diff".*?</table>', html, re.S).group(0)
    rows = [_text(row).strip() for row in re.findall(r"<tr[^>]*>(.*?)</tr>", diff, re.S)[1:]]
    assert len(rows) == 2
    assert rows[0].startswith("PI1")
    assert rows[0].endswith("Value 86.4% 90.1%")
    assert rows[1].endswith("Commentary – New referral pathway.")


def test_a_comparison_with_a_version_that_does_not_exist_is_refused(client, people, april):
    services.return_save(ret=april, user=people["kpi.submitter"], data=figures(), base_version=1)
    response = _as(client, people["reviewer"]).get(page(APRIL), {"from": 1, "to": 9})
    assert response.status_code == 400
    assert "Select a valid choice. 9 is not one of the available choices." in _text(
        response.content.decode()
    )


def test_a_month_without_a_return_is_not_found(client, people):
    assert _as(client, people["reviewer"]).get(page(Period(2025, 6))).status_code == 404


ACTIONS = ["Edit", "Submit", "Start a correction", "Approve", "Return with queries"]


@pytest.mark.parametrize(
    ("state", "username", "offered"),
    [
        pytest.param("approved", "kpi.submitter", ["Start a correction"], id="approved-submitter"),
        pytest.param("approved", "reviewer", [], id="approved-reviewer"),
        pytest.param("draft", "kpi.submitter", ["Edit", "Submit"], id="draft-submitter"),
        pytest.param("draft", "reviewer", [], id="draft-reviewer"),
        pytest.param("submitted", "kpi.submitter", [], id="submitted-submitter"),
        pytest.param(
            "submitted", "reviewer", ["Approve", "Return with queries"], id="submitted-reviewer"
        ),
        pytest.param("submitted", "admin", [], id="submitted-administrator"),
    ],
)
def test_each_person_is_offered_only_what_they_may_do_now(client, people, state, username, offered):
    month = MARCH
    if state != "approved":
        submitter = people["kpi.submitter"]
        ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
        services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
        if state == "submitted":
            services.return_submit(ret=ret, user=submitter)
        month = APRIL

    html = _as(client, people[username]).get(page(month)).content.decode()

    shown = re.findall(r'class="btn[^"]*"[^>]*>([^<]+)</a>|value="([^"]+)"', html)
    labels = {link or value for link, value in shown}
    assert [action for action in ACTIONS if action in labels] == offered


def test_a_locked_month_says_locked_and_offers_nothing_to_do(client, people, april):
    services.period_lock(period=APRIL, user=people["admin"], reason="OPB met on 12 May")

    html = _as(client, people["kpi.submitter"]).get(page(APRIL)).content.decode()

    assert '<span class="badge text-bg-dark fs-5">Locked</span>' in html
    assert "April 2025 is locked: the OPB has met on its figures." in html
    assert "What you can do" not in html
    assert "Add a comment" not in html


def test_a_comment_on_a_line_joins_that_lines_thread(client, people, april):
    officer = _as(client, people["reviewer"])
    url = reverse("submissions:comment", args=["kpis", APRIL.iso])

    response = officer.post(url, {"line": "PI2", "text": "Why did PI2 fall?"}, follow=True)

    html = response.content.decode()
    assert "Your comment was added." in html
    thread = re.search(r'id="thread-PI2".*?</div>', html, re.S).group(0)
    assert "Why did PI2 fall?" in thread
    assert "Sam Hughes" in thread
    assert '<a href="#thread-PI2">1 comment</a>' in html


def test_an_empty_comment_is_refused_with_a_message(client, people, april):
    officer = _as(client, people["kpi.submitter"])
    url = reverse("submissions:comment", args=["kpis", APRIL.iso])
    html = officer.post(url, {"line": "", "text": "  "}, follow=True).content.decode()
    assert "The comment was not added: A comment needs some text." in html
    assert not april.comments.exists()


def test_the_page_costs_the_same_queries_however_long_the_history(
    client, people, april, django_assert_num_queries
):
    officer = _as(client, people["reviewer"])
    # 19 queries: session, user, savepoint; the return with its organisation and versions,
    # its events (with people and versions), its versions (with authors and files), its
    # comments (with authors); the lines: framework in force, its KPIs; the RAG context:
    # framework in force, KPIs, their rules, 24 months of values, the child population, the
    # month's workforce return and approved workforce figures (PI12 must agree with them);
    # the layout (for the fields' headings, it reads the KPI titles);
    # whether the month is locked; release savepoint
    with django_assert_num_queries(19):
        officer.get(page(APRIL))
    submitter = people["kpi.submitter"]
    for number in range(1, 6):
        services.return_save(ret=april, user=submitter, data=figures(), base_version=number)
        services.comment_add(ret=april, user=submitter, text=f"Note {number}", line="PI1")
        services.comment_add(ret=april, user=people["reviewer"], text="Thanks")
    with django_assert_num_queries(19):
        html = officer.get(page(APRIL), {"from": 1, "to": 6}).content.decode()
    assert "Figures of version 6" in html
    assert html.count("Note ") == 5


@pytest.fixture
def queried(people, april):
    """April sent back by the reviewer with a query on PI3."""
    submitter = people["kpi.submitter"]
    april.refresh_from_db()
    explained = dict.fromkeys(april.current_version.data, "Explained.")
    services.return_submit(ret=april, user=submitter, explanations=explained)
    services.return_send_back(
        ret=april, user=people["reviewer"], comment="Why did PI3 <i>fall</i>?", line="PI3"
    )
    return april


def test_a_queried_return_opens_on_its_query_with_a_reply_form(client, people, queried):
    html = _as(client, people["kpi.submitter"]).get(page(APRIL)).content.decode()

    box = _section(html, "queries-heading")
    assert html.index('id="queries-heading"') < html.index('id="figures-heading"')
    assert "The council returned this return with 1 query" in box
    assert "Why did PI3 &lt;i&gt;fall&lt;/i&gt;?" in box  # a person's words, never markup
    assert f'action="{reverse("submissions:comment", args=["kpis", APRIL.iso])}"' in box
    assert 'type="hidden" name="line" value="PI3"' in box
    assert "Send your answer" in box


def test_an_answer_sent_from_the_top_joins_the_querys_thread_and_the_box_goes(
    client, people, queried
):
    submitter = _as(client, people["kpi.submitter"])
    url = reverse("submissions:comment", args=["kpis", APRIL.iso])

    html = submitter.post(url, {"line": "PI3", "text": "A data fix."}, follow=True)
    html = html.content.decode()

    thread = re.search(r'id="thread-PI3".*?</ol>', html, re.S).group(0)
    assert thread.index("Why did PI3") < thread.index("A data fix.")
    assert 'id="queries-heading"' not in html
    assert "Next step: submit version" in html


def test_only_the_returns_submitters_see_the_reply_box(client, people, queried):
    for username in ("reviewer", "admin", "finance.submitter"):
        response = _as(client, people[username]).get(page(APRIL))
        assert 'id="queries-heading"' not in response.content.decode(), username


def test_a_typed_save_lands_on_the_return_with_submit_as_the_next_step(client, people):
    from .test_views_edit import typed

    submitter = _as(client, people["kpi.submitter"])
    edit = reverse("submissions:edit", args=["kpis", APRIL.iso])
    explained = {f"{code}-commentary": "Usual." for code in figures()}

    response = submitter.post(edit, {**typed(figures()), **explained}, follow=True)

    assert response.redirect_chain[-1][0] == page(APRIL)
    html = response.content.decode()
    strip = _section(html, "actions-heading")
    assert "Next step: submit version 1 to the council" in strip
    submit = reverse("submissions:submit", args=["kpis", APRIL.iso])
    assert strip.index(f'href="{submit}">Submit</a>') < strip.index(">Edit</a>")
