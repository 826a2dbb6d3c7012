"""The reports pages: every role at every page, what the pages say, their query counts."""

import pytest
from django.test import Client

from opb_portal.accounts import roles
from opb_portal.accounts.models import Role
from opb_portal.reports import services
from opb_portal.reports.models import FinalReport, ReportText

READERS = {Role.REVIEWER, Role.BOARD_MEMBER, Role.ADMINISTRATOR}
DRAFTERS = {Role.REVIEWER, Role.ADMINISTRATOR}
ADMINS = {Role.ADMINISTRATOR}
EVERY_ROLE = [*roles.values(), "none"]


def _client(people, role) -> Client:
    client = Client()
    client.force_login(people[role])
    return client


def _pages(report, layout):
    # name, method, url, roles that get in (others: 403)
    return [
        ("list", "get", "/reports/", READERS),
        ("new", "get", "/reports/new/", DRAFTERS),
        ("report", "get", f"/reports/{report.pk}/", READERS),
        ("pdf", "get", f"/reports/{report.pk}.pdf", READERS),
        ("section", "get", f"/reports/{report.pk}/sections/2/", DRAFTERS),
        ("due", "get", "/reports/forward-plan/new/", DRAFTERS),
        ("layouts", "get", "/reports/layouts/", ADMINS),
        ("layout", "get", f"/reports/layouts/{layout.pk}/", ADMINS),
        ("layout-section", "get", f"/reports/layouts/{layout.pk}/sections/1/", ADMINS),
        ("layout-section-new", "get", f"/reports/layouts/{layout.pk}/sections/new/", ADMINS),
    ]


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_each_role_reaches_the_pages_its_role_allows(report, layout, people, role):
    client = _client(people, role)
    outcomes = {name: getattr(client, method)(url).status_code
                for name, method, url, _ in _pages(report, layout)}  # fmt: skip
    expected = {name: 200 if role in allowed else 403
                for name, _, _, allowed in _pages(report, layout)}  # fmt: skip
    assert outcomes == expected


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_drafters_make_a_report_final(
    report, people, role, django_capture_on_commit_callbacks
):
    # Making final is a job (reports/jobs.py): it runs in-process when the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(people, role).post(f"/reports/{report.pk}/final/")
    assert response.status_code == (302 if role in DRAFTERS else 403)
    assert FinalReport.objects.exists() == (role in DRAFTERS)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_the_administrator_reorders_a_layout(layout, people, role):
    response = _client(people, role).post(
        f"/reports/layouts/{layout.pk}/reorder/", {"position": 2, "move": "up"}
    )
    assert response.status_code == (302 if role in ADMINS else 403)
    first = layout.sections.get(position=1).heading
    assert first == ("2 Finance" if role in ADMINS else "1 Recommendations")


def test_a_visitor_is_sent_to_sign_in(report):
    response = Client().get(f"/reports/{report.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_report_page_shows_the_document_with_its_sources(report, people):
    page = _client(people, Role.BOARD_MEMBER).get(f"/reports/{report.pk}/").content.decode()
    assert "<title>" in page
    assert "Performance update, March 2025" in page
    assert "£80.8m" in page
    assert 'href="#note-1"' in page
    assert "Finance return for December 2024, approved version 1" in page
    assert '<th scope="col">Judgement</th>' in page.replace("\n", "")
    assert "Make final" not in page  # a board member reads; they do not draft


def test_person_text_is_escaped_on_the_page(report, people):
    services.report_text_save(
        report=report, position=1, body='<script>alert(1)</script> <b hx-get="/x">bold</b>',
        based_on=1, user=people[Role.REVIEWER],
    )  # fmt: skip
    page = _client(people, Role.REVIEWER).get(f"/reports/{report.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'hx-get="/x"' not in page


def test_a_missing_figure_is_written_and_warned_of(layout, people):
    layout.sections.filter(position=1).update(body="January: {finance.january_only}")
    report = services.report_create(
        layout=layout, meeting_date=__import__("datetime").date(2025, 3, 24), figures_at=None,
        title="", user=people[Role.REVIEWER],
    )  # fmt: skip
    page = _client(people, Role.REVIEWER).get(f"/reports/{report.pk}/").content.decode()
    assert "[not available at 31 December 2024: {finance.january_only}]" in page
    assert "Figures not available at 31 December 2024" in page


def test_saving_a_section_from_its_page_keeps_a_version(report, people):
    client = _client(people, Role.REVIEWER)
    response = client.post(
        f"/reports/{report.pk}/sections/1/", {"body": "New words.", "based_on": 1}
    )
    assert response.status_code == 302
    assert ReportText.objects.filter(report=report, position=1).count() == 2


def test_an_unknown_key_is_refused_on_the_section_page_with_the_nearest(report, people):
    response = _client(people, Role.REVIEWER).post(
        f"/reports/{report.pk}/sections/1/", {"body": "{finance.contract_sun}", "based_on": 1}
    )
    assert response.status_code == 400
    assert "{finance.contract_sum}" in response.content.decode()


def test_the_section_page_lists_the_facts_with_their_keys(report, people):
    page = _client(people, Role.REVIEWER).get(f"/reports/{report.pk}/sections/2/")
    assert "{finance.contract_sum}" in page.content.decode()
    assert "Cabinet approved the contract sum" in page.content.decode()


def test_making_a_report_new_from_its_page(layout, people):
    response = _client(people, Role.REVIEWER).post(
        "/reports/new/", {"layout": layout.pk, "meeting_date": "2025-03-24", "title": ""}
    )
    assert response.status_code == 302
    assert layout.reports.get().figures_at.isoformat() == "2024-12-31"


def test_the_list_page_query_count(report, people, django_assert_num_queries):
    client = _client(people, Role.REVIEWER)
    services.due_save(kind=report.kind, title="Due", due=report.meeting_date,
                      author=people[Role.REVIEWER], user=people[Role.REVIEWER])  # fmt: skip
    # 6 queries: session, user, savepoint, the forward plan with its authors, reports and
    # finals, the reports with their layouts and finals, release
    with django_assert_num_queries(6):
        response = client.get("/reports/")
    assert "Performance update, March 2025" in response.content.decode()


def test_the_report_page_query_count(report, people, django_assert_num_queries):
    client = _client(people, Role.REVIEWER)
    # 6 queries: session, user, savepoint, the report with its layout and final, each
    # section's latest version with its writer, release (the test's providers read nothing)
    with django_assert_num_queries(6):
        response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
