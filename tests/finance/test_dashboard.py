"""The finance dashboard (`/finance/?period=2025-03`) as the board and the council see it."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from finance.models import FinanceLine, FinanceYear, LineGroup
from opb_portal.accounts import roles
from opb_portal.accounts.models import User
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .builders import add_years_before

URL = "/finance/"


@pytest.fixture
def officer(client, finance_demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    return re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S).group(0)


def row(html: str, code: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*<strong>{code}</strong>.*?</tr>", html, re.S)[0]


def test_march_2025_headlines_are_the_published_outturn_in_millions(officer):
    html = page(officer, period="2025-03")
    assert "Finance: March 2025" in html
    headlines = dict(
        re.findall(r'data-headline="(\w+)".*?<p class="fs-3[^"]*"[^>]*>([^<]+)<', html, re.S)
    )
    assert headlines == {
        "forecast_deficit": "£8.79m",
        "forecast_cumulative_deficit": "£19.71m",
        "income_forecast": "£90.42m",
        "expenditure_forecast": "£99.21m",
        "variance_against_plan": "+£6.52m",
    }
    assert "forecast expenditure £99,205,745 − forecast income £90,417,630" in html
    assert "opening £10,919,317, forecast closing £19,707,432" in html


def test_every_headline_explains_how_it_is_worked_out(officer):
    html = page(officer, period="2025-03")
    headlines = section(html, "headlines-heading")
    assert headlines.count("How this is worked out") == 5
    assert "Opening cumulative deficit + forecast in-year deficit." in headlines
    # and the lines, drivers, driver model, next years, savings, outturns
    assert html.count("How this is worked out") == 11


def test_each_line_shows_budget_actual_forecast_variance_and_rag(officer):
    html = page(officer, period="2025-03")
    residential = row(section(html, "lines-heading"), "PL-RES")
    for text in ("£20,981,792", "£24,362,260", "+£3,380,468", "over budget", "rag-red"):
        assert text in residential
    # The rule is said once, above the table, not on each of the lines.
    assert "the larger of" not in residential
    lines = section(html, "lines-heading")
    assert lines.count("the larger of 2% of the line's budget and £100,000") == 1
    assert "How RAG is set." in lines
    home_office = row(html, "INC-HO")
    # Costed from its drivers: £1.4m above plan, as published, to the nearest £1,000.
    assert "+£1,400,312" in home_office
    assert "more than planned" in home_office
    assert "rag-green" in home_office


def test_groups_add_up_to_the_published_outturn(officer):
    html = section(page(officer, period="2025-03"), "lines-heading")
    totals = re.findall(
        r'class="subtotal[^"]*">\s*<td[^>]*><strong>(.*?) total</strong></td>\s*'
        r"<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>",
        html,
    )
    assert {name: forecast for name, _budget, _actual, forecast in totals} == {
        "Staffing": "£33,647,039",
        "Placements": "£57,798,488",
        "Overheads": "£7,760,218",
        "Expenditure": "£99,205,745",
        "Third-party income": "£9,617,630",
    }


def test_every_rag_status_is_a_word_a_colour_and_a_shape(officer):
    html = page(officer, period="2025-03")
    badges = re.findall(
        r'<span class="rag rag-(\w+)"><span class="rag-shape" aria-hidden="true">'
        r"</span>(\w+)</span>",
        html,
    )
    assert len(badges) >= 25
    assert all(colour.capitalize() == word for colour, word in badges)


def test_the_forecast_deficit_is_drawn_month_by_month_against_the_plan(officer):
    deficit = section(page(officer, period="2025-03"), "deficit-heading")
    assert "<svg" in deficit
    assert "Forecast in-year deficit, 2024-25" in deficit
    assert "Plan: £2.26m" in deficit
    months = re.findall(r"<tr><th scope=\"row\">(\w{3}-\d\d)</th><td>([^<]+)</td>", deficit)
    assert months[0] == ("Apr-24", "£4.27m")
    assert months[-1] == ("Mar-25", "£8.79m")
    assert len(months) == 12


def test_december_shows_only_the_months_to_december(officer):
    deficit = section(page(officer, period="2024-12"), "deficit-heading")
    months = re.findall(r"<tr><th scope=\"row\">(\w{3}-\d\d)</th>", deficit)
    assert months[-1] == "Dec-24"
    assert len(months) == 9


def test_the_drivers_are_compared_with_the_plan_and_costed(officer):
    drivers = section(page(officer, period="2024-12"), "drivers-heading")
    residential = row(drivers, "DRV-RES")
    assert re.search(r">62<.*>74<.*>\+12<", residential, re.S)
    assert "£6,508" in row(drivers, "DRV-RESCOST")
    assert "£6,701" in row(drivers, "DRV-RESCOST")
    # (74 − 62) × £6,701 × 90/7 weeks, and (£6,701 − £6,508) × 62 × 90/7 weeks
    assert "cost £1,187,718 from now to 31 March</strong> (12.9 weeks remaining)" in drivers
    assert "£1,033,869 for the 12 placements above the plan's 62" in drivers
    assert "(children − planned children) × average weekly cost × weeks remaining" in drivers


def test_the_savings_tracker_shows_target_delivered_and_forecast(officer):
    savings = section(page(officer, period="2025-03"), "savings-heading")
    total = re.search(r"All schemes.*?</tr>", savings, re.S)[0]
    assert re.findall(r"[−+]?£[\d,]+", total)[:4] == [
        "£3,400,000",
        "£2,900,000",
        "£2,900,000",
        "−£500,000",
    ]
    assert "rag-amber" in row(savings, "SAV-AGENCY")
    assert "<svg" in savings


def test_illustrative_budgets_are_marked_and_published_outturns_listed(officer):
    html = page(officer, period="2025-03")
    assert "Illustrative." in html
    assert "the Trust did not publish them" in html
    published = section(html, "published-heading")
    assert "2019-20" in published
    assert "£4,331,631" in published
    assert "£72,792,240" in published


def test_the_period_picker_offers_every_month_with_figures(officer):
    options = re.findall(r'<option value="(\d{4}-\d{2})"', page(officer, period="2025-03"))
    assert (options[0], options[-1], len(options)) == ("2025-03", "2024-04", 12)


def test_the_dashboard_defaults_to_the_latest_month_with_figures(officer):
    assert "Finance: March 2025" in page(officer)


@pytest.mark.parametrize("text", ["Mar-25", "March 2025", "2025-03"])
def test_a_month_written_any_accepted_way_is_understood(officer, text):
    assert "Finance: March 2025" in page(officer, period=text)


def test_an_unreadable_month_says_what_is_expected(officer):
    response = officer.get(URL, {"period": "2025-13"})
    assert response.status_code == 400
    assert "write it as 2025-03, Mar-25 or March 2025" in response.content.decode()


def test_a_planned_month_without_a_return_shows_the_plan_only(officer):
    html = page(officer, period="2025-04")
    assert "There is no approved finance return for April 2025" in html
    assert 'Planned in-year deficit</dt><dd class="col-sm-9">£11,982,370' in html


def test_a_month_without_a_plan_says_so(officer):
    assert "No finance plan is set up for 2026-27." in page(officer, period="2026-05")


def test_a_correction_under_review_leaves_the_approved_figures_in_place(officer):
    ret = Return.objects.get(domain="finance", period="2025-03-01")
    data = {code: dict(fields) for code, fields in ret.current_version.data.items()}
    data["OVERHEADS"]["value"] = "9000000"
    services.return_save(
        ret=ret,
        user=User.objects.get(username="finance.submitter"),
        data=data,
        base_version=1,
        reason="Overheads restated",
    )
    html = page(officer, period="2025-03")
    assert "£7,760,218" in row(html, "OVERHEADS")
    assert "the return is now <strong>draft</strong> (version 2)" in html


@pytest.mark.parametrize("role", roles.values())
def test_every_role_sees_the_dashboard(finance_demo, people, role):
    client = Client()
    client.force_login(people[role])
    assert client.get(URL, {"period": "2025-03"}).status_code == 200


def test_a_revoked_role_is_refused_and_a_visitor_sent_to_sign_in(finance_demo, people):
    client = Client()
    assert client.get(URL)["Location"] == "/accounts/login/?next=/finance/"
    client.force_login(people["none"])
    assert client.get(URL).status_code == 403


# 16 queries: session, user, savepoint of the request's transaction, the year's plan, its
# lines, its drivers, the month's return, its events with their people, the line figures of
# the year to date, the driver figures of the year to date, months with figures for the
# picker, the published outturns, for the next years (the driver model of the month reads
# the position's own figures) the drivers of the year to the month, next year's plan and
# its lines, release of the savepoint
DASHBOARD_QUERIES = 16
# Demand's projection of the placement types (one read of its figures: the child population
# and its measures' history), asked by the driver model for the months left in the year
# (none in March) and again by the next years.
PROJECTION_QUERIES = 2
MONTH_QUERIES = {
    "2024-04": DASHBOARD_QUERIES + 2 * PROJECTION_QUERIES,
    "2025-03": DASHBOARD_QUERIES + PROJECTION_QUERIES,
}


@pytest.mark.parametrize("period", ["2024-04", "2025-03"])
def test_the_dashboard_query_count_is_fixed(officer, period, django_assert_num_queries):
    with django_assert_num_queries(MONTH_QUERIES[period]):
        officer.get(URL, {"period": period})


def test_the_dashboard_query_count_does_not_grow_with_history(officer, django_assert_num_queries):
    add_years_before(2024, 3)  # 36 more months of figures, on three more plans
    with django_assert_num_queries(MONTH_QUERIES["2025-03"]):
        html = officer.get(URL, {"period": "2025-03"}).content.decode()
    assert "£8.79m" in html
    assert len(re.findall(r'<option value="', html)) == 12 + 36


def test_a_line_added_after_the_month_was_approved_is_named_and_left_out(officer):
    year = FinanceYear.objects.get(start_year=2024)
    FinanceLine.objects.create(
        year=year, code="INC-LA", name="Other local authorities", group=LineGroup.INCOME,
        budget=Decimal(250_000), order=99,
    )  # fmt: skip
    html = page(officer, period="2025-03")
    assert "1 line has no approved figure this month and is left out of the totals: INC-LA." in html
    assert "£8.79m" in html  # the deficit is the approved figures' own
