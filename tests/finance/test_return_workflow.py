"""
The finance return through the shared machinery: typed, uploaded, submitted, approved.

Only a finance submitter sends it; approval puts its figures on the dashboard.
"""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance import selectors
from finance.models import FinanceFigure
from finance.returns import spec
from opb_portal.accounts.models import User
from opb_portal.outbox.models import OutgoingEmail
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion

from .builders import as_excel, filled_template, long_rows, long_table, on_plan, wide_table

APRIL = Period(2025, 4)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = tmp_path / "uploads" / "pending"


@pytest.fixture
def people(finance_demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def ret(people):
    trust = people["finance.submitter"].organisation
    return services.return_for(organisation=trust, domain="finance", period=APRIL)


@pytest.fixture
def officer(client, people):
    client.force_login(people["finance.submitter"])
    return client


def _april():
    return Return.objects.filter(domain="finance", period=APRIL.first_day).first()


# --- who may send it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "username", ["kpi.submitter", "workforce.submitter", "reviewer", "board", "admin"]
)
def test_only_finance_submitters_save_finance_returns(ret, people, username):
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.return_save(ret=ret, user=people[username], data=on_plan(), base_version=None)
    assert not ReturnVersion.objects.filter(ret=ret).exists()


def test_a_finance_submitter_cannot_save_a_kpi_return(people):
    kpis = services.return_for(
        organisation=people["finance.submitter"].organisation, domain="kpis", period=APRIL
    )
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.return_save(ret=kpis, user=people["finance.submitter"], data={}, base_version=None)


@pytest.mark.parametrize("username", ["kpi.submitter", "reviewer"])
def test_only_finance_submitters_submit_finance_returns(ret, people, username):
    services.return_save(
        ret=ret, user=people["finance.submitter"], data=on_plan(), base_version=None
    )
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.return_submit(ret=ret, user=people[username])
    ret.refresh_from_db()
    assert ret.status == Return.Status.DRAFT


# --- the life of a return ------------------------------------------------------------------


def test_approving_writes_the_figures_the_dashboard_shows(
    ret, people, django_capture_on_commit_callbacks
):
    data = on_plan(PL_RES={"value": "26000000", "commentary": "Two more placements."})
    services.return_save(ret=ret, user=people["finance.submitter"], data=data, base_version=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submit(ret=ret, user=people["finance.submitter"])
    assert "finance return for April 2025 submitted" in OutgoingEmail.objects.get().subject
    assert selectors.finance_position(APRIL).forecast_deficit is None  # not yet approved

    services.return_approve(ret=ret, user=people["reviewer"])

    figure = FinanceFigure.objects.get(line__code="PL-RES", period=APRIL.first_day)
    assert (figure.forecast_outturn, figure.actual_to_date) == (
        Decimal(26_000_000),
        Decimal(2_133_333),
    )
    assert (figure.commentary, figure.version.number, figure.illustrative) == (
        "Two more placements.",
        1,
        False,
    )
    position = selectors.finance_position(APRIL)
    assert position.forecast_deficit == position.planned_deficit + 400_000


def test_a_red_line_needs_an_explanation_before_submitting(ret, people):
    data = on_plan(PL_SA={"value": "9400000"})
    services.return_save(ret=ret, user=people["finance.submitter"], data=data, base_version=None)
    with pytest.raises(services.ReturnError, match="explanation") as refused:
        services.return_submit(ret=ret, user=people["finance.submitter"])
    assert [p.measure for p in refused.value.problems] == ["PL-SA"]
    services.return_submit(
        ret=ret,
        user=people["finance.submitter"],
        explanations={"PL-SA": "Eight more young people in supported accommodation."},
    )
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED


def test_a_correction_keeps_the_approved_figures_until_it_is_approved(ret, people):
    submitter, reviewer = people["finance.submitter"], people["reviewer"]
    services.return_save(ret=ret, user=submitter, data=on_plan(), base_version=None)
    services.return_submit(ret=ret, user=submitter)
    services.return_approve(ret=ret, user=reviewer)
    corrected = on_plan(OVERHEADS={"value": "7900000"})
    services.return_save(
        ret=ret, user=submitter, data=corrected, base_version=1, reason="Overheads recosted"
    )
    overheads = FinanceFigure.objects.get(line__code="OVERHEADS", period=APRIL.first_day)
    assert overheads.forecast_outturn == Decimal(7_800_000)
    services.return_submit(ret=ret, user=submitter)
    services.return_approve(ret=ret, user=reviewer)
    overheads.refresh_from_db()
    assert (overheads.forecast_outturn, overheads.version.number) == (Decimal(7_900_000), 2)


# --- typing it -----------------------------------------------------------------------------


def _typed(data: dict, base: str = "") -> dict:
    post = {
        f"{code}-{name}": text for code, fields in data.items() for name, text in fields.items()
    }
    return {**post, "base_version": base}


def test_the_typed_form_has_a_fieldset_per_line_with_last_months_forecast(officer):
    html = officer.get(reverse("submissions:edit", args=["finance", "2025-04"])).content.decode()
    assert "Type the finance return: April 2025" in html
    residential = re.search(r'id="line-PL-RES".*?</fieldset>', html, re.S).group(0)
    assert "Last month (March 2025):" in residential
    assert "£24,362,260" in residential  # March 2025's forecast outturn
    assert "Forecast outturn" in residential
    assert "Actual to date" in residential
    driver = re.search(r'id="line-DRV-RES".*?</fieldset>', html, re.S).group(0)
    assert "Actual to date" not in driver


def test_typing_a_return_saves_version_1_with_pounds_as_typed(officer):
    data = on_plan(INC_HO={"actual_to_date": "£100,000"})
    response = officer.post(
        reverse("submissions:edit", args=["finance", "2025-04"]), _typed(data), follow=True
    )
    assert "Saved version 1 of the finance return for April 2025" in response.content.decode()
    assert _april().current_version.data["INC-HO"]["actual_to_date"] == "100000"


def test_a_typed_figure_with_pence_is_shown_beside_its_field(officer):
    data = on_plan(PL_RES={"value": "25600000.50"})
    html = officer.post(
        reverse("submissions:edit", args=["finance", "2025-04"]), _typed(data)
    ).content.decode()
    error = re.search(r'id="id_PL-RES-value_error".*?</div>', html, re.S).group(0)
    assert "has pence: the finance return is in whole pounds. Type 25,600,001." in error
    assert _april() is None


def test_the_rag_follows_the_forecast_as_it_is_typed(officer):
    url = reverse("submissions:rag", args=["finance", "2025-04"])
    # The residential budget is £25,600,000: red beyond twice 2% of it, £1,024,000.
    assert "rag-green" in officer.get(url, {"code": "PL-RES", "value": "25600000"}).content.decode()
    assert "rag-red" in officer.get(url, {"code": "PL-RES", "value": "26700000"}).content.decode()


# --- uploading it --------------------------------------------------------------------------


def _upload(client, data: bytes, name: str):
    url = reverse("submissions:upload", args=["finance"])
    return client.post(url, {"workbook": SimpleUploadedFile(name, data, content_type=XLSX)})


def _refused(client, data: bytes, name: str) -> str:
    """A refused workbook's problems: its check (done in-process) sends the officer to them."""
    response = _upload(client, data, name)
    assert response.url.startswith(reverse("submissions:upload", args=["finance"]) + "problems/")
    return client.get(response.url).content.decode()


def _confirm(client, response, **extra):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(response["Location"], {"decision": "confirm", **extra}, follow=True)


def test_the_template_lists_every_typed_line_with_last_months_forecast(officer):
    response = officer.get(reverse("submissions:template", args=["finance", "2025-04"]))
    assert response["Content-Disposition"] == 'attachment; filename="finance-return-2025-04.xlsx"'

    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Finance return"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows["PL-RES"][1:3] == ("Residential placements", "£ forecast outturn")
    assert rows["PL-RES"][-1] == "24362260"
    assert rows["DRV-RES"][2] == "children"
    # Totals are worked out from their lines, never typed: the template leaves them out.
    assert "TOTAL-EXPENDITURE" not in rows


def test_a_filled_template_is_previewed_then_saved_as_version_1(officer):
    template = officer.get(reverse("submissions:template", args=["finance", "2025-04"])).content
    data = filled_template(template, as_excel(on_plan(PL_RES={"value": "25700000"})))

    response = _upload(officer, data, "finance-april.xlsx")
    preview = officer.get(response["Location"]).content.decode()
    assert "Check before saving: finance-april.xlsx" in preview
    assert "£25,700,000" in preview
    done = _confirm(officer, response)

    version = _april().current_version
    assert "Saved version 1 of April 2025" in done.content.decode()
    assert (version.source, version.data["PL-RES"]["value"]) == ("finance-april.xlsx", "25700000")
    assert version.data["DRV-RES"] == {"value": "79", "commentary": ""}


def test_a_long_table_of_two_months_saves_both(officer):
    rows = long_rows(on_plan(), "2025-04") + long_rows(on_plan(month_of_year=2), "May-25")
    data = long_table(rows, headings=("Code", "Month", "Actual", "Forecast", "Comments"))
    _confirm(officer, _upload(officer, data, "tracker.xlsx"))
    may = Return.objects.get(domain="finance", period="2025-05-01").current_version
    assert may.data["OVERHEADS"]["actual_to_date"] == "1300000"
    assert _april().current_version.data["OVERHEADS"]["actual_to_date"] == "650000"


def test_a_wide_table_of_months_gives_each_lines_forecast(officer):
    months = ["Apr-25", "May-25", "Jun-25"]
    data = wide_table(
        {"PL-RES": [25_600_000, 25_900_000, 26_050_000], "Overheads": [7_800_000] * 3}, months
    )
    _confirm(officer, _upload(officer, data, "forecasts.xlsx"))
    june = Return.objects.get(domain="finance", period="2025-06-01").current_version
    assert june.data["PL-RES"] == {"actual_to_date": "", "value": "26050000", "commentary": ""}
    assert june.data["OVERHEADS"]["value"] == "7800000"


def test_a_workbook_with_a_bad_cell_names_it_and_stores_nothing(officer):
    rows = long_rows(on_plan(PL_SA={"value": "about 8m"}), "2025-04")
    html = _refused(officer, long_table(rows), "april.xlsx")
    assert "april.xlsx, sheet &#x27;Finance&#x27;, cell D8" in html
    assert "&#x27;about 8m&#x27; is not a number" in html
    assert _april() is None


def test_a_kpi_workbook_uploaded_as_a_finance_return_is_named_as_such(officer):
    rows = [("PI1", "2025-04", 86.4, ""), ("PI2", "2025-04", 72.4, "")]
    data = long_table(rows, headings=("KPI", "Period", "Value", "Commentary"))
    html = _refused(officer, data, "kpis.xlsx")
    assert "looks like a kpis return" in html
    assert spec.label == "finance return"
