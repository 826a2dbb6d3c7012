"""Comparator figures imported from a file or typed: checked cell by cell, previewed, kept."""

import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from opb_portal.accounts import roles
from opb_portal.accounts.models import Role, User
from opb_portal.comparators import selectors, services
from opb_portal.comparators.models import (
    Authority,
    ComparatorChange,
    ComparatorImport,
    ComparatorValue,
    PublishedAverage,
)
from opb_portal.spreadsheets import MAX_FILE_BYTES
from opb_portal.submissions.models import UploadedFile

HEADINGS = ["Code", "Authority", "Year", "Value", "Source"]
CIC = "children_in_care"


def workbook(*rows, headings=HEADINGS, title="Comparators", percent=()) -> bytes:
    """An .xlsx with a heading row and `rows`; cells named in `percent` formatted as 0.0%."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headings)
    for row in rows:
        sheet.append(list(row))
    for ref in percent:
        sheet[ref].number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def stored() -> dict:
    """Every comparator figure and published average as it stands, to prove nothing moved."""
    values = {
        (v.code, v.authority_id, v.year): (v.value, v.source, v.comparator_import_id)
        for v in ComparatorValue.objects.all()
    }
    averages = {
        (a.code, a.group_id, a.year): (a.value, a.source, a.comparator_import_id)
        for a in PublishedAverage.objects.all()
    }
    return {"values": values, "averages": averages}


@pytest.fixture
def administrator(demand, people):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def upload(client, name: str, data: bytes):
    return client.post(reverse("comparators:import"), {"file": SimpleUploadedFile(name, data)})


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url, client.get(response.url)


# --- every bad file, and nothing changes ----------------------------------------------------

BAD_FILES = [
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, 80], ["no_such_measure", "Coventry", 2024, 85]),
        "bad.xlsx, sheet 'Comparators', cell A3",
        "'no_such_measure' is not a demand measure, KPI or published statistic code",
        id="unknown-measure-code",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Atlantis", 2024, 80]),
        "bad.xlsx, sheet 'Comparators', cell B2",
        "'Atlantis' is not an authority the portal knows",
        id="unknown-authority",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2009, 80]),
        "bad.xlsx, sheet 'Comparators', cell C2",
        "2009 is out of range: expected a year from 2010 to",
        id="year-too-early",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2999, 80]),
        "bad.xlsx, sheet 'Comparators', cell C2",
        "2999 is out of range",
        id="year-in-the-future",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", "last year", 80]),
        "bad.xlsx, sheet 'Comparators', cell C2",
        "'last year' is not a year",
        id="year-not-a-year",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, "about 80"]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "'about 80' is not a number",
        id="value-not-a-number",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, None]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "No value: every row needs a code, an authority, a year and a value",
        id="value-missing",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, 80], [CIC, "birmingham", 2024, 81]),
        "bad.xlsx, sheet 'Comparators', cell A3",
        "children_in_care for Birmingham in 2024 is given twice (also at sheet 'Comparators', "
        "row 2): keep one row.",
        id="duplicate-row",
    ),
    pytest.param(
        "bad.xlsx",
        workbook(["re_referral_rate", "Birmingham", 2024, 120.5]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "120.5% is over 100: re_referral_rate is a percentage, from 0 to 100.",
        id="percentage-over-100",
    ),
    pytest.param(
        "bad.xlsx",
        workbook(["re_referral_rate", "Birmingham", 2024, 1.2], percent=["D2"]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "120% is over 100",
        id="percentage-over-100-in-a-percent-cell",
    ),
    pytest.param(
        "bad.xlsx",
        workbook(["PI2", "Birmingham", 2025, 101]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "101% is over 100: PI2 is a percentage",
        id="kpi-percentage-over-100-in-the-2024-framework",
    ),
    pytest.param(
        "bad.xlsx",
        workbook(["placed_residential", "Birmingham", 2024, -3]),
        "bad.xlsx, sheet 'Comparators', cell D2",
        "-3 is negative: placed_residential is a count, which cannot be below 0.",
        id="negative-count",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, 80, "x" * 201]),
        "bad.xlsx, sheet 'Comparators', cell E2",
        "The source is 201 characters long, over the 200 allowed",
        id="source-too-long",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, 2024, 80], headings=["Code", "Year", "Value"]),
        "bad.xlsx, sheet 'Comparators', cell A1",
        "The heading row has no Authority column",
        id="heading-missing",
    ),
    pytest.param(
        "bad.xlsx",
        workbook([CIC, "Birmingham", 2024, 80], headings=["Indicator", "Place", "When", "Amount"]),
        "bad.xlsx",
        "has no heading row naming Code, Authority, Year and Value",
        id="no-heading-row",
    ),
    pytest.param(
        "bad.xlsx",
        workbook(headings=HEADINGS),
        "bad.xlsx",
        "has headings but no figures under them",
        id="headings-only",
    ),
    pytest.param(
        "bad.xlsm",
        workbook([CIC, "Birmingham", 2024, 80]),
        "bad.xlsm",
        "is a macro-enabled workbook",
        id="macro-workbook-refused-by-the-intake",
    ),
    pytest.param(
        "bad.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "bad.xlsx",
        "is an old-style Excel file (.xls",
        id="old-excel-refused-by-the-intake",
    ),
    pytest.param(
        "bad.csv",
        csv_bytes(
            "Code,Authority,Year,Value\nchildren_in_care,Birmingham,2024,=cmd|' /C calc'!A0\n"
        ),
        "bad.csv, cell D2",
        "'=cmd|' /C calc'!A0' is not a number",
        id="csv-formula-is-text-not-a-number",
    ),
    pytest.param(
        "bad.csv",
        csv_bytes("Code,Authority,Year,Value\n=HYPERLINK(1),Birmingham,2024,80\n"),
        "bad.csv, cell A2",
        "'=HYPERLINK(1)' is not a demand measure, KPI or published statistic code",
        id="csv-formula-code",
    ),
    pytest.param(
        "bad.csv",
        # Windows-1252 (Excel's CSV on Windows) is read; a byte it does not define is not.
        csv_bytes("Code,Authority,Year,Value\nchildren_in_care,Sandwell,2024,80\n", "cp1252")
        + b"Caf\x81",
        "bad.csv",
        "is neither UTF-8 nor Windows-1252 text",
        id="csv-neither-utf8-nor-windows-1252",
    ),
    pytest.param(
        "bad.csv",
        # UTF-16 with its byte order mark (Excel's "Unicode Text") is read; without, it is not.
        "Code,Authority,Year,Value\n".encode("utf-16-le"),
        "bad.csv",
        "is not a plain text CSV",
        id="csv-utf16-without-a-byte-order-mark",
    ),
    pytest.param(
        "bad.csv",
        csv_bytes('Code,Authority,Year,Value\nchildren_in_care,"Birm"ingham,2024,80\n'),
        "bad.csv",
        "cannot be read as CSV (line 2",
        id="csv-bad-quotes",
    ),
    pytest.param(
        "bad.csv",
        b"Code,Authority,Year,Value\n" + b"x" * (MAX_FILE_BYTES + 1),
        "bad.csv",
        "over the 10 MB limit",
        id="csv-too-big",
    ),
    pytest.param("bad.csv", b"", "bad.csv", "is empty (0 bytes)", id="csv-empty"),
]


@pytest.mark.parametrize(("name", "data", "location", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_the_cell_and_nothing_changes(
    administrator, name, data, location, message
):
    before = stored()
    with pytest.raises(services.ComparatorError) as refused:
        services.comparator_import_apply(
            data=data, filename=name, user=administrator, fingerprint=""
        )
    found = [(p.location, p.message) for p in refused.value.problems]
    assert any(where == location and message in text for where, text in found), found
    assert stored() == before
    assert not ComparatorImport.objects.exists()
    assert not ComparatorChange.objects.exists()


def test_an_average_for_a_year_no_group_covers_is_refused(administrator, demand):
    selectors.NeighbourGroup.objects.filter(effective_to__isnull=True).update(
        effective_from="2026-06-01"
    )
    plan = services.comparator_import_preview(
        data=workbook([CIC, PublishedAverage.LABEL, 2026, 90]),
        filename="avg.xlsx",
        user=administrator,
    )
    assert [(p.cell, p.message[:48]) for p in plan.problems] == [
        ("B2", "No statistical neighbour group covers March 2026")
    ]


def test_every_problem_in_a_file_is_reported_at_once(administrator):
    plan = services.comparator_import_preview(
        data=workbook(
            ["nope", "Atlantis", 1999, "n/a"],
            [CIC, "Birmingham", 2024, 80],
            [CIC, "Coventry", None, -1],
        ),
        filename="many.xlsx",
        user=administrator,
    )
    assert [p.cell for p in plan.problems] == ["C2", "A2", "B2", "D2", "C4", "D4"]
    assert not plan.rows


def notes_then_table() -> bytes:
    """A notes sheet first, then a table under a title, with a column of remarks."""
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Children we care for, rates per 10,000, from the DfE tables"
    table = book.create_sheet("CLA 2024")
    table["A1"] = "Looked-after children at 31 March"
    table.append([])
    table.append(["Remarks", "Measure", "Local authority", "Year (at March)", "Figure"])
    table.append(["checked", "CHILDREN_IN_CARE", "Luton", "2023-24", "63"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param(
            "own.xlsx",
            notes_then_table(),
            [(CIC, "Luton", 2024, Decimal(63), "sheet 'CLA 2024', row 4")],
            id="own-table-below-a-title-beside-a-notes-sheet",
        ),
        pytest.param(
            "kpi.xlsx",
            workbook(["pi2", "Coventry", 2020, 120.4]),
            [("PI2", "Coventry", 2020, Decimal("120.4"), "sheet 'Comparators', row 2")],
            id="pi2-in-2020-is-the-2018-frameworks-rate-so-over-100-is-fine",
        ),
        pytest.param(
            "own.csv",
            csv_bytes("code,authority,year,value,note\nre_referral_rate,England,2024,21.5%,x\n"),
            [("re_referral_rate", "England", 2024, Decimal("21.5"), "row 2")],
            id="csv-lower-case-headings-and-a-percent-sign",
        ),
    ],
)
def test_these_files_are_read_as_their_author_meant(administrator, name, data, expected):
    plan = services.comparator_import_preview(data=data, filename=name, user=administrator)
    assert plan.problems == []
    assert [(p.row.code, p.row.name, p.row.year, p.row.value, p.row.where) for p in plan.rows] == (
        expected
    )


def test_the_upload_page_lists_the_problems_and_offers_them_as_a_workbook(admin_client):
    before = stored()
    sent = upload(admin_client, "bad.xlsx", workbook([CIC, "Atlantis", 2024, 80]))
    # Its check (done in-process) sends the administrator to the file's problems.
    assert sent.url.startswith("/comparators/problems/")
    response = admin_client.get(sent.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "bad.xlsx could not be used" in html
    assert "bad.xlsx, sheet &#x27;Comparators&#x27;, cell B2" in html
    assert "No comparator was changed." in html
    download = re.search(r'href="(/comparators/problems/[^"]+\.xlsx)"', html)[1]
    sheet = load_workbook(io.BytesIO(admin_client.get(download).content))["Problems"]
    assert sheet["D2"].value == "B2"
    assert "'Atlantis' is not an authority" in sheet["H2"].value
    assert stored() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(admin_client):
    response = upload(admin_client, "big.csv", b"x" * (MAX_FILE_BYTES + 1))
    assert response.status_code == 200
    assert "over the 10 MB limit" in response.content.decode()


# --- the happy path ----------------------------------------------------------------------------

GOOD_ROWS = [
    [CIC, "Birmingham", 2024, 80, "DfE CLA 2024"],  # was 79: changed
    [CIC, "Coventry", 2024, 84, None],  # as stored: unchanged (a blank source keeps it)
    [CIC, "E08000028", 2024, 93.0, "DfE CLA 2024"],  # Sandwell, by ONS code: added
    ["cp_plans", "england", "2023-24", "41.6", None],  # as stored, year as 2023-24: unchanged
    [CIC, PublishedAverage.LABEL, 2024, 95.3, "DfE CLA 2024"],  # was 95.2: changed
    ["re_referral_rate", "Birmingham", 2024, 0.213, None],  # a percent cell: added as 21.3
]


def good_file() -> bytes:
    return workbook(*GOOD_ROWS, percent=["D7"])


def test_the_preview_shows_what_will_be_added_changed_and_left(admin_client):
    before = stored()
    url, response = preview_of(admin_client, upload(admin_client, "cla.xlsx", good_file()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 to add, 2 to change, 2 unchanged." in html
    changed = re.search(r'data-state="changed">(.*?)</table>', html, re.S)[1]
    assert re.search(r"Birmingham</td><td>2024</td><td[^>]*>79</td><td[^>]*>80</td>", changed)
    assert "Statistical neighbour average (Statistical neighbours to May 2025)" in changed
    assert re.search(r"May 2025\)</td><td>2024</td><td[^>]*>95.2</td><td[^>]*>95.3</td>", changed)
    added = re.search(r'data-state="added">(.*?)</table>', html, re.S)[1]
    assert re.search(r"Sandwell</td><td>2024</td><td[^>]*>93</td>", added)
    assert re.search(r"Birmingham</td><td>2024</td><td[^>]*>21.3</td>", added)
    assert stored() == before  # a preview changes nothing


def test_confirming_applies_exactly_the_changes_and_keeps_the_old_values(
    admin_client, administrator, django_capture_on_commit_callbacks
):
    before = stored()
    data = good_file()
    url, preview = preview_of(admin_client, upload(admin_client, "cla.xlsx", data))
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', preview.content.decode())
    with django_capture_on_commit_callbacks(execute=True):  # the kept file's final name
        response = admin_client.post(url, {"decision": "confirm", "fingerprint": fingerprint[1]})
    record = ComparatorImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("comparators:detail", args=[record.pk])
    assert (record.added, record.changed, record.unchanged) == (2, 2, 2)
    assert (record.user, record.filename) == (administrator, "cla.xlsx")
    upload_kept = UploadedFile.objects.get()
    assert record.sha256 == upload_kept.sha256 == hashlib.sha256(data).hexdigest()
    assert upload_kept.path.read_bytes() == data

    after = stored()
    moved = {
        kind: {key for key in after[kind] if after[kind][key] != before[kind].get(key)}
        for kind in after
    }
    names = dict(Authority.objects.values_list("pk", "name"))
    assert sorted((c, names[a], y) for c, a, y in moved["values"]) == [
        (CIC, "Birmingham", 2024),
        (CIC, "Sandwell", 2024),
        ("re_referral_rate", "Birmingham", 2024),
    ]
    assert [(c, y) for c, _, y in moved["averages"]] == [(CIC, 2024)]
    assert ComparatorValue.objects.get(
        code="re_referral_rate", authority__name="Birmingham"
    ).value == Decimal("21.3")
    coventry = ComparatorValue.objects.get(code=CIC, authority__name="Coventry", year=2024)
    assert coventry.source == "Annual review 2024-25, section (f)"  # blank kept the source

    history = {
        (c.about.split(" (")[0], c.old_value, c.new_value, c.old_source, c.new_source)
        for c in record.changes.select_related("authority", "group")
    }
    assert history == {
        (
            "Birmingham",
            Decimal(79),
            Decimal(80),
            "Annual review 2024-25, section (f)",
            "DfE CLA 2024",
        ),
        ("Sandwell", None, Decimal("93.0"), "", "DfE CLA 2024"),
        ("Birmingham", None, Decimal("21.3"), "", ""),
        (
            PublishedAverage.LABEL,
            Decimal("95.2"),
            Decimal("95.3"),
            "Annual review 2024-25, section (f)",
            "DfE CLA 2024",
        ),
    }


def test_the_benchmark_average_recomputes_after_an_import(administrator):
    average = selectors.neighbour_average(CIC, 2024)
    assert average.mean == Decimal("95.2")
    data = workbook([CIC, "Luton", 2024, 72])  # was 62: ten more over ten members
    plan = services.comparator_import_preview(data=data, filename="l.xlsx", user=administrator)
    services.comparator_import_apply(
        data=data, filename="l.xlsx", user=administrator, fingerprint=plan.fingerprint
    )
    average = selectors.neighbour_average(CIC, 2024)
    assert (average.mean, average.used, average.difference) == (Decimal("96.2"), 10, Decimal("1.0"))


def test_a_csv_with_a_byte_order_mark_imports_like_a_workbook(administrator):
    data = "\ufeffCode,Authority,Year,Value,Source\r\nchildren_in_care,Luton,2024,63,\r\n".encode()
    plan = services.comparator_import_preview(data=data, filename="l.csv", user=administrator)
    assert plan.ok
    assert [(p.state, p.old_value, p.row.value) for p in plan.rows] == [
        ("changed", Decimal(62), Decimal(63))
    ]


def test_an_imported_csv_is_kept_as_a_csv_with_its_sha256(
    administrator, django_capture_on_commit_callbacks
):
    data = b"Code,Authority,Year,Value\r\nchildren_in_care,Luton,2024,63\r\n"
    plan = services.comparator_import_preview(data=data, filename="l.csv", user=administrator)
    with django_capture_on_commit_callbacks(execute=True):  # the kept file's final name
        record = services.comparator_import_apply(
            data=data, filename="l.csv", user=administrator, fingerprint=plan.fingerprint
        )
    kept = record.upload
    assert kept.stored_name.endswith(".csv")
    assert kept.path.read_bytes() == data
    assert kept.sha256 == hashlib.sha256(data).hexdigest()


def test_the_downloaded_figures_import_back_unchanged(admin_client, administrator):
    for fmt in ("xlsx", "csv"):
        response = admin_client.get(reverse("comparators:template", args=[fmt]))
        assert response.status_code == 200
        plan = services.comparator_import_preview(
            data=response.content, filename=f"comparators.{fmt}", user=administrator
        )
        assert plan.ok, plan.problems
        # Every figure and every published average (the KPIs' among them).
        stored = ComparatorValue.objects.count() + PublishedAverage.objects.count()
        assert len(plan.unchanged) == stored
        assert (plan.added, plan.changed) == ([], [])


def test_a_stale_preview_cannot_apply(admin_client, administrator):
    url, response = preview_of(admin_client, upload(admin_client, "cla.xlsx", good_file()))
    fingerprint = re.search(
        r'name="fingerprint" value="([0-9a-f]{64})"', response.content.decode()
    )[1]
    # Someone else changes Birmingham while the preview is open.
    services.comparator_save(
        user=administrator, code=CIC, authority="Birmingham", year="2024", value="78"
    )
    before = stored()
    response = admin_client.post(url, {"decision": "confirm", "fingerprint": fingerprint})
    assert response.status_code == 409
    assert "have changed since you checked it" in response.content.decode()
    assert stored() == before
    assert ComparatorImport.objects.count() == 1  # only the typed figure


def test_cancelling_discards_the_file_and_changes_nothing(admin_client):
    before = stored()
    url, _ = preview_of(admin_client, upload(admin_client, "cla.xlsx", good_file()))
    response = admin_client.post(url, {"decision": "cancel"})
    assert response.status_code == 302
    assert admin_client.get(url).status_code == 302  # no longer waiting
    assert stored() == before


def test_a_file_that_changes_nothing_cannot_be_confirmed(administrator):
    data = workbook([CIC, "Luton", 2024, 62])
    plan = services.comparator_import_preview(data=data, filename="s.xlsx", user=administrator)
    with pytest.raises(services.ComparatorError, match="Nothing to change"):
        services.comparator_import_apply(
            data=data, filename="s.xlsx", user=administrator, fingerprint=plan.fingerprint
        )


# --- typed entry -----------------------------------------------------------------------------


def test_a_typed_figure_replaces_the_stored_one_and_keeps_it_in_the_history(admin_client):
    response = admin_client.post(
        reverse("comparators:add"),
        {"code": CIC, "authority": "Luton", "year": "2024", "value": "64", "source": "DfE"},
    )
    record = ComparatorImport.objects.get()
    assert response.status_code == 302
    change = record.changes.get()
    assert (change.old_value, change.new_value, change.old_source) == (
        Decimal(62),
        Decimal(64),
        "Annual review 2024-25, section (f)",
    )
    assert record.source == ComparatorImport.Source.FORM
    page = admin_client.get(response.url).content.decode()
    assert re.search(r"Luton</td><td>2024</td><td[^>]*>62</td><td[^>]*>64</td>", page)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param({"year": "2009"}, "year", "2009 is out of range", id="year"),
        pytest.param({"value": "=1+1"}, "value", "'=1+1' is not a number", id="formula"),
        pytest.param({"value": "-2"}, "value", "-2 is negative", id="negative"),
        pytest.param(
            {"code": "re_referral_rate", "value": "101"}, "value", "101% is over 100", id="pct"
        ),
        pytest.param({"value": ""}, "value", "This field is required", id="no-value"),
    ],
)
def test_a_typed_figure_goes_through_the_files_checks(admin_client, fields, field, message):
    before = stored()
    data = {"code": CIC, "authority": "Luton", "year": "2024", "value": "64", **fields}
    response = admin_client.post(reverse("comparators:add"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in text for text in errors[field]), errors
    assert stored() == before


def test_a_typed_published_average_belongs_to_the_group_of_its_year(administrator):
    services.comparator_save(
        user=administrator,
        code="cp_plans",
        authority=PublishedAverage.LABEL,
        year="2024",
        value="50.3",
    )
    average = selectors.neighbour_average("cp_plans", 2024)
    assert average.published.value == Decimal("50.3")
    assert average.published.group.name == "Statistical neighbours to May 2025"


# --- who may -----------------------------------------------------------------------------------

PAGES = [
    "comparators:list",
    "comparators:import",
    "comparators:add",
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [*roles.values(), "none"])
def test_only_administrators_reach_the_comparator_pages(client, demand, people, name, role):
    client.force_login(people[role])
    response = client.get(reverse(name))
    assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403)


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_asked_to_sign_in_for_the_comparator_pages(client, demand, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [r for r in roles.values() if r != Role.ADMINISTRATOR])
def test_others_cannot_import_or_type_a_figure(client, demand, people, role):
    client.force_login(people[role])
    before = stored()
    assert upload(client, "cla.xlsx", good_file()).status_code == 403
    response = client.post(
        reverse("comparators:add"),
        {"code": CIC, "authority": "Luton", "year": "2024", "value": "64"},
    )
    assert response.status_code == 403
    with pytest.raises(services.ComparatorError, match="only administrators"):
        services.comparator_save(
            user=people[role], code=CIC, authority="Luton", year="2024", value="64"
        )
    assert stored() == before


def test_the_benchmark_page_links_to_the_import_for_administrators_only(client, demand, people):
    url = reverse("demand:benchmark", args=[CIC])
    client.force_login(people[Role.ADMINISTRATOR])
    assert 'id="comparators-link"' in client.get(url).content.decode()
    client.force_login(people[Role.BOARD_MEMBER])
    assert 'id="comparators-link"' not in client.get(url).content.decode()


def test_the_admin_lists_comparators_read_only_with_a_link_to_the_import(client, demand):
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/admin/comparators/comparatorvalue/").content.decode()
    assert reverse("comparators:import") in html
    assert client.get("/admin/comparators/comparatorvalue/add/").status_code == 403


# --- queries -----------------------------------------------------------------------------------


def test_the_comparator_list_runs_a_fixed_number_of_queries(
    admin_client, administrator, django_assert_num_queries
):
    for value in ("70", "71", "72"):
        services.comparator_save(
            user=administrator, code=CIC, authority="Luton", year="2024", value=value
        )
    # 5 queries: session, user, the request's savepoint, the latest imports with their
    # people, the stored figures counted by code and year (and the savepoint's release)
    with django_assert_num_queries(6):
        admin_client.get(reverse("comparators:list"))


def test_the_preview_runs_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    url, _ = preview_of(admin_client, upload(admin_client, "cla.xlsx", good_file()))
    # 13 queries: session, user, the request's savepoint, the staged file, demand measures,
    # KPIs with their frameworks, published statistics' codes, authorities, neighbour groups,
    # stored figures, published averages, the staged file's record of what this preview
    # showed, the savepoint's release
    with django_assert_num_queries(13):
        admin_client.get(url)


def test_an_import_record_detail_runs_a_fixed_number_of_queries(
    admin_client, administrator, django_assert_num_queries
):
    data = good_file()
    plan = services.comparator_import_preview(data=data, filename="c.xlsx", user=administrator)
    record = services.comparator_import_apply(
        data=data, filename="c.xlsx", user=administrator, fingerprint=plan.fingerprint
    )
    # 6 queries: session, user, savepoint, the import with its person, its changes with
    # their authorities and groups, the savepoint's release
    with django_assert_num_queries(6):
        admin_client.get(reverse("comparators:detail", args=[record.pk]))
