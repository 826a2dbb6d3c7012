"""
The change control log, the risk register and the annual review's narrative show what people
wrote as text, never markup: in every text field, the payload of issue 11 (an htmx element
posting on load, a script, an image's error handler, an attribute break-out), and on every page
and in the review's printed HTML it comes through escaped.
"""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from governance.changes import services as changes
from governance.models import Change
from governance.risks import services as risks
from opb_portal.accounts.models import User
from opb_portal.boardpack import annual, render, selectors
from opb_portal.periods import FinancialYear, Period

from .test_person_written_text_is_escaped import assert_shown_escaped, hostile

YEAR = FinancialYear(2024)


@pytest.fixture
def world(demo):
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="reviewer")
    change = changes.change_record(
        user=admin,
        title=hostile("change title"),
        detail=hostile("change detail"),
        kind=Change.Kind.CONTRACT,
        in_force_from=Period(2024, 10),
        agreed_by="spb",
        agreed_on=datetime.date(2024, 9, 12),
    )
    withdrawn = Change.objects.get(kind=Change.Kind.SSA)
    changes.change_withdraw(change=withdrawn, user=admin, reason=hostile("withdrawal reason"))
    risk = risks.risk_raise(
        user=reviewer,
        title=hostile("risk title"),
        description=hostile("risk description"),
        owner=hostile("risk owner"),
        reviewed_on=datetime.date(2025, 1, 1),
        likelihood=2,
        impact=2,
        mitigations=hostile("risk mitigations"),
        note=hostile("risk note"),
    )
    closed = risks.risk_raise(
        user=reviewer,
        title=hostile("closed risk title"),
        owner="Someone",
        reviewed_on=datetime.date(2025, 1, 1),
        likelihood=1,
        impact=1,
        mitigations="None needed.",
    )
    risks.risk_close(risk=closed, user=reviewer, reason=hostile("risk close reason"))
    annual.annual_text_save(
        year=YEAR, key="proposed-changes", text=hostile("annual text"), based_on=0, user=reviewer
    )
    return {"change": change, "withdrawn": withdrawn, "risk": risk, "closed": closed}


PAGES = [
    pytest.param(
        lambda w: "/governance/changes/",
        ["change title"],
        id="change-log",
    ),
    pytest.param(
        lambda w: f"/governance/changes/{w['change'].pk}/",
        ["change title", "change detail"],
        id="change",
    ),
    pytest.param(
        lambda w: f"/governance/changes/{w['withdrawn'].pk}/",
        ["withdrawal reason"],
        id="withdrawn-change-and-its-history",
    ),
    pytest.param(
        lambda w: f"/governance/changes/{w['change'].pk}/supersede/",
        ["change title", "change detail"],
        id="supersede-form",
    ),
    pytest.param(
        lambda w: "/governance/risks/",
        ["risk title", "risk owner", "closed risk title"],
        id="risk-register",
    ),
    pytest.param(
        lambda w: f"/governance/risks/{w['risk'].pk}/",
        ["risk title", "risk description", "risk owner", "risk mitigations", "risk note"],
        id="risk",
    ),
    pytest.param(
        lambda w: f"/governance/risks/{w['closed'].pk}/",
        ["closed risk title", "risk close reason"],
        id="closed-risk",
    ),
    pytest.param(
        lambda w: f"/governance/risks/{w['risk'].pk}/review/",
        ["risk title", "risk mitigations"],
        id="risk-review-form",
    ),
    pytest.param(
        lambda w: "/annual-review/2024-25/",
        ["annual text", "change title"],
        id="annual-review",
    ),
    pytest.param(
        lambda w: "/annual-review/2024-25/sections/proposed-changes/",
        ["annual text"],
        id="annual-review-edit",
    ),
    pytest.param(
        lambda w: "/annual-review/2024-25/sections/change-control/",
        ["change title"],
        id="annual-review-draft-from-the-log",
    ),
]


@pytest.mark.parametrize(("url", "kinds"), PAGES)
def test_every_page_shows_what_people_wrote_escaped(world, client, url, kinds):
    client.force_login(User.objects.get(username="admin"))
    response = client.get(url(world))
    assert response.status_code == 200
    assert_shown_escaped(response.content.decode(), [hostile(kind) for kind in kinds])


def test_the_annual_reviews_printed_html_shows_the_narrative_escaped(world):
    review = selectors.annual_review(YEAR)
    html = render_to_string(
        "boardpack/annual_review_print.html", render.annual_context(review, timezone.now())
    )
    assert_shown_escaped(html, [hostile("annual text"), hostile("change title")])
