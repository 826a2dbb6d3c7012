"""
One length limit per field, whichever way the figures come in.

The typed form allowed a 4,000-character commentary while an upload allowed anything:
an 8 MB commentary was stored, approved, and made the month's board pack time out.
Each field's limit is now defined once (`pipeline.field_max_characters`); the typed
form takes its `max_length` from it and the pipeline refuses an uploaded, imported or
typed entry past it, naming the file, sheet and cell, for every domain's return.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from opb_portal.periods import Period
from opb_portal.spreadsheets import Cell
from opb_portal.spreadsheets.limits import MAX_NUMBER_CHARACTERS
from opb_portal.submissions import registry
from opb_portal.submissions.forms import ReturnForm, field_labels, field_name
from opb_portal.submissions.models import Return, UploadedFile
from opb_portal.submissions.pipeline import (
    TEXT_MAX_CHARACTERS,
    check_entries,
    field_max_characters,
)
from opb_portal.submissions.registry import Entry

from ..spreadsheets.builders import commentary_xlsx, prose

APRIL = Period(2025, 4)  # open in the demonstration
DOMAINS = ["kpis", "finance", "workforce", "activity"]


def _typed_form(spec, lines) -> ReturnForm:
    return ReturnForm(
        None,
        lines=lines,
        labels=field_labels(spec),
        period=APRIL,
        ret=None,
        statuses={},
        previous={},
        previous_statuses={},
        rag_url="/rag/",
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_typed_form_limits_each_field_as_the_pipeline_does(demo, domain):
    spec = registry.get(domain)
    lines = spec.typed_lines(APRIL)
    form = _typed_form(spec, lines)

    limits = {
        field_name(line.code, name): form.fields[field_name(line.code, name)].max_length
        for line in lines
        for name in line.fields
    }

    assert limits == {
        field_name(line.code, name): field_max_characters(line, name)
        for line in lines
        for name in line.fields
    }
    assert set(limits.values()) <= {TEXT_MAX_CHARACTERS, MAX_NUMBER_CHARACTERS}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize(
    ("sheet", "file"),
    [
        pytest.param("KPI return", "returns.xlsx", id="uploaded"),
        pytest.param("", "", id="typed"),
    ],
)
def test_a_text_field_one_character_over_its_limit_is_refused_at_its_cell(
    demo, domain, sheet, file
):
    spec = registry.get(domain)
    line = next(line for line in spec.typed_lines(APRIL) if line.text_fields)
    name = line.text_fields[0]
    text = prose(TEXT_MAX_CHARACTERS + 1)
    entry = Entry(
        code=line.code,
        label=Cell(sheet, "A2", line.code),
        period=APRIL,
        fields={name: Cell(sheet, "D2", text)},
    )

    checked = check_entries(spec=spec, organisation=None, entries=[entry], file=file)

    assert [(p.file, p.sheet, p.cell, p.field, p.measure) for p in checked.errors] == [
        (file, sheet, "D2", name, line.code)
    ]
    assert checked.errors[0].message.startswith(
        f"The {name} of {line.code} for April 2025 is 4,001 characters long"
    )
    assert checked.errors[0].message.endswith("it may have at most 4,000: shorten it.")
    assert checked.months[APRIL].data == {}  # nothing of it is kept to be stored


def test_a_figure_typed_as_text_past_its_limit_is_refused_by_the_same_rule(demo):
    spec = registry.get("kpis")
    line = spec.typed_lines(APRIL)[0]
    entry = Entry(
        code=line.code,
        label=Cell("KPI return", "A2", line.code),
        period=APRIL,
        fields={"value": Cell("KPI return", "C2", "1" * (MAX_NUMBER_CHARACTERS + 1))},
    )

    checked = check_entries(spec=spec, organisation=None, entries=[entry], file="returns.xlsx")

    assert checked.errors[0].message.endswith(
        f"it may have at most {MAX_NUMBER_CHARACTERS}: shorten it."
    )
    assert checked.errors[0].cell == "C2"


def _import(tmp_path, data: bytes, said: io.StringIO) -> None:
    path = tmp_path / "returns.xlsx"
    path.write_bytes(data)
    call_command("import_return", "kpis", str(path), "--user", "kpi.submitter", stdout=said)


def _nothing_stored() -> bool:
    return not (
        UploadedFile.objects.exists()
        or Return.objects.filter(period__gte="2025-04-01").exists()
        or list(Path(settings.UPLOAD_ROOT).rglob("*"))
    )


def test_an_uploaded_commentary_over_the_typed_limit_is_refused_naming_file_sheet_and_cell(
    demo, tmp_path
):
    said = io.StringIO()

    with pytest.raises(CommandError, match="nothing was stored"):
        _import(tmp_path, commentary_xlsx(prose(TEXT_MAX_CHARACTERS + 1), period=APRIL.iso), said)

    assert said.getvalue().startswith(
        "ERROR: returns.xlsx, sheet 'Data', cell D2 (PI1, 2025-04): The commentary of PI1 for "
        "April 2025 is 4,001 characters long"
    )
    assert _nothing_stored()


def test_an_uploaded_commentary_at_the_limit_is_stored_whole(demo, tmp_path):
    text = prose(TEXT_MAX_CHARACTERS)

    _import(tmp_path, commentary_xlsx(text, period=APRIL.iso), io.StringIO())

    version = Return.objects.get(domain="kpis", period=APRIL.first_day).current_version
    assert version.data["PI1"]["commentary"] == text
