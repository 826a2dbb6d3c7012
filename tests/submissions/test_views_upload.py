"""
Sending a return as a workbook: template, upload, problems or preview, confirm or cancel.

The workbooks are built here with openpyxl, as a performance officer's Excel would save them.
"""

import hashlib
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile

from ..factories import UserFactory
from .test_views_edit import figures

UPLOAD = reverse("submissions:upload", args=["kpis"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def pending(settings, tmp_path):
    """Uploads and staged uploads go to a directory of this test's own."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = tmp_path / "uploads" / "pending"
    return settings.UPLOAD_PENDING_ROOT


@pytest.fixture
def officer(client, demo):
    client.force_login(User.objects.get(username="kpi.submitter"))
    return client


def filled_template(client, month: str, data: dict) -> bytes:
    """Download the month's template and type `data` ({code: {field: value}}) into it."""
    response = client.get(reverse("submissions:template", args=["kpis", month]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["KPI return"]
    headings = {cell.value: cell.column for cell in sheet[5] if cell.value}
    for row in sheet.iter_rows(min_row=6):
        code = row[0].value
        for name, value in data.get(code, {}).items():
            sheet.cell(row=row[0].row, column=headings[name.capitalize()], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def long_table(rows: list[tuple]) -> bytes:
    """A person's own table: one row per KPI and month."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(["KPI", "Period", "Value", "Commentary"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "kpi-return.xlsx"):
    return client.post(UPLOAD, {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)})


def refused(client, data: bytes, name: str = "kpi-return.xlsx"):
    """A refused file's page, where its check (done in-process) sends its author."""
    response = upload(client, data, name)
    assert response.status_code == 302
    assert response.url.startswith("/returns/kpis/upload/problems/")
    return client.get(response.url)


def numbers(data: dict) -> dict:
    """The figures as Excel holds typed numbers."""
    return {
        code: {
            name: (float(text) if name != "commentary" and text else text or None)
            for name, text in fields.items()
        }
        for code, fields in data.items()
    }


def test_the_template_downloads_as_an_attachment_named_for_the_month(officer):
    response = officer.get(reverse("submissions:template", args=["kpis", "2025-04"]))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="kpis-return-2025-04.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    instructions = " ".join(str(c.value) for c in workbook["Instructions"]["A"] if c.value)
    assert "KPI return for April 2025" in instructions
    assert "What happens next" in instructions
    sheet = workbook["KPI return"]
    assert [sheet.cell(row=6, column=c).value for c in (1, 3)] == ["PI1", "Percentage"]
    assert sheet.cell(row=6, column=8).value == "86.4"  # March's approved PI1


def test_a_filled_template_is_previewed_then_confirmed_as_version_1(
    officer, pending, django_capture_on_commit_callbacks
):
    data = filled_template(officer, "2025-04", numbers(figures(PI1={"value": "87.5"})))

    response = upload(officer, data)
    assert response.status_code == 302
    preview = officer.get(response["Location"])
    html = preview.content.decode()
    assert "Check before saving: kpi-return.xlsx" in html
    assert "A new return: version 1." in html
    assert "87.5" in html
    assert 'rag-green"' in html
    assert len(list(pending.glob("*.xlsx"))) == 1
    assert not ReturnVersion.objects.filter(ret__period="2025-04-01").exists()

    with django_capture_on_commit_callbacks(execute=True):  # the stored file's final name
        done = officer.post(response["Location"], {"decision": "confirm"}, follow=True)

    version = ReturnVersion.objects.get(ret__period="2025-04-01")
    assert (version.number, version.source, version.data["PI1"]["value"]) == (
        1,
        "kpi-return.xlsx",
        "87.5",
    )
    assert version.upload.original_name == "kpi-return.xlsx"
    assert not any(pending.glob("*.xlsx"))
    # The next step is on the page it lands on: the return's own, with Submit as a button.
    assert done.redirect_chain[-1][0] == reverse("submissions:detail", args=["kpis", "2025-04"])
    landed = done.content.decode()
    assert "Saved version 1 of April 2025. Submit the return when you are ready." in landed
    assert "Next step: submit version 1 to the council" in landed
    submit = reverse("submissions:submit", args=["kpis", "2025-04"])
    assert f'<a class="btn btn-primary" href="{submit}">Submit</a>' in landed
    stored = officer.get(reverse("submissions:version_file", args=["kpis", "2025-04", 1]))
    # What is kept is the copy of the sheet read (issue 12), named for the file it came from.
    kept = b"".join(stored.streaming_content)
    assert hashlib.sha256(kept).hexdigest() == version.upload.sha256
    assert version.upload.original_sha256 == hashlib.sha256(data).hexdigest()
    assert 'filename="kpi-return.xlsx"' in stored["Content-Disposition"]


def test_an_upload_of_two_months_saves_both_and_a_correction_needs_a_reason(officer):
    data = long_table([("PI1", "Mar-25", 86.5, "Recounted"), ("PI1", "Apr-25", 88.0, "")])
    preview = upload(officer, data, "tracker.xlsx")["Location"]

    html = officer.get(preview).content.decode()
    assert "Version 2 will replace version 1" in html
    assert "Why do the approved figures need correcting?" in html
    refused = officer.post(preview, {"decision": "confirm", "reason": ""})
    assert "Say why the approved figures need correcting" in refused.content.decode()
    assert ReturnVersion.objects.filter(ret__domain="kpis").count() == 12

    done = officer.post(preview, {"decision": "confirm", "reason": "March recounted"}, follow=True)

    # Two months saved: the home page lists each with its own Submit button.
    assert done.redirect_chain[-1][0] == "/"
    landed = done.content.decode()
    assert (
        "Saved version 2 of March 2025 and version 1 of April 2025. "
        "Submit each return when you are ready." in landed
    )
    for month in ("2025-03", "2025-04"):
        assert reverse("submissions:submit", args=["kpis", month]) in landed
    march = Return.objects.get(domain="kpis", period="2025-03-01")
    assert (march.current_version.number, march.approved_version.number) == (2, 1)
    assert march.current_version.data["PI2"] == march.approved_version.data["PI2"]


def test_a_workbook_with_a_bad_cell_lists_the_problem_and_stores_nothing(officer, pending):
    data = filled_template(officer, "2025-04", {**numbers(figures()), "PI3": {"value": "about 11"}})

    response = refused(officer, data, "april.xlsx")
    html = response.content.decode()

    assert response.status_code == 200
    assert "april.xlsx could not be used" in html
    assert "april.xlsx, sheet &#x27;KPI return&#x27;, cell D8" in html
    assert "&#x27;about 11&#x27; is not a number" in html
    assert "Nothing from the file was stored" in html
    assert not UploadedFile.objects.exists()
    assert ReturnVersion.objects.filter(ret__domain="kpis").count() == 12
    assert not Return.objects.filter(period="2025-04-01").exists()
    assert not pending.exists() or not any(pending.iterdir())


def test_the_problems_download_as_a_workbook_with_one_row_per_problem(officer):
    bad = {**numbers(figures()), "PI3": {"value": "about 11"}, "PI4": {"value": -2.0}}
    html = refused(officer, filled_template(officer, "2025-04", bad), "april.xlsx")
    link = re.search(r'href="(/returns/kpis/upload/problems/[^"]+\.xlsx)"', html.content.decode())

    response = officer.get(link.group(1))

    assert response["Content-Type"] == XLSX
    assert "problems-in-april.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Problems"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == html.content.decode().count("<tr") - 1  # the page's table, less its header
    assert {(row[2], row[3]) for row in rows} >= {("KPI return", "D8"), ("KPI return", "D9")}


def test_someone_elses_problems_are_not_found(officer):
    bad = {**numbers(figures()), "PI3": {"value": "about 11"}}
    page = upload(officer, filled_template(officer, "2025-04", bad)).url
    html = officer.get(page).content.decode()
    link = re.search(r'href="(/returns/kpis/upload/problems/[^"]+\.xlsx)"', html).group(1)
    colleague = Client()  # another KPI submitter of the Trust: the token is not theirs
    trust = User.objects.get(username="kpi.submitter").organisation
    colleague.force_login(UserFactory(role="kpi_submitter", organisation=trust))

    assert officer.get(link).status_code == 200
    assert colleague.get(link).status_code == 404
    # Nor is the page listing them: the colleague is sent back to upload their own file.
    assert colleague.get(page).url == UPLOAD


def test_a_file_over_10_mb_is_refused_before_it_is_read(officer):
    big = SimpleUploadedFile("huge.xlsx", b"0" * (10 * 1024 * 1024 + 1), content_type=XLSX)
    html = officer.post(UPLOAD, {"workbook": big}).content.decode()
    assert "huge.xlsx is 10.0 MB, over the 10 MB limit" in html
    assert 'aria-describedby="id_workbook_helptext id_workbook_error"' in html


def test_sending_the_form_without_a_file_asks_for_one(officer):
    html = officer.post(UPLOAD, {}).content.decode()
    assert "Choose the workbook to upload." in html
    assert "<title>Error: Upload a workbook" in html


def test_a_file_that_is_not_a_workbook_is_one_plain_problem(officer):
    html = refused(officer, b"KPI,Value\nPI1,85\n", "figures.xlsx").content.decode()
    assert "figures.xlsx looks like a CSV file named .xlsx" in html


def test_cancelling_a_preview_deletes_the_staged_file(officer, pending):
    preview = upload(officer, filled_template(officer, "2025-04", numbers(figures())))["Location"]
    assert len(list(pending.glob("*.xlsx"))) == 1

    response = officer.post(preview, {"decision": "cancel"}, follow=True)

    assert "Cancelled: nothing from kpi-return.xlsx was stored." in response.content.decode()
    assert not any(pending.glob("*.xlsx"))
    assert not ReturnVersion.objects.filter(ret__period="2025-04-01").exists()
    again = officer.get(preview, follow=True).content.decode()
    assert "That upload is no longer waiting" in again


def test_a_staged_file_changed_on_disk_is_not_confirmed(officer, pending):
    preview = upload(officer, filled_template(officer, "2025-04", numbers(figures())))["Location"]
    staged = next(pending.glob("*.xlsx"))
    staged.write_bytes(staged.read_bytes() + b"tampered")

    response = officer.post(preview, {"decision": "confirm"}, follow=True)

    assert "That upload is no longer waiting" in response.content.decode()
    assert not ReturnVersion.objects.filter(ret__period="2025-04-01").exists()
    assert not any(pending.glob("*.xlsx"))


def test_the_upload_button_says_it_is_checking_the_file(officer):
    html = officer.get(UPLOAD).content.decode()
    assert 'data-busy-text="Checking your file…"' in html
    assert 'accept=".xlsx,' in html
    assert 'enctype="multipart/form-data"' in html
