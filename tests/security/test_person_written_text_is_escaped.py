"""
Text a person typed or uploaded is data, never markup, on every page that shows it.

Issue 11: a submitter explained a red KPI with an htmx element; the history table
marked the note safe, and the reviewer's browser approved the return. Here every
kind of person-written text holds the same hostile markup (an htmx element that
posts on load, a script, an image with an error handler, and an attribute break-out),
and every page that shows it, to each role that sees it, must show it escaped: the
escaped text is on the page (so the text really reached it) and none of its tags
or attributes came through as markup.
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from finance.models import DriverFigure, FinanceFigure, FinanceYear
from kpis.models import KpiDefinition, KpiValue, ThresholdRule
from opb_portal.accounts.models import User
from opb_portal.boardpack import render, selectors
from opb_portal.boardpack.models import Meeting
from opb_portal.comparators.models import Authority, ComparatorImport, ComparatorValue
from opb_portal.core.html import paragraphs
from opb_portal.jobs.models import Job
from opb_portal.periods import FinancialYear, Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion

APRIL, MARCH = Period(2025, 4), Period(2025, 3)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Every attack the issue found, in one string: an htmx element that posts as soon as it
# is swapped in, a script, an image whose error handler runs, and a break-out of an attribute.
PAYLOAD = (
    '<div hx-post="/evil/" hx-trigger="load"><script>alert(1)</script>'
    '<img src=x onerror=alert(1)>"><b hx-get=/evil/>'
)
# Sheet names (31 characters, no / ? * [ ] :) and file names (no /) have room for less.
SHORT = '<b hx-get=evil>"'


def short(kind: str) -> str:
    return f"{kind}{SHORT}"


def hostile(kind: str) -> str:
    """The payload, named for the kind of text that carries it, so each page proves its source."""
    return f"{kind} {PAYLOAD}"


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every script, as a browser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def injected(html: str) -> list[str]:
    """What of the payload a browser would take as markup: tags, handlers, htmx attributes."""
    parser = _Tags()
    parser.feed(html)
    found = [
        f"<{tag} {name}={value!r}>"
        for tag, attrs in parser.tags
        for name, value in attrs
        if name.startswith("on") or (name.startswith("hx-") and "evil" in (value or ""))
    ]
    found += [f"<script>{text}</script>" for text in parser.scripts if "alert(1)" in text]
    found += [
        raw for raw in ("<div hx-post", "<b hx-get", "<img src=x", "<script>alert") if raw in html
    ]
    return found


def assert_shown_escaped(html: str, texts: list[str]) -> None:
    assert injected(html) == []
    for text in texts:
        assert escape(text) in html, f"{text[:40]!r} is not on the page"
        assert unescape(escape(text)) == text


# --- the data: every kind of person-written text, hostile -----------------------------------


def _workbook(sheet_title: str, rows: list[tuple]) -> bytes:
    """A person's own table, one row per KPI and month, on a sheet of their naming."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(["KPI", "Period", "Value", "Commentary"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, name: str, data: bytes):
    return client.post(
        reverse("submissions:upload", args=["kpis"]),
        {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def _comparator_file(sheet_title: str, *rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(["Code", "Authority", "Year", "Value", "Source"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import_comparators(client, name: str, data: bytes):
    return client.post(reverse("comparators:import"), {"file": SimpleUploadedFile(name, data)})


def _refusal(client, response) -> str:
    """The problems page a refused file's check (done in-process) sends its author to."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/problems/" in response.url, response.url
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def world(demo, client):
    """
    The demonstration with hostile text in every field a person writes, through the same
    services and pages people use; the pages that show it, and the pages refusing files.
    """
    people = {user.username: user for user in User.objects.all()}
    # Each person's name says whose it is, so a page proves it shows the right one.
    names = {"kpi.submitter": "submitter", "reviewer": "reviewer", "board": "chair"}
    for username, kind in (names | {"admin": "admin"}).items():
        user = people[username]
        user.first_name, user.last_name = hostile(f"{kind} name"), "Last"
        user.save()
    submitter, reviewer, admin = people["kpi.submitter"], people["reviewer"], people["admin"]
    urls, refusals = {}, {}

    # April: a workbook with a hostile file name, sheet name and commentary; PI1 red and
    # left unexplained, so that submitting it needs an explanation.
    march = Return.objects.get(domain="kpis", period=MARCH.first_day).approved_version.data
    rows = [
        (
            code,
            "2025-04",
            60 if code == "PI1" else fields["value"],
            {"PI1": "", "PI2": hostile("uploaded commentary")}.get(code, fields.get("commentary")),
        )
        for code, fields in march.items()
        if fields.get("value")
    ]
    client.force_login(submitter)
    response = _upload(client, f"{short('file')}.xlsx", _workbook(short("sheet"), rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    urls["upload preview"] = response.url
    preview = client.get(response.url)
    assert client.post(response.url, {"decision": "confirm"}).status_code == 302
    # Confirmed, the preview has gone: the page as the person saw it is kept.
    refusals["upload preview"] = preview.content.decode()
    refused = _upload(
        client,
        f"{short('refused file')}.xlsx",
        _workbook(short("bad sheet"), [(hostile("code"), "2025-04", "lots", hostile("note"))]),
    )
    refusals["upload problems"] = _refusal(client, refused)
    # The check's own page (a job), titled with the file's name: htmx is on there.
    check = Job.objects.filter(kind="returns.check_upload").latest("requested_at")
    urls["upload check"] = reverse("jobs:job", args=[check.pk])

    april = Return.objects.get(domain="kpis", period=APRIL.first_day)
    services.return_submit(ret=april, user=submitter, explanations={"PI1": hostile("explanation")})
    services.return_send_back(ret=april, user=reviewer, comment=hostile("query"), line="PI1")
    services.comment_add(ret=april, user=submitter, text=hostile("answer"), line="PI1")

    # March: corrected with a reason and new commentary, submitted, approved with a note.
    ret = Return.objects.get(domain="kpis", period=MARCH.first_day)
    data = {code: dict(fields) for code, fields in march.items()}
    data["PI3"]["commentary"] = hostile("kpi commentary")
    services.return_save(
        ret=ret, user=submitter, data=data, base_version=1, reason=hostile("correction reason")
    )
    services.return_submit(ret=ret, user=submitter, explanations=dict.fromkeys(data, "Checked."))
    services.return_approve(ret=ret, user=reviewer, note=hostile("approval note"))

    # What administrators type: lock reasons, rules, comparators, the finance year's notes.
    month = Period.current().shift(-1)
    services.period_lock(period=month, user=admin, reason=hostile("lock reason"))
    services.period_unlock(period=month, user=admin, reason=hostile("unlock reason"))
    services.period_lock(period=month, user=admin, reason=hostile("lock reason"))
    pi3 = KpiDefinition.objects.get(code="PI3", framework__effective_to__isnull=True)
    ThresholdRule.objects.filter(kpi__code="PI3").update(
        contract_wording=hostile("contract wording"),
        source=hostile("rule source"),
        reason=hostile("rule reason"),
    )
    # An authority's name, as an administrator typed it, labels a KPI's comparator.
    region = Authority.objects.create(name=short("authority name"), kind=Authority.Kind.REGION)
    ComparatorValue.objects.create(code=pi3.code, authority=region, year=2024, value=12)
    FinanceYear.objects.update(notes=hostile("finance notes"))
    # The approved figures of finance and workforce returns, as their workbooks carried them.
    FinanceFigure.objects.update(commentary=hostile("finance commentary"))
    DriverFigure.objects.update(commentary=hostile("driver commentary"))
    ReturnVersion.objects.filter(ret__domain="workforce").update(
        source=f"{short('workforce file')}.xlsx"
    )

    # Comparators imported from a file with hostile file, sheet and source names.
    client.force_login(admin)
    row = ["children_in_care", "Birmingham", 2024, 80, hostile("comparator source")]
    response = _import_comparators(
        client, f"{short('comparator file')}.xlsx", _comparator_file(short("sheet"), row)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response.url).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page)[1]
    client.post(response.url, {"decision": "confirm", "fingerprint": fingerprint})
    imported = ComparatorImport.objects.get()
    row = ["children_in_care", "Coventry", 2024, 81, hostile("pending source")]
    response = _import_comparators(
        client, f"{short('pending file')}.xlsx", _comparator_file(short("sheet"), row)
    )
    urls["comparator preview"] = response.url
    bad = ["children_in_care", hostile("authority")[:100], 2024, 80, ""]
    refusals["comparator problems"] = _refusal(
        client,
        _import_comparators(
            client,
            f"{short('bad comparator file')}.xlsx",
            _comparator_file(short("bad sheet"), bad),
        ),
    )
    client.logout()

    figure = KpiValue.objects.get(kpi=pi3, period=MARCH.first_day)
    urls |= {
        "comparator import": reverse("comparators:detail", args=[imported.pk]),
        "admin comparator import": reverse(
            "admin:comparators_comparatorimport_change", args=[imported.pk]
        ),
        "admin user": reverse("admin:accounts_user_change", args=[submitter.pk]),
        "admin kpi value": reverse("admin:kpis_kpivalue_change", args=[figure.pk]),
        "admin rule": reverse(
            "admin:kpis_thresholdrule_change", args=[pi3.rules.order_by("pk").first().pk]
        ),
        "admin finance figure": reverse(
            "admin:finance_financefigure_change", args=[FinanceFigure.objects.first().pk]
        ),
        "kpi": reverse("kpis:detail", args=[pi3.framework.code, pi3.code]),
    }
    return {"people": people, "urls": urls, "refusals": refusals}


def _page(name: str, month: Period = APRIL, domain: str = "kpis"):
    return lambda urls: reverse(f"submissions:{name}", args=[domain, month.iso])


def _url(name: str, *args, query: str = ""):
    return lambda urls: reverse(name, args=args) + query


def _kept(key: str):
    return lambda urls: urls[key]


RETURN_APRIL = ["uploaded commentary", "explanation", "query", "answer", "file" + SHORT]
RETURN_MARCH = ["submitter name", "kpi commentary", "correction reason", "approval note"]

PAGES = [
    # viewer, the page, the texts it must show (escaped)
    pytest.param(
        "reviewer",
        _page("detail"),
        [*RETURN_APRIL, "submitter name"],
        id="return-detail-to-the-reviewer",
    ),
    pytest.param(
        "kpi.submitter",
        _page("detail"),
        [*RETURN_APRIL, "reviewer name"],
        id="return-detail-to-the-trust",
    ),
    pytest.param(
        "admin",
        _page("detail"),
        [*RETURN_APRIL, "submitter name", "reviewer name"],
        id="return-detail-to-an-administrator",
    ),
    pytest.param("reviewer", _page("detail", MARCH), RETURN_MARCH, id="corrected-return-history"),
    pytest.param(
        "reviewer",
        lambda urls: reverse("submissions:detail", args=["kpis", MARCH.iso]) + "?from=1&to=2",
        ["kpi commentary"],
        id="changes-between-versions",
    ),
    pytest.param("kpi.submitter", _page("edit"), ["uploaded commentary"], id="edit-form"),
    pytest.param("kpi.submitter", _page("submit"), ["submitter name"], id="submit-page"),
    pytest.param("admin", _url("submissions:list"), ["reviewer name"], id="returns-list"),
    pytest.param(
        "admin", _url("submissions:periods"), ["lock reason", "unlock reason"], id="periods-page"
    ),
    pytest.param(
        "board",
        _kept("kpi"),
        ["kpi commentary", "contract wording", "authority name" + SHORT],
        id="kpi-page-commentary",
    ),
    pytest.param(
        "board",
        _url("kpis:scorecard", query=f"?period={MARCH.iso}"),
        ["authority name" + SHORT],
        id="scorecard",
    ),
    pytest.param(
        "board",
        _url("finance:dashboard"),
        ["finance notes", "finance commentary", "driver commentary"],
        id="finance-dashboard",
    ),
    pytest.param(
        "board", _url("workforce:dashboard"), ["workforce file" + SHORT], id="workforce-dashboard"
    ),
    pytest.param("board", _url("demand:dashboard"), ["chair name"], id="demand-dashboard"),
    pytest.param(
        "admin",
        _url("comparators:list"),
        ["comparator file" + SHORT, "admin name"],
        id="comparators-list",
    ),
    pytest.param(
        "admin",
        _kept("comparator import"),
        ["comparator file" + SHORT, "comparator source", "admin name"],
        id="comparator-import-detail",
    ),
    pytest.param(
        "admin",
        _kept("comparator preview"),
        ["pending file" + SHORT, "pending source"],
        id="comparator-import-preview",
    ),
    # A file's check (a job), titled with the file's name; the job ended on its problems.
    pytest.param(
        "kpi.submitter", _kept("upload check"), ["refused file" + SHORT], id="upload-check-job"
    ),
    pytest.param("reviewer", _url("boardpack:meetings"), ["chair name"], id="meetings-list"),
    pytest.param(
        "reviewer", _url("boardpack:meeting", "2025-04-17"), ["chair name"], id="meeting-detail"
    ),
    pytest.param(
        "board",
        _url("boardpack:annual_review", "2024-25"),
        ["driver commentary"],
        id="annual-review",
    ),
    pytest.param("admin", _kept("admin user"), ["submitter name"], id="admin-user"),
    pytest.param("admin", _kept("admin kpi value"), ["kpi commentary"], id="admin-kpi-value"),
    pytest.param(
        "admin", _kept("admin rule"), ["contract wording", "rule reason"], id="admin-rule"
    ),
    pytest.param(
        "admin", _kept("admin finance figure"), ["finance commentary"], id="admin-finance-figure"
    ),
    pytest.param(
        "admin",
        _kept("admin comparator import"),
        ["comparator file" + SHORT],
        id="admin-comparator-import",
    ),
]


def _texts(kinds: list[str]) -> list[str]:
    return [kind if kind.endswith(SHORT) else hostile(kind) for kind in kinds]


@pytest.mark.parametrize(("viewer", "page", "kinds"), PAGES)
def test_every_page_shows_person_written_text_escaped(world, client, viewer, page, kinds):
    client.force_login(world["people"][viewer])
    response = client.get(page(world["urls"]))
    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), _texts(kinds))


REFUSALS = [
    pytest.param(
        "upload preview",
        ["file" + SHORT, "sheet" + SHORT, "uploaded commentary"],
        id="upload-preview-file-and-sheet-names",
    ),
    pytest.param(
        "upload problems",
        ["refused file" + SHORT, "bad sheet" + SHORT, "code"],
        id="upload-problems-quoting-cells",
    ),
    pytest.param(
        "comparator problems",
        ["bad comparator file" + SHORT, "bad sheet" + SHORT],
        id="comparator-problems-quoting-cells",
    ),
]


@pytest.mark.parametrize(("page", "kinds"), REFUSALS)
def test_pages_about_an_uploaded_file_show_its_names_and_cells_escaped(world, page, kinds):
    assert_shown_escaped(world["refusals"][page], _texts(kinds))


# --- the board pack and the annual review, as WeasyPrint is given them ----------------------

PACKS = [
    pytest.param(
        MARCH,
        [
            "chair name",
            "contract wording",
            "rule source",
            "finance notes",
            "finance commentary",
            "driver commentary",
            "workforce file" + SHORT,
        ],
        id="approved-month",
    ),
    pytest.param(
        APRIL,
        [
            "chair name",
            "submitter name",
            "uploaded commentary",
            "query",
            "answer",
            "pack authority name" + SHORT,
            "file" + SHORT,
            "workforce file" + SHORT,
        ],
        id="draft-month-with-queries-on-a-red-kpi",
    ),
]


@pytest.mark.parametrize(("month", "kinds"), PACKS)
def test_the_board_pack_html_shows_person_written_text_escaped(world, month, kinds):
    april = Return.objects.get(domain="kpis", period=APRIL.first_day)
    submitter = world["people"]["kpi.submitter"]
    services.return_submit(ret=april, user=submitter, explanations={"PI1": "Checked."})
    pi1 = KpiDefinition.objects.get(code="PI1", framework__effective_to__isnull=True)
    region = Authority.objects.create(name=short("pack authority name"), kind=Authority.Kind.REGION)
    ComparatorValue.objects.create(code=pi1.code, authority=region, year=2024, value=80)
    meeting = Meeting.objects.get(date=datetime.date(2025, 4, 17))
    html = render.pack_html(selectors.pack_contents(month, meeting=meeting))
    assert_shown_escaped(html, _texts(kinds))


def test_the_annual_review_html_shows_person_written_text_escaped(world):
    review = selectors.annual_review(FinancialYear(2024))
    html = render_to_string(
        "boardpack/annual_review_print.html", render.annual_context(review, timezone.now())
    )
    assert_shown_escaped(html, _texts(["driver commentary"]))


# --- the class: markup from a person's text is never marked safe -----------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("One line", "<p>One line</p>", id="plain"),
        pytest.param(
            "First\nsecond\n\nthird", "<p>First<br>second</p>\n\n<p>third</p>", id="breaks"
        ),
        pytest.param(
            '<div hx-post="/x/">\n"&',
            "<p>&lt;div hx-post=&quot;/x/&quot;&gt;<br>&quot;&amp;</p>",
            id="markup-is-escaped",
        ),
    ],
)
def test_a_note_keeps_its_line_breaks_and_loses_its_markup(text, shown):
    assert paragraphs(text) == shown


def test_the_linter_refuses_mark_safe_over_anything_but_a_literal():
    code = (
        "from django.utils.html import linebreaks\n"
        "from django.utils.safestring import mark_safe\n\n"
        "def note(record):\n"
        "    return mark_safe(linebreaks(record.note))\n"
    )
    linted = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--stdin-filename", "opb_portal/note.py", "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert linted.returncode == 1
    assert "S308" in linted.stdout
