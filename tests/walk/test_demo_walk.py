"""
The demo walk: every page each demonstration user can reach, on the database under test.

`make demo` is what every new user meets first, on SQLite; production runs on
PostgreSQL. This walk loads the demonstration exactly as `manage.py load_demo`
does and then, signed in as each demo user, follows every link the portal
offers from the home page and the role matrix's pages (every month of the
scorecard, finance, workforce and demand pages, every KPI, every export, every
benchmark measure), then issues and downloads the board pack, renders the
annual review and runs `import_return` and `review_return`. It fails on the
first server error, naming the URL and the user, and on a page without its
heading. CI runs it on PostgreSQL with the suite and again on a fresh SQLite
database (`make walk-sqlite`).
"""

from __future__ import annotations

import io
import re
from collections import deque
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase

from demand.models import Measure, MeasureValue
from governance.models import ImprovementAction
from kpis.models import KpiDefinition, KpiForecast, KpiValue
from opb_portal import formatting
from opb_portal.accounts.demo import demo_users
from opb_portal.accounts.models import User
from opb_portal.comparators.models import ComparatorValue, PublishedAverage
from opb_portal.core.precision import places_of
from opb_portal.jobs.services import job_run
from opb_portal.reference.models import Unit
from opb_portal.reports.models import ReportText
from opb_portal.submissions.models import Return
from workforce.models import CaseloadFigure, WorkforceMonth

from . import numbers

# The walk reads and writes the database from module-scoped fixtures; the mark is what
# makes pytest-django create the test database for this module when it runs alone.
pytestmark = pytest.mark.django_db

USERNAMES = [username for username, *_ in demo_users()]

# Where a walk starts besides the home page: the pages the navigation may not link for a role.
SEEDS = [
    "/",
    "/kpis/scorecard/?period=2025-03",
    "/kpis/years/2024-25/",
    "/finance/?period=2025-03",
    "/workforce/?period=2025-03",
    "/demand/?period=2025-03",
    "/benchmarks/children_in_care/?year=2024",
    "/meetings/",
    "/annual-review/",
    "/annual-review/2024-25/",
    "/governance/changes/",
    "/governance/risks/",
    "/returns/",
    "/comparators/",
    "/periods/",
    "/accounts/two-factor/",
]

# Never followed: they act (sign out) or are not the portal's pages.
NOT_FOLLOWED = ("/accounts/logout/", "/admin/logout/", "/static/", "/media/")
# The Django admin links every row of every table; the walk opens the index and each list.
ADMIN = "/admin/"
# A walk that finds more than this many pages for one person has found a loop of links.
MOST_PAGES = 1500


@dataclass
class _GetForm:
    """A form that reads with GET (a month or measure picker): its fields and choices."""

    action: str
    fields: dict[str, str]
    choices: dict[str, list[str]]

    def urls(self) -> list[str]:
        """The form sent once per choice of each <select>, the other fields as they stand."""
        found = []
        for name, options in self.choices.items():
            for option in options:
                query = urlencode({**self.fields, name: option})
                found.append(f"{self.action}?{query}")
        return found


class _Links(HTMLParser):
    """The href of every <a>, every URL a GET form can send, and the text of the first <h1>."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.heading: str | None = None
        self._in_h1 = False
        self._h1_text: list[str] = []
        self._form: _GetForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "h1" and self.heading is None:
            self._in_h1 = True
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            action = attrs.get("action") or urlsplit(self.url).path
            self._form = _GetForm(action=action, fields={}, choices={})
        elif self._form is not None and tag == "input" and attrs.get("name"):
            if attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
                self._form.fields[attrs["name"]] = attrs.get("value") or ""
        elif self._form is not None and tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._form.choices[self._select] = []
        elif self._select is not None and tag == "option" and attrs.get("value"):
            self._form.choices[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.heading = " ".join("".join(self._h1_text).split())
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.links.extend(self._form.urls())
            self._form = None

    def handle_data(self, data):
        if self._in_h1:
            self._h1_text.append(data)


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    content_type: str
    heading: str | None
    found_on: str
    # Numbers not written the portal's one way (tests/walk/numbers.py), on an HTML page.
    number_problems: tuple[str, ...] = ()


def _followable(href: str, found_on: str) -> str | None:
    """The portal URL an href points at, or None where the walk should not follow it."""
    url, _ = urldefrag(urljoin(found_on, href))
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(NOT_FOLLOWED):
        return None
    if parts.path.startswith(ADMIN) and urlsplit(found_on).path != ADMIN:
        return None
    return url


def walk(
    client: Client,
    *,
    username: str,
    rendered: dict[str, Visit],
    percentages: frozenset[str] = frozenset(),
) -> list[Visit]:
    """
    Every page reachable by following links from SEEDS, breadth first.

    `rendered` holds the documents (PDFs) already rendered for another person in
    this walk: each is rendered once, since rendering is what is slow.
    """
    queue = deque((seed, "(start)") for seed in SEEDS)
    seen = set(SEEDS)
    visits = []
    while queue:
        url, found_on = queue.popleft()
        if url.endswith(".pdf") and url in rendered:
            visits.append(rendered[url])
            continue
        try:
            response = client.get(url)
        except Exception as error:  # the test client re-raises what the view raised
            raise AssertionError(
                f"{username}: GET {url} (linked from {found_on}) raised {error!r}"
            ) from error
        content_type = response.get("Content-Type", "")
        assert response.status_code < 500, (
            f"{username}: GET {url} (linked from {found_on}) answered {response.status_code}"
        )
        assert response.status_code != 404, (
            f"{username}: GET {url}, linked from {found_on}, is not found: a broken link"
        )
        heading = None
        problems: tuple[str, ...] = ()
        if response.status_code == 200 and content_type.startswith("text/html"):
            html = response.content.decode(response.charset or "utf-8")
            parser = _Links(url)
            parser.feed(html)
            heading = parser.heading
            assert heading, f"{username}: GET {url} (linked from {found_on}) has no <h1>"
            for href in parser.links:
                link = _followable(href, url)
                if link is not None and link not in seen:
                    seen.add(link)
                    queue.append((link, url))
            # The Django admin's change forms and history are Django's own pages.
            if not url.startswith(ADMIN) or url == ADMIN:
                problems = tuple(
                    numbers.ungrouped_numbers(numbers.words(html))
                    + numbers.percentages_without_sign(
                        numbers.words(html, charts=False), percentages
                    )
                )
        visit = Visit(url, response.status_code, content_type, heading, found_on, problems)
        if url.endswith(".pdf"):
            rendered[url] = visit
        visits.append(visit)
        assert len(visits) <= MOST_PAGES, f"{username}: over {MOST_PAGES} pages; a loop of links?"
    return visits


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demonstration as `manage.py load_demo` loads it, rolled back after this module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


WORKFORCE_FTE = (
    "establishment_fte",
    "permanent_excl_asye_fte",
    "asye_fte",
    "agency_fte",
    "total_fte",
    "permanent_fte",
)


def percentage_figures() -> frozenset[str]:
    """
    The demo's percentage figures as the portal writes them without the sign (`87.2`): every
    percentage KPI's and measure's values and comparators, at their places.

    Only figures with a decimal point are looked for (a whole `85` is as likely a count), and a
    figure that some measure not in percent also has is left out: it could be that one.
    """
    percent, other = set(), set()

    def add(value, unit, places):
        written = formatting.number(value, places)
        if "." in written:
            (percent if unit == Unit.PERCENT else other).add(written)

    kpis = {kpi.code: kpi for kpi in KpiDefinition.objects.all()}
    measures = {measure.code: measure for measure in Measure.objects.all()}
    for value in KpiValue.objects.select_related("kpi"):
        add(value.value, value.kpi.unit, value.kpi.decimal_places)
    for value in MeasureValue.objects.select_related("measure"):
        add(value.value, value.measure.unit, value.measure.decimal_places)
        if value.published_rate is not None:
            add(value.published_rate, Unit.RATE_PER_10000, places_of(value.published_rate))
    # Full-time equivalents, at two places: `26.40` FTE is no percentage.
    for month in WorkforceMonth.objects.all():
        for name in WORKFORCE_FTE:
            add(getattr(month, name), "fte", 2)
    for caseload in CaseloadFigure.objects.all():
        add(caseload.fte, "fte", 2)
    # The Improvement Plan numbers its actions by priority (`3.2`: priority 3, action 2), as
    # plans do: a reference, no percentage.
    for action in ImprovementAction.objects.select_related("priority"):
        other.add(action.reference)
    # A report numbers its paragraphs as the council's layout does (`4.6 The ...`).
    for text in ReportText.objects.all():
        other.update(re.findall(r"^\W*(\d+\.\d+) ", text.body, re.MULTILINE))
    # The forecasts of the KPIs that are not percentages, as their pages write them: a
    # rate's 93.7 is no percentage (a percentage's forecast is not looked for: its table
    # writes every figure with its %, and so many would catch plain words).
    for forecast in KpiForecast.objects.exclude(kpi__unit=Unit.PERCENT).select_related("kpi"):
        for step in forecast.steps:
            for key in ("value", "lower", "upper"):
                add(Decimal(step[key]), forecast.kpi.unit, forecast.kpi.decimal_places)
    published = [*ComparatorValue.objects.all(), *PublishedAverage.objects.all()]
    for figure in published:
        owner = kpis.get(figure.code) or measures.get(figure.code)
        if owner is not None:
            add(figure.value, owner.unit, owner.decimal_places)
    return frozenset(percent - other)


@pytest.fixture(scope="module")
def walks(demo_loaded, django_db_blocker) -> dict[str, list[Visit]]:
    """Each demo user's walk, taken once for the module's tests to read."""
    rendered: dict[str, Visit] = {}
    found = {}
    with django_db_blocker.unblock():
        percentages = percentage_figures()
        for username in USERNAMES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            found[username] = walk(
                client, username=username, rendered=rendered, percentages=percentages
            )
    return found


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_a_demo_user_can_reach_answers_without_a_server_error(walks, username):
    visits = walks[username]
    pages = [visit for visit in visits if visit.status == 200]
    # Every role reaches at least the scorecard, its months and the KPIs.
    assert len(pages) > 20, [visit.url for visit in visits]
    assert all(visit.status < 500 for visit in visits)


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_writes_numbers_the_one_way(walks, username):
    """Over 999 with thousands separators; a percentage measure's figure with its `%`."""
    problems = {visit.url: visit.number_problems for visit in walks[username]}
    assert {url: found for url, found in problems.items() if found} == {}


def _reached(walks, username: str, prefix: str) -> set[str]:
    return {v.url for v in walks[username] if v.status == 200 and v.url.startswith(prefix)}


@pytest.mark.parametrize(
    ("prefix", "at_least"),
    [
        pytest.param("/kpis/scorecard/?period=", 12, id="every-scorecard-month"),
        pytest.param("/finance/?period=", 12, id="every-finance-month"),
        pytest.param("/workforce/?period=", 12, id="every-workforce-month"),
        pytest.param("/demand/?period=", 1, id="the-demand-month"),
        pytest.param("/kpis/20", 15, id="every-kpi"),
        pytest.param("/benchmarks/", 2, id="benchmark-measures"),
        # The pack's preview is a job asked for with a POST (tests/boardpack/test_pack_jobs.py).
        pytest.param("/meetings/2025-04-17/", 1, id="the-packs-meeting"),
        pytest.param("/governance/exceptions/?period=", 12, id="every-exception-report-month"),
        pytest.param("/governance/exceptions/20", 6, id="every-exception-report"),
        pytest.param("/governance/rectification/", 1, id="the-rectification-plans"),
        pytest.param("/governance/meetings/20", 3, id="every-meetings-business"),
        pytest.param("/governance/actions/", 8, id="the-actions-log-and-each-action"),
        pytest.param("/governance/decisions/", 1, id="the-decisions-log"),
        pytest.param("/governance/changes/", 4, id="the-change-log-and-each-change"),
        pytest.param("/governance/risks/", 2, id="the-risk-register-and-its-risk"),
        pytest.param("/annual-review/", 2, id="the-annual-reviews"),
    ],
)
def test_a_board_member_reaches_every_month_kpi_and_measure_the_pages_offer(
    walks, prefix, at_least
):
    assert len(_reached(walks, "board", prefix)) >= at_least


def test_the_opb_chair_reaches_every_form_of_the_meetings_business(walks):
    reached = _reached(walks, "trust.ceo", "/governance/")
    for form in ("agenda/new/", "attendees/new/", "minutes/", "decisions/new/"):
        assert f"/governance/meetings/2025-05-22/{form}" in reached, form
    assert "/governance/meetings/2025-04-17/minutes/2/" in reached


def test_a_reviewer_reaches_every_narrative_section_and_the_risk_forms(walks):
    edits = _reached(walks, "reviewer", "/annual-review/2024-25/sections/")
    assert {url.split("/")[-2] for url in edits} >= {"change-control", "proposed-changes"}
    risks = _reached(walks, "reviewer", "/governance/risks/")
    assert any(url.endswith("/review/") for url in risks), sorted(risks)


def test_the_exports_the_pages_link_download_for_a_reviewer(walks):
    downloads = [
        v
        for v in walks["reviewer"]
        if v.status == 200 and not v.content_type.startswith(("text/html", "application/pdf"))
    ]
    assert downloads, "no page links an export"
    assert {v.content_type.split(";")[0] for v in downloads} <= {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        # The annual review and the reports as Word documents, for their final text.
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/json",
    }


def test_the_board_pack_is_issued_and_downloaded_and_the_annual_review_renders(
    demo_loaded, django_db_blocker
):
    with django_db_blocker.unblock(), transaction.atomic():
        chair = Client()
        # The OPB's chair, the Trust's Chief Executive, issues its pack.
        chair.force_login(User.objects.get(username="trust.ceo"))
        # Issuing is a job: with no broker it runs when the request's transaction commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            issued = chair.post("/meetings/2025-04-17/issue/")
        assert issued.status_code == 302
        job = chair.get(issued["Location"])
        assert "Issue 1 of the pack is frozen" in job.content.decode()
        meeting = chair.get("/meetings/2025-04-17/")
        download = next(
            href for href in _links(meeting) if href.startswith("/packs/") and href.endswith(".pdf")
        )
        pack = chair.get(download)
        assert (pack.status_code, pack["Content-Type"]) == (200, "application/pdf")
        body = b"".join(pack.streaming_content) if pack.streaming else pack.content
        assert body[:5] == b"%PDF-"
        # The annual review is made as a job (boardpack/annual_jobs.py); in this transaction,
        # which never commits, it is run here rather than when the request commits.
        asked = chair.post("/annual-review/2024-25.pdf")
        job_id = asked["Location"].split("/")[2]
        assert asked["Location"] == f"/jobs/{job_id}/"
        job_run(job_id=job_id)
        review = chair.get(f"/jobs/{job_id}/result/")
        assert (review.status_code, review["Content-Type"]) == (200, "application/pdf")
        assert b"".join(review.streaming_content)[:5] == b"%PDF-"
        transaction.set_rollback(True)


def _links(response) -> list[str]:
    parser = _Links(response.wsgi_request.path)
    parser.feed(response.content.decode(response.charset or "utf-8"))
    return parser.links


def test_import_return_and_review_return_run_once_each(demo_loaded, django_db_blocker, tmp_path):
    with django_db_blocker.unblock(), transaction.atomic():
        march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["KPI", "Period", "Value", "Commentary"])
        for code, fields in march.items():
            sheet.append([code, "2025-04", fields["value"], "As in March."])
        book.save(tmp_path / "april.xlsx")
        out = io.StringIO()
        call_command(
            "import_return", "kpis", str(tmp_path / "april.xlsx"), "--user", "kpi.submitter",
            "--submit", stdout=out,
        )  # fmt: skip
        call_command(
            "review_return", "kpis", "2025-04", "--user", "reviewer", "--approve", stdout=out
        )
        april = Return.objects.get(domain="kpis", period="2025-04-01")
        assert (april.status, april.approved_version.number) == ("approved", 1), out.getvalue()
        transaction.set_rollback(True)
