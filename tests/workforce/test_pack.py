"""
The workforce section of the March 2025 board pack and the workforce table of section (f)
of the annual review, read back from their PDFs, as a board member would read them.

The figures are the dashboard's and the API's: the same selectors, at the precision the
Trust publishes them (section (f) of seed 001).
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest

from opb_portal.accounts.models import User
from opb_portal.boardpack import render, sections, selectors
from opb_portal.boardpack.render import DRAFT_BAND
from opb_portal.submissions import services
from opb_portal.submissions.models import Return
from workforce import pack
from workforce.selectors import workforce_position

from ..boardpack.conftest import ARTIFACTS, MARCH, flat, page_headed, pages_between, pdf_pages

TITLE = "Workforce: social workers, vacancies and caseloads"
NEXT = "Appendix: KPI definitions and the rules in force"
CONTENTS_ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", re.M)


@pytest.fixture
def march(demo_march_pack):
    """The demonstration's March 2025 pack, rendered once for the run (tests/conftest.py)."""
    return demo_march_pack.built, demo_march_pack.rendered, demo_march_pack.pages


def _section(pages: list[str]) -> str:
    return flat(pages_between(pages, TITLE, NEXT))


def correction(*, agency: str, submit: bool = True) -> Return:
    """
    The Trust corrects its approved March 2025 workforce return through the real services,
    with another count of agency social workers, and sends it to the council or not.
    """
    ret = Return.objects.get(domain="workforce", period=MARCH.first_day)
    submitter = User.objects.get(username="workforce.submitter")
    data = {code: dict(fields) for code, fields in ret.approved_version.data.items()}
    data["AGENCY"].update(value=agency, commentary="Two more agency social workers started.")
    services.return_save(
        ret=ret,
        user=submitter,
        data=data,
        base_version=ret.current_version.number,
        reason="Two agency starters were missed.",
    )
    if submit:
        ret.refresh_from_db()
        services.return_submit(
            ret=ret, user=submitter, explanations=dict.fromkeys(data, "As counted.")
        )
    ret.refresh_from_db()
    return ret


# --- the pack -----------------------------------------------------------------------------


def test_the_contents_give_the_page_the_workforce_section_starts_on(march):
    _, _, pages = march
    contents = next(page for page in pages if re.search(r"^\s*Contents\s*$", page, re.M))
    entries = {title: int(number) for title, number in CONTENTS_ENTRY.findall(contents)}
    assert pages[entries[TITLE] - 1] == page_headed(pages, TITLE)
    titles = list(entries)
    assert titles.index("Finance: the budget position") < titles.index(TITLE) < titles.index(NEXT)


def test_the_published_march_2025_figures_are_on_the_workforce_pages(march):
    # "our permanent vacancy rate sitting now at 23.9% (44.76 permanent vacancies)";
    # "Our real time vacancy rate ... 4.06% with 179.42 workers in post" (4.1% to one place)
    _, _, pages = march
    text = _section(pages)
    assert "179.42 FTE" in text
    assert "Establishment 187 FTE" in text
    for figure in ("20.7%", "23.9%", "4.1%", "44.76 permanent vacancies", "7.58 vacancies"):
        assert figure in text, figure
    assert "Permanent excluding ASYE 114.24 63.7%" in text
    assert "28.00 15.6% Green" in text
    assert "Agency social workers 37.18 20.7% Amber" in text
    assert "Total social workers 179.42 100%" in text


def test_the_figures_are_the_dashboards_selector_and_the_apis(march, client):
    _, _, pages = march
    position = workforce_position(MARCH)
    client.force_login(User.objects.get(username="board"))
    api = client.get("/api/v1/workforce/", {"period": "2025-03"}).json()
    text = _section(pages)
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    for name, code in (
        ("pct_agency", "PCT_AGENCY"),
        ("permanent_vacancy_rate", "PERM_VACANCY_RATE"),
        ("real_time_vacancy_rate", "RT_VACANCY_RATE"),
    ):
        shown = f"{position.figures[code]}%"
        assert shown == f"{api[name]}%"
        assert shown in text, name
        assert shown in summary, name
    assert str(api["total_fte"]) == "179.42"
    for caseload in api["caseloads"]:
        assert caseload["service"] in text
        assert str(caseload["average"]) in text


def test_the_summary_names_the_caseload_hot_spots_worst_first(march):
    pack_, _, pages = march
    items = dict(pack_.headlines)["Workforce"]
    assert [item.value for item in items if item.emphasis] == ["20.7%", "23.9%", "4.1%"]
    spots = next(item for item in items if item.label == "Caseload hot spots")
    assert spots.status == "amber"
    assert spots.value == (
        "Court and Child Protection 108.1%; Children we Care for 108.0% of the model"
    )
    summary = flat(page_headed(pages, "Summary: where the contract stands"))
    assert "Amber Court and Child Protection 108.1%" in summary
    assert "37.18 of 179.42 FTE" in summary


def test_the_workforce_section_reads_its_figures_in_a_fixed_number_of_queries(
    demo, django_assert_num_queries
):
    section = next(s for s in sections.all_sections() if s.key == "workforce")
    # 8 queries: the rules in force by March, the month, the services running then, their
    # caseload figures, their caseload models, the month's return, its events with their
    # people, the 24 months of history (the sources are on the objects already)
    with sections.one_build(), django_assert_num_queries(8):
        section.headline(MARCH)
        section.build(MARCH)
        section.sources(MARCH)


def test_the_sources_are_every_workforce_return_the_charts_draw(demo):
    used = pack.sources(MARCH)
    approved = Return.objects.filter(
        domain="workforce", period__gte="2024-03-01", period__lte=MARCH.first_day
    ).values_list("approved_version_id", flat=True)
    assert used == set(approved)
    assert len(used) == 13


# --- a pack drawn while the month's return is not approved ----------------------------------


def test_a_submitted_workforce_correction_makes_the_pack_a_draft_with_its_figures_marked(demo):
    ret = correction(agency="39.18")  # 181.42 in post: agency 21.6%, real-time 3.0%
    pack_ = selectors.pack_contents(MARCH)
    pages = pdf_pages(render.render_pack(pack_).pdf)

    assert pack_.draft
    assert "Workforce return for March 2025: a correction is submitted, not yet approved" in (
        pack_.draft_reasons
    )
    assert all(DRAFT_BAND in page for page in pages)
    text = _section(pages)
    assert "181.42 FTE" in text
    assert "Agency social workers 39.18 21.6% Amber" in text
    assert "Not yet approved" in text
    assert ret.current_version_id in pack_.version_ids
    assert ret.approved_version_id not in pack_.version_ids
    # The dashboard keeps the approved figures until the correction is approved.
    assert workforce_position(MARCH).month.total_fte == Decimal("179.42")


def test_a_correction_the_trust_has_not_sent_is_never_shown(demo):
    correction(agency="39.18", submit=False)
    pack_ = selectors.pack_contents(MARCH)
    text = _section(pdf_pages(render.render_pack(pack_).pdf))
    assert pack_.draft
    assert "179.42 FTE" in text
    assert "181.42" not in text


# --- the annual review: the workforce table month by month ------------------------------------

# Section (f) of seed 001, month by month: total social workers, % agency and, worked out
# from the same table, the two vacancy rates.
PUBLISHED = [
    pytest.param("Mar-24", "187.00", "173.64", "140.24", "95.84", "44.40", "33.40", id="Mar-24"),
    pytest.param("May-24", "187.00", "164.44", "137.64", "96.24", "41.40", "26.80", id="May-24"),
    pytest.param("Sep-24", "187.00", "177.93", "147.53", "100.13", "47.40", "30.40", id="Sep-24"),
    pytest.param("Dec-24", "187.00", "173.53", "145.13", "109.13", "36.00", "28.40", id="Dec-24"),
    pytest.param("Mar-25", "187.00", "179.42", "142.24", "114.24", "28.00", "37.18", id="Mar-25"),
]


@pytest.fixture
def annual_text(demo_annual_review) -> str:
    pages = demo_annual_review.pages
    # The heading wraps onto two lines: find its page by its start, past the contents.
    start = next(
        number
        for number, page in enumerate(pages)
        if re.search(r"^\s*Section \(f\) Demand analysis", page, re.M) and "Contents" not in page
    )
    return flat("\n".join(pages[start:]))


def test_the_table_runs_month_by_month_from_march_to_march(annual_text):
    months = re.findall(r"\b([A-Z][a-z]{2}-2[45]) 187.00 ", annual_text)
    assert months == [
        "Mar-24",
        "Apr-24",
        "May-24",
        "Jun-24",
        "Jul-24",
        "Aug-24",
        "Sep-24",
        "Oct-24",
        "Nov-24",
        "Dec-24",
        "Jan-25",
        "Feb-25",
        "Mar-25",
    ]


@pytest.mark.parametrize(
    ("month", "establishment", "total", "permanent", "excl_asye", "asye", "agency"), PUBLISHED
)
def test_each_month_has_the_published_figures(
    annual_text, month, establishment, total, permanent, excl_asye, asye, agency
):
    assert f"{month} {establishment} {total} {permanent} {excl_asye} {asye} {agency} " in (
        annual_text
    )


def test_the_year_end_shares_and_rates_are_as_published(annual_text):
    # Mar-25: 63.7% permanent excl ASYE, 15.6% ASYEs, 20.7% agency; 23.9% and 4.1% vacancy rates
    assert "Mar-25 187.00 179.42 142.24 114.24 28.00 37.18 63.7% 15.6% 20.7% 23.9% 4.1%" in (
        annual_text
    )
    # "a net increase of 5.78 Social Workers from 173.64 to 179.42"
    assert "Total social workers: from 173.64 to 179.42 (up 5.78)" in annual_text
    assert "ASYEs: from 44.4 to 28.0 (down 16.4)" in annual_text
    assert "the permanent vacancy rate was 23.9% (44.76 permanent vacancies" in annual_text


# --- pictures to look at ----------------------------------------------------------------------


@pytest.mark.screenshots
def test_the_workforce_pages_rasterise_for_a_look(march):
    _, rendered, pages = march
    first = pages.index(page_headed(pages, TITLE)) + 1
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "pack-workforce-2025-03.pdf"
    path.write_bytes(rendered.pdf)
    for old in ARTIFACTS.glob("pack-workforce-2025-03-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", str(first), "-l", str(first + 1), str(path)]
        + [str(ARTIFACTS / "pack-workforce-2025-03")],
        check=True,
    )
    pictures = sorted(ARTIFACTS.glob("pack-workforce-2025-03-*.png"))
    assert len(pictures) == 2
    assert all(picture.stat().st_size > 5_000 for picture in pictures)
