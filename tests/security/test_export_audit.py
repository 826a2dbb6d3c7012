"""
Every file of figures that leaves the portal leaves an audit line: who, their
organisation, and which file, never a password, a token or a session key.
"""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from opb_portal.accounts.models import User
from opb_portal.boardpack.models import (
    AnnualReviewDraft,
    AnnualReviewYear,
    FrozenAnnualReview,
    Meeting,
    PackIssue,
)
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile

from ..spreadsheets.builders import xlsx

# (URL name, the person who takes the file, the URL)
DOWNLOADS = [
    pytest.param(
        "kpis:scorecard_export", "board", "/kpis/scorecard.xlsx?period=2025-03", id="scorecard-xlsx"
    ),
    pytest.param(
        "kpis:scorecard_export", "board", "/kpis/scorecard.csv?period=2025-03", id="scorecard-csv"
    ),
    pytest.param("kpis:year_export", "reviewer", "/kpis/years/2024-25.xlsx", id="year-summary"),
    pytest.param(
        "finance:lines_export", "board", "/finance/lines.csv?period=2025-03", id="finance-lines"
    ),
    pytest.param(
        "workforce:export", "board", "/workforce/figures.xlsx?period=2025-03", id="workforce"
    ),
    pytest.param(
        "workforce:caseloads_export",
        "admin",
        "/workforce/caseloads.csv?period=2025-03",
        id="caseloads",
    ),
    pytest.param(
        "submissions:figures_export",
        "reviewer",
        "/returns/kpis/2025-03/figures.xlsx",
        id="return-figures",
    ),
    pytest.param(
        "submissions:template",
        "kpi.submitter",
        "/returns/kpis/template/2025-04.xlsx",
        id="return-template-with-last-months-figures",
    ),
    pytest.param(
        "submissions:version_file",
        "reviewer",
        "/returns/kpis/2025-04/versions/1/file/",
        id="uploaded-workbook",
    ),
    pytest.param(
        "boardpack:preview", "board", "/meetings/2025-04-17/preview.pdf", id="pack-preview"
    ),
    pytest.param("boardpack:download", "board", "/packs/{issue}.pdf", id="issued-pack"),
    pytest.param(
        "boardpack:annual_review_frozen",
        "kpi.submitter",
        "/annual-review/2023-24/frozen.pdf",
        id="frozen-annual-review",
    ),
    pytest.param(
        "boardpack:annual_draft_pdf",
        "board",
        "/annual-review/2024-25/drafts/1.pdf",
        id="circulated-draft",
    ),
    pytest.param(
        "boardpack:annual_draft_docx",
        "trust.ceo",
        "/annual-review/2024-25/drafts/1.docx",
        id="circulated-draft-word",
    ),
]

# Documents made as jobs (opb_portal.jobs): the address offers to prepare the file, a POST
# asks for the job, and the file is handed out (and audited) by the job's result page.
MADE_AS_JOBS = [
    pytest.param(
        "boardpack:annual_review_pdf", "board", "/annual-review/2024-25.pdf", id="annual-review"
    ),
    pytest.param(
        "boardpack:annual_review_docx",
        "reviewer",
        "/annual-review/2024-25.docx",
        id="annual-review-word",
    ),
    pytest.param("reports:pdf", "reviewer", "/reports/1.pdf", id="report"),
    pytest.param("reports:docx", "board", "/reports/1.docx", id="report-word"),
]


@pytest.fixture
def circulated_draft(demo, settings) -> AnnualReviewDraft:
    """Draft 1 of the annual review of 2024-25, its PDF and Word file on disk."""
    pdf, docx = b"%PDF-1.7 the draft as circulated", b"PK the draft in Word"
    draft = AnnualReviewDraft.objects.create(
        review=AnnualReviewYear.objects.get_or_create(start_year=2024)[0],
        number=1,
        stored_name="draft-1.pdf",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        pages=1,
        docx_name="draft-1.docx",
        docx_sha256=hashlib.sha256(docx).hexdigest(),
        docx_size=len(docx),
        circulated_by=User.objects.get(username="admin"),
        circulated_at="2025-07-01T09:00:00Z",
    )
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    draft.path.write_bytes(pdf)
    draft.docx_path.write_bytes(docx)
    return draft


def _exports(lines) -> list[dict]:
    return [event for event in map(json.loads, lines) if event["event"] == "export"]


@pytest.fixture
def uploaded_version(demo, django_capture_on_commit_callbacks):
    """April 2025's KPI return, version 1 uploaded as a workbook."""
    submitter = User.objects.get(username="kpi.submitter")
    with django_capture_on_commit_callbacks(execute=True):  # the file takes its final name
        upload = UploadedFile.store(
            data=xlsx({"Data": [["KPI", "Period", "Value"]]}), name="april.xlsx", user=submitter
        )
    ret = Return.objects.create(
        organisation=submitter.organisation, domain="kpis", period="2025-04-01"
    )
    ret.current_version = ReturnVersion.objects.create(
        ret=ret, number=1, data={}, source="april.xlsx", upload=upload, created_by=submitter
    )
    ret.save()


@pytest.fixture
def issued_pack(demo, settings) -> PackIssue:
    """An issue of the demonstration meeting's pack, its bytes on disk as issuing leaves them."""
    data = b"%PDF-1.7 the pack as issued"
    issue = PackIssue.objects.create(
        meeting=Meeting.objects.get(date="2025-04-17"),
        number=1,
        period="2025-03-01",
        stored_name="issued.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=1,
        issued_by=User.objects.get(username="board"),
        issued_at="2025-04-10T09:00:00Z",
    )
    issue.path.parent.mkdir(parents=True, exist_ok=True)
    issue.path.write_bytes(data)
    return issue


@pytest.fixture
def frozen_review(demo, settings) -> FrozenAnnualReview:
    """The annual review of 2023-24, frozen, its bytes on disk as the freeze leaves them."""
    data = b"%PDF-1.7 the review as frozen"
    frozen = FrozenAnnualReview.objects.create(
        review=AnnualReviewYear.objects.create(start_year=2023),
        stored_name="frozen.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=1,
        frozen_by=User.objects.get(username="admin"),
        frozen_at="2024-06-10T09:00:00Z",
    )
    frozen.path.parent.mkdir(parents=True, exist_ok=True)
    frozen.path.write_bytes(data)
    return frozen


@pytest.fixture
def kept_preview(demo, monkeypatch, django_capture_on_commit_callbacks):
    """The demonstration meeting's pack previewed (a job run in-process), its PDF kept."""
    from opb_portal.boardpack import services

    from ..boardpack.conftest import pdfs_not_rendered

    pdfs_not_rendered(monkeypatch)
    meeting = Meeting.objects.get(date="2025-04-17")
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_preview_request(meeting=meeting, user=meeting.chair)


@pytest.mark.parametrize(("name", "username", "url"), DOWNLOADS)
def test_every_download_of_figures_writes_one_audit_line_naming_who_and_what(
    client,
    uploaded_version,
    issued_pack,
    frozen_review,
    circulated_draft,
    audit_lines,
    request,
    name,
    username,
    url,
):
    if name == "boardpack:preview":
        # A link to the preview gives the PDF kept for the pack as it stands, once made.
        request.getfixturevalue("kept_preview")
    person = User.objects.get(username=username)
    client.force_login(person)
    audit_lines.clear()

    response = client.get(url.format(issue=issued_pack.pk))

    assert response.status_code == 200
    (event,) = _exports(audit_lines)
    assert (event["user"], event["role"], event["organisation"]) == (
        username,
        person.role,
        str(person.organisation),
    )
    assert event["view"] == name
    assert event["what"]
    assert event["what"] in response["Content-Disposition"]
    assert event["path"] == url.format(issue=issued_pack.pk).split("?")[0]
    assert event["bytes"] > 0
    session_key = client.cookies["sessionid"].value
    assert not any(session_key in line for line in audit_lines)


@pytest.mark.parametrize(("name", "username", "url"), MADE_AS_JOBS)
def test_a_document_made_as_a_job_is_audited_once_when_its_file_is_taken(
    client, demo, audit_lines, django_capture_on_commit_callbacks, name, username, url
):
    client.force_login(User.objects.get(username=username))
    audit_lines.clear()

    offered = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url)
    assert _exports(audit_lines) == []
    taken = client.get(asked["Location"] + "result/")

    assert (offered.status_code, asked.status_code, taken.status_code) == (200, 302, 200)
    (event,) = _exports(audit_lines)
    assert (event["user"], event["view"]) == (username, "jobs:result")
    assert event["what"]
    assert event["what"] in taken["Content-Disposition"]
    assert event["bytes"] > 0


def test_a_refused_download_is_logged_as_a_refusal_not_an_export(client, demo, audit_lines):
    client.force_login(User.objects.get(username="kpi.submitter"))
    audit_lines.clear()

    assert client.get("/returns/finance/2025-03/figures.csv").status_code == 403

    assert [json.loads(line)["event"] for line in audit_lines] == ["permission_denied"]


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/kpis/scorecard.pdf?period=2025-03", id="a-format-the-portal-never-writes"),
        pytest.param("/kpis/scorecard.csv?period=2025-13", id="a-month-that-does-not-exist"),
        pytest.param("/returns/kpis/2031-03/figures.csv", id="a-return-that-does-not-exist"),
    ],
)
def test_a_request_that_hands_out_no_file_logs_no_export(client, demo, audit_lines, url):
    client.force_login(User.objects.get(username="reviewer"))
    audit_lines.clear()

    assert client.get(url).status_code in (400, 404)

    assert _exports(audit_lines) == []


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            for name, sub_route, callback in _routes(pattern.url_patterns, route):
                yield (namespace + name if name else name), sub_route, callback
        elif isinstance(pattern, URLPattern):
            yield pattern.name, route, pattern.callback


def _hands_out_a_file(route: str) -> bool:
    return route.endswith((".<str:fmt>", ".pdf", ".xlsx", ".docx", "/file/"))


def test_every_url_that_hands_out_a_file_is_audited_and_tested_here():
    files = {
        name: callback
        for name, route, callback in _routes(get_resolver().url_patterns)
        if _hands_out_a_file(route)
    }
    unaudited = [
        name for name, callback in files.items() if not hasattr(callback, "audited_export")
    ]
    assert unaudited == [], "decorate these views with opb_portal.exports.audited_export"
    # The problems of a refused file list its own cells: audited too (the returns' tested below;
    # the others are the same `uploads.problems_download` under their own purpose).
    problem_lists = {
        "submissions:upload_problems",
        "comparators:import_problems",
        "comparators:statistics_problems",
        "inspections:import_problems",
    }
    made_as_jobs = {case.values[0] for case in MADE_AS_JOBS}
    assert set(files) == {case.values[0] for case in DOWNLOADS} | made_as_jobs | problem_lists


def test_downloading_the_problems_of_a_refused_upload_is_audited(client, demo, audit_lines):
    client.force_login(User.objects.get(username="kpi.submitter"))
    bad = xlsx({"Data": [["KPI", "Period", "Value"], ["PI1", "2025-03", "lots"]]})
    page = client.post(
        "/returns/kpis/upload/",
        {"workbook": SimpleUploadedFile("march.xlsx", bad)},
        follow=True,  # through its check, done in-process, to the file's problems
    )
    link = page.context["download"]
    audit_lines.clear()

    response = client.get(link)

    assert response.status_code == 200
    (event,) = _exports(audit_lines)
    assert (event["user"], event["view"], event["what"]) == (
        "kpi.submitter",
        "submissions:upload_problems",
        "problems-in-march.xlsx",
    )
