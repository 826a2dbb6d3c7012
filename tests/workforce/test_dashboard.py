"""The workforce dashboard as a council officer and the Trust's own people see it."""

import re

import pytest

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .helpers import DASHBOARD as URL
from .helpers import figure, tables_read


@pytest.fixture
def officer(client, workforce_demo):
    client.force_login(User.objects.get(username="reviewer"))
    return client


def page(client, period="2025-03") -> str:
    response = client.get(URL, {"period": period})
    assert response.status_code == 200
    return response.content.decode()


def caseload_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table[^>]*class="[^"]*caseloads.*?</table>', html, re.S)[0]
    rows = re.findall(r"<tr\b.*?</tr>", table.split("<tbody")[1], re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td\b.*?</td>", row, re.S)
        ]
        for row in rows
    ]


def test_march_2025_shows_the_published_position(officer):
    html = page(officer)
    assert "Social work workforce: March 2025" in html
    assert figure(html, "establishment_fte") == "187.00"
    assert figure(html, "total_fte") == "179.42"
    assert figure(html, "pct_agency") == "20.7%"
    assert figure(html, "permanent_vacancy_rate") == "23.9%"
    assert figure(html, "real_time_vacancy_rate") == "4.1%"
    assert "(44.76 permanent vacancies)" in html
    assert "(7.58 vacancies counting agency social workers as in post)" in html


def test_it_draws_four_charts_each_with_a_title(officer):
    html = page(officer)
    titles = re.findall(r'class="chart-wide"><svg\b.*?<title[^>]*>([^<]+)</title>', html, re.S)
    assert titles == [
        "Social workers in post by type (FTE) against the establishment",
        "Shares of total social workers (%)",
        "Vacancy rates (%)",
        "Average caseload by service against the caseload model",
    ]
    assert "Establishment 187 FTE" in html  # the reference line of the stacked bars


def test_caseloads_by_service_are_rated_against_the_model(officer):
    model = {"22": "22 ASYEs 20% fewer", "15": "15 ASYEs 20% fewer"}
    assert caseload_rows(page(officer)) == [
        ["Assessment and Intervention Illustrative", "1,270", "60.00", "21.17", model["22"],
         "21.31", "99.3%", "Green"],
        ["Court and Child Protection Illustrative", "754", "48.00", "15.71", model["15"],
         "14.53", "108.1%", "Amber"],
        ["Children we Care for Illustrative", "816", "52.00", "15.69", model["15"],
         "14.53", "108.0%", "Amber"],
    ]  # fmt: skip


def test_the_average_workload_is_the_published_17_75_and_marked_illustrative(officer):
    html = page(officer)
    assert figure(html, "overall_caseload") == "17.75"
    assert "Caseloads marked <em>Illustrative</em> are demonstration values" in html


@pytest.mark.parametrize(
    "formula",
    [
        "permanent social workers + agency social workers",
        "permanent excluding ASYE + ASYEs",
        "agency social workers ÷ total social workers × 100",
        "(establishment − permanent social workers) ÷ establishment × 100",
        "(establishment − total social workers) ÷ establishment × 100",
        "(187 − 142.24) ÷ 187 × 100 = 44.76 vacancies ÷ 187 × 100 = 23.9%",
        "Average caseload = children held ÷ case-holding FTE",
        "model × (1 − reduction × ASYE share of social workers, 15.6% in March 2025)",
    ],
)
def test_every_derived_figure_is_explained_by_its_formula(officer, formula):
    assert formula in page(officer)


def test_every_rag_status_is_a_word_not_only_a_colour(officer):
    badges = re.findall(r'<span class="rag rag-(\w+)">.*?</span>(\w+)</span>', page(officer))
    assert len(badges) >= 2 + 3 + 2 * 13
    assert all(colour.capitalize() == word for colour, word in badges)


def test_the_monthly_table_holds_every_published_month(officer):
    html = page(officer)
    table = re.search(r'class="[^"]*workforce-history.*?</table>', html, re.S)[0]
    assert re.findall(r"<td[^>]*>(\w{3}-\d{2})</td>", table) == [
        p.short for p in reversed(Period(2025, 3).last_n(13))
    ]


def test_the_period_picker_offers_every_month_with_figures(officer):
    options = re.findall(r'<option value="(\d{4}-\d{2})"', page(officer))
    assert options[:13] == [p.iso for p in reversed(Period(2025, 3).last_n(13))]
    assert options[13:] == [p.iso for p in reversed(Period(2020, 3).last_n(12))]


def test_it_defaults_to_the_latest_month(officer):
    assert "Social work workforce: March 2025" in officer.get(URL).content.decode()


def test_an_unreadable_month_says_what_is_expected(officer):
    response = officer.get(URL, {"period": "2025-13"})
    assert response.status_code == 400
    assert "write it as 2025-03, Mar-25 or March 2025" in response.content.decode()


def test_2019_20_shows_the_caseload_history_by_service(officer):
    html = page(officer, "2020-03")
    assert "No approved workforce figures for March 2020" in html
    rows = caseload_rows(html)
    assert [row[0] for row in rows] == [
        "Safeguarding and Assessment (SAAT)",
        "Care Management and Children with Disabilities",
        "Children in Care",
        "Care Leavers",
        "Fostering",
    ]
    assert rows[2][1:4] == ["631", "32.50", "19.42"]  # as the 2019-20 review publishes it
    assert rows[0][4] == "No model"


def test_the_trust_sees_that_its_correction_awaits_approval(client, workforce_demo):
    submitter = User.objects.get(username="workforce.submitter")
    march = Return.objects.get(domain="workforce", period="2025-03-01")
    data = {code: dict(line) for code, line in march.current_version.data.items()}
    data["AGENCY"]["value"] = "38.18"
    services.return_save(ret=march, user=submitter, data=data, base_version=1, reason="Recount")
    client.force_login(submitter)
    html = page(client)
    assert "the return is now <strong>draft</strong> (version 2)" in html
    assert figure(html, "total_fte") == "179.42"  # still the approved figures


@pytest.mark.parametrize(
    ("username", "status"),
    [("board", 200), ("kpi.submitter", 200), ("workforce.submitter", 200), ("admin", 200)],
)
def test_every_role_sees_the_dashboard(client, workforce_demo, username, status):
    client.force_login(User.objects.get(username=username))
    assert client.get(URL, {"period": "2025-03"}).status_code == status


def test_a_person_without_a_role_is_refused(client, workforce_demo):
    person = User.objects.get(username="board")
    person.role = ""
    person.save()
    client.force_login(person)
    assert client.get(URL).status_code == 403


# --- queries ------------------------------------------------------------------------


DASHBOARD_QUERIES = [
    "django_session",
    "accounts_user",
    "SAVEPOINT",
    "workforce_workforcerule",
    "workforce_workforcemonth",
    "workforce_caseloadfigure",
    "workforce_service",
    "workforce_caseloadstandard",
    "submissions_return",
    "submissions_returnevent",
    "workforce_workforcemonth",
    "workforce_workforcemonth",
    "RELEASE",
]


def test_the_dashboard_takes_a_fixed_number_of_queries(officer, django_assert_num_queries):
    # 13 queries: session, user, savepoint, the rules in force, the month, its caseloads
    # with their services, the services running then, their caseload models, the month's
    # return, its events with their people, the history for the charts, the months for
    # the picker (workforce months and caseload months in one UNION), release
    with django_assert_num_queries(13) as captured:
        officer.get(URL, {"period": "2025-03"})
    assert tables_read(captured) == DASHBOARD_QUERIES


@pytest.mark.parametrize("period", ["2014-03", "2025-03"])
def test_the_query_count_does_not_grow_with_the_history(
    officer, ten_more_years, django_assert_num_queries, period
):
    # As with 13 months: the history is one query however long (March 2014 has no
    # return, but its events query still runs only when there is a return: 12 then).
    expected = 13 if period == "2025-03" else 12
    with django_assert_num_queries(expected):
        response = officer.get(URL, {"period": period})
    assert response.status_code == 200
