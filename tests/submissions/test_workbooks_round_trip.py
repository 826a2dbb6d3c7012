"""Uploads as people keep them (issue 12, part 3): only what was read is kept, CSVs are
accepted, and the portal's own exports re-import unchanged or say why they are not a return."""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import registry
from opb_portal.submissions.models import LockedPeriod, Return, UploadedFile
from opb_portal.submissions.pipeline import check_upload

UPLOAD = reverse("submissions:upload", args=["kpis"])
CHILD_ID = "C00007"


@pytest.fixture(autouse=True)
def pending(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = tmp_path / "uploads" / "pending"
    return settings.UPLOAD_PENDING_ROOT


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="kpi.submitter"))
    return client


def with_annex_a() -> bytes:
    workbook = openpyxl.Workbook()
    figures = workbook.active
    figures.title = "KPIs"
    figures.append(["KPI", "Period", "Value", "Commentary"])
    figures.append(["PI1", "2025-04", 87.5, "Steady"])
    annex = workbook.create_sheet("Annex A")
    annex.append(["Child ID", "Date of birth", "Referral date", "Worker"])
    annex.append([CHILD_ID, datetime.date(2013, 6, 17), datetime.date(2025, 4, 1), "Jo Bloggs"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def everything_in(data: bytes) -> bytes:
    parts = zipfile.ZipFile(io.BytesIO(data))
    return b"".join(parts.read(name) for name in parts.namelist())


def test_only_the_sheet_read_is_kept_and_the_preview_names_the_sheets_left_out(
    officer, pending, django_capture_on_commit_callbacks
):
    data = with_annex_a()
    response = officer.post(UPLOAD, {"workbook": SimpleUploadedFile("april.xlsx", data)})
    assert response.status_code == 302
    html = officer.get(response["Location"]).content.decode()
    assert "left out and not kept" in html
    assert "<li>Annex A</li>" in html
    (staged,) = pending.glob("*.xlsx")
    assert CHILD_ID.encode() not in everything_in(staged.read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        officer.post(response["Location"], {"decision": "confirm"})

    upload = UploadedFile.objects.get()
    assert upload.original_sha256 == hashlib.sha256(data).hexdigest() != upload.sha256
    assert upload.sheets_left_out == ["Annex A"]
    kept = upload.path.read_bytes()
    assert hashlib.sha256(kept).hexdigest() == upload.sha256
    assert CHILD_ID.encode() not in everything_in(kept)
    assert b"Jo Bloggs" not in everything_in(kept)
    ret = Return.objects.get(domain="kpis", period="2025-04-01")
    assert ret.current_version.data["PI1"]["value"] == "87.5"


def test_a_csv_in_windows_1252_is_accepted_by_the_upload_form(
    officer, django_capture_on_commit_callbacks
):
    data = "KPI;Period;Value;Commentary\r\nPI1;Apr-25;87.5;£2k “saved”\r\n".encode("cp1252")
    response = officer.post(
        UPLOAD, {"workbook": SimpleUploadedFile("april.csv", data, content_type="text/csv")}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(response["Location"], {"decision": "confirm"})

    ret = Return.objects.get(domain="kpis", period="2025-04-01")
    assert ret.current_version.data["PI1"]["commentary"] == "£2k “saved”"
    assert ret.current_version.upload.stored_name.endswith(".csv")


def test_import_return_reads_a_csv_and_keeps_only_the_sheet_read(
    demo, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "april.xlsx"
    path.write_bytes(with_annex_a())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_return", "kpis", str(path), user="kpi.submitter")
    assert "Left out and not kept: sheet 'Annex A'." in capsys.readouterr().out
    assert CHILD_ID.encode() not in everything_in(UploadedFile.objects.get().path.read_bytes())

    csv_path = tmp_path / "may.csv"
    csv_path.write_bytes(b"\xef\xbb\xbfKPI,Period,Value\r\nPI1,May-25,88\r\n")
    call_command("import_return", "kpis", str(csv_path), user="kpi.submitter")
    assert (
        Return.objects.get(domain="kpis", period="2025-05-01").current_version.data["PI1"]["value"]
        == "88"
    )


def test_clean_uploads_removes_kept_copies_past_the_retention_and_keeps_the_row(
    demo, settings, tmp_path
):
    settings.UPLOAD_RETENTION_DAYS = 30
    user = User.objects.get(username="kpi.submitter")
    old = UploadedFile.store(data=b"old", name="old.xlsx", user=user)
    old.finish_file()
    new = UploadedFile.store(data=b"new", name="new.xlsx", user=user)
    new.finish_file()
    UploadedFile.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=31)
    )

    call_command("clean_uploads")

    old.refresh_from_db()
    assert old.purged_at is not None
    assert not old.path.exists()
    assert new.path.exists()
    assert UploadedFile.objects.get(pk=new.pk).purged_at is None


# --- round trips ---------------------------------------------------------------------------


@pytest.fixture
def reviewer_client(client, demo, reviewer):
    client.force_login(reviewer)
    LockedPeriod.objects.all().delete()  # a locked month is refused before it is read
    return client


@pytest.mark.parametrize("domain", ["kpis", "finance", "workforce"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_returns_figures_export_re_imports_unchanged(reviewer_client, domain, fmt):
    response = reviewer_client.get(f"/returns/{domain}/2025-03/figures.{fmt}")
    assert response.status_code == 200
    ret = Return.objects.get(domain=domain, period="2025-03-01")
    spec = registry.get(domain)
    name = response["Content-Disposition"].split('"')[1]

    checked = check_upload(
        spec=spec, organisation=ret.organisation, data=response.content, filename=name
    )

    assert checked.errors == []
    assert figures_of(checked.months[Period(2025, 3)].data) == figures_of(ret.current_version.data)


def figures_of(data: dict) -> dict:
    """Each line's non-empty fields, numbers as numbers: an xlsx cell holds 94.0 as 94."""
    return {
        code: {name: _number(text) for name, text in fields.items() if text}
        for code, fields in data.items()
        if any(fields.values())
    }


def _number(text: str):
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


@pytest.mark.parametrize(
    ("url", "domain", "says"),
    [
        ("/kpis/scorecard.{fmt}?period=2025-03", "kpis", "KPI scorecard export"),
        ("/kpis/years/2024-25.{fmt}", "kpis", "KPI year summary export"),
        ("/finance/lines.{fmt}?period=2025-03", "finance", "finance budget lines export"),
        ("/workforce/figures.{fmt}?period=2025-03", "workforce", "workforce monthly figures"),
        ("/workforce/caseloads.{fmt}?period=2025-03", "workforce", "workforce caseloads export"),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_report_export_uploaded_as_a_return_says_in_one_line_why_it_is_not_one(
    reviewer_client, url, domain, says, fmt
):
    response = reviewer_client.get(url.format(fmt=fmt))
    assert response.status_code == 200
    ret = Return.objects.filter(domain=domain).first()

    checked = check_upload(
        spec=registry.get(domain),
        organisation=ret.organisation,
        data=response.content,
        filename=f"export.{fmt}",
    )

    assert [says in problem.message for problem in checked.problems] == [True]
    assert "not a return" in checked.problems[0].message
