"""Saving scenarios: who may, and which changes a scenario may make (finance.scenarios.services)."""

from decimal import Decimal

import pytest

from finance.models import FinanceYear, Scenario, ScenarioChange
from finance.scenarios import services
from finance.scenarios.services import Measure, ScenarioError
from opb_portal.accounts.models import Role
from opb_portal.periods import Period

pytestmark = pytest.mark.usefixtures("demo_without_scenarios")


def change(measure=Measure.RESIDENTIAL_CHILDREN, value="79", month="2025-04", how="from"):
    return ScenarioChange(measure=measure, value=Decimal(value), month=Period.parse(month), how=how)


def year(start=2025) -> FinanceYear:
    return FinanceYear.objects.get(start_year=start)


def create(user, *changes, name="Residential stays at 79", start=2025):
    return services.scenario_create(
        year=year(start), name=name, description="", changes=list(changes), user=user
    )


@pytest.mark.parametrize(
    ("role", "may"),
    [
        pytest.param(Role.REVIEWER, True, id="council-reviewer-builds"),
        pytest.param(Role.ADMINISTRATOR, True, id="administrator-builds"),
        pytest.param(Role.BOARD_MEMBER, False, id="board-member-reads-only"),
        pytest.param("kpi_submitter", False, id="trust-submitter-reads-only"),
        pytest.param("none", False, id="revoked-role-nothing"),
    ],
)
def test_the_council_builds_scenarios_and_others_only_read_them(people, role, may):
    if may:
        saved = create(people[role], change())
        assert [(c.measure, c.value) for c in saved.changes.all()] == [
            ("residential_children", Decimal("79"))
        ]
    else:
        with pytest.raises(ScenarioError, match="does not allow building scenarios"):
            create(people[role], change())
        assert not Scenario.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param([], "at least one driver", id="no-change"),
        pytest.param(
            [change(month="2024-10")],
            r"Change 1, month: Choose a month from April 2025 to March 2028",
            id="before-the-year",
        ),
        pytest.param(
            [change(month="2028-04")],
            r"Change 1, month: Choose a month from April 2025 to March 2028",
            id="after-the-medium-term",
        ),
        pytest.param(
            [change(value="-1")], r"Change 1, value: A driver cannot be below zero", id="negative"
        ),
        pytest.param(
            [change(Measure.AGENCY_SHARE, value="100.5")],
            r"Change 1, value: A share is a percentage: 100 at most",
            id="share-over-100",
        ),
        pytest.param(
            [change(), change(value="80", month="2025-06")],
            r"Change 2: Children in residential placements is changed twice",
            id="one-change-a-driver",
        ),
        pytest.param(
            [change(Measure.CHILDREN_IN_CARE)],
            r"Change 1, measure: Choose one of the drivers the model uses",
            id="not-a-model-driver",
        ),
    ],
)
def test_it_refuses_a_change_naming_the_field(reviewer, changes, message):
    with pytest.raises(ScenarioError, match=message):
        create(reviewer, *changes)
    assert not Scenario.objects.exists()


def test_the_months_of_the_actuals_are_refused_in_the_year_they_fall_in(reviewer):
    # 2024-25's figures run to March 2025: its scenario changes April 2025 on (the medium term).
    with pytest.raises(
        ScenarioError,
        match=(
            "Change 1, month: Choose a month after March 2025: "
            "the figures to March 2025 are actuals"
        ),
    ):
        create(reviewer, change(month="2025-03"), start=2024)
    assert create(reviewer, change(month="2025-04"), start=2024).year.start_year == 2024


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param([change(month="2025-04")], id="the-first-month-after-the-actuals"),
        pytest.param([change(Measure.AGENCY_SHARE, "100", "2028-03", "by")], id="share-of-100"),
        pytest.param([change(Measure.SAVINGS_DELIVERED, "0", "2026-01")], id="nothing-delivered"),
    ],
)
def test_it_accepts_changes_at_the_edges(reviewer, changes):
    assert create(reviewer, *changes).changes.count() == 1


def test_an_edit_replaces_the_changes_and_keeps_the_year(reviewer):
    saved = create(reviewer, change(), change(Measure.RESIDENTIAL_WEEKLY_COST, "6900", "2025-10"))
    services.scenario_update(
        scenario=saved,
        name="Agency share falls",
        description="Asked by the council",
        changes=[change(Measure.AGENCY_SHARE, "12", "2026-03", "by")],
        user=reviewer,
    )
    saved.refresh_from_db()
    assert (saved.name, saved.year.start_year) == ("Agency share falls", 2025)
    assert [(c.measure, c.how, c.month) for c in saved.changes.all()] == [
        ("agency_share", "by", Period(2026, 3))
    ]


def test_a_refused_edit_changes_nothing(reviewer):
    saved = create(reviewer, change())
    with pytest.raises(ScenarioError):
        services.scenario_update(
            scenario=saved, name="Renamed", changes=[change(value="-5")], user=reviewer
        )
    saved.refresh_from_db()
    assert saved.name == "Residential stays at 79"
    assert saved.changes.get().value == Decimal("79")


def test_a_name_is_one_scenario_a_year(reviewer):
    create(reviewer, change())
    with pytest.raises(ScenarioError, match="already called “Residential stays at 79”"):
        create(reviewer, change())
    assert Scenario.objects.count() == 1


def test_a_board_member_cannot_delete_a_scenario(reviewer, people):
    saved = create(reviewer, change())
    with pytest.raises(ScenarioError):
        services.scenario_delete(scenario=saved, user=people[Role.BOARD_MEMBER])
    services.scenario_delete(scenario=saved, user=reviewer)
    assert not Scenario.objects.exists()
    assert not ScenarioChange.objects.exists()
