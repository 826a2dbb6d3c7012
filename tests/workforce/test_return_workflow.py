"""
A workforce return's life through the shared services: saved, submitted, approved, corrected.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return, ReturnVersion
from workforce.models import CaseloadFigure, WorkforceMonth

from .workbooks import MARCH_2025

APRIL = Period(2025, 4)


def figures(**changes) -> dict:
    """April 2025 typed as March 2025 was, with some lines changed ({code: {field: text}})."""
    data = {code: {"value": value, "commentary": ""} for code, value in MARCH_2025.items()}
    for code, fields in changes.items():
        data[code] = {**data.get(code, {"value": "", "commentary": ""}), **fields}
    return data


@pytest.fixture
def people(workforce_demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def ret(people):
    return services.return_for(
        organisation=people["workforce.submitter"].organisation, domain="workforce", period=APRIL
    )


def _saved(ret, user, data=None, base=None, reason=""):
    return services.return_save(
        ret=ret, user=user, data=data or figures(), base_version=base, reason=reason
    )


@pytest.mark.parametrize(
    "username", ["kpi.submitter", "finance.submitter", "reviewer", "board", "admin"]
)
def test_only_workforce_submitters_save_workforce_returns(ret, people, username):
    with pytest.raises(services.ReturnError, match="role does not allow"):
        _saved(ret, people[username])
    assert not ReturnVersion.objects.filter(ret=ret).exists()


@pytest.mark.parametrize("username", ["kpi.submitter", "reviewer"])
def test_only_workforce_submitters_submit_workforce_returns(ret, people, username):
    _saved(ret, people["workforce.submitter"])
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.return_submit(ret=ret, user=people[username])


def test_the_workforce_submitter_cannot_save_a_kpi_return(people):
    kpi_return = Return.objects.get(domain="kpis", period="2025-03-01")
    with pytest.raises(services.ReturnError, match="role does not allow"):
        services.return_save(
            ret=kpi_return,
            user=people["workforce.submitter"],
            data={},
            base_version=kpi_return.current_version.number,
            reason="x",
        )


def test_approving_puts_the_figures_in_the_workforce_tables(ret, people):
    _saved(ret, people["workforce.submitter"])
    services.return_submit(ret=ret, user=people["workforce.submitter"])
    services.return_approve(ret=ret, user=people["reviewer"])
    ret.refresh_from_db()
    month = WorkforceMonth.objects.get(period=APRIL.first_day)
    assert (month.total_fte, month.version) == (Decimal("179.42"), ret.approved_version)
    caseloads = CaseloadFigure.objects.filter(period=APRIL.first_day).order_by("service__order")
    assert [(c.service.code, c.children, c.fte, c.illustrative) for c in caseloads] == [
        ("AI", 1270, Decimal("60.00"), False),
        ("CCP", 754, Decimal("48.00"), False),
        ("CWCF", 816, Decimal("52.00"), False),
    ]


def test_a_return_missing_a_services_fte_cannot_be_submitted(ret, people):
    data = figures()
    del data["CCP_FTE"]
    _saved(ret, people["workforce.submitter"], data)
    with pytest.raises(services.ReturnError) as refused:
        services.return_submit(ret=ret, user=people["workforce.submitter"])
    assert [p.measure for p in refused.value.problems] == ["CCP_FTE"]


def test_starters_leavers_and_sickness_are_optional(ret, people):
    _saved(ret, people["workforce.submitter"])
    services.return_submit(ret=ret, user=people["workforce.submitter"])
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED


def test_a_red_agency_share_needs_an_explanation_before_submitting(ret, people):
    submitter = people["workforce.submitter"]
    _saved(ret, submitter, figures(AGENCY={"value": "60"}))
    with pytest.raises(services.ReturnError, match="explanation") as refused:
        services.return_submit(ret=ret, user=submitter)
    assert {p.measure for p in refused.value.problems} == {"AGENCY"}
    services.return_submit(
        ret=ret, user=submitter, explanations={"AGENCY": "Two teams covered by agency staff."}
    )


def test_a_pi12_disagreement_needs_an_explanation_before_submitting(ret, people):
    from kpis.models import KpiDefinition, KpiValue

    pi12 = KpiDefinition.objects.get(framework__code="2024", code="PI12")
    KpiValue.objects.create(kpi=pi12, period=APRIL.first_day, value=Decimal("30.00"))
    _saved(ret, people["workforce.submitter"])
    with pytest.raises(services.ReturnError, match="explanation") as refused:
        services.return_submit(ret=ret, user=people["workforce.submitter"])
    assert [p.measure for p in refused.value.problems] == ["PERM_VACANCY_RATE"]


def test_a_correction_keeps_the_approved_figures_until_it_is_approved(people):
    march = Return.objects.get(domain="workforce", period="2025-03-01")
    data = {code: dict(line) for code, line in march.current_version.data.items()}
    data["AGENCY"]["value"] = "38.18"
    _saved(march, people["workforce.submitter"], data, base=1, reason="Agency recount")
    assert WorkforceMonth.objects.get(period="2025-03-01").agency_fte == Decimal("37.18")


# --- the typed form ------------------------------------------------------------------


def test_the_typed_form_saves_a_draft(client, people):
    client.force_login(people["workforce.submitter"])
    url = reverse("submissions:edit", args=["workforce", APRIL.iso])
    assert client.get(url).status_code == 200
    posted = {f"{code}-value": value for code, value in MARCH_2025.items()}
    response = client.post(url, posted)
    assert response.status_code == 302
    version = Return.objects.get(domain="workforce", period=APRIL.first_day).current_version
    # The shared cell reader keeps a figure's value, not its trailing zeros: 28.0 is kept as 28.
    assert {code: Decimal(line["value"]) for code, line in version.data.items()} == {
        code: Decimal(value) for code, value in MARCH_2025.items()
    }


def test_the_typed_form_shows_a_check_beside_its_line(client, people):
    client.force_login(people["workforce.submitter"])
    url = reverse("submissions:edit", args=["workforce", APRIL.iso])
    posted = {f"{code}-value": value for code, value in MARCH_2025.items()}
    response = client.post(url, posted | {"AI_CHILDREN-value": "1270.5"})
    assert response.status_code == 200
    assert (
        "Children held - Assessment and Intervention (AI_CHILDREN) is 1270.5: children are "
        "counted in whole numbers." in response.content.decode()
    )
    assert not Return.objects.filter(domain="workforce", period=APRIL.first_day).exists()
