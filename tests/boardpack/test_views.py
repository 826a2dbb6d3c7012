"""The board pack pages: who reaches what, what they see, and how many queries it takes."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from opb_portal.accounts import roles
from opb_portal.accounts.models import Role, User
from opb_portal.boardpack.models import Meeting, PackIssue
from opb_portal.jobs.models import Job

from ..factories import UserFactory
from .conftest import MARCH, pdf_pages, pdfs_not_rendered, submitted_return

ANONYMOUS, NO_ROLE = "anonymous", "none"
COLUMNS = [ANONYMOUS, *roles.values(), NO_ROLE]
LOGIN = "login"  # 302 to the sign-in page
BACK = "back"  # 302 back to the meeting's page, with a message
JOB = "job"  # 302 to the page of the background job just asked for


def row(*cells) -> dict[str, object]:
    return dict(zip(COLUMNS, cells, strict=True))


# The rows the lead adds to tests/test_role_matrix.py, with these requests.
# fmt: off
MATRIX = {
    #                                    anon   kpi    finance work   review board  admin  none
    "boardpack:meetings":           row(LOGIN, 403,   403,    403,   200,   200,   200,   403),
    "boardpack:meeting_create":     row(LOGIN, 403,   403,    403,   403,   200,   200,   403),
    "boardpack:meeting":            row(LOGIN, 403,   403,    403,   200,   200,   200,   403),
    # A link with no preview kept for the pack as it stands: back to the meeting to ask for one.
    "boardpack:preview":            row(LOGIN, 403,   403,    403,   BACK,  BACK,  BACK,  403),
    # A board member who does not chair is sent back with a refusal; the administrator asks for
    # the issue as a job.
    "boardpack:issue":              row(LOGIN, 403,   403,    403,   403,   BACK,  JOB,   403),
    "boardpack:download":           row(LOGIN, 403,   403,    403,   200,   200,   200,   403),
    "boardpack:annual_review":      row(LOGIN, 200,   200,    200,   200,   200,   200,   403),
    "boardpack:annual_review_pdf":  row(LOGIN, 200,   200,    200,   200,   200,   200,   403),
    "kpis:scorecard_export":        row(LOGIN, 200,   200,    200,   200,   200,   200,   403),
    "kpis:year_export":             row(LOGIN, 200,   200,    200,   200,   200,   200,   403),
    "submissions:figures_export":   row(LOGIN, 200,   403,    403,   200,   403,   200,   403),
}
# fmt: on

REQUESTS = {
    "boardpack:meetings": ("get", "/meetings/"),
    "boardpack:meeting_create": ("get", "/meetings/new/"),
    "boardpack:meeting": ("get", "/meetings/2025-04-17/"),
    "boardpack:preview": ("get", "/meetings/2025-04-17/preview.pdf"),
    "boardpack:issue": ("post", "/meetings/2025-04-17/issue/"),
    "boardpack:download": ("get", "/packs/{issue}.pdf"),
    "boardpack:annual_review": ("get", "/annual-review/2024-25/"),
    "boardpack:annual_review_pdf": ("get", "/annual-review/2024-25.pdf"),
    "kpis:scorecard_export": ("get", "/kpis/scorecard.xlsx?period=2025-03"),
    "kpis:year_export": ("get", "/kpis/years/2024-25.csv"),
    "submissions:figures_export": ("get", "/returns/kpis/2025-03/figures.xlsx"),
}


@pytest.fixture
def clients(meeting, people) -> dict[str, Client]:
    found = {ANONYMOUS: Client()}
    for column in COLUMNS[1:]:
        found[column] = Client()
        found[column].force_login(people[column])
    return found


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in MATRIX])
def test_each_role_gets_what_the_matrix_says(clients, meeting, name, request, monkeypatch):
    method, url = REQUESTS[name]
    if "{issue}" in url:
        url = url.format(issue=request.getfixturevalue("demo_issue").pk)
    # Who may have a document is the question, not what it looks like: no PDF is rendered.
    pdfs_not_rendered(monkeypatch)
    expected = {}
    for column, cell in MATRIX[name].items():
        if cell == LOGIN:
            expected[column] = (302, f"/accounts/login/?next={url.split('?')[0]}")
        elif cell == BACK:
            expected[column] = (302, "/meetings/2025-04-17/")
        elif cell == JOB:
            expected[column] = (302, JOB)
        else:
            expected[column] = (cell, None)
    actual = {}
    for column in COLUMNS:
        response = getattr(clients[column], method)(url)
        location = response.get("Location")
        if location and location.startswith("/jobs/"):
            location = JOB
        actual[column] = (response.status_code, location.split("%3F")[0] if location else None)
    assert actual == expected


def test_a_get_to_issue_is_a_405_for_those_who_may_post(clients):
    assert clients[Role.BOARD_MEMBER].get("/meetings/2025-04-17/issue/").status_code == 405
    assert clients[Role.REVIEWER].get("/meetings/2025-04-17/issue/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/meetings/2025-04-18/", id="no-meeting-that-day"),
        pytest.param("/meetings/2025-02-30/", id="no-such-date"),
        pytest.param("/packs/999999.pdf", id="no-such-issue"),
        pytest.param("/annual-review/2024-26/", id="no-such-year"),
    ],
)
def test_what_does_not_exist_is_not_found(clients, url):
    assert clients[Role.BOARD_MEMBER].get(url).status_code == 404


# --- what people see ------------------------------------------------------------------------


@pytest.fixture
def board(client, meeting):
    client.force_login(meeting.chair)
    return client


def test_the_chair_issues_the_pack_and_members_download_the_same_bytes_twice(
    board, meeting, issues_render_once, django_capture_on_commit_callbacks
):
    # No broker in the tests: the job runs in this process once the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        asked = board.post("/meetings/2025-04-17/issue/")
    job = Job.objects.get(kind="boardpack.issue")
    assert asked["Location"] == f"/jobs/{job.pk}/"
    issue = PackIssue.objects.get(meeting=meeting)
    assert issue.job_id == job.pk
    html = board.get(asked["Location"]).content.decode()
    assert (
        f"Issue 1 of the pack is frozen ({issue.pages} pages, SHA-256 {issue.sha256[:16]}" in html
    )
    assert 'href="/meetings/2025-04-17/"' in html
    assert f"/packs/{issue.pk}.pdf" in board.get("/meetings/2025-04-17/").content.decode()

    member = Client()
    member.force_login(User.objects.get(username="reviewer"))
    first = member.get(f"/packs/{issue.pk}.pdf")
    second = member.get(f"/packs/{issue.pk}.pdf")
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == (
        'attachment; filename="opb-board-pack-2025-03-issue-1.pdf"'
    )
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == issue.sha256
    assert first["ETag"] == f'"{issue.sha256}"'


def test_the_meeting_page_lists_returns_issues_and_the_buttons(board, demo_issue):
    html = board.get("/meetings/2025-04-17/").content.decode()
    assert "KPI return for March 2025: approved (version 1)" in html
    assert 'action="/meetings/2025-04-17/preview.pdf"' in html
    assert "Preview the pack" in html
    assert "Issue pack" in html
    assert "Issue 1 (PDF)" in html
    assert "Alex Morgan" in html


def test_while_a_return_is_not_approved_there_is_no_issue_button_and_the_preview_is_a_draft(
    board, django_capture_on_commit_callbacks
):
    submitted_return(MARCH, changes={"PI1": "84.2"})
    html = board.get("/meetings/2025-04-17/").content.decode()
    assert "a correction is submitted, not yet approved" in html
    assert 'action="/meetings/2025-04-17/issue/"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        asked = board.post("/meetings/2025-04-17/preview.pdf")
    assert asked["Location"].startswith("/jobs/")
    # A link or a bookmark to the preview now opens the kept PDF.
    response = board.get("/meetings/2025-04-17/preview.pdf")
    assert response["Content-Disposition"].startswith("inline;")
    pages = pdf_pages(b"".join(response.streaming_content))
    assert all("DRAFT: includes unapproved figures" in page for page in pages)


def test_issuing_a_draft_by_post_is_refused_with_the_reason(board):
    submitted_return(MARCH, changes={"PI1": "84.2"})
    html = board.post("/meetings/2025-04-17/issue/", follow=True).content.decode()
    assert "cannot be issued while it includes unapproved figures" in html
    assert not PackIssue.objects.exists()


def test_a_board_member_arranges_a_meeting_and_chairs_it(client, demo):
    board = User.objects.get(username="board")
    reviewer = User.objects.get(username="reviewer")
    client.force_login(board)
    response = client.post(
        "/meetings/new/", {"date": "2025-05-15", "period": "", "members": [reviewer.pk]}
    )
    assert (response.status_code, response["Location"]) == (302, "/meetings/2025-05-15/")
    meeting = Meeting.objects.get(date="2025-05-15")
    assert (meeting.chair, meeting.period.iso) == (board, "2025-04")
    assert set(meeting.members.all()) == {board, reviewer}


def test_an_administrator_names_the_chair(client, demo):
    client.force_login(User.objects.get(username="admin"))
    other = UserFactory(role=Role.BOARD_MEMBER)
    response = client.post(
        "/meetings/new/", {"date": "2025-05-15", "period": "Mar-25", "chair": other.pk}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(date="2025-05-15")
    assert (meeting.chair, meeting.period.iso) == (other, "2025-03")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"date": "2025-04-17"}, "already a meeting on 17 April 2025", id="taken"),
        pytest.param({"date": "17/04/2025x"}, "Enter a valid date", id="not-a-date"),
        pytest.param(
            {"date": "2025-05-15", "period": "2025-13"}, "write it as 2025-03", id="bad-month"
        ),
    ],
)
def test_a_meeting_that_cannot_be_arranged_says_why(board, data, message):
    response = board.post("/meetings/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_annual_review_page_gives_each_kpi_its_sentence(board):
    html = board.get("/annual-review/2024-25/").content.decode()
    assert "Section (b) The Trust&#x27;s performance" in html
    assert (
        "Performance was on target for 1 month, below target but within tolerance for 10 months "
        "and outside tolerance for 1 month, ranging from 68.8% in October 2024 to 86.4% in "
        "March 2025, with an average of 78.1%." in html
    )
    assert "/annual-review/2024-25.pdf" in html


# --- queries -----------------------------------------------------------------------------------


def test_the_meetings_list_query_count_is_fixed(board, demo_issue, django_assert_num_queries):
    # 5 queries: session, user, savepoint, meetings with their chairs and issue counts, release
    with django_assert_num_queries(5):
        board.get("/meetings/")


def test_the_meeting_page_query_count_is_fixed(board, demo_issue, django_assert_num_queries):
    # 17 queries: session, user, savepoint, the meeting with its chair, its members, its issues
    # with who issued them, the month's returns of every domain in the pack, what the pack
    # still lacks (the registered issue checks: the KPIs off track, judged from the pack's
    # scorecard, 7 queries, the month's exception reports and the open plans on those KPIs),
    # release
    with django_assert_num_queries(17):
        board.get("/meetings/2025-04-17/")


def test_the_preview_query_count_does_not_grow_with_the_pack(
    board, monkeypatch, django_assert_num_queries
):
    # The pages are built (every query the preview makes) but not drawn: WeasyPrint reads
    # nothing from the database.
    pdfs_not_rendered(monkeypatch)
    # 58 queries: session, user, savepoint, the meeting, its members, its issues, the month's
    # returns of every domain; the scorecard: framework in force, the month's return, its events,
    # KPIs, rules, comparators (the comparator store's figures and published averages, one
    # query, also drawn on the pages of the KPIs needing attention), 24 months of values;
    # comments on the KPIs needing attention; the sources appendix: the return versions used,
    # their approvals;
    # finance (9: plan, lines, drivers, return, events, line figures, driver figures, sources,
    # the count of children we care for beside the plan) and workforce (8: rules, month,
    # services, caseload figures, caseload models, return, events, history);
    # demand (12: measures, child population, figures to the year end, the plan, its lines,
    # its drivers, the month's driver figures, children we care for; comparator values with
    # published averages, neighbour groups, their members; sources); exception reports and
    # plans (3: the month's reports, the open plans on the KPIs off track, judged from the
    # scorecard above, and every open plan with its milestones and progress); actions and
    # decisions (7: the meeting on the month, the board's meetings either side, the actions due
    # before the next, the count due after, decisions, the KPIs named); the KPIs' outlook (1:
    # their forecasts); the chosen deficit scenarios (13: the scenarios, their changes, the
    # figures' year, its model as at the month (lines, drivers, the month's line figures, the
    # driver figures), the drivers carried forward to 2025-26 from one read for every scenario
    # (the last drivers, next year's plan, its lines, and demand's projection: the child
    # population, the measures' history), the sensitivity's year); release.
    # A link to the preview builds all this for the fingerprint of the pack's inputs (the
    # meeting read again with its chair for the job's parameters), then looks for the preview
    # kept for it (a job still running, a done one): none, so back to the meeting, with no
    # audit line (no file given).
    with django_assert_num_queries(75):
        response = board.get("/meetings/2025-04-17/preview.pdf")
    assert response["Location"] == "/meetings/2025-04-17/"


def test_the_arrange_page_query_count_is_fixed(board, django_assert_num_queries):
    # 5 queries: session, user, savepoint, the people who may be members, release (a board
    # member chairs the meetings they arrange: no list of chairs; an administrator's has one)
    with django_assert_num_queries(5):
        board.get("/meetings/new/")


def test_downloading_an_issue_reads_the_issue_alone(board, demo_issue, django_assert_num_queries):
    # 6 queries: session, user, savepoint, the issue, release, the person's organisation for
    # the audit line
    with django_assert_num_queries(6):
        board.get(f"/packs/{demo_issue.pk}.pdf")


@pytest.mark.parametrize(
    ("url", "audit"),
    [
        pytest.param("/annual-review/2024-25/", 0, id="page"),
        # the PDF's link first asks whether the year is frozen (then the frozen PDF is served
        # instead), drafts the review for its fingerprint, and looks for the job already asked
        # for it: one going, then one done with its file kept (boardpack/annual_jobs.py)
        pytest.param("/annual-review/2024-25.pdf", 3, id="pdf"),
    ],
)
def test_the_annual_review_query_count_is_fixed(
    board, url, audit, monkeypatch, django_assert_num_queries
):
    pdfs_not_rendered(monkeypatch)
    # 99 queries, each read once per section whatever the figures (nothing grows with them):
    # session, user, savepoint, the narratives' kept versions;
    # the executive summary's facts at 31 March: demand's (child population, figures,
    # the comparators' neighbour groups, authorities, values and averages, twice: the rate
    # and the count), finance's (year, lines, drivers, return, events, line and driver
    # figures, last year's plan and drivers, next year's plan and lines), inspections' (the
    # authority, its inspections), the KPIs' (framework, return, events, KPIs, rules,
    # values), workforce's (month, caseloads, services, standards, rules, return, events, the
    # month six months before);
    # (a) the plan, priorities, actions, progress; (b) framework, KPIs, rules, values; (c)
    # audits, their figures, their actions; (d) the authority, inspections, recommendations,
    # the current judgements' inspections, their actions; (e) plan, lines, drivers, return,
    # events, line and driver figures; (f) workforce (rules, 13 months, month, caseloads,
    # services, standards, return, events), demand (measures, child population, figures,
    # the year's values, the plan, lines, drivers, driver figures, neighbour groups,
    # authorities), care experienced (child population, the three outcomes' values);
    # (g) rectification plans; (h) and (i) changes; (i) neighbour groups and members; (j)
    # meetings, attendees, decisions, actions; the freeze; the drafts; release
    with django_assert_num_queries(99 + audit):
        board.get(url)
