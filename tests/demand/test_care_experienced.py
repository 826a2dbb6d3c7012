"""
Section (f) of the annual review, its care experienced young people (`demand.care_experienced`):
the published review's table and words (2024-25), the care leavers' outcomes with their
comparators, and every illustrative figure marked where it is shown.
"""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from demand import care_experienced, pack
from demand.models import ILLUSTRATIVE, Measure, MeasureValue
from demand.selectors import CARE_LEAVERS
from opb_portal.periods import FinancialYear, Period
from opb_portal.reference.models import Polarity, Unit
from tests.boardpack.conftest import flat

YEAR = FinancialYear(2024)
# Annual review 2024-25, section (f), word for word.
SEED_SENTENCE = (
    "This cohort has steadily increased over seven years from 268 to 390 (an increase of 122 "
    "Care Experienced Young People) with a slight increase from March 2024-March 2025 "
    "(366-390)."
)


# --- the measures -------------------------------------------------------------------------------


def test_the_migration_ships_the_three_outcomes_and_leaves_a_kept_measure_as_it_is(db):
    migration = importlib.import_module("demand.migrations.0008_care_leavers_outcomes")
    Measure.objects.filter(code__in=CARE_LEAVERS).delete()
    Measure.objects.create(
        code="care_leavers_eet", title="EET (our own)", group="care", unit="percent", kind="total"
    )
    migration.add_measures(apps, None)
    shipped = {m.code: m for m in Measure.objects.filter(code__in=CARE_LEAVERS)}
    assert set(shipped) == set(CARE_LEAVERS)
    assert shipped["care_leavers_eet"].title == "EET (our own)"
    touch = shipped["care_leavers_in_touch"]
    assert (touch.title, touch.unit, touch.kind, touch.decimal_places) == (
        "Care leavers aged 19 to 21 in touch with the Trust",
        Unit.PERCENT,
        Measure.Kind.TOTAL,
        1,
    )
    assert (touch.polarity, touch.yearly, touch.per_10000) == (
        Polarity.HIGHER_IS_BETTER,
        True,
        False,
    )


@pytest.mark.parametrize("code", CARE_LEAVERS)
def test_each_outcome_is_a_yearly_percentage_where_more_is_better_with_no_rag(demand, code):
    measure = Measure.objects.get(code=code)
    assert (measure.unit, measure.yearly, measure.polarity) == (
        Unit.PERCENT,
        True,
        Polarity.HIGHER_IS_BETTER,
    )
    # No local target is agreed: no RAG, rather than one made up.
    assert measure.evaluate(Decimal("40")) is None
    assert measure.format_value(Decimal("55.6")) == "55.6%"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param(
            {"unit": "count", "kind": "total", "yearly": True},
            "A count over the year is the sum of its months: give it monthly.",
            id="a-yearly-count-over-the-year",
        ),
    ],
)
def test_a_measure_that_cannot_be_yearly_is_refused(db, fields, error):
    measure = Measure(code="x", title="X", group="care", **fields)
    with pytest.raises(ValidationError) as caught:
        measure.full_clean()
    assert caught.value.message_dict["yearly"] == [error]


def test_a_month_figure_of_a_yearly_measure_is_refused(demand):
    value = MeasureValue(
        measure=Measure.objects.get(code="care_leavers_eet"),
        period=Period(2025, 1),
        span=MeasureValue.Span.MONTH,
        value=Decimal("55"),
    )
    with pytest.raises(ValidationError) as caught:
        value.full_clean()
    assert caught.value.message_dict["span"] == [
        "Care leavers aged 19 to 21 in education, employment or training is given once a year: "
        "store it as the year's."
    ]


# --- the table and the words -----------------------------------------------------------------


def test_the_table_is_the_published_reviews_with_its_variance(demand):
    part = care_experienced.annual(YEAR)
    assert part["columns"] == [f"Mar {y}" for y in range(18, 26)]
    assert [f.number for f in part["cohort"]] == [268, 282, 324, 328, 355, 356, 366, 390]
    assert part["variance"] == 122
    assert part["variance_heading"] == "Variance Mar 18 – Mar 25"


def test_the_draft_opens_with_the_published_reviews_sentence(demand):
    draft = care_experienced.annual_draft(YEAR)
    assert draft.split("\n\n")[0] == SEED_SENTENCE


def test_the_draft_gives_the_years_outcomes_and_says_they_are_illustrative(demand):
    assert care_experienced.annual_draft(YEAR).split("\n\n")[1] == (
        "Of the care leavers aged 19 to 21 in 2024-25, 94.1% were in touch with the Trust, "
        "55.6% were in education, employment or training and 90.4% were in suitable "
        "accommodation (illustrative figures, not published)."
    )


def _counts(*numbers, first=2018):
    return [(Period(first + n, 3), Decimal(value)) for n, value in enumerate(numbers)]


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        pytest.param(_counts(268, 282, 324, 328, 355, 356, 366, 390), SEED_SENTENCE, id="the-seed"),
        pytest.param(
            _counts(300, 280, 320, 400),
            "This cohort has increased over three years from 300 to 400 (an increase of 100 "
            "Care Experienced Young People) with an increase from March 2020-March 2021 "
            "(320-400).",
            id="not-steady-and-more-than-a-slight-rise",
        ),
        pytest.param(
            _counts(400, 390, 380),
            "This cohort has steadily decreased over two years from 400 to 380 (a decrease of 20 "
            "Care Experienced Young People) with a slight decrease from March 2019-March 2020 "
            "(390-380).",
            id="steadily-down",
        ),
        pytest.param(
            _counts(390, 366, 390),
            "This cohort has stayed at 390 over two years with a slight increase from March "
            "2019-March 2020 (366-390).",
            id="back-where-it-started",
        ),
        pytest.param(
            _counts(390, first=2025),
            "There were 390 Care Experienced Young People at 31 March 2025.",
            id="one-year",
        ),
        pytest.param([], "No count of Care Experienced Young People is stored.", id="none"),
    ],
)
def test_the_cohort_sentence_follows_the_figures(counts, sentence):
    assert care_experienced.cohort_sentence(counts) == sentence


# --- the outcomes and their comparators ------------------------------------------------------


def test_each_outcome_is_shown_beside_the_neighbours_and_england_marked_illustrative(demand):
    part = care_experienced.annual(YEAR)
    assert [str(fy) for fy in part["outcome_years"]] == ["2022-23", "2023-24", "2024-25"]
    rows = {row.measure.code: row for row in part["outcomes"]}
    assert list(rows) == list(CARE_LEAVERS)
    eet = rows["care_leavers_eet"]
    assert [f.shown for f in eet.cells] == ["52.3%", "54.8%", "55.6%"]
    assert (eet.neighbours.text, eet.neighbours.when, eet.neighbours.illustrative) == (
        "51.0%",
        "2023-24",
        True,
    )
    assert (eet.england.text, eet.england.when, eet.england.illustrative) == (
        "56.0%",
        "2023-24",
        True,
    )
    assert part["illustrative"] is True


def test_a_published_figure_is_not_marked_illustrative(demand):
    MeasureValue.objects.filter(illustrative=True).update(illustrative=False, source="DfE")
    part = care_experienced.annual(YEAR)
    row = part["outcomes"][0]
    assert not any(cell.value.illustrative for cell in row.cells)
    # The comparators are still the demonstration's: the part says so.
    assert row.england.illustrative
    assert part["illustrative"]


def test_the_part_marks_every_illustrative_figure_where_it_is_shown(demand):
    html = render_to_string("boardpack/demand/care_experienced.html", care_experienced.annual(YEAR))
    assert "<strong>Illustrative.</strong> Figures marked * are demonstration values" in html
    # 9 of Sandwell's figures and 6 comparators, each with its words for a screen reader.
    assert html.count('*<span class="visually-hidden"> (illustrative)</span>') == 15
    assert "Variance Mar 18 – Mar 25" in html
    assert '<td class="num text-end">122</td>' in html


def test_without_figures_the_part_says_so(db):
    html = render_to_string("boardpack/demand/care_experienced.html", care_experienced.annual(YEAR))
    assert "No figures of care experienced young people for 2024-25." in html


def test_the_demand_part_leaves_the_outcomes_to_the_care_experienced_part(demand):
    totals = [measure.code for measure, _cells in pack.annual(YEAR)["totals"]]
    assert "referrals" in totals
    assert not set(totals) & set(CARE_LEAVERS)


def test_the_annual_review_gives_the_part_with_the_seeds_table_and_words(demo_annual_review):
    text = flat("\n".join(demo_annual_review.pages))
    assert "Section (f) Care Experienced Young People" in text
    assert "Care Experienced Young People 268 282 324 328 355 356 366 390 122" in text
    assert SEED_SENTENCE in text
    assert "Illustrative." in text


def test_the_part_takes_a_fixed_number_of_queries(demand, django_assert_num_queries):
    # The figures with their measures; the child population; the comparators (values and
    # published averages together). No neighbour's own figure is stored, so neither the
    # neighbour groups nor their members are read (2 more where one is).
    with django_assert_num_queries(3):
        care_experienced.annual(YEAR)


# --- the dashboard and the API ---------------------------------------------------------------


def test_the_dashboard_shows_the_outcomes_marked_illustrative(client, demand, people):
    client.force_login(people["reviewer"])
    html = client.get("/demand/?period=2025-03").content.decode()
    assert "Care leavers aged 19 to 21 in suitable accommodation" in html
    assert '90.4%*<span class="visually-hidden"> (illustrative)</span>' in html
    assert "Figures marked * are demonstration values the Trust did not publish." in html


def test_the_api_lists_the_outcomes_and_says_they_are_illustrative(client, demand, people):
    client.force_login(people["reviewer"])
    year = client.get("/api/v1/demand/?period=2025-03").json()["year"]
    found = {f["code"]: f for f in year}
    assert (found["care_leavers_eet"]["value"], found["care_leavers_eet"]["illustrative"]) == (
        55.6,
        True,
    )
    assert found["children_in_care"]["illustrative"] is False


def test_the_illustrative_source_is_the_one_the_demonstration_writes(demand):
    assert set(MeasureValue.objects.filter(illustrative=True).values_list("source", flat=True)) == {
        ILLUSTRATIVE
    }


def test_the_benchmark_page_says_sandwells_figure_is_illustrative(client, demand, people):
    client.force_login(people["reviewer"])
    html = client.get("/benchmarks/care_leavers_eet/").content.decode()
    assert (
        "Sandwell's figure: 54.8% (2023-24, worked out by the portal; illustrative: a "
        "demonstration figure, not published)."
    ) in html
