"""
The home page (`/`), role by role: what needs each person first, from the panels the apps
register (`opb_portal.core.home`).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from governance.models import ExceptionReport
from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import SUBMITTERS
from opb_portal.accounts.roles import Role
from opb_portal.core import home
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .factories import UserFactory
from .submissions.test_views_edit import figures

APRIL = Period(2025, 4)


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _panel(html: str, key: str) -> str:
    """The markup of one panel, by its key's anchor, up to the next panel or the page's end."""
    anchor = f'<section class="home-panel mb-4" id="{key.replace(".", "")}"'
    assert anchor in html, f"no panel {key}"
    rest = html[html.index(anchor) :]
    ends = [rest.find(marker, 1) for marker in ('<section class="home-panel', "</main>")]
    return rest[: min(end for end in ends if end > 0)]


def _panels(html: str) -> list[str]:
    return re.findall(r'<section class="home-panel[^"]*" id="([^"]+)"', html)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


# --- the registry ---------------------------------------------------------------------------


def _panel_for(audience) -> home.HomePanel:
    return home.HomePanel("test.panel", "A panel", 50, "x.html", lambda user: [], audience)


@pytest.mark.parametrize(
    ("audience", "role", "shown"),
    [
        pytest.param({Role.REVIEWER}, "reviewer", True, id="a-role-named"),
        pytest.param({Role.REVIEWER}, "board_member", False, id="a-role-not-named"),
        pytest.param({SUBMITTERS}, "finance_submitter", True, id="any-submitter"),
        pytest.param({SUBMITTERS}, "administrator", False, id="submitters-only"),
        pytest.param({SUBMITTERS, Role.REVIEWER}, "", False, id="no-role-sees-nothing"),
        pytest.param({SUBMITTERS}, "retired_submitter", False, id="a-role-nobody-registered"),
    ],
)
def test_a_panel_shows_to_the_roles_of_its_audience(audience, role, shown):
    person = User(role=role)
    assert _panel_for(frozenset(audience)).shows_to(person) is shown


def test_a_panel_built_as_none_is_left_out_and_the_rest_come_in_order(monkeypatch):
    monkeypatch.setattr(home, "_PANELS", {})
    everyone = frozenset({Role.REVIEWER})
    home.register(home.HomePanel("b.second", "Second", 20, "b.html", lambda u: [2], everyone))
    home.register(home.HomePanel("a.first", "First", 10, "a.html", lambda u: [1], everyone))
    home.register(home.HomePanel("c.empty", "Empty", 5, "c.html", lambda u: None, everyone))

    shown = home.panels_for(User(role="reviewer"))

    assert [(item.key, item.content) for item in shown] == [("a.first", [1]), ("b.second", [2])]


# --- a board member ------------------------------------------------------------------------


def test_a_board_member_sees_where_the_contract_stands_then_actions_then_meetings(client, people):
    html = _home(client, people["board"])

    assert _panels(html) == [
        "boardpacksummary",
        "governanceoverdue_actions",
        "boardpackmeetings",
        "kpislooking_ahead",
    ]
    summary = _text(_panel(html, "boardpack.summary"))
    assert "March 2025, the latest month with approved figures" in summary
    # The pack's own summary lines: RAG counts with the change on last month, the exceptions,
    # the finance position and the workforce headline.
    assert "10 Green +1 on February 2025 (9)" in summary
    assert "5 Amber −1 on February 2025 (6)" in summary
    assert "Contract exceptions : None" in summary
    assert "£8,788,115 Forecast in-year deficit" in summary
    assert "£19,707,432 Forecast cumulative deficit" in summary
    assert "20.7% Agency share" in summary
    assert "23.9% Permanent vacancy rate" in summary
    meetings = _text(_panel(html, "boardpack.meetings"))
    assert "The meetings on March 2025 OPB meeting of 17 April 2025" in meetings
    assert "Next meeting OPB meeting of 22 May 2025 , on April 2025" in meetings


def test_the_board_summary_is_the_packs_summary_read_one_way(client, people):
    from opb_portal.boardpack import sections, selectors

    with sections.one_build():
        pack = selectors.pack_summary(Period(2025, 3))
    summary = _panel(_home(client, people["board"]), "boardpack.summary")

    for title, items in pack.headlines:
        assert f">{title}</h3>" in summary
        for item in items:
            assert item.value.replace("&", "&amp;").replace(">", "&gt;") in summary


def test_every_item_of_the_board_summary_links_to_its_page_and_each_page_opens(client, people):
    summary = _panel(_home(client, people["board"]), "boardpack.summary")
    figures = re.findall(r'<a class="home-figure[^"]*" href="([^"]+)"', summary)
    lines = re.findall(r"<li><a href=\"([^\"]+)\">", summary)
    items = re.findall(r'class="home-figure[ "]|<li>', summary)

    assert len(figures) + len(lines) == len(items) > 12
    assert "/kpis/scorecard/?period=2025-03" in figures
    assert "/finance/?period=2025-03" in figures
    assert "/workforce/?period=2025-03" in figures
    assert "/demand/?period=2025-03" in lines
    assert "/kpis/2024/PI1/" in lines  # a KPI that changed colour links to its own page
    for url in dict.fromkeys(figures + lines):
        assert client.get(url).status_code == 200, url


def test_the_overdue_actions_are_the_open_ones_past_due_each_linked(client, people):
    from governance.models import Action

    html = _panel(_home(client, people["board"]), "governance.overdue_actions")

    from django.utils import timezone

    late = Action.objects.filter(status=Action.Status.OPEN, due__lt=timezone.localdate())
    assert late.exists()
    for action in late:
        assert reverse("governance:action", args=[action.pk]) in html
    for action in Action.objects.exclude(pk__in=late):
        assert reverse("governance:action", args=[action.pk]) not in html


def test_the_chair_is_a_board_member_and_sees_the_same_home(client, people):
    html = _home(client, people["trust.ceo"])
    assert _panels(html) == [
        "boardpacksummary",
        "governanceoverdue_actions",
        "boardpackmeetings",
        "kpislooking_ahead",
    ]


def test_the_board_home_page_takes_a_fixed_number_of_queries(
    client, people, django_assert_num_queries
):
    client.force_login(people["board"])
    client.get("/")  # the first request of a process reads the sections' cached rules
    # 45 queries: session, user, SAVEPOINT; the summary's month (the latest approved return);
    # the pack's headline reads, each once as in a pack build: the KPIs' (framework, the
    # month's return and its events, KPIs, rules, values, comparators: 7), finance's (year,
    # lines, drivers, the return and its events, line and driver figures: 7), the workforce's
    # (rules, months, caseloads, services, standards, the return and its events, the
    # history: 8), demand's (measures, child population, values twice, finance's plan
    # through its panel (year, lines, drivers, driver figures), comparators, neighbour groups
    # and their members: 11); the month's return states (1); the open actions past due (1)
    # and what they are about (a KPI, a finance line, an audit, an Ofsted recommendation: 4);
    # the meetings' month again, the
    # meetings with their chairs, their issues (3); looking ahead: the KPIs' latest month,
    # the framework then, its KPIs, their latest forecasts (4); RELEASE SAVEPOINT.
    with django_assert_num_queries(51):
        client.get("/")


# --- a Trust submitter ------------------------------------------------------------------------


def test_a_submitter_sees_the_month_due_after_the_last_sent_not_the_calendar_month(client, people):
    html = _panel(_home(client, people["finance.submitter"]), "submissions.due")
    text = _text(html)

    assert "Finance return for April 2025 : due; not started." in text
    assert reverse("submissions:edit", args=["finance", "2025-04"]) in html
    assert reverse("submissions:upload", args=["finance"]) in html
    assert reverse("submissions:template", args=["finance", "2025-04"]) in html
    assert f"for {Period.current().shift(-1).long}" not in text


def test_a_submitter_of_two_returns_sees_both_and_one_of_one_sees_only_theirs(client, people):
    kpis = _text(_panel(_home(client, people["kpi.submitter"]), "submissions.due"))
    finance = _text(_panel(_home(client, people["finance.submitter"]), "submissions.due"))

    assert "KPI return for April 2025" in kpis
    assert "Activity return for April 2025" in kpis
    assert "Finance return" not in kpis
    assert "Finance return for April 2025" in finance
    assert "KPI return" not in finance
    assert "Activity return" not in finance
    assert "Workforce return" not in kpis + finance


@pytest.fixture
def april_draft(people):
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    return ret


def test_a_saved_month_due_offers_submit_as_its_button(client, people, april_draft):
    html = _panel(_home(client, people["kpi.submitter"]), "submissions.due")

    assert "KPI return for April 2025 : due; version 1 is saved, not yet submitted." in _text(html)
    assert reverse("submissions:submit", args=["kpis", "2025-04"]) in html
    assert reverse("submissions:edit", args=["kpis", "2025-04"]) not in html


def test_a_month_missed_before_the_month_due_is_overdue(client, people, april_draft):
    submitter = people["kpi.submitter"]
    services.return_submit(ret=april_draft, user=submitter, explanations=_explained(april_draft))
    # February was never sent: a draft only (its approval withdrawn for the test).
    Return.objects.filter(domain="kpis", period=Period(2025, 2)).update(
        status=Return.Status.DRAFT, approved_version=None
    )

    text = _text(_panel(_home(client, submitter), "submissions.due"))

    assert "KPI return for February 2025 : Overdue version 1 is saved, not yet submitted." in text
    assert "KPI return for May 2025 : due; not started." in text


def _explained(ret) -> dict[str, str]:
    """An explanation for every line the checks ask one of at submission."""
    ret.refresh_from_db()
    return dict.fromkeys(ret.current_version.data, "Explained for the test.")


def test_a_correction_saved_after_approval_is_a_draft_to_submit(client, people):
    submitter = people["kpi.submitter"]
    march = Return.objects.get(domain="kpis", period=Period(2025, 3))
    services.return_save(
        ret=march,
        user=submitter,
        data=figures(PI1={"value": "86.5"}),
        base_version=march.current_version.number,
        reason="Recounted",
    )

    html = _panel(_home(client, submitter), "submissions.due")

    assert "Drafts to submit" in html
    assert "KPI return for March 2025 : a correction, version 2" in _text(html)
    assert reverse("submissions:submit", args=["kpis", "2025-03"]) in html


def test_a_return_sent_back_lists_its_query_to_answer_with_a_button(client, people, april_draft):
    submitter, reviewer = people["kpi.submitter"], people["reviewer"]
    services.return_submit(ret=april_draft, user=submitter, explanations=_explained(april_draft))
    services.return_send_back(ret=april_draft, user=reviewer, comment="Why did PI3 <b>fall</b>?")

    html = _panel(_home(client, submitter), "submissions.due")

    assert "Queries to answer" in html
    assert "returned with 1 query waiting for your answer" in _text(html)
    assert "Why did PI3 &lt;b&gt;fall&lt;/b&gt;?" in html  # a person's words, never markup
    assert reverse("submissions:detail", args=["kpis", "2025-04"]) + "#queries" in html


def test_the_submitter_home_page_takes_a_fixed_number_of_queries(
    client, people, april_draft, django_assert_num_queries
):
    submitter, reviewer = people["kpi.submitter"], people["reviewer"]
    services.return_submit(ret=april_draft, user=submitter, explanations=_explained(april_draft))
    services.return_send_back(ret=april_draft, user=reviewer, comment="Why?")
    client.force_login(submitter)
    client.get("/")
    # 10 queries: session, user, SAVEPOINT; the Trust's returns; the lines of each month
    # due (the KPI framework in force and its KPIs; the activity return's measures); the
    # comments on the return sent back; the exception reports the council asked more of;
    # looking ahead: the KPIs' latest month, the framework then, its KPIs, their latest
    # forecasts (4); RELEASE SAVEPOINT.
    with django_assert_num_queries(14):
        client.get("/")


# --- a council reviewer and an administrator ---------------------------------------------------


def _submitted(people, domain: str, data: dict):
    submitter = people[f"{'kpi' if domain == 'kpis' else domain}.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain=domain, period=APRIL)
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    services.return_submit(ret=ret, user=submitter, explanations=_explained(ret))
    return ret


def test_a_reviewer_sees_the_returns_waiting_oldest_submission_first(client, people):
    workforce_march = Return.objects.get(domain="workforce", period=Period(2025, 3))
    kpis = _submitted(people, "kpis", figures())
    workforce = _submitted(people, "workforce", workforce_march.approved_version.data)
    # The KPI return was submitted first, then the workforce return: oldest first.
    html = _panel(_home(client, people["reviewer"]), "submissions.review")

    kpi_url = reverse("submissions:detail", args=["kpis", "2025-04"])
    workforce_url = reverse("submissions:detail", args=["workforce", "2025-04"])
    assert html.index(kpi_url) < html.index(workforce_url)
    assert kpis.pk != workforce.pk
    assert "Review the KPI return for Apr-25" in html


def test_a_reviewer_sees_the_exception_reports_waiting_for_acceptance(client, people):
    report = ExceptionReport.objects.order_by("pk").first()
    ExceptionReport.objects.filter(pk=report.pk).update(status=ExceptionReport.Status.SUBMITTED)

    html = _panel(_home(client, people["reviewer"]), "governance.awaiting_acceptance")

    url = reverse("governance:exception_report", args=[report.period, report.subject])
    assert url in html
    assert client.get(url).status_code == 200
    others = ExceptionReport.objects.exclude(pk=report.pk)
    assert all(
        reverse("governance:exception_report", args=[o.period, o.subject]) not in html
        for o in others
    )


def test_a_reviewer_with_nothing_waiting_is_told_so(client, people):
    html = _home(client, people["reviewer"])

    assert _panels(html) == [
        "submissionsreview",
        "governanceawaiting_acceptance",
        "kpislooking_ahead",
    ]
    assert "No return is waiting for review." in html
    assert "No exception report is waiting for the council's acceptance." in html


def test_the_reviewer_home_page_takes_a_fixed_number_of_queries(
    client, people, django_assert_num_queries
):
    _submitted(people, "kpis", figures())
    client.force_login(people["reviewer"])
    client.get("/")
    # 6 queries: session, user, SAVEPOINT; the returns submitted with their current versions
    # and when they were submitted; the exception reports waiting with their versions;
    # looking ahead: the KPIs' latest month, the framework then, its KPIs, their latest
    # forecasts (4); RELEASE SAVEPOINT.
    with django_assert_num_queries(10):
        client.get("/")


def test_an_administrator_sees_the_reviewers_panels_the_meetings_and_their_pages(client, people):
    html = _home(client, people["admin"])

    assert _panels(html) == [
        "submissionsreview",
        "governanceawaiting_acceptance",
        "governanceoverdue_actions",
        "boardpackmeetings",
        "kpislooking_ahead",
        "coreadministration",
    ]
    links = _links(_panel(html, "core.administration"))
    assert links == [
        "/meetings/",
        "/annual-review/",
        "/reports/",
        "/returns/",
        "/periods/",
        "/comparators/",
        "/inspections/imports/",
        "/admin/",
    ]


def test_someone_with_no_role_has_no_home_page(client, demo):
    client.force_login(UserFactory(role=""))
    assert client.get("/").status_code == 403
