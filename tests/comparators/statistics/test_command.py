"""manage.py import_statistics: the preview printed, and stored only with --confirm."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opb_portal.accounts.models import Role
from opb_portal.comparators.models import ComparatorImport, ComparatorValue

from .. import ees
from .test_import import a_year
from .test_reading import cla_file, cla_row


@pytest.fixture
def admin(people):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def path(tmp_path, db):
    ees.measure()
    found = tmp_path / ees.CLA_FILE
    found.write_bytes(cla_file(*a_year(2024, dudley="c"), *a_year(2023)))
    return found


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_statistics", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_confirm_it_prints_the_summary_and_stores_nothing(admin, path):
    out, _ = run(path, "--user", admin.username)
    assert "8 to add, 0 to change, 0 unchanged." in out
    assert "children_in_care_rate 2024: 4 added, 0 changed, 0 unchanged, symbols c x1" in out
    assert "Year 2023 (Reporting year): March 2023, at 31 March 2023" in out
    assert "New authority: Sandwell (E08000028, Local authority)" in out
    assert "Nothing was stored: run again with --confirm to import." in out
    assert not ComparatorValue.objects.exists()


def test_with_confirm_it_stores_as_the_page_does_and_a_second_run_changes_nothing(admin, path):
    out, _ = run(path, "--user", admin.username, "--confirm", "--published-on", "2024-11-14")
    record = ComparatorImport.objects.get()
    assert f"Imported {path.name} (import {record.pk}): 8 added, 0 changed, 0 unchanged." in out
    assert str(record.published_on) == "2024-11-14"
    assert ComparatorValue.objects.count() == 8
    out, _ = run(path, "--user", admin.username, "--confirm")
    assert "Nothing to change" in out
    assert ComparatorImport.objects.count() == 1


def test_a_bad_file_is_reported_on_stderr_naming_row_and_column_and_exits_1(admin, tmp_path, db):
    ees.measure()
    bad = tmp_path / ees.CLA_FILE
    bad.write_bytes(cla_file(cla_row(value="abc")))
    with pytest.raises(CommandError, match="1 problem\\(s\\) in .*: nothing was stored") as error:
        run(bad, "--user", admin.username, "--confirm")
    assert error.value.returncode == 1
    assert not ComparatorValue.objects.exists()


def test_problems_go_to_stderr_naming_the_file_row_and_column(admin, tmp_path, db):
    ees.measure()
    bad = tmp_path / ees.CLA_FILE
    bad.write_bytes(cla_file(cla_row(value="abc")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_statistics", str(bad), "--user", admin.username, stderr=err)
    assert (
        f"ERROR: {ees.CLA_FILE}, cell L2 (children_in_care_rate, 2024): Row 2, column "
        "rate_per_10000: 'abc' is not a figure" in err.getvalue()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--user", "nobody"], "No user called 'nobody'", id="an-unknown-user"),
        pytest.param(["--user", "test-reviewer"], "only administrators", id="not-an-administrator"),
    ],
)
def test_it_refuses_anyone_but_an_administrator(people, path, args, message):
    with pytest.raises(CommandError, match=message):
        run(path, *args)
