"""`manage.py load_demo`: the demonstration data and users, safe to load again."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from kpis.models import KpiDefinition, KpiValue
from opb_portal.accounts import roles
from opb_portal.accounts.demo import DEMO_PASSWORD, demo_users
from opb_portal.accounts.models import Role, User


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


DEMO_APPS = (
    "kpis", "accounts", "submissions", "workforce", "finance", "demand", "boardpack", "governance",
    "inspections",
)  # fmt: skip


def every_row() -> dict[str, list[dict]]:
    """Every row of every model the demonstration loads, password hashes included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in DEMO_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@pytest.fixture
def loaded_once(db) -> str:
    return load_demo()


def test_loading_the_demo_a_second_time_changes_nothing(loaded_once):
    before = every_row()
    load_demo()
    assert every_row() == before


def test_the_snapshot_covers_what_the_demo_loads(loaded_once):
    rows = every_row()
    assert {"kpis.KpiValue", "kpis.ThresholdRule", "accounts.User"} <= rows.keys()
    assert len(rows["accounts.User"]) == len(demo_users())
    assert all(user["password"].startswith("md5$") for user in rows["accounts.User"])


def test_the_demo_loads_both_frameworks_and_a_year_of_figures(loaded_once):
    assert KpiDefinition.objects.filter(framework__code="2024").count() == 15
    assert KpiValue.objects.filter(kpi__framework__code="2024").count() == 15 * 12
    assert "Loaded 15 contract KPIs with 2024-25 demonstration data." in loaded_once


def test_it_prints_a_username_for_every_role_and_the_password(loaded_once):
    lines = [line.split(maxsplit=1) for line in loaded_once.splitlines() if line.startswith("  ")]
    assert sorted(lines) == sorted(
        [username, roles.label(role)] for username, *_, role in demo_users()
    )
    # One person per role, and two board members: the chairs of the two boards.
    held = sorted(role for *_, role in demo_users())
    assert held == sorted([*roles.values(), Role.BOARD_MEMBER])
    assert f"all with the password {DEMO_PASSWORD!r}" in loaded_once


def test_every_demo_user_signs_in_with_the_printed_password(loaded_once, client):
    for username, *_ in demo_users():
        assert client.login(username=username, password=DEMO_PASSWORD), username


def test_the_second_run_prints_the_same(loaded_once):
    assert load_demo() == loaded_once


def test_a_changed_demo_user_is_put_back(loaded_once, client):
    User.objects.filter(username="reviewer").update(role="", first_name="Changed")
    board = User.objects.get(username="board")
    board.set_password("something-else-entirely")
    board.save(update_fields=["password"])
    load_demo()
    reviewer = User.objects.get(username="reviewer")
    assert (reviewer.role, reviewer.first_name) == (Role.REVIEWER, "Sam")
    assert client.login(username="board", password=DEMO_PASSWORD)
