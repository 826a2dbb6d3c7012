"""
The scenario pages (`/finance/scenarios/`) on the demonstration's figures, cut back to
September 2024 so that a scenario of 2024-25 has months still to come: the list beside the
Trust's forecast and the base model, one scenario's page, the compare view, the form.
"""

import re
from decimal import Decimal

import pytest

from finance import model
from finance.models import DriverFigure, FinanceFigure, FinanceYear, Scenario, ScenarioChange
from finance.scenarios import services
from finance.scenarios.services import Measure
from opb_portal.accounts.models import User
from opb_portal.formatting import pounds
from opb_portal.periods import Period

SEPTEMBER = Period(2024, 9)
URL = "/finance/scenarios/"


@pytest.fixture
def council(demo_without_scenarios):
    return User.objects.get(username="reviewer")


@pytest.fixture
def to_september(demo_without_scenarios):
    """The demonstration as it stood when September 2024's return was approved."""
    FinanceFigure.objects.filter(period__gt=SEPTEMBER).delete()
    DriverFigure.objects.filter(period__gt=SEPTEMBER).delete()
    return FinanceYear.objects.get(start_year=2024)


def build(user, year, name, *changes, description=""):
    return services.scenario_create(
        year=year,
        name=name,
        description=description,
        changes=[
            ScenarioChange(measure=m, value=Decimal(v), how=how, month=Period.parse(month))
            for m, v, how, month in changes
        ],
        user=user,
    )


@pytest.fixture
def residential(to_september, council):
    return build(
        council,
        to_september,
        "Residential stays at 79 and the weekly cost rises to £6,900 from October",
        (Measure.RESIDENTIAL_CHILDREN, "79", "from", "2024-10"),
        (Measure.RESIDENTIAL_WEEKLY_COST, "6900", "from", "2024-10"),
        description="<script>alert('typed')</script> Asked by the council.",
    )


@pytest.fixture
def agency(to_september, council):
    return build(
        council,
        to_september,
        "Agency share falls to 12% by March",
        (Measure.AGENCY_SHARE, "12", "by", "2025-03"),
    )


def text(html: str) -> str:
    html = re.sub(r"<(svg|style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").strip()


def row(html: str, css: str) -> str:
    return text(re.search(rf'<tr class="{css}[^"]*".*?</tr>', html, re.S)[0])


def test_a_scenario_page_says_its_changes_in_words_and_its_deficit_beside_the_trust(
    client, council, residential, django_assert_num_queries
):
    client.force_login(council)
    # 19 queries: session, user; the request's savepoint and its release; the scenario with its
    # year and author, its changes; the latest month with figures; the model's inputs, read
    # once for the base model and the scenario (4: lines, drivers, the month's line figures,
    # the year's driver figures) and demand's projections (2: the child population, its
    # measures' history); the medium term: the figures' year, then the base and the scenario
    # carried forward from one read (3: the last drivers, the next year's plan, its lines) and
    # demand's projections again (2).
    with django_assert_num_queries(19):
        response = client.get(f"{URL}{residential.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    base = model.outturn(year=residential.year, as_of=SEPTEMBER)
    under = model.outturn(
        year=residential.year,
        as_of=SEPTEMBER,
        changes=[
            model.Change(Measure.RESIDENTIAL_CHILDREN, Decimal(79), Period(2024, 10)),
            model.Change(Measure.RESIDENTIAL_WEEKLY_COST, Decimal(6900), Period(2024, 10)),
        ],
    )
    assert under.deficit > base.deficit
    words = text(re.search(r'class="lead scenario-words">(.*?)</p>', html, re.S)[1])
    assert re.fullmatch(
        r"Residential children (rise to|stay at|fall to) 79 from October 2024; the residential "
        r"weekly cost rises to £6,900 from October 2024\.",
        words,
    )
    deficit = text(
        re.search(r'<table class="table table-sm w-auto scenario-deficit">.*?</table>', html, re.S)[
            0
        ]
    )
    assert f"The Trust's forecast £{base.trust_deficit:,}" in deficit
    assert f"Model: base case £{base.deficit:,} £{base.cumulative_deficit:,}" in deficit
    assert f"Model: this scenario £{under.deficit:,} £{under.cumulative_deficit:,}" in deficit
    assert f"Scenario against the base model +£{under.deficit - base.deficit:,}" in deficit


def test_the_difference_line_by_line_adds_up_to_the_deficit_s(client, council, residential):
    client.force_login(council)
    html = client.get(f"{URL}{residential.pk}/").content.decode()
    lines = re.search(
        r'<table class="table table-sm w-auto scenario-lines">.*?</table>', html, re.S
    )[0]
    moved = re.findall(r"<th scope=\"row\">([^<]+)</th>.*?([+−]£[\d,]+)</td></tr>", lines, re.S)
    assert [name for name, _ in moved] == ["Residential placements"] or moved
    total = sum(Decimal(d.replace("£", "").replace(",", "").replace("−", "-")) for _, d in moved)
    deficit = re.search(r"Scenario against the base model</th><td[^>]*>([+−]£[\d,]+)", html)[1]
    assert total == Decimal(deficit.replace("£", "").replace(",", "").replace("−", "-"))


def test_what_a_person_typed_is_text_never_markup(client, council, residential):
    client.force_login(council)
    html = client.get(f"{URL}{residential.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;typed&#x27;)&lt;/script&gt; Asked by the council." in html


def test_the_list_sets_each_scenario_beside_the_trust_and_the_base_model(
    client, residential, agency, django_assert_num_queries
):
    client.force_login(User.objects.get(username="board"))
    # 16 queries: session, user; savepoint and release; the scenarios with year and author,
    # their changes; the latest month; the model's inputs (4: lines, drivers, the month's line
    # figures, the driver figures) and demand's projections (2), read once for the base and
    # both scenarios; the sensitivity's year, its own inputs (4) and projections (2).
    with django_assert_num_queries(20):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    base = model.outturn(year=residential.year, as_of=SEPTEMBER)
    assert row(html, "trust-forecast").startswith(
        f"The Trust's forecast 2024-25 £{base.trust_deficit:,}"
    )
    assert row(html, "base-model").startswith(
        "Model: base case (no change to the drivers) 2024-25 "
        f"£{base.deficit:,} £{base.cumulative_deficit:,}"
    )
    scenarios = re.findall(r'<tr class="scenario forecast" data-scenario="(\d+)"', html)
    assert scenarios == [str(agency.pk), str(residential.pk)]
    assert "Build a scenario" not in html  # a board member reads, the council builds


def test_the_council_sees_the_build_button(client, council, to_september):
    client.force_login(council)
    assert "Build a scenario" in client.get(URL).content.decode()


def test_compare_sets_the_chosen_scenarios_side_by_side(
    client, council, residential, agency, django_assert_num_queries
):
    client.force_login(council)
    # 11 queries: session, user; savepoint and release; the chosen scenarios, their changes;
    # the latest month; the model's inputs of their year (4) and demand's projections (2),
    # read once for every scenario.
    with django_assert_num_queries(13):
        response = client.get(f"{URL}compare/", {"scenario": [residential.pk, agency.pk]})
    html = response.content.decode()
    heads = re.findall(r'<th scope="col" class="forecast">Model: (?:<a [^>]+>)?([^<]+)', html)
    assert heads == [
        "base case, 2024-25",
        "Agency share falls to 12% by March",
        "Residential stays at 79 and the weekly cost rises to £6,900 from October",
    ]


def test_the_form_saves_a_scenario_with_its_changes(client, council, to_september):
    client.force_login(council)
    data = {
        "year": to_september.pk,
        "name": "Residential stays at 79",
        "description": "",
        "changes-TOTAL_FORMS": "3",
        "changes-INITIAL_FORMS": "0",
        "changes-0-measure": "residential_children",
        "changes-0-how": "from",
        "changes-0-month": "2024-10",
        "changes-0-value": "79",
        "changes-1-how": "from",
        "changes-2-how": "from",
    }
    response = client.post(f"{URL}new/", data)
    saved = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{saved.pk}/"
    assert [(c.measure, c.month, c.value) for c in saved.changes.all()] == [
        ("residential_children", Period(2024, 10), Decimal(79))
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param(
            "month", "2024-09", "Choose a month after September 2024", id="an-actual-month"
        ),
        pytest.param(
            "value", "-3", "Ensure this value is greater than or equal to 0", id="below-0"
        ),
    ],
)
def test_the_form_shows_a_refused_change_beside_its_field(
    client, council, to_september, field, value, message
):
    client.force_login(council)
    data = {
        "year": to_september.pk,
        "name": "Refused",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "0",
        "changes-0-measure": "residential_children",
        "changes-0-how": "from",
        "changes-0-month": "2024-10",
        "changes-0-value": "79",
    }
    data[f"changes-0-{field}"] = value
    response = client.post(f"{URL}new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Scenario.objects.exists()


def test_the_chair_s_choice_puts_a_scenario_in_the_pack(client, residential):
    client.force_login(User.objects.get(username="admin"))
    response = client.post(f"{URL}{residential.pk}/pack/", {"in_pack": "1"})
    assert response.status_code == 302
    residential.refresh_from_db()
    assert residential.in_pack is True


def test_a_change_to_the_level_the_driver_is_at_leaves_the_deficit_as_the_base(
    client, council, to_september
):
    # The weekly cost is carried forward (demand projects children, not prices): from
    # October at its level is no change at all.
    base = model.outturn(year=to_september, as_of=SEPTEMBER)
    level = base.paths[Measure.RESIDENTIAL_WEEKLY_COST][-1][1]
    same = build(
        council,
        to_september,
        "No change",
        (Measure.RESIDENTIAL_WEEKLY_COST, level, "from", "2024-10"),
    )
    client.force_login(council)
    html = client.get(f"{URL}{same.pk}/").content.decode()
    assert f"Model: this scenario £{base.deficit:,} £{base.cumulative_deficit:,}" in text(html)
    assert "Scenario against the base model £0" in text(html)
    assert "No line's outturn moves under this scenario." in html


def test_the_demonstration_s_scenarios_question_next_year(client, demo):
    from finance.scenarios.demo import load_demo_scenarios

    assert Scenario.objects.count() == 2  # the finance demonstration saved them
    assert load_demo_scenarios() == 2  # safe to run again
    residential = Scenario.objects.get(name__startswith="Residential stays at 79")
    assert residential.in_pack
    assert residential.year.start_year == 2025
    client.force_login(User.objects.get(username="board"))
    html = text(client.get(f"{URL}{residential.pk}/").content.decode())
    assert (
        "Residential children stay at 79 from April 2025; "
        "the residential weekly cost rises to £7,300 from October 2025."
    ) in html
    found = re.search(
        r"Model: base case £([\d,]+) £[\d,]+ Model: this scenario £([\d,]+) £[\d,]+ "
        r"Scenario against the base model ([+−]£[\d,]+)",
        html,
    )
    base, under = (int(found[i].replace(",", "")) for i in (1, 2))
    # The base prices the weekly cost up 4% in April (finance.model.INFLATION, £7,018):
    # £7,300 from October is a rise on it, and 79 children hold above demand's projection.
    assert found[3] == pounds(under - base, signed=True)
    assert under > base
    assert "The medium term, with the scenario carried forward" in html
