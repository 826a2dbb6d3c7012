"""The audits and surveys' pages: who reaches each, what they show, their query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from governance.actions import services as action_services
from governance.audits import annual, services
from governance.models import Audit
from opb_portal.accounts import roles
from opb_portal.accounts.models import Role
from opb_portal.periods import FinancialYear

from .conftest import signed_in, trust_person

RECORDERS = {"kpi_submitter", "finance_submitter", "workforce_submitter", Role.ADMINISTRATOR}


@pytest.fixture
def audit(people):
    admin = people[Role.ADMINISTRATOR]
    audit = services.audit_record(
        user=admin,
        kind=Audit.Kind.PRACTICE_REVIEW,
        title="Practice Reviews",
        theme="The quality of practice",
        started=datetime.date(2024, 7, 1),
        finished=datetime.date(2025, 5, 31),
        sample="120 children's files",
        findings="Practice continues to improve.",
        strengths="Relationship-based practice.",
        development="Reflective supervision.",
    )
    for day, percent in [
        (datetime.date(2024, 11, 30), "88.5"),
        (datetime.date(2025, 5, 31), "97.1"),
    ]:
        services.audit_figure_record(
            audit=audit, user=admin, measure="Practice Review compliance", as_at=day,
            percent=Decimal(percent),
        )  # fmt: skip
    return audit


def _urls(audit) -> dict[str, str]:
    return {
        "list": "/governance/audits/",
        "detail": f"/governance/audits/{audit.pk}/",
        "create": "/governance/audits/new/",
        "edit": f"/governance/audits/{audit.pk}/edit/",
        "figure": f"/governance/audits/{audit.pk}/figures/new/",
    }


@pytest.mark.parametrize("role", [*roles.values(), "none"])
def test_every_role_reads_them_and_only_the_trusts_submitters_and_administrators_record(
    people, audit, role
):
    client = signed_in(people[role])
    urls = _urls(audit)
    reads = 200 if role != "none" else 403
    records = 200 if role in RECORDERS else 403
    assert {name: client.get(url).status_code for name, url in urls.items()} == {
        "list": reads,
        "detail": reads,
        "create": records,
        "edit": records,
        "figure": records,
    }


def test_a_visitor_is_sent_to_sign_in(client, audit):
    for url in _urls(audit).values():
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_list_shows_each_audit_with_its_latest_figure(people, audit):
    html = signed_in(people["board_member"]).get("/governance/audits/").content.decode()
    assert "<title>Audits and surveys" in html
    assert '<h1 class="h2">Audits and surveys</h1>' in html
    assert f'<a href="/governance/audits/{audit.pk}/">Practice Reviews</a>' in html
    assert "July 2024 to May 2025" in html
    assert "Practice Review compliance: 97.1% (May 2025)" in html
    assert "Record an audit or survey" not in html  # a board member reads only


def test_the_list_page_query_count_is_fixed(people, audit, django_assert_num_queries):
    client = signed_in(people["kpi_submitter"])
    # 6 queries: session, user, savepoint, the audits, their figures, release
    with django_assert_num_queries(6):
        client.get("/governance/audits/")
    services.audit_record(
        user=people[Role.ADMINISTRATOR], kind=Audit.Kind.SURVEY, title="Survey", theme="Voice",
        started=datetime.date(2024, 9, 1),
    )  # fmt: skip
    with django_assert_num_queries(6):
        client.get("/governance/audits/")


def test_an_audits_page_shows_its_findings_figures_chart_and_actions(
    people, audit, django_assert_num_queries
):
    owner = trust_person("kpi_submitter", first_name="Ada", last_name="Lovelace")
    action = action_services.action_raise(
        user=people[Role.REVIEWER], title="Targeted workshops", owner=owner,
        due=datetime.date(2025, 9, 30), subject=audit.subject_ref,
    )  # fmt: skip
    client = signed_in(people[Role.REVIEWER])
    # 7 queries: session, user, savepoint, the audit, its figures, the actions about it with
    # their owners, release
    with django_assert_num_queries(7):
        response = client.get(f"/governance/audits/{audit.pk}/")
    html = response.content.decode()
    assert (
        "<li>Practice Review compliance rose from 88.5% in November 2024 to 97.1% in May 2025.</li>"
        in html
    )
    assert "<td>Relationship-based practice.</td><td>Reflective supervision.</td>" in html
    assert "<svg" in html
    assert "Line chart of Practice Review compliance" in html
    assert '<th scope="row">Practice Review compliance</th><td>30 November 2024</td>' in html
    assert f'<a href="/governance/actions/{action.pk}/">A{action.pk}</a>' in html
    assert "Ada Lovelace" in html
    # A reviewer raises actions: the link fills in the audit as the subject.
    link = f"/governance/actions/new/?subject=audit%3A{audit.pk}"
    assert f'href="{link}">Raise an action about this audit' in html
    form = client.get(link).content.decode()
    assert (
        f'<option value="audit:{audit.pk}" selected>Practice Reviews (July 2024)</option>' in form
    )
    assert "Edit the audit" not in html  # a reviewer does not record audits


def test_an_action_can_be_raised_about_an_audit_and_is_described_by_it(people, audit):
    action = action_services.action_raise(
        user=people[Role.REVIEWER], title="Workshops", owner=trust_person("kpi_submitter"),
        due=datetime.date(2025, 9, 30), subject=f"audit:{audit.pk}",
    )  # fmt: skip
    html = signed_in(people["board_member"]).get(f"/governance/actions/{action.pk}/")
    assert f'<a href="/governance/audits/{audit.pk}/">Practice Reviews (July 2024)</a>' in (
        html.content.decode()
    )


def test_recording_an_audit_and_a_figure_through_the_pages(people):
    client = signed_in(people["kpi_submitter"])
    response = client.post(
        "/governance/audits/new/",
        {
            "kind": "survey",
            "title": "Feedback survey",
            "theme": "Children's voice",
            "started": "2024-09-01",
            "strengths": "Listened to.",
        },
    )
    audit = Audit.objects.get()
    assert response["Location"] == f"/governance/audits/{audit.pk}/"
    response = client.post(
        f"/governance/audits/{audit.pk}/figures/new/",
        {"measure": "Felt listened to", "as_at": "2025-02-28", "percent": "84.0"},
    )
    assert response["Location"] == f"/governance/audits/{audit.pk}/"
    assert audit.figures.get().percent == Decimal("84.0")
    response = client.post(
        f"/governance/audits/{audit.pk}/edit/",
        {"kind": "survey", "title": "Feedback survey", "theme": "Voice", "started": "2024-09-01",
         "finished": "2025-02-28"},
    )  # fmt: skip
    audit.refresh_from_db()
    assert (audit.theme, audit.finished) == ("Voice", datetime.date(2025, 2, 28))


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        pytest.param("new/", {"kind": "survey", "title": "S", "theme": "T", "started": "2025-03-01",
                              "finished": "2025-02-01"}, "An audit cannot finish before it starts.",
                     id="audit-ends-first"),
        pytest.param("new/", {"kind": "survey", "title": "", "theme": "T", "started": "2025-03-01"},
                     "This field is required.", id="audit-without-title"),
        pytest.param("{pk}/figures/new/", {"measure": "M", "as_at": "2025-02-01", "percent": "101"},
                     "Ensure this value is less than or equal to 100.", id="figure-over-100"),
        pytest.param("{pk}/figures/new/", {"measure": "M", "as_at": "2024-01-01", "percent": "50"},
                     "a figure it measured is dated on or after that", id="figure-before-start"),
    ],
)  # fmt: skip
def test_a_form_that_cannot_be_saved_says_why(people, audit, url, data, message):
    client = signed_in(people[Role.ADMINISTRATOR])
    response = client.post("/governance/audits/" + url.format(pk=audit.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Audit.objects.count() == 1
    assert audit.figures.count() == 2


def test_what_a_person_typed_about_an_audit_is_escaped_everywhere(people):
    typed = "<script>alert(1)</script>"
    audit = services.audit_record(
        user=people[Role.ADMINISTRATOR], kind=Audit.Kind.AUDIT, title=typed, theme=typed,
        started=datetime.date(2024, 7, 1), sample=typed, findings=typed, strengths=typed,
        development=typed,
    )  # fmt: skip
    services.audit_figure_record(
        audit=audit, user=people[Role.ADMINISTRATOR], measure=typed,
        as_at=datetime.date(2024, 8, 1), percent=Decimal(50),
    )  # fmt: skip
    client = signed_in(people["board_member"])
    pages = [
        client.get("/governance/audits/").content.decode(),
        client.get(f"/governance/audits/{audit.pk}/").content.decode(),
        render_to_string(
            "boardpack/governance/audits_annual.html", annual.annual(FinancialYear(2024))
        ),
    ]
    for html in pages:
        assert typed not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
