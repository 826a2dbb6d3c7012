"""Roles as data: the machinery's three, the submitters the domains register, one check."""

import pytest

from opb_portal.accounts import roles
from opb_portal.accounts.models import User
from opb_portal.accounts.permissions import Action, can


def person(role: str) -> User:
    # can() reads the person's row as it is: no database needed to ask it.
    return User(username="someone", role=role, is_active=True)


def test_the_submitter_roles_are_those_the_domains_registered_in_their_order():
    assert [(role.value, role.label) for role in roles.submitter_roles()] == [
        ("kpi_submitter", "Trust submitter: KPIs"),
        ("finance_submitter", "Trust submitter: finance"),
        ("workforce_submitter", "Trust submitter: workforce"),
    ]


@pytest.mark.parametrize(
    ("role", "domain", "may"),
    [
        pytest.param("kpi_submitter", "kpis", True, id="kpis-own-return"),
        pytest.param("kpi_submitter", "activity", True, id="kpis-sends-the-activity-return"),
        pytest.param("kpi_submitter", "finance", False, id="kpis-not-finance"),
        pytest.param("finance_submitter", "finance", True, id="finance-own-return"),
        pytest.param("finance_submitter", "activity", False, id="finance-not-activity"),
        pytest.param("workforce_submitter", "workforce", True, id="workforce-own-return"),
        pytest.param("workforce_submitter", "kpis", False, id="workforce-not-kpis"),
        pytest.param("reviewer", "kpis", False, id="a-reviewer-sends-nothing"),
    ],
)
def test_a_submitter_sends_only_the_returns_its_domain_registered(role, domain, may):
    assert can(person(role), Action.SUBMIT_RETURN, domain=domain) is may


def test_a_role_nobody_registered_holds_nothing():
    stranger = person("meetings_submitter")
    assert [action for action in Action if can(stranger, action)] == []
    assert roles.label("meetings_submitter") == "meetings_submitter"


def test_the_label_people_read_is_the_registered_one():
    assert roles.label("finance_submitter") == "Trust submitter: finance"
    assert roles.label("board_member") == "Board member"
    assert person("workforce_submitter").get_role_display() == "Trust submitter: workforce"


def test_a_role_value_too_long_to_store_is_refused_at_start_up():
    with pytest.raises(ValueError, match="1 to 30 characters"):
        roles.register_submitter(roles.SubmitterRole("x" * 31 + "_submitter", "Too long"))
