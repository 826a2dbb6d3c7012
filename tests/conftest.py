import os

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from demand.demo import load_demo_demand
from finance.demo import load_demo_finance
from kpis.demo import load_demo_kpis
from kpis.frameworks import load_frameworks
from opb_portal.accounts.demo import load_demo_users
from opb_portal.accounts.models import Role
from opb_portal.boardpack.demo import load_demo_meetings
from workforce.demo import load_demo_workforce

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


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Each test keeps uploaded and staged files in a directory of its own."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = settings.UPLOAD_ROOT / "pending"
    settings.PACK_ROOT = tmp_path / "packs"
    return settings.UPLOAD_ROOT


@pytest.fixture
def frameworks(db):
    """Both real contract KPI frameworks, from the project's fixture."""
    load_frameworks()


def load_everything() -> None:
    """What `manage.py load_demo` loads, in the same order."""
    load_demo_users()
    load_demo_kpis()
    load_demo_workforce()
    load_demo_finance()
    load_demo_demand()
    load_demo_meetings()


def _row_counts(cursor, tables) -> dict[str, int]:
    return {t: cursor.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


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
        for table in sorted(t for t in tables if after[t] != before[t]):
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
        for table, data in demo_rows:
            with raw.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
    for table, _ in demo_rows:
        # COPY does not move a table's id sequence on: move it past the copied ids.
        raw.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'coalesce(max(id), 0) + 1, false) FROM "{table}"'
        )


@pytest.fixture
def people(db) -> dict[str, object]:
    """One signed-up person per role, plus one whose role was revoked (`none`)."""
    found = {role.value: UserFactory(role=role, username=f"test-{role.value}") for role in Role}
    found["none"] = UserFactory(role="", username="test-no-role")
    return found


@pytest.fixture
def reviewer(people):
    return people[Role.REVIEWER]
