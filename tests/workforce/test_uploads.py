"""
Workbooks sent as workforce returns: the Trust's own table, uploaded as it keeps it
(title rows, the measures labelled as in the annual review, one column per month,
derived rows included), the portal's template, and another domain's sheet.
"""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import registry, services
from opb_portal.submissions.models import Return
from opb_portal.submissions.pipeline import check_upload

from .workbooks import MARCH_2025, SHEET, save, trust_cell, trust_table

FILE = "workforce-2024-25.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPED = {"ESTABLISHMENT", "PERM_EXCL_ASYE", "ASYE", "AGENCY"}


def _check(trust, data: bytes):
    spec = registry.get("workforce")
    return check_upload(spec=spec, organisation=trust, data=data, filename=FILE)


def test_the_trusts_table_reads_as_thirteen_months(reference, trust):
    checked = _check(trust, trust_table())
    assert checked.errors == []
    assert list(checked.months) == Period(2025, 3).last_n(13)
    march = checked.months[Period(2025, 3)].data
    assert {code: line["value"] for code, line in march.items()} == {
        "ESTABLISHMENT": "187",
        "PERM_EXCL_ASYE": "114.24",
        "ASYE": "28",
        "AGENCY": "37.18",
    }


def test_every_derived_row_agrees_with_what_the_portal_works_out(reference, trust):
    checked = _check(trust, trust_table())
    assert not [p for p in checked.problems if "differ by more than" in p.message]
    assert all(set(month.data) == TYPED for month in checked.months.values())


def test_the_only_warnings_are_the_months_the_asye_share_was_red(reference, trust):
    warnings = _check(trust, trust_table()).warnings
    assert [(w.period, w.measure, w.cell) for w in warnings] == [
        ("2024-03", "ASYE", trust_cell("Total ASyEs", "Mar-24")),
        ("2024-05", "ASYE", trust_cell("Total ASyEs", "May-24")),
        ("2024-09", "ASYE", trust_cell("Total ASyEs", "Sep-24")),
        ("2024-10", "ASYE", trust_cell("Total ASyEs", "Oct-24")),
    ]


def test_a_total_off_by_more_than_a_tenth_is_a_warning_naming_the_cells(reference, trust):
    data = trust_table({("Total Social Workers", "Mar-25"): 180.42})
    checked = _check(trust, data)
    assert checked.errors == []
    [warning] = [w for w in checked.warnings if w.measure == "TOTAL"]
    cell = trust_cell("Total Social Workers", "Mar-25")
    assert (warning.file, warning.sheet, warning.cell, warning.period) == (
        FILE,
        SHEET,
        cell,
        "2025-03",
    )
    assert f"is 180.42 at {SHEET}!{cell}" in warning.message
    for label in ("Permanent Excluding ASYE", "Total ASyEs", "Agency Social Workers"):
        assert f"{label} ({SHEET}!{trust_cell(label, 'Mar-25')})" in warning.message
    # The portal keeps its own figure: the wrong total is not stored.
    assert "TOTAL" not in checked.months[Period(2025, 3)].data


def test_a_percentage_off_by_more_than_a_tenth_is_a_warning(reference, trust):
    data = trust_table({("% Agency SWs", "Mar-25"): 0.217})
    [warning] = [w for w in _check(trust, data).warnings if w.measure == "PCT_AGENCY"]
    assert warning.cell == trust_cell("% Agency SWs", "Mar-25")
    assert "% Agency SWs for March 2025 is 21.7%" in warning.message
    assert "37.18 ÷ 179.42 × 100 = 20.7%" in warning.message


def test_a_derived_row_within_a_tenth_is_rounding(reference, trust):
    # The published permanent for April 2024 is 139.24; 96.84 + 42.44 is 139.28.
    checked = _check(trust, trust_table())
    assert not [w for w in checked.warnings if w.period == "2024-04"]


def test_storing_the_table_saves_thirteen_drafts_of_typed_lines_only(reference, trust):
    data = trust_table()
    user = User.objects.get(username="workforce.submitter")
    versions = services.upload_store(
        spec=registry.get("workforce"),
        organisation=trust,
        user=user,
        data=data,
        filename=FILE,
        checked=_check(trust, data),
    )
    assert len(versions) == 13
    assert {frozenset(v.data) for v in versions} == {frozenset(TYPED)}
    assert set(Return.objects.filter(domain="workforce").values_list("status", flat=True)) == {
        "draft"
    }


def test_the_upload_page_previews_the_table_and_confirms_it(client, reference):
    client.force_login(User.objects.get(username="workforce.submitter"))
    upload = reverse("submissions:upload", args=["workforce"])
    response = client.post(
        upload, {"workbook": SimpleUploadedFile(FILE, trust_table(), content_type=XLSX)}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "March 2025" in html
    assert "March 2024" in html
    confirmed = client.post(response["Location"], {"decision": "confirm"})
    assert confirmed.status_code == 302
    assert Return.objects.filter(domain="workforce").count() == 13


def test_the_template_filled_in_reads_back_without_a_problem(client, workforce_demo, trust):
    client.force_login(User.objects.get(username="workforce.submitter"))
    response = client.get(reverse("submissions:template", args=["workforce", "2025-04"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Workforce return"]
    for row in sheet.iter_rows(min_row=6):
        if row[0].value in MARCH_2025:
            row[3].value = float(MARCH_2025[row[0].value])
    checked = _check(trust, save(workbook))
    assert checked.problems == []
    data = checked.months[Period(2025, 4)].data
    assert {code for code, line in data.items() if line["value"]} == set(MARCH_2025)


def test_a_kpi_sheet_uploaded_as_a_workforce_return_is_named_as_such(reference, trust):
    # The KPI tracker most teams keep: KPI codes down the side, months across the top.
    workbook = openpyxl.Workbook()
    workbook.active.append(["KPI", "Apr-25", "May-25"])
    workbook.active.append(["PI1", 86.4, 84.1])
    workbook.active.append(["PI2", 72.4, 73.0])
    checked = _check(trust, save(workbook))
    [problem] = checked.errors
    assert "looks like a kpis return" in problem.message
