import datetime
import hashlib
import logging
import os
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from psycopg import sql

from kpis.frameworks import load_frameworks
from opb_portal.accounts import roles
from opb_portal.accounts.models import Role
from opb_portal.boardpack import render, selectors, services
from opb_portal.boardpack.demo import load_demo_meetings
from opb_portal.core.audit import JsonFormatter
from opb_portal.core.demo import load_demo
from opb_portal.periods import FinancialYear, Period

from .boardpack.conftest import pdf_pages
from .factories import UserFactory

# Property tests have a fixed budget and draw the same examples on every run, so CI
# is repeatable and a failure is reproduced by running the test again. `explore`
# hunts further, with fresh random examples: HYPOTHESIS_PROFILE=explore make test.
hypothesis_settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "explore", parent=hypothesis_settings.get_profile("ci"), max_examples=2000, derandomize=False
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Pictures kept for people to look at (test-artifacts/) judge nothing, so the suite does not
# take them: `make screenshots` sets OPB_SCREENSHOTS=1 and runs the browser journeys and the
# tests marked `screenshots`.
KEEP_SCREENSHOTS = os.environ.get("OPB_SCREENSHOTS") == "1"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Each test keeps uploaded and staged files in a directory of its own."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = settings.UPLOAD_ROOT / "pending"
    settings.PACK_ROOT = tmp_path / "packs"
    settings.JOB_ROOT = tmp_path / "jobs"
    return settings.UPLOAD_ROOT


@pytest.fixture
def frameworks(db):
    """Both real contract KPI frameworks, from the project's fixture."""
    load_frameworks()


def load_everything() -> None:
    """What `manage.py load_demo` loads, in the same order: the same function loads it."""
    load_demo()


def _row_counts(cursor, tables) -> dict[str, int]:
    return {t: cursor.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


# Reference rows the migrations ship (comparators 0004: the authority register and the
# published files' mappings; reports 0002: the council's default report layouts; demand
# 0008: the care leavers' outcome measures). A transactional test's flush empties them for
# the rest of its process, so the demonstration's rows carry them as captured and `demo`
# puts them back as they were, whichever tests ran before: the demo's figures name the
# register's rows.
SHIPPED_TABLES = frozenset(
    {
        "comparators_authority",
        "comparators_authority_replaced_by",
        "comparators_formercode",
        "comparators_publishedmeasure",
        "reports_layout",
        "reports_layoutsection",
        "demand_measure",
    }
)


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker) -> list[tuple[str, bytes]]:
    """
    The demonstration's rows, table by table, as PostgreSQL COPY data.

    Loading the demonstration through the code takes seconds; restoring these
    rows takes milliseconds. They are loaded once per test process through the
    very same functions `load_demo` calls, inside a transaction that is then
    rolled back, so every test still starts from an empty database.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        raw = connection.cursor().cursor
        tables = connection.introspection.table_names()
        before = _row_counts(raw, tables)
        load_everything()
        after = _row_counts(raw, tables)
        rows = []
        for table in sorted(t for t in tables if after[t] != before[t] or t in SHIPPED_TABLES):
            with raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                rows.append((table, b"".join(bytes(block) for block in copy)))
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo(db, demo_rows):
    """Everything `make demo` loads: frameworks, 2024-25 returns, the OPB meeting, the users."""
    raw = connection.cursor().cursor
    # One transaction, so foreign keys are checked once every table is in (they are
    # deferred), also for the browser tests, which run outside a test transaction.
    with transaction.atomic():
        for table, _ in demo_rows:
            if table in SHIPPED_TABLES:
                raw.execute(f'DELETE FROM "{table}"')
        for table, data in demo_rows:
            with raw.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
    for table, _ in demo_rows:
        # COPY does not move a table's id sequence on: move it past the copied ids.
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'coalesce(max(id), 0) + 1, false) FROM "{table}"'
        )


# --- the demonstration's documents, rendered once --------------------------------------------

# The moment the demonstration's annual review and issue 1 of its pack are written.
DEMO_WRITTEN = datetime.datetime(2025, 6, 1, 9, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DemoDocument:
    """A document of the demonstration: what it was built from, its PDF and each page's text."""

    built: selectors.Pack | selectors.AnnualReview
    rendered: render.Rendered
    pages: list[str]


class DemoDocuments:
    """
    The demonstration's documents rendered so far in this test process, by name and demo data.

    WeasyPrint takes seconds a document, and a test's database is rolled back after it, so
    every test that read the March pack used to render it again. The `demo` fixture restores
    the very same rows (the same ids) for every test, so a document rendered from them once is
    the one any later test would render: it is kept here, once per test process (per xdist
    worker), under the digest of the rows it was built from. A test that changes the data
    before it renders must render for itself.
    """

    def __init__(self, demo_rows: list[tuple[str, bytes]]):
        digest = hashlib.sha256()
        for table, data in demo_rows:
            digest.update(table.encode())
            digest.update(data)
        self.digest = digest.hexdigest()
        self._found: dict[tuple[str, str], DemoDocument] = {}

    def get(self, name: str, build) -> DemoDocument:
        """The document `name`, rendered by `build()` (giving what it built and the PDF) once."""
        key = (name, self.digest)
        if key not in self._found:
            built, rendered = build()
            self._found[key] = DemoDocument(built, rendered, pdf_pages(rendered.pdf))
        return self._found[key]


@pytest.fixture(scope="session")
def demo_documents(demo_rows) -> DemoDocuments:
    return DemoDocuments(demo_rows)


@pytest.fixture
def demo_march_pack(demo, demo_documents) -> DemoDocument:
    """The demonstration's March 2025 pack for its 17 April meeting, as previewed: not issued."""

    def build():
        pack = selectors.pack_contents(Period(2025, 3), meeting=load_demo_meetings())
        return pack, render.render_pack(pack)

    return demo_documents.get("march-pack-preview", build)


@pytest.fixture
def demo_march_issue(demo, demo_documents) -> DemoDocument:
    """Issue 1 of the demonstration's March 2025 pack, as if issued at `DEMO_WRITTEN`."""

    def build():
        pack = selectors.pack_contents(
            Period(2025, 3), meeting=load_demo_meetings(), number=1, generated_at=DEMO_WRITTEN
        )
        return pack, render.render_pack(pack)

    return demo_documents.get("march-pack-issue-1", build)


@pytest.fixture
def issues_render_once(monkeypatch, demo_march_issue):
    """
    Issuing the demonstration's March pack takes the PDF rendered once for the test run.

    For a test that needs an issue, not its rendering: `pack_issue` runs as it is (its checks,
    its rows, the stored file and its hash), but a pack for the demo issue's meeting, month and
    number, built from the same approved return versions, is given the PDF `demo_march_issue`
    rendered instead of being rendered again. Any other pack (issue 2, a correction) is rendered.
    """
    cached = demo_march_issue
    rendered_for_real = render.render_pack

    def render_pack(pack, **how):
        key = (pack.period, pack.meeting, pack.number, pack.version_ids, pack.draft)
        built = cached.built
        if key == (built.period, built.meeting, built.number, built.version_ids, False):
            return cached.rendered
        return rendered_for_real(pack, **how)

    monkeypatch.setattr(render, "render_pack", render_pack)


@pytest.fixture
def demo_issue(demo, issues_render_once):
    """Issue 1 of the demonstration's March pack, issued by its chair, from the rendered PDF."""
    meeting = load_demo_meetings()
    return services.pack_issue(meeting=meeting, user=meeting.chair)


@pytest.fixture
def demo_annual_review(demo, demo_documents) -> DemoDocument:
    """The demonstration's annual review of 2024-25, written at `DEMO_WRITTEN`."""

    def build():
        review = selectors.annual_review(FinancialYear(2024))
        return review, render.render_annual_review(review, DEMO_WRITTEN)

    return demo_documents.get("annual-review-2024-25", build)


@pytest.fixture
def people(db) -> dict[str, object]:
    """One signed-up person per role, plus one whose role was revoked (`none`)."""
    found = {role: UserFactory(role=role, username=f"test-{role}") for role in roles.values()}
    found["none"] = UserFactory(role="", username="test-no-role")
    return found


@pytest.fixture
def reviewer(people):
    return people[Role.REVIEWER]


# --- the database roles of docs/database-roles.md ---------------------------------------------

DB_ROLES_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "db_roles.sql"


def history_tables() -> list[str]:
    """The script's list of history tables, as the script itself reads it."""
    text = DB_ROLES_SCRIPT.read_text()
    values = re.search(r"INSERT INTO opb_history_tables \(name, why\) VALUES(.*?);\n", text, re.S)
    return re.findall(r"^\s*\('(\w+)',", values.group(1), flags=re.M)


def psql(*arguments: str) -> subprocess.CompletedProcess:
    """psql on the test database, as an operator would run it."""
    assert shutil.which("psql"), "psql is missing: apt-get install postgresql-client"
    db = connection.settings_dict
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db[key]:
            command += [flag, str(db[key])]
    env = {"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    return subprocess.run([*command, *arguments], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def db_roles(django_db_setup, django_db_blocker):
    """An owner and an application role made by scripts/db_roles.sql, dropped again afterwards."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"opb_test_owner_{suffix}", f"opb_test_app_{suffix}"
    applied = psql("-v", f"owner_role={owner}", "-v", f"app_role={app}", "-f", str(DB_ROLES_SCRIPT))
    try:
        assert applied.returncode == 0, applied.stderr
        yield owner, app
    finally:
        # Roles belong to the whole server: nothing may outlive the test. One role at a
        # time: DROP OWNED BY of both at once trips over the default privileges they share.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for role in (app, owner):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone():
                    cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                    cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
            cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
            assert cursor.fetchone()[0] == 0


@pytest.fixture
def audit_lines():
    """The lines the "opb.audit" logger writes, formatted as in production."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("opb.audit")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)
