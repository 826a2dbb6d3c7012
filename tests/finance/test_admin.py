"""A year's plan is administrator data, kept in the admin like the KPI frameworks."""

from decimal import Decimal

from finance.models import FinanceLine, FinanceYear, LineGroup
from finance.returns import spec
from opb_portal.accounts.models import User
from opb_portal.periods import Period


def test_the_administrator_edits_a_years_plan_with_its_lines_and_drivers(client, finance_demo):
    client.force_login(User.objects.get(username="admin"))
    year = FinanceYear.objects.get(start_year=2024)
    html = client.get(f"/admin/finance/financeyear/{year.pk}/change/").content.decode()
    assert "Variance tolerance percent" in html
    assert 'value="PL-RES"' in html
    assert "Average weekly residential cost" in html


def test_an_income_source_the_administrator_adds_is_a_line_of_the_return(finance_demo):
    year = FinanceYear.objects.get(start_year=2025)
    FinanceLine.objects.create(
        year=year, code="INC-LA", name="Other local authorities", group=LineGroup.INCOME,
        budget=Decimal(250_000), order=99,
    )  # fmt: skip
    lines = {line.code: line for line in spec.lines(Period(2025, 4))}
    assert lines["INC-LA"].title == "Other local authorities"
    assert lines["INC-LA"].required == ("actual_to_date", "value")
    assert spec.layout.measure_labels["other local authorities"] == "INC-LA"
    assert "INC-LA" not in {line.code for line in spec.lines(Period(2025, 3))}  # 2024-25's plan


def test_the_figures_can_be_read_in_the_admin_but_not_changed(client, finance_demo):
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/admin/finance/financefigure/").status_code == 200
    assert client.get("/admin/finance/financefigure/add/").status_code == 403
