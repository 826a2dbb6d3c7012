"""The actions log as the provider of follow-ups: what was done about any record."""

from __future__ import annotations

import datetime

import pytest

from governance.actions import followups as provider
from governance.actions import services
from opb_portal.accounts.models import Role
from opb_portal.core import followups

from .conftest import council_person, trust_person

PI9, AGENCY, PI1 = "kpi:2024/PI9", "workforce:agency_share", "kpi:2024/PI1"
DAY = datetime.date(2025, 5, 20)


@pytest.fixture
def people(db):
    return {
        "owner": trust_person("workforce_submitter", first_name="Ada", last_name="Lovelace"),
        "raiser": council_person(Role.REVIEWER),
    }


def _raise(people, title, due, subject):
    return services.action_raise(
        user=people["raiser"], title=title, owner=people["owner"], due=due, subject=subject
    )


@pytest.fixture
def raised(people):
    """Two actions about PI9 and two about the agency share; none about PI1."""
    return {
        "pi9_late": _raise(people, "Review PI9's cases", datetime.date(2025, 5, 1), PI9),
        "pi9_soon": _raise(people, "Report PI9 to the board", datetime.date(2025, 6, 1), PI9),
        "agency_late": _raise(people, "Agency plan", datetime.date(2025, 4, 1), AGENCY),
        "agency_done": _raise(people, "Agency audit", datetime.date(2025, 3, 1), AGENCY),
    }


def test_it_gives_each_refs_actions_in_one_query(raised, people, django_assert_num_queries):
    services.action_close(
        action=raised["agency_done"], user=people["owner"], outcome="Audit reported in March."
    )
    # 1 query: the actions about the references, with their owners and meetings
    with django_assert_num_queries(1):
        found = provider.provide([PI9, AGENCY, PI1], day=DAY)
    assert set(found) == {PI9, AGENCY}  # PI1 has none: left out
    assert [f.reference for f in found[PI9]] == [
        raised["pi9_late"].reference,
        raised["pi9_soon"].reference,
    ]
    late, soon = found[PI9]
    assert (late.title, late.owner, late.due, late.status, late.overdue) == (
        "Review PI9's cases",
        "Ada Lovelace",
        datetime.date(2025, 5, 1),
        "Open",
        True,
    )
    assert (soon.status, soon.overdue, soon.ref) == ("Open", False, PI9)
    assert late.url == f"/governance/actions/{raised['pi9_late'].pk}/"
    agency = {f.title: f for f in found[AGENCY]}
    assert (agency["Agency audit"].status, agency["Agency audit"].overdue) == ("Closed", False)
    assert agency["Agency audit"].outcome == "Audit reported in March."
    assert agency["Agency plan"].overdue


def test_governance_registers_it_as_the_portals_one_provider(raised):
    found = followups.about([PI9, PI9, PI1])
    assert [f.title for f in found[PI9]] == ["Review PI9's cases", "Report PI9 to the board"]
    assert PI1 not in found


def test_no_references_need_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert followups.about([]) == {}
