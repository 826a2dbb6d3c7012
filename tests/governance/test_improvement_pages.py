"""
The Improvement Plan's pages: everyone reads the plan and an action's page; the Trust's
submitters and administrators keep it. Every role at every page, read and written.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.improvement import services, subjects
from governance.models import Action as BoardAction
from governance.models import ImprovementPlan, ImprovementProgress
from opb_portal.accounts import roles
from opb_portal.accounts.models import Role

from ..factories import UserFactory
from .improvement_data import D, build_plan

MANAGERS = {"kpi_submitter", "finance_submitter", "workforce_submitter", Role.ADMINISTRATOR}


@pytest.fixture
def plan(people):
    return build_plan(people[Role.ADMINISTRATOR])


def _ids(plan):
    priority = plan.priorities.get(number=1)
    action = priority.actions.get(number=1)
    return {"plan": plan.pk, "priority": priority.pk, "action": action.pk}


READ = [
    pytest.param(lambda ids: reverse("governance:improvement"), id="latest-plan"),
    pytest.param(lambda ids: reverse("governance:improvement_year", args=["2024-25"]), id="year"),
    pytest.param(
        lambda ids: reverse("governance:improvement_action", args=[ids["action"]]), id="action"
    ),
]

# Each form's page, and what a valid post gives it.
WRITE = [
    pytest.param(
        lambda ids: reverse("governance:improvement_plan_create"),
        {"year": "2025-26", "title": "Next plan"},
        id="new-plan",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_plan_edit", args=[ids["plan"]]),
        {"title": "Renamed", "trust_board_signed_off": "2024-03-28"},
        id="edit-plan",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_priority_create", args=[ids["plan"]]),
        {"number": "3", "title": "Partnerships", "sponsor": "Director of Early Help"},
        id="new-priority",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_priority_edit", args=[ids["priority"]]),
        {"number": "1", "title": "People", "sponsor": "Director of HR"},
        id="edit-priority",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_action_create", args=[ids["priority"]]),
        {
            "number": "3",
            "title": "Run the check",
            "lead": "Head of OD",
            "milestone": "Reported",
            "due": "2025-03-31",
        },
        id="new-action",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_action_edit", args=[ids["action"]]),
        {
            "number": "1",
            "title": "Recruit",
            "lead": "Head of HR",
            "milestone": "Below 15%",
            "due": "2025-03-31",
        },
        id="edit-action",
    ),
    pytest.param(
        lambda ids: reverse("governance:improvement_progress", args=[ids["action"]]),
        {"as_at": "2025-04-30", "status": "done", "reason": "Below 15%."},
        id="progress",
    ),
]


@pytest.mark.parametrize("role", [*roles.values(), "none"])
@pytest.mark.parametrize("url", READ)
def test_every_role_reads_the_plan_and_a_revoked_one_is_refused(client, people, plan, role, url):
    client.force_login(people[role])
    response = client.get(url(_ids(plan)))
    assert response.status_code == (403 if role == "none" else 200)


@pytest.mark.parametrize("role", [*roles.values(), "none"])
@pytest.mark.parametrize(("url", "data"), WRITE)
def test_only_submitters_and_administrators_open_and_post_the_forms(
    client, people, plan, role, url, data
):
    client.force_login(people[role])
    address = url(_ids(plan))
    allowed = role in MANAGERS
    assert client.get(address).status_code == (200 if allowed else 403)
    response = client.post(address, data)
    assert response.status_code == (302 if allowed else 403), response.content.decode()[:2000]


def test_a_visitor_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("governance:improvement"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_plan_page_shows_priorities_actions_progress_and_sign_off(client, people, plan):
    client.force_login(people[Role.BOARD_MEMBER])
    text = client.get(reverse("governance:improvement")).content.decode()
    assert '<h1 class="h2">Improvement Plan 2024-25: Transformation Programme</h1>' in text
    assert "28 March 2024" in text
    assert "18 April 2024" in text
    assert "Priority 1 – People" in text
    assert "“A place where our people are proud”" in text
    assert "Sponsor: Director of People" in text
    # The latest progress: a badge with its word and the reason.
    assert '<span class="rag rag-amber">' in text
    assert "At risk</span>" in text
    assert "Agency share still 16%." in text
    assert '<span class="rag rag-done">' in text
    # Due in December 2024 and complete: not overdue; due in 2025 and not complete: overdue.
    assert text.count("Overdue") == 1
    assert "Add a priority" not in text


def test_a_manager_sees_the_buttons_that_keep_the_plan(client, people, plan):
    client.force_login(people[Role.ADMINISTRATOR])
    text = client.get(reverse("governance:improvement")).content.decode()
    assert "Add a priority" in text
    assert "Add an action to priority 2" in text


def test_a_year_without_a_plan_is_not_found_and_none_at_all_says_so(client, people):
    client.force_login(people[Role.BOARD_MEMBER])
    assert client.get(reverse("governance:improvement_year", args=["2019-20"])).status_code == 404
    text = client.get(reverse("governance:improvement")).content.decode()
    assert "No Improvement Plan is recorded yet." in text


def test_the_plan_page_query_count_is_fixed(client, people, plan, django_assert_num_queries):
    client.force_login(people[Role.BOARD_MEMBER])
    url = reverse("governance:improvement")
    # 8 queries: session, user, savepoint, every plan (for the years' links), the plan's
    # priorities, their actions, the actions' progress with who recorded it, release
    with django_assert_num_queries(8):
        client.get(url)
    priority = plan.priorities.get(number=2)
    admin = people[Role.ADMINISTRATOR]
    extra = services.action_create(
        priority=priority,
        user=admin,
        number=2,
        title="Another",
        lead="Someone",
        milestone="Done",
        due=D(2025, 3, 31),
    )
    services.progress_record(
        action=extra, user=admin, as_at=D(2025, 1, 1), status="green", reason="Fine."
    )
    build_plan(admin, start_year=2023)
    with django_assert_num_queries(8):
        client.get(url)


def test_recording_progress_through_the_page_keeps_the_earlier_updates(client, people, plan):
    admin = people[Role.ADMINISTRATOR]
    client.force_login(admin)
    action = plan.priorities.get(number=1).actions.get(number=1)
    response = client.post(
        reverse("governance:improvement_progress", args=[action.pk]),
        {"as_at": "2025-04-30", "status": "done", "reason": "Below 15% at last."},
    )
    assert response["Location"] == reverse("governance:improvement_action", args=[action.pk])
    assert list(action.progress.values_list("status", "recorded_by")) == [
        ("green", admin.pk),
        ("amber", admin.pk),
        ("done", admin.pk),
    ]
    text = client.get(response["Location"]).content.decode()
    assert text.index("Below 15% at last.") < text.index("Campaign launched.")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param({"reason": ""}, "This field is required.", id="no-reason"),
        pytest.param({"status": "purple"}, "Select a valid choice.", id="unknown-status"),
        pytest.param(
            {"as_at": "2025-01-01"}, "latest update is as at 31 March 2025", id="out-of-order"
        ),
    ],
)
def test_the_progress_form_says_what_is_wrong(client, people, plan, data, error):
    client.force_login(people[Role.ADMINISTRATOR])
    action = plan.priorities.get(number=1).actions.get(number=1)
    given = {"as_at": "2025-04-30", "status": "done", "reason": "Done."} | data
    response = client.post(reverse("governance:improvement_progress", args=[action.pk]), given)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert ImprovementProgress.objects.filter(action=action).count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param({"year": "2024-25"}, "already exists", id="a-second-plan-for-a-year"),
        pytest.param({"year": "2024"}, "write it as 2024-25", id="not-a-year"),
    ],
)
def test_the_plan_form_says_what_is_wrong(client, people, plan, data, error):
    client.force_login(people[Role.ADMINISTRATOR])
    response = client.post(
        reverse("governance:improvement_plan_create"), {"title": "Another"} | data
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert ImprovementPlan.objects.count() == 1


def test_the_board_raises_an_action_about_an_improvement_action_and_its_page_shows_it(
    client, people, plan
):
    action = plan.priorities.get(number=1).actions.get(number=1)
    ref = subjects.ref_of(action)
    reviewer = people[Role.REVIEWER]
    client.force_login(reviewer)
    form = client.get(reverse("governance:action_create") + f"?subject={ref}").content.decode()
    assert f'value="{ref}" selected' in form
    assert "Improvement Plan 2024-25: 1.1 Recruit social workers" in form
    owner = UserFactory(role=Role.BOARD_MEMBER, username="owner")
    board_action = BoardAction.objects.create(
        title="Report the agency share monthly",
        subject=ref,
        owner=owner,
        due=D(2025, 6, 30),
        raised_by=reviewer,
        raised_at=timezone.now(),
    )
    text = client.get(reverse("governance:improvement_action", args=[action.pk])).content.decode()
    assert f'href="{reverse("governance:action", args=[board_action.pk])}"' in text
    assert "Report the agency share monthly" in text
    assert "Raise an action about it" in text


def test_the_navigation_links_the_plan_for_everyone(client, people, plan):
    client.force_login(people["kpi_submitter"])
    text = client.get(reverse("governance:actions")).content.decode()
    assert f'href="{reverse("governance:improvement")}"' in text
