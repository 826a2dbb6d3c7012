"""Inspections, visits, peer reviews and recommendations recorded by hand, and their pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import services
from inspections.demo import RECOMMENDATION_REFS, load_demo_inspections
from inspections.models import Grade, HandChange, Inspection, InspectionImport, Kind
from opb_portal.accounts import roles
from opb_portal.accounts.models import Role
from opb_portal.core import followups, subjects
from opb_portal.periods import Period

D = datetime.date
RECORDERS = {Role.REVIEWER, Role.ADMINISTRATOR}


@pytest.fixture
def sandwell(neighbours):
    return neighbours.authorities["Sandwell"]


@pytest.fixture
def fostering(sandwell, reviewer):
    return services.inspection_record(
        user=reviewer,
        authority=sandwell,
        kind=Kind.FOSTERING_AGENCY,
        start_date=D(2024, 10, 14),
        end_date=D(2024, 10, 18),
        overall=Grade.GOOD,
        report_url="https://reports.ofsted.gov.uk/provider/25/SC045101",
    )


@pytest.fixture
def imported_visit(sandwell, administrator):
    return Inspection.objects.create(
        authority=sandwell,
        kind=Kind.FOCUSED_VISIT,
        start_date=D(2024, 10, 30),
        end_date=D(2024, 10, 31),
        source=InspectionImport.objects.create(filename="mi.xlsx", user=administrator),
    )


# --- the services -------------------------------------------------------------------------------


def test_recording_an_inspection_keeps_who_and_when_and_the_change(fostering, reviewer):
    assert fostering.recorded_by == reviewer
    assert fostering.recorded_at is not None
    assert fostering.by_hand
    assert fostering.title == "Ofsted Fostering agency inspection"
    change = HandChange.objects.get(inspection=fostering)
    assert change.before is None
    assert change.after["overall"] == Grade.GOOD
    assert change.user == reviewer


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        pytest.param(
            {"kind": Kind.FOCUSED_VISIT, "overall": Grade.GOOD},
            "A focused visit gives no judgement.",
            id="a-visit-graded",
        ),
        pytest.param(
            {"kind": Kind.LGA_PEER_REVIEW, "overall": Grade.GOOD},
            "A lga peer review gives no judgement.",
            id="a-peer-review-graded",
        ),
        pytest.param(
            {"kind": Kind.ADOPTION_AGENCY, "overall": Grade.GOOD, "leaders": Grade.GOOD},
            "kept with its overall judgement only",
            id="an-agency-with-the-authoritys-sub-judgements",
        ),
        pytest.param(
            {"kind": Kind.ADOPTION_AGENCY, "end_date": D(2022, 11, 30)},
            "The inspection ends before it starts.",
            id="ends-before-it-starts",
        ),
        pytest.param(
            {"kind": Kind.ADOPTION_AGENCY, "published_on": D(2022, 11, 1)},
            "The report is published before the inspection starts.",
            id="published-before-it-starts",
        ),
    ],
)
def test_an_inspection_that_cannot_be_is_refused(sandwell, reviewer, changes, words):
    values = {"start_date": D(2022, 12, 5), **changes}
    with pytest.raises(ValidationError) as refused:
        services.inspection_record(user=reviewer, authority=sandwell, **values)
    assert words in str(refused.value)
    assert not Inspection.objects.exists()
    assert not HandChange.objects.exists()


def test_the_same_inspection_twice_is_refused_naming_it(fostering, sandwell, reviewer):
    with pytest.raises(services.InspectionError, match="already has a fostering agency"):
        services.inspection_record(
            user=reviewer,
            authority=sandwell,
            kind=Kind.FOSTERING_AGENCY,
            start_date=D(2024, 10, 14),
        )


@pytest.mark.parametrize("role", sorted(set(roles.values()) - RECORDERS))
def test_only_reviewers_and_administrators_record(people, sandwell, fostering, role):
    with pytest.raises(services.InspectionError, match="reviewers and administrators"):
        services.inspection_record(
            user=people[role],
            authority=sandwell,
            kind=Kind.LGA_PEER_REVIEW,
            start_date=D(2024, 1, 1),
        )
    with pytest.raises(services.InspectionError, match="reviewers and administrators"):
        services.recommendation_add(inspection=fostering, user=people[role], number=1, text="x")


def test_correcting_a_hand_recorded_inspection_keeps_what_it_said(fostering, administrator):
    services.inspection_edit(
        inspection=fostering,
        user=administrator,
        end_date=D(2024, 10, 18),
        month_only=False,
        published_on=D(2024, 11, 20),
        note="",
        report_url="",
        overall=Grade.GOOD,
    )
    change = HandChange.objects.filter(inspection=fostering).last()
    assert change.before["published_on"] == ""
    assert change.after["published_on"] == "2024-11-20"
    assert change.before["report_url"]
    assert not change.after["report_url"]
    assert change.user == administrator


def test_an_imported_inspection_is_never_corrected_by_hand(imported_visit, reviewer):
    with pytest.raises(services.InspectionError, match="as Ofsted's management information"):
        services.inspection_edit(
            inspection=imported_visit,
            user=reviewer,
            end_date=None,
            month_only=False,
            published_on=None,
            note="Front door",
            report_url="",
        )


def test_a_recommendation_on_an_imported_visit_is_kept_with_its_stable_reference(
    imported_visit, reviewer
):
    added = services.recommendation_add(
        inspection=imported_visit,
        user=reviewer,
        number=1,
        text="The regularity and quality of supervision of social workers.",
    )
    assert added.subject_ref == "recommendation:focused_visit/2024-10-30/1"
    assert HandChange.objects.get(recommendation=added).after["number"] == "1"


@pytest.mark.parametrize(
    ("number", "text", "words"),
    [
        pytest.param(1, "Again.", "already has a recommendation 1", id="a-number-taken"),
        pytest.param(0, "Zero.", "Number the recommendations from 1.", id="number-zero"),
        pytest.param(2, "", "This field cannot be blank.", id="no-text"),
    ],
)
def test_a_recommendation_that_cannot_be_is_refused(fostering, reviewer, number, text, words):
    services.recommendation_add(inspection=fostering, user=reviewer, number=1, text="First.")
    with pytest.raises((services.InspectionError, ValidationError)) as refused:
        services.recommendation_add(inspection=fostering, user=reviewer, number=number, text=text)
    assert words in str(refused.value)
    assert fostering.recommendations.count() == 1


def test_editing_a_recommendation_keeps_its_number_and_what_it_said(fostering, reviewer):
    added = services.recommendation_add(inspection=fostering, user=reviewer, number=3, text="Old.")
    services.recommendation_edit(recommendation=added, user=reviewer, text="New.", area="Leaders")
    added.refresh_from_db()
    assert (added.number, added.text, added.area) == (3, "New.", "Leaders")
    change = HandChange.objects.filter(recommendation=added).last()
    assert (change.before["text"], change.after["text"]) == ("Old.", "New.")
    with pytest.raises(services.InspectionError, match="Nothing to change"):
        services.recommendation_edit(
            recommendation=added, user=reviewer, text="New.", area="Leaders"
        )


# --- the actions log's subjects ------------------------------------------------------------------


def test_the_demonstrations_recommendations_are_subjects_the_actions_log_can_name(neighbours):
    load_demo_inspections()
    described = subjects.describe(RECOMMENDATION_REFS)
    assert len(RECOMMENDATION_REFS) == 17
    first = described["recommendation:fostering_agency/2024-10-14/1"]
    assert first.label == "Fostering agency inspection, 14 to 18 October 2024: recommendation 1"
    assert first.url.startswith("/inspections/")
    subjects.validate("recommendation:focused_visit/2025-04-15/4")
    offered = dict(subjects.choices(Period(2025, 3)))["Ofsted recommendation"]
    assert len(offered) == 17
    assert offered[0][0] == "recommendation:focused_visit/2025-04-15/1"


def test_an_unknown_recommendation_reference_is_shown_bare(neighbours):
    load_demo_inspections()
    described = subjects.describe(["recommendation:focused_visit/2030-01-01/1", "recommendation:x"])
    assert described["recommendation:x"].label == "recommendation:x"
    assert described["recommendation:focused_visit/2030-01-01/1"].url == ""


# --- the pages ------------------------------------------------------------------------------------


def _page(pk):
    return reverse("inspections:inspection", args=[pk])


def test_the_history_links_each_inspection_to_its_page(client, people, fostering):
    client.force_login(people["board_member"])
    text = client.get(reverse("inspections:history")).content.decode()
    assert f'href="{_page(fostering.pk)}"' in text
    assert reverse("inspections:record") not in text
    client.force_login(people["reviewer"])
    assert (
        reverse("inspections:record") in client.get(reverse("inspections:history")).content.decode()
    )


def test_an_inspections_page_shows_its_dates_judgement_report_and_recommendations_actions(
    client, people, fostering, reviewer, monkeypatch
):
    services.recommendation_add(inspection=fostering, user=reviewer, number=1, text="Stable <b>")
    services.recommendation_add(inspection=fostering, user=reviewer, number=2, text="Training.")
    action = followups.FollowUp(
        ref="recommendation:fostering_agency/2024-10-14/1",
        reference="A3",
        title="Appoint a registered manager",
        owner="Mo Owner",
        due=D(2025, 6, 30),
        status="Closed",
        overdue=False,
        url="/governance/actions/3/",
    )
    monkeypatch.setattr(followups, "_PROVIDER", [lambda refs: {action.ref: [action]}])
    client.force_login(people["board_member"])
    text = client.get(_page(fostering.pk)).content.decode()
    assert '<h1 class="h2">Ofsted Fostering agency inspection</h1>' in text
    assert "14 to 18 October 2024" in text
    assert "Overall effectiveness: <strong>Good</strong>" in text
    assert 'href="https://reports.ofsted.gov.uk/provider/25/SC045101"' in text
    assert f"Recorded by {reviewer}" in text
    # Person-written text is escaped.
    assert "Stable &lt;b&gt;" in text
    assert '<a href="/governance/actions/3/">A3</a> Appoint a registered manager' in text
    assert "<strong>Closed</strong>" in text
    assert "No action yet." in text
    # A board member reads; the forms' links are for reviewers and administrators.
    assert reverse("inspections:recommendation_add", args=[fostering.pk]) not in text


def test_an_imported_inspection_offers_recommendations_but_not_corrections(
    client, people, imported_visit
):
    client.force_login(people["reviewer"])
    text = client.get(_page(imported_visit.pk)).content.decode()
    assert reverse("inspections:recommendation_add", args=[imported_visit.pk]) in text
    assert reverse("inspections:edit", args=[imported_visit.pk]) not in text
    assert "change only with the next import" in text
    assert client.get(reverse("inspections:edit", args=[imported_visit.pk])).status_code == 403


@pytest.mark.parametrize("role", roles.values())
def test_every_role_reads_an_inspections_page(client, people, fostering, role):
    client.force_login(people[role])
    assert client.get(_page(fostering.pk)).status_code == 200


def _form_urls(fostering, reviewer):
    added = services.recommendation_add(inspection=fostering, user=reviewer, number=1, text="x")
    return [
        reverse("inspections:record"),
        reverse("inspections:edit", args=[fostering.pk]),
        reverse("inspections:recommendation_add", args=[fostering.pk]),
        reverse("inspections:recommendation_edit", args=[added.pk]),
    ]


@pytest.mark.parametrize("role", roles.values())
def test_only_reviewers_and_administrators_open_the_forms(client, people, fostering, role):
    client.force_login(people[role])
    expected = 200 if role in RECORDERS else 403
    for url in _form_urls(fostering, people[Role.REVIEWER]):
        assert client.get(url).status_code == expected, url


def test_visitors_are_sent_to_sign_in_and_a_revoked_role_is_refused(client, people, fostering):
    urls = [_page(fostering.pk), *_form_urls(fostering, people[Role.REVIEWER])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(people["none"])
    for url in urls:
        assert client.get(url).status_code == 403


def test_an_unknown_inspection_or_recommendation_is_not_found(client, people, neighbours):
    client.force_login(people["administrator"])
    assert client.get(_page(999999)).status_code == 404
    assert client.get(reverse("inspections:edit", args=[999999])).status_code == 404
    url = reverse("inspections:recommendation_edit", args=[999999])
    assert client.get(url).status_code == 404


def test_the_form_records_a_peer_review_and_opens_its_page(client, people, sandwell):
    client.force_login(people["reviewer"])
    response = client.post(
        reverse("inspections:record"),
        {
            "kind": Kind.LGA_PEER_REVIEW,
            "note": "Children We Care For and Care Experienced",
            "start_date": "2025-01-14",
            "end_date": "2025-01-17",
        },
    )
    review = Inspection.objects.get(kind=Kind.LGA_PEER_REVIEW)
    assert response.status_code == 302
    assert response.url == _page(review.pk)
    assert review.recorded_by == people["reviewer"]
    assert review.dates == "14 to 17 January 2025"


@pytest.mark.parametrize(
    ("posted", "words"),
    [
        pytest.param(
            {"kind": Kind.FOCUSED_VISIT, "start_date": ""}, "This field is required.", id="no-day"
        ),
        pytest.param(
            {"kind": Kind.FOCUSED_VISIT, "start_date": "2024-10-30", "end_date": "2024-10-01"},
            "The last day is before the first.",
            id="ends-first",
        ),
        pytest.param(
            {"kind": Kind.FOCUSED_VISIT, "start_date": "2024-10-30", "overall": "2"},
            "A focused visit gives no judgement.",
            id="a-graded-visit",
        ),
        pytest.param(
            {"kind": Kind.ILACS_FULL, "start_date": "2022-05-09", "report_url": "not a link"},
            "Enter a valid URL.",
            id="a-bad-link",
        ),
    ],
)
def test_the_form_says_what_is_wrong_and_records_nothing(client, people, sandwell, posted, words):
    client.force_login(people["administrator"])
    response = client.post(reverse("inspections:record"), posted)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_form_adds_a_recommendation_numbered_next(client, people, fostering):
    client.force_login(people["administrator"])
    url = reverse("inspections:recommendation_add", args=[fostering.pk])
    assert 'value="1"' in client.get(url).content.decode()
    response = client.post(url, {"number": "1", "text": "Stable management.", "area": ""})
    assert response.status_code == 302
    response = client.post(url, {"number": "1", "text": "Again.", "area": ""})
    assert response.status_code == 400
    assert "already has a recommendation 1" in response.content.decode()


def test_the_form_corrects_a_hand_recorded_inspection(client, people, fostering):
    client.force_login(people["reviewer"])
    url = reverse("inspections:edit", args=[fostering.pk])
    response = client.post(
        url, {"end_date": "2024-10-18", "overall": "2", "published_on": "2024-11-20"}
    )
    assert response.status_code == 302
    fostering.refresh_from_db()
    assert fostering.published_on == D(2024, 11, 20)
    assert fostering.report_url == ""


def test_an_inspections_page_runs_a_fixed_number_of_queries(
    client, people, fostering, reviewer, django_assert_num_queries
):
    for number in (1, 2, 3):
        services.recommendation_add(inspection=fostering, user=reviewer, number=number, text="x")
    client.force_login(people["board_member"])
    # 7 queries: session, user, the request's savepoint, the inspection with its authority,
    # recorder and import, its recommendations, the actions log's follow-ups of them all, the
    # savepoint's release
    with django_assert_num_queries(7):
        assert client.get(_page(fostering.pk)).status_code == 200


def test_an_action_of_the_log_about_a_recommendation_shows_on_its_page(
    client, people, fostering, reviewer
):
    from django.utils import timezone

    from governance.models import Action as LoggedAction

    added = services.recommendation_add(inspection=fostering, user=reviewer, number=1, text="x")
    logged = LoggedAction(
        title="Appoint a registered manager",
        subject=added.subject_ref,
        owner=people[Role.ADMINISTRATOR],
        due=D(2025, 6, 30),
        raised_by=reviewer,
        raised_at=timezone.now(),
    )
    logged.full_clean()
    logged.save()
    client.force_login(people["board_member"])
    text = client.get(_page(fostering.pk)).content.decode()
    assert f"{logged.reference}</a> Appoint a registered manager" in text
    assert "<strong>Open</strong>" in text
