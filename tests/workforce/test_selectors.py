"""The reads the dashboard, the API, the board pack and the KPI return share."""

from decimal import Decimal

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.rag import Status
from opb_portal.submissions import services
from opb_portal.submissions.models import Return
from workforce.models import WorkforceRule
from workforce.selectors import (
    permanent_vacancy_rate,
    rules_until,
    workforce_history,
    workforce_position,
)

MARCH = Period(2025, 3)


def _correct_march(**values) -> None:
    ret = Return.objects.get(domain="workforce", period=MARCH.first_day)
    data = {code: dict(line) for code, line in ret.current_version.data.items()}
    for code, value in values.items():
        data[code]["value"] = value
    services.return_save(
        ret=ret,
        user=User.objects.get(username="workforce.submitter"),
        data=data,
        base_version=ret.current_version.number,
        reason="Recount",
    )


def test_the_permanent_vacancy_rate_is_to_two_places_as_pi12_is(workforce_demo):
    assert permanent_vacancy_rate(MARCH) == Decimal("23.94")


def test_the_permanent_vacancy_rate_follows_the_latest_version_approved_or_not(workforce_demo):
    _correct_march(ASYE="18.0")  # 114.24 + 18.0 permanent: (187 - 132.24) / 187
    assert permanent_vacancy_rate(MARCH) == Decimal("29.28")
    assert workforce_position(MARCH).month.published("PERM_VACANCY_RATE") == Decimal("23.9")


def test_a_draft_without_the_lines_it_needs_falls_back_to_the_approved_figures(workforce_demo):
    ret = services.return_for(
        organisation=User.objects.get(username="workforce.submitter").organisation,
        domain="workforce",
        period=Period(2025, 4),
    )
    services.return_save(
        ret=ret,
        user=User.objects.get(username="workforce.submitter"),
        data={"AI_CHILDREN": {"value": "1200", "commentary": ""}},
        base_version=None,
    )
    assert permanent_vacancy_rate(Period(2025, 4)) is None
    assert permanent_vacancy_rate(Period(2025, 2)) == Decimal("24.42")


def test_a_month_without_figures_has_no_rate(workforce_demo):
    assert permanent_vacancy_rate(Period(2030, 1)) is None


def test_a_rule_revised_from_a_month_rates_that_month_on(workforce_demo):
    WorkforceRule.objects.create(
        measure="asye_share",
        effective_from=Period(2025, 1).first_day,
        polarity="lower_is_better",
        green_upper=Decimal(15),
        red_above=Decimal(18),
    )
    history = workforce_history(MARCH, rules=rules_until(MARCH))
    statuses = {m.period.short: m.asye_status for m in history.months}
    # December 2024 at 20.7% keeps the old rule (amber); from January the new one applies.
    assert (statuses["Dec-24"], statuses["Jan-25"], statuses["Mar-25"]) == (
        Status.AMBER,
        Status.RED,
        Status.AMBER,
    )


def test_the_position_rates_the_shares_of_the_month(workforce_demo):
    position = workforce_position(MARCH)
    assert (position.asye_status, position.agency_status) == (Status.GREEN, Status.AMBER)
    assert position.figures["PCT_AGENCY"] == Decimal("20.7")
