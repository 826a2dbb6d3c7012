"""The workforce demonstration: the published table as approved returns, safe to load again."""

from decimal import Decimal

import pytest
from django.apps import apps

from opb_portal.outbox.models import OutgoingEmail
from opb_portal.periods import Period
from opb_portal.reference.published import workforce_rows
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion
from workforce.demo import HISTORY_2019, load_demo_workforce
from workforce.models import CaseloadFigure, WorkforceMonth
from workforce.selectors import workforce_position


def every_row() -> dict[str, list[dict]]:
    """Every workforce row, and every row of the workforce returns."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("workforce").get_models()
    }
    returns = Return.objects.filter(domain="workforce")
    rows["returns"] = list(returns.order_by("pk").values())
    rows["versions"] = list(ReturnVersion.objects.filter(ret__in=returns).order_by("pk").values())
    rows["events"] = list(ReturnEvent.objects.filter(ret__in=returns).order_by("pk").values())
    return rows


def test_loading_it_a_second_time_changes_nothing(workforce_demo):
    before = every_row()
    assert load_demo_workforce() == 13
    assert every_row() == before


def test_the_snapshot_covers_what_it_loads(workforce_demo):
    rows = every_row()
    assert {label: len(found) for label, found in rows.items()} == {
        "workforce.Service": 8,
        "workforce.CaseloadStandard": 5,
        "workforce.WorkforceRule": 3,
        "workforce.WorkforceMonth": 13,
        "workforce.CaseloadFigure": 13 * 3 + 12 * 5,
        "returns": 13,
        "versions": 13,
        "events": 13 * 3,
    }


def test_the_thirteen_months_are_returns_submitted_by_the_trust_and_approved(workforce_demo):
    returns = Return.objects.filter(domain="workforce").select_related("approved_version")
    assert sorted(Period.from_date(r.period) for r in returns) == Period(2025, 3).last_n(13)
    for ret in returns:
        events = list(ret.events.values_list("action", "user__username"))
        assert events == [
            ("saved", "workforce.submitter"),
            ("submitted", "workforce.submitter"),
            ("approved", "reviewer"),
        ]
        assert (ret.status, ret.approved_version.number) == ("approved", 1)
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("row", workforce_rows(), ids=lambda row: row["month"])
def test_the_approved_figures_are_the_published_table(workforce_demo, row):
    month = WorkforceMonth.objects.get(period=Period.parse(row["month"]).first_day)
    assert (
        str(month.establishment_fte),
        str(month.permanent_excl_asye_fte),
        str(month.asye_fte),
        str(month.agency_fte),
    ) == (
        row["establishment_fte"],
        row["permanent_excl_asye"],
        row["asye"],
        row["agency_social_workers"],
    )
    assert month.version.ret.domain == "workforce"


def test_caseloads_by_service_are_illustrative_and_say_so(workforce_demo):
    recent = CaseloadFigure.objects.filter(period__gte="2024-03-01")
    assert recent.count() == 13 * 3
    assert set(recent.values_list("illustrative", flat=True)) == {True}
    assert not CaseloadFigure.objects.filter(period__lt="2024-03-01", illustrative=True).exists()


def test_march_2025_caseloads_give_the_published_average_workload(workforce_demo):
    assert workforce_position(Period(2025, 3)).overall_caseload == Decimal("17.75")


# The 2019-20 review prints an average beside each month's cases and FTE; in two months
# the average printed does not follow from them (a misprint of one of the three).
MISPRINTS = {("SAAT", 7), ("CIC", 7)}
PUBLISHED_AVERAGES_2019 = {
    "SAAT": "24.90 25.20 28.80 31.00 27.03 23.70 28.04 32.20 30.44 33.42 37.73 30.08",
    "CMCWD": "19.9 19.2 19.7 19.9 19.4 18.5 17.9 18.1 17.9 17.9 18.9 18.1",
    "CIC": "18.98 19.1 19.28 19.40 18.24 18.40 18.89 19.61 19.35 19.12 19.12 19.42",
    "CL": "20.57 19.80 19.80 20.51 17.54 18.31 18.73 19.07 18.13 20.86 20.23 20.23",
    "FOST": "13.20 14.02 14.41 12.60 12.31 12.15 13.52 13.10 13.52 15.31 13.27 13.32",
}


def test_the_2019_20_history_gives_the_published_averages(workforce_demo):
    months = Period(2020, 3).last_n(12)
    for code, printed in PUBLISHED_AVERAGES_2019.items():
        for index, (month, average) in enumerate(zip(months, printed.split(), strict=True)):
            figure = CaseloadFigure.objects.get(service__code=code, period=month.first_day)
            if (code, index) in MISPRINTS:
                continue
            assert abs(figure.average - Decimal(average)) <= Decimal("0.1"), (code, month)
    assert len(HISTORY_2019) == 5
