"""
The finance section of the March 2025 board pack and section (e) of the annual review,
read back from their PDFs, as a board member would read them.

The figures must be the dashboard's and the API's to the pound: they come from the
same selector (`finance_position`) and are written by the same helper (`pounds`).
"""

from __future__ import annotations

import re
import subprocess

import pytest
from django.template.loader import render_to_string

from finance import pack
from finance.selectors import finance_position
from opb_portal.accounts.models import User
from opb_portal.boardpack import render, sections, selectors
from opb_portal.boardpack.render import DRAFT_BAND
from opb_portal.formatting import pounds
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from ..boardpack.conftest import ARTIFACTS, MARCH, flat, page_headed, pages_between, pdf_pages

TITLE = "Finance: the budget position"
CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", re.M)


@pytest.fixture
def march(demo_march_pack):
    """The demonstration's March 2025 pack, rendered once for the run (tests/conftest.py)."""
    return demo_march_pack.built, demo_march_pack.rendered, demo_march_pack.pages


def _table_lines():
    """The lines of the dashboard's budget lines table: expenditure and income, not savings."""
    return [line for line in finance_position(MARCH).lines if line.kind != "savings"]


def correction(*, changes: dict[str, str], submit: bool = True) -> Return:
    """
    The Trust corrects its approved March 2025 finance return through the real services:
    the approved figures with `changes` ({line code: forecast}), sent to the council or not.
    """
    ret = Return.objects.get(domain="finance", period=MARCH.first_day)
    submitter = User.objects.get(username="finance.submitter")
    data = {code: dict(fields) for code, fields in ret.approved_version.data.items()}
    for code, value in changes.items():
        data[code].update(value=value, commentary="Corrected after the ledger closed.")
    services.return_save(
        ret=ret,
        user=submitter,
        data=data,
        base_version=ret.current_version.number,
        reason="The ledger closed after the return was approved.",
    )
    if submit:
        ret.refresh_from_db()
        services.return_submit(
            ret=ret, user=submitter, explanations=dict.fromkeys(data, "As the ledger closed.")
        )
    ret.refresh_from_db()
    return ret


# --- the pack -----------------------------------------------------------------------------


def test_the_contents_give_the_page_the_finance_section_starts_on(march):
    _, _, pages = march
    contents = next(page for page in pages if re.search(r"^\s*Contents\s*$", page, re.M))
    entries = {title: int(number) for title, number in CONTENTS_ENTRY.findall(contents)}
    assert TITLE in entries
    assert pages[entries[TITLE] - 1] == page_headed(pages, TITLE)
    # Finance follows the KPI pages and comes before the workforce and the appendices.
    titles = list(entries)
    assert titles.index("KPI scorecard") < titles.index(TITLE)
    assert titles.index(TITLE) < titles.index("Appendix: KPI definitions and the rules in force")


def test_the_headline_figures_are_the_positions_to_the_pound_and_the_apis(march, client):
    _, _, pages = march
    position = finance_position(MARCH)
    client.force_login(User.objects.get(username="board"))
    api = client.get("/api/v1/finance/", {"period": "2025-03"}).json()

    assert (position.forecast_deficit, api["forecast_deficit"]) == (8788115, 8788115)
    assert (position.forecast_cumulative_deficit, api["forecast_cumulative_deficit"]) == (
        19707432,
        19707432,
    )
    assert position.variance_against_plan == api["variance_against_plan"]
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    finance_pages = flat(
        pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads")
    )
    for text in (
        "£8,788,115",
        "£19,707,432",
        pounds(api["forecast_deficit"]),
        pounds(api["forecast_cumulative_deficit"]),
        pounds(api["variance_against_plan"], signed=True),
    ):
        assert text in summary, text
        assert text in finance_pages, text
    assert "In-year deficit (expenditure − income) £2,264,162 £8,788,115 +£6,523,953" in (
        finance_pages
    )


def test_the_summary_rates_the_deficit_against_plan_with_a_word_not_colour_alone(march):
    pack_, _, pages = march
    items = dict(pack_.headlines)["Finance"]
    rating = next(item for item in items if item.label == "Deficit beyond plan")
    assert (rating.status, rating.value) == ("red", "More than twice the tolerance of £1,825,636")
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    assert "Red More than twice the tolerance of £1,825,636" in summary
    assert "Lines rated red" in summary


def test_every_budget_line_and_its_figures_are_on_the_finance_pages(march):
    _, _, pages = march
    text = flat(pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads"))
    for line in _table_lines():
        assert line.code in text, line.code
        assert pounds(line.forecast_outturn) in text, line.code
    assert "Expenditure total £91,281,792 £99,205,745 £99,205,745 +£7,923,953" in text
    assert "Forecast in-year deficit, month by month" in text
    # The chart's figures: April to March, in millions as on the dashboard.
    assert "Apr-24" in text
    assert "£8.79m" in text
    assert "Cost drivers against plan" in text
    assert "DRV-RES Children in residential placements 62 79 +17" in text


def test_a_table_row_is_never_split_across_pages(march):
    # Every line's code and its figures are on the same page: rows do not break.
    _, _, pages = march
    for line in _table_lines():
        assert any(
            line.code in page and pounds(line.budget) in page.split(line.code, 1)[1]
            for page in pages
        ), line.code


def test_the_finance_section_reads_its_figures_in_a_fixed_number_of_queries(
    demo, django_assert_num_queries
):
    section = next(s for s in sections.all_sections() if s.key == "finance")
    # 9 queries: the year's plan, its lines, its drivers, the month's return, its events with
    # their people, the line figures and the driver figures of the year to date, the latest
    # count of children we care for (demand against plan), then the versions behind them all
    # (for the sources appendix)
    with sections.one_build(), django_assert_num_queries(9):
        section.headline(MARCH)
        section.build(MARCH)
        section.sources(MARCH)


# --- demand against plan: the demand dashboard's figures -------------------------------------


PLAN_COST = re.compile(r'<p class="plan-cost">.*?</p>', re.S)
PLAN_TABLE = re.compile(r'<table class="table table-sm plan-table">.*?</table>', re.S)


def test_the_finance_pages_show_demand_against_the_plans_assumptions(march):
    _, _, pages = march
    text = flat(pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads"))
    assert "Demand against the plan's assumptions" in text
    assert "Children in residential placements 62 79 +17" in text
    assert "Average weekly residential cost £6,508 £6,748 +£240" in text
    assert "Children we care for No assumption 816 – 31 March 2025" in text
    # 17 more children at £6,748 a week, and £240 more a week for the 62 planned.
    assert "Cost of the difference: £129,596 a week" in text
    assert "Over a full year of 52 weeks: £6,738,992" in text


@pytest.mark.parametrize(
    ("period", "to_year_end"),
    [
        pytest.param(Period(2024, 12), "£1,187,718", id="december-12.9-weeks-left"),
        pytest.param(MARCH, "No weeks remain to 31 March.", id="march-none-left"),
    ],
)
def test_the_pack_and_the_demand_dashboard_agree_to_the_penny(client, demo, period, to_year_end):
    client.force_login(User.objects.get(username="board"))
    dashboard = client.get("/demand/", {"period": period.iso}).content.decode()
    paper = render_to_string("boardpack/finance/pack.html", pack.build(period))
    for pattern in (PLAN_COST, PLAN_TABLE):
        (on_screen,) = pattern.findall(dashboard)
        (on_paper,) = pattern.findall(paper)
        assert flat(on_screen) == flat(on_paper)
    (cost,) = PLAN_COST.findall(paper)
    assert to_year_end in cost
    assert pounds(finance_position(period).driver_cost.full_year) in cost


def test_a_draft_pack_costs_the_drivers_sent_for_approval(demo):
    correction(changes={"DRV-RES": "81"})
    paper = render_to_string("boardpack/finance/pack.html", pack.build(MARCH))
    (table,) = PLAN_TABLE.findall(paper)
    text = flat(re.sub(r"<[^>]+>", " ", table))
    assert "Children in residential placements 62 81 +19" in text
    (cost,) = PLAN_COST.findall(paper)
    assert f"{pounds(19 * 6748 + 240 * 62)} a week" in cost


def test_the_sources_are_every_finance_return_of_the_year_to_date(demo):
    used = pack.sources(MARCH)
    approved = Return.objects.filter(
        domain="finance", period__gte="2024-04-01", period__lte=MARCH.first_day
    ).values_list("approved_version_id", flat=True)
    assert used == set(approved)
    assert len(used) == 12


# --- a pack drawn while the month's return is not approved ----------------------------------


def test_a_submitted_finance_correction_makes_the_pack_a_draft_with_its_figures_marked(demo):
    ret = correction(changes={"PL-RES": "24462260"})  # £100,000 more on residential placements
    pack_ = selectors.pack_contents(MARCH)
    pages = pdf_pages(render.render_pack(pack_).pdf)

    assert pack_.draft
    assert "Finance return for March 2025: a correction is submitted, not yet approved" in (
        pack_.draft_reasons
    )
    assert [DRAFT_BAND in page for page in pages] == [True] * len(pages)
    # The chair previews what is coming: the figures sent for approval, marked as such.
    text = flat(pages_between(pages, TITLE, "Workforce: social workers, vacancies and caseloads"))
    assert "£8,888,115" in text
    assert "£8,788,115" not in text
    assert "Not yet approved" in text
    assert "£24,462,260" in text
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    assert "£8,888,115" in summary
    assert "Not yet approved" in summary
    # The version shown is recorded, and the approved one it replaces is not.
    assert ret.current_version_id in pack_.version_ids
    assert ret.approved_version_id not in pack_.version_ids
    # The dashboard still shows the approved figures until the correction is approved.
    assert finance_position(MARCH).forecast_deficit == 8788115


def test_a_correction_the_trust_has_not_sent_is_never_shown(demo):
    correction(changes={"PL-RES": "24462260"}, submit=False)
    pack_ = selectors.pack_contents(MARCH)
    text = flat("\n".join(pdf_pages(render.render_pack(pack_).pdf)))

    assert pack_.draft
    assert "Finance return for March 2025: a correction is draft, not yet approved" in (
        pack_.draft_reasons
    )
    assert "£8,788,115" in text
    assert "£8,888,115" not in text


# --- the annual review ----------------------------------------------------------------------


@pytest.fixture
def annual_text(demo_annual_review) -> str:
    pages = demo_annual_review.pages
    return flat(page_headed(pages, "Section (e) The Trust's performance against budgets"))


def test_section_e_gives_the_provisional_outturn_as_the_trust_published_it(annual_text):
    # "Income totalling £90,417,630 was received for 2024/25, expenditure was £99,205,745,
    # resulting in a provisional deficit of £8,788,115 ... the cumulative deficit £19,707,432"
    assert "income totalling £90,417,630 was received for 2024-25" in annual_text
    assert "expenditure was £99,205,745" in annual_text
    assert "resulting in a provisional deficit of £8,788,115" in annual_text
    assert "making the cumulative deficit £19,707,432 at year end" in annual_text
    assert "contract sum of £80,800,000 and third-party income of £9,617,630" in annual_text
    assert "opened with a cumulative deficit of £10,919,317" in annual_text


@pytest.mark.parametrize(
    ("row", "plan", "outturn"),
    [
        pytest.param("Income", "£89,017,630", "£90,417,630", id="income"),
        pytest.param("Staffing", "£33,700,000", "£33,647,039", id="staffing"),
        pytest.param("Placements", "£49,681,792", "£57,798,488", id="placements"),
        pytest.param("Expenditure", "£91,281,792", "£99,205,745", id="expenditure"),
        pytest.param("Deficit for the financial year", "£2,264,162", "£8,788,115", id="deficit"),
        pytest.param(
            "Cumulative deficit at year end", "£13,183,479", "£19,707,432", id="cumulative"
        ),
    ],
)
def test_the_outturn_table_sets_each_figure_against_the_plan(annual_text, row, plan, outturn):
    assert f"{row} {plan} {outturn}" in annual_text


# --- pictures to look at ----------------------------------------------------------------------


@pytest.mark.screenshots
def test_the_finance_pages_rasterise_for_a_look(march):
    _, rendered, pages = march
    first = pages.index(page_headed(pages, TITLE)) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "pack-finance-2025-03.pdf"
    path.write_bytes(rendered.pdf)
    for old in ARTIFACTS.glob("pack-finance-2025-03-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", str(first), "-l", str(first + 1), str(path)]
        + [str(ARTIFACTS / "pack-finance-2025-03")],
        check=True,
    )
    pictures = sorted(ARTIFACTS.glob("pack-finance-2025-03-*.png"))
    assert len(pictures) == 2
    assert all(picture.stat().st_size > 5_000 for picture in pictures)
