"""`load_demo_finance()`: the 2024-25 demonstration, safe to load again."""

from django.apps import apps

from finance.demo import load_demo_finance, month_data
from finance.models import FinanceFigure
from opb_portal.submissions.models import Return, ReturnEvent, ReturnVersion


def every_row() -> dict[str, list[dict]]:
    """Every row of every finance model, and of the returns, versions and events."""
    models = list(apps.get_app_config("finance").get_models())
    models += [Return, ReturnVersion, ReturnEvent]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def test_loading_the_finance_demo_a_second_time_changes_nothing(finance_demo):
    before = every_row()
    load_demo_finance()
    assert every_row() == before


def test_the_snapshot_covers_what_the_demo_loads(finance_demo):
    rows = every_row()
    assert len(rows["finance.FinanceYear"]) == 2  # 2024-25 and 2025-26
    assert len(rows["finance.FinanceFigure"]) == 19 * 12
    assert len(rows["finance.DriverFigure"]) == 14 * 12
    assert len(rows["finance.PublishedOutturn"]) == 2


def test_the_twelve_months_are_approved_returns_by_the_finance_submitter(finance_demo):
    returns = Return.objects.filter(domain="finance").select_related("approved_version__created_by")
    assert returns.count() == 12
    assert {(r.status, r.approved_version.created_by.username) for r in returns} == {
        ("approved", "finance.submitter")
    }
    approvals = ReturnEvent.objects.filter(ret__domain="finance", action="approved")
    assert {event.user.username for event in approvals} == {"reviewer"}


def test_the_figures_are_the_approved_versions_and_marked_illustrative(finance_demo):
    figure = FinanceFigure.objects.select_related("version", "line").get(
        line__code="PL-SA", period="2024-09-01"
    )
    assert figure.version.data["PL-SA"]["value"] == str(figure.forecast_outturn)
    assert figure.illustrative


def test_every_months_forecast_is_at_least_its_actual_to_date():
    for month in month_data().values():
        for code, fields in month.items():
            if "actual_to_date" in fields:
                assert int(fields["value"]) >= int(fields["actual_to_date"]), code
