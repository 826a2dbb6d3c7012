"""
Typing a return: the form, its checks beside each row, the live RAG, and the refusals.

Everything typed comes back on a refusal, whatever the reason: nobody retypes fifteen KPIs.
"""

import re

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion

from ..factories import UserFactory

APRIL = Period(2025, 4)
EDIT = reverse("submissions:edit", args=["kpis", "2025-04"])
RAG = reverse("submissions:rag", args=["kpis", "2025-04"])


def figures(**overrides) -> dict:
    """A whole KPI return: March 2025's approved figures (all usual), with some lines changed."""
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    for code, fields in overrides.items():
        data[code] = {**data[code], **fields}
    return data


def typed(data: dict, *, base="", **extra) -> dict:
    """The form's POST for `data` ({code: {field: text}}), as the browser sends it."""
    post = {
        f"{code}-{name}": text for code, fields in data.items() for name, text in fields.items()
    }
    return {**post, "base_version": base, **extra}


@pytest.fixture
def submitter(demo):
    return User.objects.get(username="kpi.submitter")


@pytest.fixture
def officer(client, submitter):
    client.force_login(submitter)
    return client


def _april():
    return Return.objects.filter(period=APRIL.first_day, domain="kpis").first()


def test_the_form_has_a_row_per_kpi_with_last_months_figure_and_rag(officer):
    html = officer.get(EDIT).content.decode()
    assert len(re.findall(r'<fieldset class="return-line', html)) == 15
    pi1 = re.search(r'id="line-PI1".*?</fieldset>', html, re.S).group(0)
    assert "Last month (March 2025):" in pi1
    assert "86.4" in pi1
    assert 'rag-green"><span class="rag-shape" aria-hidden="true"></span>Green' in pi1


def test_typing_a_return_saves_version_1_as_a_draft(officer):
    response = officer.post(EDIT, typed(figures()), follow=True)

    ret = _april()
    assert (ret.status, ret.current_version.number) == (Return.Status.DRAFT, 1)
    assert ret.current_version.data["PI1"]["value"] == "86.4"
    assert response.redirect_chain == [
        (reverse("submissions:detail", args=["kpis", "2025-04"]), 302)
    ]
    assert "Saved version 1 of the KPI return for April 2025" in response.content.decode()


def test_a_figure_with_an_error_is_shown_beside_its_field_and_nothing_is_lost(officer):
    data = figures(PI1={"value": "95..0"}, PI2={"value": "88.8", "commentary": "Typed by hand"})

    response = officer.post(EDIT, typed(data))
    html = response.content.decode()

    assert response.status_code == 200
    assert (
        ReturnVersion.objects.filter(ret__domain="kpis").count() == 12
    )  # the demonstration's, and no more
    assert 'value="95..0"' in html
    assert 'value="88.8"' in html
    assert "Typed by hand" in html
    # The message sits under the field, which points at it for a screen reader.
    assert re.search(r'aria-describedby="id_PI1-value_error"[^>]*id="id_PI1-value"', html)
    error = re.search(r'id="id_PI1-value_error".*?</div>', html, re.S).group(0)
    assert "&#x27;95..0&#x27; is not a number" in error
    # ...and in the summary at the top, linked to the field.
    summary = re.search(r'id="errors".*?</div>', html, re.S).group(0)
    assert 'href="#id_PI1-value"' in summary


def test_errors_and_warnings_are_summarised_separately(officer):
    data = figures(PI1={"value": "-5"}, PI2={"value": "50.0", "commentary": ""})  # red, unexplained

    html = officer.post(EDIT, typed(data)).content.decode()

    errors = re.search(r'id="errors".*?</div>', html, re.S).group(0)
    warnings = re.search(r'id="warnings".*?</div>', html, re.S).group(0)
    assert "PI1" in errors
    assert "PI2" not in errors
    assert "PI2 is red at 50.0%" in warnings
    assert "PI1" not in warnings
    assert "PI2 is red at 50.0%" in re.search(r'id="line-PI2".*?</fieldset>', html, re.S).group(0)


def test_an_empty_form_is_refused_with_a_sentence(officer):
    html = officer.post(EDIT, {"base_version": ""}).content.decode()
    assert "The return is empty: type at least one figure before saving." in html
    assert _april() is None


def test_saving_over_someone_elses_newer_version_is_refused_and_keeps_the_typing(
    officer, submitter
):
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    colleague = UserFactory(role="kpi_submitter", organisation=submitter.organisation)
    services.return_save(
        ret=ret, user=colleague, data=figures(PI1={"value": "91.0"}), base_version=1
    )

    # Opened at version 1, saved after the colleague's version 2.
    response = officer.post(EDIT, typed(figures(PI1={"value": "80.5"}), base="1"))
    html = response.content.decode()

    assert "Version 2 of the KPI return for April 2025 was saved by " in html
    assert "after you opened version 1. Your changes were not saved" in html
    assert 'value="80.5"' in html
    assert list(ret.versions.values_list("number", flat=True)) == [1, 2]


def test_the_form_carries_the_version_it_was_opened_at(officer, submitter):
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=figures(), base_version=None)
    html = officer.get(EDIT).content.decode()
    assert re.search(r'type="hidden" name="base_version" value="1"', html)
    assert 'name="PI1-value" value="86.4"' in html


def test_a_correction_of_an_approved_return_needs_a_reason(officer):
    march = reverse("submissions:edit", args=["kpis", "2025-03"])
    ret = Return.objects.get(domain="kpis", period="2025-03-01")
    data = {code: dict(fields) for code, fields in ret.current_version.data.items()}
    data["PI1"]["value"] = "86.5"

    html = officer.get(march).content.decode()
    assert "Why does the approved return need correcting?" in html
    refused = officer.post(march, typed(data, base="1")).content.decode()
    assert "Say why the approved return needs correcting" in refused
    officer.post(march, typed(data, base="1", reason="PI1 recounted after audit."))

    ret.refresh_from_db()
    assert (ret.status, ret.current_version.number, ret.approved_version.number) == ("draft", 2, 1)
    assert ret.events.latest("at").note == "PI1 recounted after audit."


def test_a_locked_month_shows_locked_and_refuses_a_save(officer, demo):
    services.period_lock(period=APRIL, user=User.objects.get(username="admin"), reason="OPB met")

    page = officer.get(EDIT).content.decode()
    assert ">Locked<" in page
    assert 'value="Save draft"' not in page

    refused = officer.post(EDIT, typed(figures())).content.decode()
    assert "April 2025 is locked: the OPB has met on its figures." in refused
    assert _april() is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("85.0", "Green", id="85.0-is-green-at-the-bound"),
        pytest.param("85", "Green", id="85-is-green"),
        pytest.param("85%", "Green", id="85-percent-is-green"),
        pytest.param("84.9", "Amber", id="84.9-is-amber"),
        pytest.param("70.1", "Amber", id="70.1-is-amber"),
        # PI1 is published to one place: the form refuses 84.99, so it is not rated.
        pytest.param("84.99", "Not rated", id="a-figure-the-form-refuses-is-not-rated"),
        pytest.param("70.0", "Red", id="70.0-is-red-at-the-bound"),
        pytest.param("eighty", "Not a number", id="words-are-not-a-number"),
        pytest.param("120", "Not a percentage (0 to 100)", id="over-100-is-not-a-percentage"),
        pytest.param("", "No figure", id="empty-is-no-figure"),
    ],
)
def test_the_rag_endpoint_rates_pi1_as_typed(officer, value, shown):
    response = officer.get(RAG, {"code": "PI1", "value": value})
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", "", response.content.decode()).strip()
    assert text == shown


def test_the_rag_endpoint_reads_the_input_htmx_sends(officer):
    # htmx names the value after its input: PI1-value.
    response = officer.get(RAG, {"code": "PI1", "PI1-value": "84.9"})
    assert 'class="rag rag-amber"' in response.content.decode()


def test_the_rag_endpoint_refuses_a_line_the_return_does_not_have(officer):
    assert officer.get(RAG, {"code": "PI99", "value": "1"}).status_code == 400


def test_each_value_asks_for_its_rag_as_it_is_typed_and_no_script_is_inline(officer):
    html = officer.get(EDIT).content.decode()
    assert (
        f'hx-get="{RAG}?code=PI1" hx-trigger="input changed delay:300ms" hx-target="#rag-PI1"'
        in html
    )
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "vendor/htmx/htmx.min.js" in html


def _rag_beside(html: str, code: str) -> str:
    """The words of the live RAG beside a line's value."""
    found = re.search(rf'id="rag-{code}"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_a_figure_the_form_refuses_is_not_rated_not_given_the_saved_figures_colour(officer):
    officer.post(EDIT, typed(figures()))  # version 1: PI1 at March's green figure
    page = officer.post(EDIT, typed(figures(PI1={"value": "150"}), base="1")).content.decode()
    assert "must be between 0 and 100" in page
    assert _rag_beside(page, "PI1") == "Not rated"


def test_last_months_figure_is_written_as_every_page_writes_it(demo, client):
    client.force_login(User.objects.get(username="finance.submitter"))
    page = client.get(reverse("submissions:edit", args=["finance", "2025-04"])).content.decode()
    # A money line's forecast in pounds, grouped: never the stored 28912480.
    assert re.search(r"Last month \(March 2025\): <span[^>]*>£[\d,]+,\d{3}</span>", page)
    assert not re.search(r"Last month \(March 2025\): <span[^>]*>\d{4,}", page)
