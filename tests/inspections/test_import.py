"""Ofsted's management information imported as published: checked cell by cell, previewed, kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import imports, services
from inspections.models import Grade, Inspection, InspectionChange, InspectionImport, Kind
from opb_portal.comparators.models import Authority

from .conftest import HEADINGS, RI, csv_file, sandwell_row, visit_row, workbook

FILE = "ofsted-mi.xlsx"


def upload(client, name: str, data: bytes):
    return client.post(reverse("inspections:import"), {"file": SimpleUploadedFile(name, data)})


def stored() -> dict:
    """Every inspection as it stands, and the imports, to prove nothing moved."""
    return {
        "inspections": {i.key: i.fields() for i in Inspection.objects.all()},
        "imports": InspectionImport.objects.count(),
        "authorities": Authority.objects.count(),
    }


def imported(data: bytes, user, filename=FILE) -> InspectionImport:
    plan = services.inspections_import_preview(data=data, filename=filename, user=user)
    assert plan.ok, [p.message for p in plan.problems]
    return services.inspections_import_apply(
        data=data, filename=filename, user=user, fingerprint=plan.fingerprint
    )


# --- a good file -----------------------------------------------------------------------------


def test_a_good_file_is_previewed_by_authority_then_stored_on_confirm(admin_client):
    data = workbook(sandwell_row(), visit_row())
    response = upload(admin_client, FILE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = admin_client.get(response.url)
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "2 to add, 0 to change, 0 unchanged" in text
    assert "ILACS full inspection from 9 May 2022" in text
    assert "Overall effectiveness Requires improvement to be good" in text
    assert Inspection.objects.count() == 0  # nothing before the confirmation

    fingerprint = imports.plan_file(data, filename=FILE).fingerprint
    confirmed = admin_client.post(response.url, {"decision": "confirm", "fingerprint": fingerprint})
    assert confirmed.status_code == 302
    ilacs = Inspection.objects.get(kind=Kind.ILACS_FULL)
    assert (ilacs.authority.code, ilacs.start_date, ilacs.end_date) == (
        "E08000028",
        datetime.date(2022, 5, 9),
        datetime.date(2022, 5, 20),
    )
    assert ilacs.published_on == datetime.date(2022, 7, 12)
    assert [grade for _, grade in ilacs.judgements_given()] == [RI, RI, RI, "Good"]
    assert ilacs.report_url == "https://reports.ofsted.gov.uk/provider/44/80530"
    record = InspectionImport.objects.get()
    assert (record.added, record.changed, record.unchanged) == (2, 0, 0)
    assert ilacs.source == record
    assert record.upload.sha256 == record.sha256
    detail = admin_client.get(confirmed.url).content.decode()
    assert "Requires improvement to be good" in detail


def test_headings_are_read_as_ofsted_varied_them_without_case(administrator):
    # From 2023 children in care and care leavers are judged apart; the LA code column of
    # some releases holds the ONS code; grades as Ofsted's numbers.
    headings = [
        "LA NAME",
        "LA code",
        "inspection framework",
        "Start date",
        "End date",
        "Published",
        "OVERALL EFFECTIVENESS",
        "Impact of leaders",
        "Children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
    ]
    row = ["Sandwell", "E08000028", "Short", "2025-01-13", "2025-01-17", "2025-02-20"]
    row += [2, 2, 3, "Good", "Outstanding"]
    imported(workbook(row, headings=headings), administrator)
    short = Inspection.objects.get()
    assert short.kind == Kind.ILACS_SHORT
    assert (short.overall, short.help_and_protection, short.in_care, short.care_leavers) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.GOOD,
        Grade.OUTSTANDING,
    )


def test_a_csv_as_downloaded_is_read_like_the_workbook(administrator):
    record = imported(csv_file(sandwell_row(), visit_row()), administrator, filename="mi.csv")
    assert record.added == 2
    visit = Inspection.objects.get(kind=Kind.FOCUSED_VISIT)
    assert visit.judgements_given() == []


def test_an_unknown_ons_code_with_a_name_adds_the_authority(administrator):
    # Rutland is not in the register migration 0004 ships (Cumberland, say, is).
    data = workbook(visit_row(name="Rutland", code="E06000017", Region="East Midlands"))
    plan = services.inspections_import_preview(data=data, filename=FILE, user=administrator)
    assert [a.name for a in plan.new_authorities] == ["Rutland"]
    assert not Authority.objects.filter(code="E06000017").exists()
    services.inspections_import_apply(
        data=data, filename=FILE, user=administrator, fingerprint=plan.fingerprint
    )
    rutland = Authority.objects.get(code="E06000017")
    assert (rutland.name, rutland.region, rutland.kind) == (
        "Rutland",
        "East Midlands",
        Authority.Kind.LOCAL_AUTHORITY,
    )
    assert InspectionImport.objects.get().authorities_added == 1


def test_a_row_without_a_code_finds_its_authority_by_name(administrator):
    imported(workbook(visit_row(name="WALSALL", code="")), administrator)
    assert Inspection.objects.get().authority == Authority.objects.get(name="Walsall")


def test_an_unseen_code_is_a_new_authority_even_under_a_known_name(administrator):
    # Authorities are told apart by code, never by name (docs/decisions/0009: two Dorsets).
    data = workbook(visit_row(code="E08000099"))
    plan = services.inspections_import_preview(data=data, filename=FILE, user=administrator)
    assert [(a.name, a.code) for a in plan.new_authorities] == [("Sandwell", "E08000099")]


# --- a file with problems ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "cell", "words"),
    [
        pytest.param(
            [sandwell_row(**{"Overall effectiveness": "Requires improvment"})],
            "I3",
            "'Requires improvment' is not one of Ofsted's grades",
            id="an-unknown-grade",
        ),
        pytest.param(
            [sandwell_row(**{"Inspection type": "Inspection of fostering"})],
            "E3",
            "is not an inspection type",
            id="an-unknown-inspection-type",
        ),
        pytest.param(
            [sandwell_row(**{"Inspection start date": "the ninth of May"})],
            "F3",
            "is not a date",
            id="a-start-that-is-not-a-date",
        ),
        pytest.param(
            [sandwell_row(**{"Inspection end date": "01/05/2022"})],
            "G3",
            "ends (01/05/2022) before it starts (09/05/2022)",
            id="an-end-before-the-start",
        ),
        pytest.param(
            [sandwell_row(**{"Publication date": "01/01/2022"})],
            "H3",
            "published (01/01/2022) before the inspection starts",
            id="published-before-the-start",
        ),
        pytest.param(
            [visit_row(name="Sandwel", code="")],
            "A3",
            "'Sandwel' is not an authority the portal knows",
            id="an-unknown-authority-without-a-code",
        ),
        pytest.param(
            [visit_row(code="E08000028X")],
            "B3",
            "is not a local authority's ONS code",
            id="a-malformed-ons-code",
        ),
        pytest.param(
            [visit_row(**{"LA code": "33"})],
            "C3",
            "is not a DfE local authority code",
            id="a-malformed-la-code",
        ),
        pytest.param(
            [visit_row(**{"Overall effectiveness": "Good"})],
            "I3",
            "A focused visit gives no judgement",
            id="a-graded-visit",
        ),
        pytest.param(
            [visit_row(**{"Inspection type": ""})],
            "E3",
            "No inspection type",
            id="a-row-without-its-type",
        ),
        pytest.param(
            [visit_row(), visit_row()],
            "F4",
            "is given twice (also at sheet 'LA level data', row 3)",
            id="an-inspection-given-twice",
        ),
        pytest.param(
            [visit_row(**{"Web link": "javascript:alert(1)"})],
            "M3",
            "is not a web address",
            id="a-link-that-is-not-a-web-address",
        ),
        pytest.param(
            [
                visit_row(name="Rutland", code="E06000017"),
                visit_row(name="Leicestershire", code="E06000017", start="01/02/2025", end=""),
            ],
            "B4",
            "one code is one authority",
            id="one-new-code-with-two-names",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_its_file_sheet_and_cell(administrator, rows, cell, words):
    before = stored()
    plan = services.inspections_import_preview(
        data=workbook(*rows), filename=FILE, user=administrator
    )
    assert not plan.ok
    found = [(p.file, p.sheet, p.cell) for p in plan.problems if words in p.message]
    assert found == [(FILE, "LA level data", cell)], [p.message for p in plan.problems]
    assert stored() == before


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(
            workbook(visit_row(), headings=[h for h in HEADINGS if h != "Inspection start date"]),
            "has no Inspection start date column",
            id="no-start-date-column",
        ),
        pytest.param(workbook(), "has headings but no figures under them", id="headings-only"),
        pytest.param(b"not a spreadsheet at all", "", id="not-a-workbook"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_and_changes_nothing(admin_client, data, words):
    before = stored()
    sent = upload(admin_client, FILE, data)
    # Its check (done in-process) sends the administrator to the file's problems.
    assert sent.url.startswith("/inspections/problems/")
    response = admin_client.get(sent.url)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert "No inspection was changed" in response.content.decode()
    assert stored() == before


def test_a_csv_problem_names_the_file_and_the_cell(administrator):
    data = csv_file(sandwell_row(**{"Overall effectiveness": "Excellent"}))
    plan = services.inspections_import_preview(data=data, filename="mi.csv", user=administrator)
    assert [(p.file, p.cell) for p in plan.problems] == [("mi.csv", "I2")]


# --- again, and changed ------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(administrator):
    data = workbook(sandwell_row(), visit_row())
    imported(data, administrator)
    before = stored()
    plan = services.inspections_import_preview(data=data, filename=FILE, user=administrator)
    assert (len(plan.added), len(plan.changed), len(plan.unchanged)) == (0, 0, 2)
    with pytest.raises(services.InspectionError, match="Nothing to change"):
        services.inspections_import_apply(
            data=data, filename=FILE, user=administrator, fingerprint=plan.fingerprint
        )
    assert stored() == before


def test_a_later_release_changes_a_judgement_and_keeps_what_it_was(admin_client, administrator):
    imported(workbook(sandwell_row()), administrator)
    later = workbook(sandwell_row(**{"Overall effectiveness": "Good"}), visit_row())
    response = upload(admin_client, FILE, later)
    text = admin_client.get(response.url).content.decode()
    assert "1 to add, 1 to change, 0 unchanged" in text
    assert "Overall effectiveness: Requires improvement to be good → <strong>Good</strong>" in text
    imported(later, administrator)
    change = InspectionChange.objects.get(inspection__kind=Kind.ILACS_FULL, before__isnull=False)
    assert (change.before["overall"], change.after["overall"]) == (
        Grade.REQUIRES_IMPROVEMENT,
        Grade.GOOD,
    )
    assert Inspection.objects.get(kind=Kind.ILACS_FULL).overall == Grade.GOOD
    assert InspectionImport.objects.count() == 2


def test_a_stale_preview_is_refused_and_changes_nothing(admin_client, administrator):
    mine = workbook(sandwell_row(**{"Overall effectiveness": "Good"}))
    response = upload(admin_client, FILE, mine)
    seen = imports.plan_file(mine, filename=FILE).fingerprint
    # Meanwhile someone else imports the inspection.
    imported(workbook(sandwell_row()), administrator, filename="theirs.xlsx")
    before = stored()
    refused = admin_client.post(response.url, {"decision": "confirm", "fingerprint": seen})
    assert refused.status_code == 409
    assert "have changed since you checked it" in refused.content.decode()
    assert stored() == before


def test_only_an_administrator_may_import(people, neighbours):
    with pytest.raises(services.InspectionError, match="only administrators"):
        services.inspections_import_preview(
            data=workbook(visit_row()), filename=FILE, user=people["reviewer"]
        )


# --- what is recorded by hand ------------------------------------------------------------------


def test_an_import_never_touches_a_kind_it_does_not_carry_recorded_by_hand(administrator, reviewer):
    sandwell = Authority.objects.get(code="E08000028")
    fostering = services.inspection_record(
        user=reviewer,
        authority=sandwell,
        kind=Kind.FOSTERING_AGENCY,
        start_date=datetime.date(2024, 10, 14),
        end_date=datetime.date(2024, 10, 18),
        overall=Grade.GOOD,
    )
    review = services.inspection_record(
        user=reviewer,
        authority=sandwell,
        kind=Kind.LGA_PEER_REVIEW,
        start_date=datetime.date(2025, 1, 14),
        note="Children We Care For and Care Experienced",
    )
    kept = {i.pk: (i.hand_fields(), i.recorded_by_id, i.source_id) for i in (fostering, review)}
    record = imported(workbook(sandwell_row(), visit_row()), administrator)
    assert record.added == 2
    for inspection in Inspection.objects.filter(pk__in=kept):
        assert (inspection.hand_fields(), inspection.recorded_by_id, inspection.source_id) == (
            kept[inspection.pk]
        )
    assert not InspectionChange.objects.filter(inspection__in=kept).exists()


def test_an_import_becomes_the_source_of_a_visit_recorded_by_hand_and_keeps_its_recommendations(
    administrator, reviewer
):
    sandwell = Authority.objects.get(code="E08000028")
    visit = services.inspection_record(
        user=reviewer,
        authority=sandwell,
        kind=Kind.FOCUSED_VISIT,
        start_date=datetime.date(2024, 10, 30),
        note="Front door",
    )
    services.recommendation_add(inspection=visit, user=reviewer, number=1, text="Supervision.")
    record = imported(workbook(visit_row(**{"Publication date": "05/12/2024"})), administrator)
    visit.refresh_from_db()
    assert record.changed == 1
    assert visit.source == record
    assert not visit.by_hand
    assert visit.published_on == datetime.date(2024, 12, 5)
    # What the person recorded and who recorded it stay.
    assert visit.note == "Front door"
    assert visit.recorded_by == reviewer
    assert [r.text for r in visit.recommendations.all()] == ["Supervision."]
