"""
The board pack's "Deficit scenarios" section, read back from the PDF: the scenarios the chair
chose, each beside the Trust's forecast and the base model, the sensitivity chart, and every
model figure marked as a model result. On the demonstration cut back to September 2024, so
the scenarios have months to change.
"""

import re
import subprocess

import pytest

from finance import model
from finance.scenarios import pack
from opb_portal.boardpack import render, selectors
from opb_portal.formatting import pounds
from opb_portal.periods import Period

from ..boardpack.conftest import ARTIFACTS, flat, page_headed, pages_between, pdf_pages
from .test_scenarios_pages import SEPTEMBER, agency, council, residential, to_september  # noqa: F401

TITLE = "Finance: deficit scenarios (model)"


@pytest.fixture
def chosen(residential, agency):  # noqa: F811
    for scenario in (residential, agency):
        scenario.in_pack = True
        scenario.save(update_fields=["in_pack"])
    return residential, agency


@pytest.fixture
def pages(chosen):
    built = selectors.pack_contents(SEPTEMBER)
    rendered = render.render_pack(built)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "scenarios-pack-2024-09.pdf"
    path.write_bytes(rendered.pdf)
    found = pdf_pages(rendered.pdf)
    first = found.index(page_headed(found, TITLE)) + 1
    # A picture of the section's first page, to look at (test-artifacts/).
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", str(first), "-l", str(first), path,
         ARTIFACTS / "scenarios-pack-page"],
        check=True,
    )  # fmt: skip
    return found


def test_the_pack_shows_the_chosen_scenarios_beside_the_trust_and_the_base_model(pages, chosen):
    first, second = chosen
    text = flat(pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads"))
    base = model.outturn(year=first.year, as_of=SEPTEMBER)
    assert "Model results, not figures." in text
    assert f"The Trust's forecast 2024-25 £{base.trust_deficit:,}" in text
    # The base case is the model with no change: demand's projection moves its placements,
    # so it reads the year apart from the Trust's run rate, by an amount it shows.
    against = pounds(base.deficit - base.trust_deficit, signed=True)
    assert (
        f"Model: base case 2024-25 £{base.deficit:,} £{base.cumulative_deficit:,} {against}"
    ) in text
    for scenario in (first, second):
        under = model.outturn(
            year=scenario.year,
            as_of=SEPTEMBER,
            changes=[
                model.Change(c.measure, c.value, c.month, c.how) for c in scenario.changes.all()
            ],
        )
        assert f"£{under.deficit:,} £{under.cumulative_deficit:,}" in text
    assert "Agency share falls to 12% by March" in text
    assert "falls to 12% by March 2025." in text


def test_the_pack_draws_the_sensitivity_chart_with_its_figures(pages):
    text = flat(pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads"))
    assert "Sensitivity: what moves the 2024-25 deficit (model)" in text
    assert re.search(r"Children in residential placements ±5 children £[\d.]+m £[\d.]+m", text)


def test_a_pack_with_no_scenario_chosen_says_so(to_september):  # noqa: F811
    context = pack.build(SEPTEMBER)
    assert context["comparison"].worked == []
    html = render.render_to_string("boardpack/finance/scenarios.html", context)
    assert "The chair has chosen no scenario for this pack." in html


def test_march_s_pack_says_nothing_is_left_to_move_in_the_year(demo):
    context = pack.build(Period(2025, 3))
    html = render.render_to_string("boardpack/finance/scenarios.html", context)
    assert "The figures run to March 2025, the end of 2024-25" in flat(html)
    assert "<svg" not in html
