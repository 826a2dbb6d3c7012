"""
Hostile and broken files through the whole upload pipeline: refused, named, nothing stored.

The reader's own tests prove each refusal; these prove that the return
machinery turns every one into a clear error and stores nothing at all, for
every domain that takes returns.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from opb_portal.accounts.models import User
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


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
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
