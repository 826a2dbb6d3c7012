"""`manage.py import_inspections PATH --user U [--confirm]`: the page's checks and preview."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Inspection, InspectionImport

from .conftest import sandwell_row, visit_row, workbook


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_inspections", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_without_confirm_it_prints_the_preview_and_stores_nothing(tmp_path, administrator):
    path = tmp_path / "mi.xlsx"
    path.write_bytes(workbook(sandwell_row(), visit_row()))
    out = run(path, "--user", administrator.username)
    assert "Sandwell: 2 added, 0 changed, 0 unchanged" in out
    assert "Nothing stored" in out
    assert Inspection.objects.count() == 0


def test_with_confirm_it_stores_and_a_second_run_changes_nothing(tmp_path, administrator):
    path = tmp_path / "mi.xlsx"
    path.write_bytes(workbook(sandwell_row(), visit_row()))
    assert "Imported mi.xlsx: 2 added" in run(path, "--user", administrator.username, "--confirm")
    with pytest.raises(CommandError, match="Nothing to change"):
        run(path, "--user", administrator.username, "--confirm")
    assert InspectionImport.objects.count() == 1


def test_a_bad_file_is_refused_with_its_problems(tmp_path, administrator):
    path = tmp_path / "mi.xlsx"
    path.write_bytes(workbook(sandwell_row(**{"Overall effectiveness": "Brilliant"})))
    with pytest.raises(CommandError, match="1 problem"):
        run(path, "--user", administrator.username, "--confirm")
    assert Inspection.objects.count() == 0


def test_someone_who_is_not_an_administrator_is_refused(tmp_path, people, neighbours):
    path = tmp_path / "mi.xlsx"
    path.write_bytes(workbook(visit_row()))
    with pytest.raises(CommandError, match="only administrators"):
        run(path, "--user", people["reviewer"].username)
