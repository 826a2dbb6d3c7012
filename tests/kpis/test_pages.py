"""The scorecard, KPI and year summary pages as a council officer sees them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis import selectors
from kpis.models import KpiValue
from opb_portal.periods import Period

from .forecasts import outlook_queries


@pytest.fixture
def officer(client, demo, reviewer):
    client.force_login(reviewer)
    return client


def _counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_a_reviewer_sees_march_2025_with_10_green_and_5_amber(officer):
    response = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "KPI scorecard: March 2025" in html
    assert _counts(html) == {"green": 10, "amber": 5, "red": 0}


def test_the_scorecard_defaults_to_the_latest_month_with_figures(officer):
    html = officer.get(reverse("kpis:scorecard")).content.decode()
    assert "KPI scorecard: March 2025" in html


def test_every_rag_status_is_a_word_not_only_a_colour(officer):
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    badges = re.findall(r'<span class="rag rag-(\w+)">.*?</span>(\w+)</span>', html)
    assert len(badges) >= 15
    assert all(colour.capitalize() == word for colour, word in badges)


BAND = "Green ≥ 67.0% and ≤ 75.0%; Amber ≥ 62.0% and &lt; 67.0%, or &gt; 75.0%"


def test_each_row_shows_its_target_on_one_line_and_the_kpi_page_the_whole_rule(officer):
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    assert '<small class="text-nowrap">Target ≥ 67.0% and ≤ 75.0%</small>' in html
    assert BAND not in html
    detail = officer.get(reverse("kpis:detail", args=["2024", "PI9"])).content.decode()
    assert BAND in detail


def test_the_period_picker_offers_every_month_with_figures(officer):
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    options = re.findall(r'<option value="(\d{4}-\d{2})"', html)
    assert options[0] == "2025-03"
    assert options[-1] == "2024-04"
    assert len(options) == 12


@pytest.mark.parametrize("text", ["Mar-25", "March 2025", "2025-03"])
def test_the_scorecard_accepts_a_month_written_any_accepted_way(officer, text):
    html = officer.get(reverse("kpis:scorecard"), {"period": text}).content.decode()
    assert "KPI scorecard: March 2025" in html


def test_an_unreadable_month_says_what_is_expected(officer):
    response = officer.get(reverse("kpis:scorecard"), {"period": "2025-13"})
    assert response.status_code == 400
    assert "write it as 2025-03, Mar-25 or March 2025" in response.content.decode()


def test_generated_months_are_marked_illustrative_and_published_ones_are_not(officer):
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    assert "Illustrative" in html
    pi4_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*>PI4<(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert "40.7" in pi4_row
    assert "Illustrative" not in pi4_row


def test_contract_exceptions_are_listed_first(officer, demo):
    pi13 = KpiValue.objects.get(kpi__code="PI13", period="2025-03-01").kpi
    for month in Period(2024, 12).last_n(4):
        KpiValue.objects.filter(kpi=pi13, period=month.first_day).update(value=Decimal("60"))
    html = officer.get(reverse("kpis:scorecard"), {"period": "2024-12"}).content.decode()
    assert "PI13</strong> " in html.split("Contract exceptions")[1].split("</section>")[0]
    first_row = html.split("<tbody")[1].split("</tr>")[0]
    assert ">PI13<" in first_row


@pytest.mark.parametrize("period", ["2024-05", "2025-03"])
def test_the_scorecard_query_count_does_not_grow_with_history(
    officer, period, django_assert_num_queries
):
    month = Period.parse(period)
    ahead = outlook_queries(selectors.kpis_of(selectors.framework_in_force(month)), month)
    # 13 queries: session, user, savepoint of the request's transaction, the person's
    # organisation (the Trust's people also see unapproved figures), framework in force,
    # the month's return, its events with their people, KPIs, their rules, their comparators
    # (the comparator store's, one query), values for the last 24 months, months with figures
    # for the picker, release of the savepoint; and the KPIs' outlooks for the Outlook
    # column (kpis.outlook.outlooks: one query, whatever the number of KPIs)
    with django_assert_num_queries(13 + ahead):
        officer.get(reverse("kpis:scorecard"), {"period": period})


def test_the_kpi_page_draws_the_history_with_its_rag_zones(officer):
    response = officer.get(reverse("kpis:detail", args=["2024", "PI9"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert "Statistical neighbour average (published): 67.3" in html
    assert "Monthly figures" in html
    assert html.count("Mar-25") >= 2


def test_the_kpi_page_shows_numerators_and_denominators(officer):
    html = officer.get(reverse("kpis:detail", args=["2024", "PI7"])).content.decode()
    assert "816" in html
    assert "86,835" in html


def test_an_unknown_kpi_is_not_found(officer):
    assert officer.get(reverse("kpis:detail", args=["2024", "PI99"])).status_code == 404


def test_the_kpi_page_query_count_is_fixed(officer, django_assert_num_queries):
    # 10 queries: session, user, savepoint, the KPI with its framework, its rules, its
    # values (each with the return version it came from and that version's author, for the
    # commentary's who and when), the comparator store's figures and published averages
    # under its code (one query, kpi_comparators), its exception reports with their current
    # versions and its rectification plans with their progress (the "governance.about"
    # panel, 2 queries), its earlier forecasts for "How earlier forecasts did"
    # (selectors.forecast_record), release of the savepoint; and its outlook for "Looking
    # ahead" and the chart (kpis.outlook.outlooks: one query)
    kpi = selectors.kpi_for_page("2024", "PI1")
    ahead = outlook_queries([kpi], selectors.kpi_history(kpi).last_period)
    with django_assert_num_queries(11 + ahead):
        officer.get(reverse("kpis:detail", args=["2024", "PI1"]))


def test_the_year_summary_gives_a_sentence_per_kpi(officer):
    html = officer.get(reverse("kpis:year_summary", args=["2024-25"])).content.decode()
    assert "KPI year summary: 2024-25" in html
    assert (
        "below target but within tolerance for 10 months and outside tolerance for 1 month, "
        "ranging from 68.8% in October 2024" in html
    )


def test_the_year_summary_query_count_is_fixed(officer, django_assert_num_queries):
    # 9 queries: session, user, savepoint, framework in force, KPIs, their rules,
    # values for the year, the years with figures (for the links to the year before
    # and after), release of the savepoint
    with django_assert_num_queries(9):
        officer.get(reverse("kpis:year_summary", args=["2024-25"]))


def _correct_march_pi1(value: str) -> None:
    from opb_portal.accounts.models import User
    from opb_portal.submissions import services
    from opb_portal.submissions.models import Return

    ret = Return.objects.get(domain="kpis", period="2025-03-01")
    data = {code: dict(fields) for code, fields in ret.current_version.data.items()}
    data["PI1"]["value"] = value
    services.return_save(
        ret=ret,
        user=User.objects.get(username="kpi.submitter"),
        data=data,
        base_version=ret.current_version.number,
        reason="PI1 recounted",
    )


def test_the_trust_sees_its_unapproved_figures_marked_as_such(client, demo):
    from opb_portal.accounts.models import User

    _correct_march_pi1("84.2")
    client.force_login(User.objects.get(username="kpi.submitter"))
    html = client.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    assert "Not yet approved:</strong> 84.2%" in html
    assert "86.4%" in html  # the approved figure is still the one shown first
    assert "the return is now <strong>draft</strong> (version 2)" in html


def test_the_council_sees_only_approved_figures(officer):
    _correct_march_pi1("84.2")
    html = officer.get(reverse("kpis:scorecard"), {"period": "2025-03"}).content.decode()
    assert "Not yet approved" not in html
    assert "84.2" not in html


@pytest.mark.parametrize(
    ("year", "offered", "not_offered"),
    [
        # The demonstration has figures for 2024-25 alone.
        pytest.param(
            "2024-25", [], ["/kpis/years/2023-24/", "/kpis/years/2025-26/"], id="the-only-year"
        ),
        pytest.param(
            "2023-24", ["/kpis/years/2024-25/"], ["/kpis/years/2022-23/"], id="a-year-before-it"
        ),
    ],
)
def test_the_year_summary_links_only_to_years_with_figures(officer, year, offered, not_offered):
    body = officer.get(reverse("kpis:year_summary", args=[year])).content.decode()
    assert all(f'href="{url}"' in body for url in offered)
    assert not any(f'href="{url}"' in body for url in not_offered)


@pytest.mark.parametrize("year", ["1899-00", "1800-01", "2999-00"])
def test_a_year_off_the_calendar_is_not_found_rather_than_an_error(officer, year):
    assert officer.get(f"/kpis/years/{year}/").status_code == 404
