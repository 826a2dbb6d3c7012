"""
A Trust submitter sends April 2025's KPI return from the portal's own template, and a
council reviewer queries it, reads the answer and approves it. Every page is checked
with axe-core and kept as a screenshot.
"""

import openpyxl
import pytest

from opb_portal.submissions.models import Return

from .conftest import check_page

pytestmark = pytest.mark.browser

HEADER_ROW = 5


def fill_template(path, data: dict) -> None:
    """Type `data` ({code: {field: value}}) into the template's sheet, as Excel would save it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["KPI return"]
    headings = {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for name, value in data.get(row[0].value, {}).items():
            sheet.cell(row=row[0].row, column=headings[name.capitalize()], value=value)
    workbook.save(path)


def as_typed(text):
    """A figure as a person types it in Excel: numbers as numbers, words as words."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return text or None


def march_figures() -> dict:
    data = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    return {code: {k: as_typed(v) for k, v in fields.items()} for code, fields in data.items()}


def upload(page, path) -> None:
    page.get_by_label("Workbook (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()


def submit(page, live_server, name: str) -> None:
    """Submit April 2025, answering every warning with an explanation."""
    page.goto(f"{live_server.url}/returns/kpis/2025-04/submit/")
    check_page(page, name)
    explanations = page.get_by_label("Explanation for", exact=False)
    for index in range(explanations.count()):
        explanations.nth(index).fill("Checked with the service manager: the figure is right.")
    page.get_by_role("button", name="Submit the return to the council").click()
    page.wait_for_load_state()


def test_a_submitter_sends_april_from_the_template_fixing_a_bad_cell(
    sign_in, live_server, tmp_path
):
    from playwright.sync_api import expect

    page = sign_in("kpi.submitter", form=True)
    page.goto(f"{live_server.url}/returns/kpis/2025-04/edit/")
    check_page(page, "submitter-1-typed-form")
    with page.expect_download() as started:
        page.get_by_role("link", name="Download the template for April 2025").click()
    workbook = tmp_path / "april.xlsx"
    started.value.save_as(workbook)

    figures = march_figures()
    fill_template(workbook, {**figures, "PI2": {**figures["PI2"], "value": "lots"}})
    page.goto(f"{live_server.url}/returns/kpis/upload/")
    check_page(page, "submitter-2-upload")
    upload(page, workbook)

    expect(page.get_by_role("heading", level=1)).to_have_text("april.xlsx could not be used")
    expect(page.get_by_role("main")).to_contain_text("april.xlsx, sheet 'KPI return', cell D7")
    expect(page.get_by_role("main")).to_contain_text("'lots' is not a number")
    check_page(page, "submitter-3-problems")

    fill_template(workbook, {"PI2": {"value": figures["PI2"]["value"]}})
    upload(page, workbook)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before saving: april.xlsx")
    check_page(page, "submitter-4-preview")
    page.get_by_role("button", name="Confirm and save").click()
    page.wait_for_load_state()
    check_page(page, "submitter-5-saved")

    submit(page, live_server, "submitter-6-submit")
    expect(page.get_by_role("main")).to_contain_text("Submitted")
    check_page(page, "submitter-7-submitted")
    assert Return.objects.get(domain="kpis", period="2025-04-01").status == "submitted"


@pytest.fixture
def april_submitted(live_server, tmp_path):
    """April 2025 sent and submitted from the template, with March's figures, by the submitter."""
    from django.core.management import call_command
    from django.test import Client

    from opb_portal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="kpi.submitter"))
    workbook = tmp_path / "april.xlsx"
    workbook.write_bytes(client.get("/returns/kpis/template/2025-04.xlsx").content)
    fill_template(workbook, march_figures())
    call_command("import_return", "kpis", str(workbook), "--user=kpi.submitter", "--submit")
    return Return.objects.get(domain="kpis", period="2025-04-01")


def test_a_reviewer_queries_pi2_the_submitter_answers_and_the_approved_figures_show(
    sign_in, live_server, april_submitted
):
    from playwright.sync_api import expect

    detail = f"{live_server.url}/returns/kpis/2025-04/"
    reviewer = sign_in("reviewer")
    reviewer.goto(detail)
    check_page(reviewer, "review-1-submitted")
    reviewer.locator("#return_line").select_option("PI2")
    reviewer.get_by_label("What needs answering").fill("Why is PI2 the same as in March?")
    reviewer.get_by_role("button", name="Return with queries").click()
    reviewer.wait_for_load_state()
    expect(reviewer.locator("#thread-PI2")).to_contain_text("Why is PI2 the same as in March?")
    check_page(reviewer, "review-2-returned")

    submitter = sign_in("kpi.submitter")
    submitter.goto(detail)
    expect(submitter.locator("#thread-PI2")).to_contain_text("Why is PI2 the same as in March?")
    submitter.locator("#comment_line").select_option("PI2")
    submitter.get_by_role("textbox", name="Comment").fill(
        "The team was stable: the same cases were reviewed."
    )
    submitter.get_by_role("button", name="Add the comment").click()
    submitter.wait_for_load_state()
    expect(submitter.locator("#thread-PI2")).to_contain_text("The team was stable")
    check_page(submitter, "review-3-answered")
    submit(submitter, live_server, "review-4-resubmit")
    expect(submitter.get_by_role("main")).to_contain_text("Submitted")

    reviewer.goto(detail)
    reviewer.get_by_role("button", name="Approve").click()
    reviewer.wait_for_load_state()
    expect(reviewer.get_by_role("main")).to_contain_text("Approved")
    check_page(reviewer, "review-5-approved")

    reviewer.goto(f"{live_server.url}/kpis/scorecard/?period=2025-04")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("KPI scorecard: April 2025")
    pi2 = reviewer.locator("tbody tr", has=reviewer.get_by_role("link", name="PI2", exact=True))
    expect(pi2).to_contain_text(f"{april_submitted.current_version.data['PI2']['value']}%")
    expect(pi2).to_contain_text("Amber")
    expect(reviewer.get_by_role("main")).not_to_contain_text("Not yet approved")
    assert Return.objects.get(pk=april_submitted.pk).status == "approved"
    check_page(reviewer, "review-6-scorecard")
