"""
Rules tested in their narrow forms as well as their wide ones: a rule that holds
for one person is tested with two, so "whoever typed it may approve" cannot pass.
"""

import pytest

from opb_portal.accounts.models import Role
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnEvent

from ..factories import UserFactory
from .test_return_workflow import APRIL, full_return


@pytest.fixture
def trust(demo):
    from opb_portal.accounts.models import Organisation

    return Organisation.objects.get(kind=Organisation.Kind.TRUST)


@pytest.fixture
def april(trust):
    return services.return_for(organisation=trust, domain="kpis", period=APRIL)


def _submitter(trust, name):
    return UserFactory(role="kpi_submitter", organisation=trust, username=name)


def _made_reviewer(user):
    user.role = Role.REVIEWER
    user.save(update_fields=["role"])
    return user


@pytest.mark.parametrize(
    ("who_approves", "allowed"),
    [
        pytest.param("typed-version-1", False, id="typed-only-an-earlier-version"),
        pytest.param("typed-version-2", False, id="typed-the-version-submitted-not-submitting"),
        pytest.param("submitted", False, id="submitted-without-typing"),
        pytest.param("third-person", True, id="took-no-part"),
    ],
)
def test_nobody_who_prepared_or_submitted_a_return_approves_it(april, trust, who_approves, allowed):
    people = {name: _submitter(trust, name) for name in ("typed-version-1", "typed-version-2")}
    people["submitted"] = _submitter(trust, "submitted")
    people["third-person"] = UserFactory(role=Role.REVIEWER, username="third-person")
    services.return_save(
        ret=april, user=people["typed-version-1"], data=full_return(), base_version=None
    )
    services.return_save(
        ret=april,
        user=people["typed-version-2"],
        data=full_return(PI1={"value": "90.0"}),
        base_version=1,
    )
    services.return_submit(ret=april, user=people["submitted"])
    approver = people[who_approves]
    if approver.role != Role.REVIEWER:
        _made_reviewer(approver)
    if allowed:
        services.return_approve(ret=april, user=approver)
    else:
        with pytest.raises(services.ReturnError, match="you prepared or submitted"):
            services.return_approve(ret=april, user=approver)
    april.refresh_from_db()
    assert (april.status == Return.Status.APPROVED) is allowed


def test_a_return_cannot_be_submitted_in_a_locked_month_and_nothing_changes(april, trust, demo):
    from opb_portal.accounts.models import User

    submitter = _submitter(trust, "priya")
    services.return_save(ret=april, user=submitter, data=full_return(), base_version=None)
    services.period_lock(period=APRIL, user=User.objects.get(username="admin"), reason="OPB met")
    events = ReturnEvent.objects.count()
    with pytest.raises(services.ReturnError, match="April 2025 is locked"):
        services.return_submit(ret=april, user=submitter)
    april.refresh_from_db()
    assert april.status == Return.Status.DRAFT
    assert ReturnEvent.objects.count() == events
