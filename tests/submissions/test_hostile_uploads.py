"""
Hostile and broken files through the whole upload pipeline: refused, named, nothing stored.

The reader's own tests prove each refusal; these prove that the return
machinery turns every one into a clear error and stores nothing at all, for
every domain that takes returns.
"""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import registry, services
from opb_portal.submissions.models import Return, ReturnVersion, UploadedFile
from opb_portal.submissions.pipeline import check_upload

from ..spreadsheets.builders import xlsx
from ..spreadsheets.test_intake import HOSTILE

DOMAINS = {
    "kpis": "kpi.submitter",
    "finance": "finance.submitter",
    "workforce": "workforce.submitter",
}


def _nothing_stored() -> bool:
    stored = list(Path(settings.UPLOAD_ROOT).glob("*.xlsx"))
    return not (
        UploadedFile.objects.exists()
        or ReturnVersion.objects.filter(source="returns.xlsx").exists()
        or Return.objects.filter(period__gte="2025-04-01").exists()
        or stored
    )


@pytest.mark.parametrize("domain", list(DOMAINS))
@pytest.mark.parametrize(("data", "expected"), HOSTILE)
def test_import_return_refuses_a_hostile_file_and_stores_nothing(
    demo, tmp_path, domain, data, expected
):
    path = tmp_path / "returns.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_return", domain, str(path), "--user", DOMAINS[domain])
    assert _nothing_stored()


def test_a_finance_sheet_uploaded_as_a_kpi_return_is_named_as_such(demo):
    data = xlsx(
        {
            "Finance": [
                ["Line", "Budget", "Actual to date", "Forecast outturn"],
                ["Residential placements", 20000000, 18000000, 24000000],
                ["Agency staffing", 4000000, 3500000, 4400000],
            ]
        }
    )
    spec = registry.get("kpis")
    checked = check_upload(spec=spec, organisation=None, data=data, filename="finance-march.xlsx")
    assert not checked.ok
    assert "looks like a finance return" in checked.errors[0].message


# Cells a person (or a fuzzer) might put in a small sheet.
CELL = st.one_of(
    st.none(),
    st.sampled_from(["KPI", "Period", "Value", "PI1", "PI2", "PI99", "2025-04", "Apr-25", "x"]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    # Printable text: openpyxl itself refuses control characters when writing.
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=8),
)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=6)


# The demonstration is loaded once per test, not per example: each example stores nothing.
# The rest of the budget (same examples every run, no deadline) is the `ci` profile.
WITH_DEMO = hypothesis_settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@WITH_DEMO
@given(data=st.one_of(st.binary(max_size=512), ROWS.map(lambda rows: xlsx({"Data": rows}))))
def test_any_upload_is_either_stored_cleanly_or_refused_with_nothing_stored(demo, data):
    spec = registry.get("kpis")
    submitter = User.objects.get(username="kpi.submitter")
    checked = check_upload(
        spec=spec, organisation=submitter.organisation, data=data, filename="returns.xlsx"
    )
    if checked.ok:
        return  # a clean file may be stored: the point here is the files with errors
    with pytest.raises(services.ReturnError, match="nothing was stored"):
        services.upload_store(
            spec=spec,
            organisation=submitter.organisation,
            user=submitter,
            data=data,
            filename="returns.xlsx",
            checked=checked,
        )
    assert _nothing_stored()


# --- a valid workbook, then broken by a person (or a fuzzer) --------------------------------

FILENAME = "april-return.xlsx"
SHEET = "Figures"
WORDS = ["lots", "n/a", "TBC", "see note", "#N/A", "#DIV/0!", "85.3%%", "1,2,3", " ", "-"]
HUGE = [10**20, -(10**20), 10**300, 1e308, -1e308, 1e-300, 2**63, 99999999999999999999.5]
FORMULAS = ["=1/0", "=A1", "=SUM(C2:C9)", '=HYPERLINK("http://example.com","x")', "=NOW()"]
REPLACEMENTS = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.sampled_from(HUGE),
    st.sampled_from(FORMULAS),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
)
# What can happen to the sheets themselves: the figures on a sheet of another name,
# behind a sheet of notes, twice over, or a sheet of another return in front.
SHEET_CHANGES = st.sampled_from(["none", "renamed", "notes-first", "copied", "finance-first"])


def _valid_rows() -> list[list[object]]:
    """April 2025, every KPI with March's approved figure: a workbook with no problem at all."""
    march = Return.objects.get(domain="kpis", period="2025-03-01").approved_version.data
    return [
        ["KPI", "Period", "Value", "Commentary"],
        *(
            [code, "2025-04", float(fields["value"]), fields.get("commentary") or None]
            for code, fields in march.items()
            if fields.get("value")
        ),
    ]


def _mutated(rows, cells, sheet_change) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for row in rows:
        sheet.append(row)
    for row, column, value in cells:
        sheet.cell(row=row, column=column, value=value)
    if sheet_change == "renamed":
        sheet.title = "Sheet 2"
    elif sheet_change == "notes-first":
        notes = workbook.create_sheet("Notes", 0)
        notes.append(["Figures are provisional until the OPB meets."])
    elif sheet_change == "copied":
        workbook.copy_worksheet(sheet).title = "Figures (2)"
    elif sheet_change == "finance-first":
        finance = workbook.create_sheet("Finance", 0)
        finance.append(["Line", "Budget", "Actual to date", "Forecast outturn"])
        finance.append(["Agency staffing", 4000000, 3500000, 4400000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored_nothing_for_april() -> bool:
    return not (
        UploadedFile.objects.exists()
        or Return.objects.filter(period__gte="2025-04-01").exists()
        or list(Path(settings.UPLOAD_ROOT).glob("*.xlsx"))
    )


def test_the_unbroken_workbook_has_no_problem_at_all(demo):
    submitter = User.objects.get(username="kpi.submitter")
    checked = check_upload(
        spec=registry.get("kpis"),
        organisation=submitter.organisation,
        data=_mutated(_valid_rows(), [], "none"),
        filename=FILENAME,
    )
    assert checked.problems == []
    assert list(checked.months) == [Period(2025, 4)]


@WITH_DEMO
@given(
    cells=st.lists(
        st.tuples(st.integers(1, 18), st.integers(1, 5), REPLACEMENTS), min_size=1, max_size=6
    ),
    sheet_change=SHEET_CHANGES,
)
def test_a_broken_workbook_is_answered_with_named_problems_never_a_crash_and_nothing_is_saved(
    demo, cells, sheet_change
):
    client = Client()  # raises any exception the view lets through: a 500 fails the test
    client.force_login(User.objects.get(username="kpi.submitter"))
    data = _mutated(_valid_rows(), cells, sheet_change)

    response = client.post(
        "/returns/kpis/upload/", {"workbook": SimpleUploadedFile(FILENAME, data)}
    )

    assert response.status_code == 302
    checked = check_upload(
        spec=registry.get("kpis"),
        organisation=User.objects.get(username="kpi.submitter").organisation,
        data=data,
        filename=FILENAME,
    )
    event("clean" if checked.ok else "refused")
    # Its check (done in-process) sends a clean file to its preview, one with errors to
    # its problems page.
    refused = response.url.startswith("/returns/kpis/upload/problems/")
    assert refused == (not checked.ok), response.url
    for problem in checked.problems:
        assert problem.file == FILENAME or FILENAME in problem.message
        assert problem.sheet or not problem.cell  # a cell is always given with its sheet
    if not checked.ok:
        page = client.get(response.url)
        assert page.status_code == 200
        assert FILENAME in page.content.decode()
    assert _stored_nothing_for_april()


@WITH_DEMO
@given(row=st.integers(2, 16), word=st.sampled_from([w for w in WORDS if w.strip(" -")]))
def test_a_word_in_a_figure_cell_is_an_error_at_that_sheet_and_cell(demo, row, word):
    rows = _valid_rows()
    row = min(row, len(rows))
    data = _mutated(rows, [(row, 3, word)], "none")

    checked = check_upload(
        spec=registry.get("kpis"),
        organisation=User.objects.get(username="kpi.submitter").organisation,
        data=data,
        filename=FILENAME,
    )

    assert [(p.file, p.sheet, p.cell) for p in checked.errors] == [(FILENAME, SHEET, f"C{row}")]
