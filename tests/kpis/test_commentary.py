"""
The Trust's commentary shows wherever its figure shows (issue 14, part 1): the scorecard
(for amber and red), the KPI page (with who and when), the pack's KPI pages, the exports
and the API. The March 2025 pack once said "No commentary was given" for every amber KPI.
"""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from kpis import pack
from kpis.demo_series import COMMENTARY
from opb_portal.accounts.models import User
from opb_portal.boardpack import render, selectors
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.figures import UNAPPROVED
from opb_portal.submissions.models import Return

MARCH, APRIL = Period(2025, 3), Period(2025, 4)
AMBER_IN_MARCH = ("PI2", "PI8", "PI9", "PI11", "PI13")


@pytest.fixture
def people(demo):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def board(client, people):
    client.force_login(people["board"])
    return client


def _row(html: str, code: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{code}<(?:(?!</tr>).)*</tr>", html, re.S).group(0)


def test_the_scorecard_shows_the_commentary_of_each_amber_kpi_and_not_of_green_ones(board):
    html = board.get(reverse("kpis:scorecard"), {"period": MARCH.iso}).content.decode()
    assert "The Trust&#x27;s commentary" in html
    for code in AMBER_IN_MARCH:
        assert escape(COMMENTARY[(code, MARCH.iso)]) in _row(html, code), code
    # PI1 is green in March: its commentary is on its page, not in the scorecard's column.
    assert escape(COMMENTARY[("PI1", MARCH.iso)]) not in html


def test_the_kpi_page_shows_each_months_commentary_with_its_version_and_author(board, people):
    html = board.get(reverse("kpis:detail", args=["2024", "PI9"])).content.decode()
    march = _row(html, "Mar-25")
    assert escape(COMMENTARY[("PI9", MARCH.iso)]) in march
    assert f"From: version 1 of the KPI return, by {people['kpi.submitter']}," in march


def test_the_march_2025_pack_gives_the_trusts_commentary_on_every_amber_kpi(demo):
    pages = pack.build_pages(MARCH)["pages"]
    assert [page.row.kpi.code for page in pages] == ["PI2", "PI8", "PI9", "PI11", "PI13"]
    for page in pages:
        assert page.commentary == COMMENTARY[(page.row.kpi.code, MARCH.iso)]
        assert page.given_with.startswith("From: version 1 of the KPI return, by ")
        assert not page.commentary_unapproved
    html = render.pack_html(selectors.pack_contents(MARCH))
    assert "No commentary was given" not in html


def test_a_draft_pack_shows_an_explanation_sent_for_approval_as_not_yet_approved(people):
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    march = Return.objects.get(domain="kpis", period=MARCH.first_day).approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    data["PI2"] |= {"value": "50.0", "commentary": ""}
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    said = "Three social workers left in March; agency cover from mid-April."
    services.return_submit(ret=ret, user=submitter, explanations={"PI2": said})

    page = next(p for p in pack.build_pages(APRIL)["pages"] if p.row.kpi.code == "PI2")

    assert page.commentary == said
    assert page.given_with.startswith("Given at submission: version 2 of the KPI return, by ")
    assert page.commentary_unapproved
    html = render.pack_html(selectors.pack_contents(APRIL))
    assert said in html
    assert UNAPPROVED in html


def test_the_year_summary_download_gives_the_commentary_month_by_month(board):
    response = board.get(reverse("kpis:year_export", args=["2024-25", "csv"]))
    rows = {
        row["Code"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    said = rows["PI9"]["The Trust's commentary"]
    assert f"Mar-25: {COMMENTARY[('PI9', MARCH.iso)]}" in said
    assert said.count("\n") == 11  # PI9 was amber or red every month of 2024-25
    assert rows["PI10"]["The Trust's commentary"] == ""  # green all year


def test_the_scorecard_download_and_the_api_give_the_commentary(board):
    response = board.get(reverse("kpis:scorecard_export", args=["csv"]), {"period": MARCH.iso})
    rows = {
        row["Code"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    api = board.get("/api/v1/kpis/", {"period": MARCH.iso}).json()
    given = {kpi["code"]: kpi["commentary"] for kpi in api["kpis"]}
    for code in AMBER_IN_MARCH:
        assert rows[code]["Commentary"] == given[code] == COMMENTARY[(code, MARCH.iso)]


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        pytest.param("kpi.submitter", True, id="the-trust-sees-its-own-unapproved-words"),
        pytest.param("board", False, id="the-board-sees-approved-words-only"),
    ],
)
def test_the_scorecard_shows_unapproved_commentary_only_to_the_trust(
    client, people, username, sees
):
    submitter = people["kpi.submitter"]
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    march = Return.objects.get(domain="kpis", period=MARCH.first_day).approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    said = "Three social workers left in March; agency cover from mid-April."
    data["PI2"] |= {"value": "50.0", "commentary": said}
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)

    client.force_login(people[username])
    html = client.get(reverse("kpis:scorecard"), {"period": APRIL.iso}).content.decode()

    pi2 = _row(html, "PI2")
    assert (said in pi2) is sees
    assert (f"{UNAPPROVED}:</strong> <small>{said}" in pi2) is sees
