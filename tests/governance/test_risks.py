"""
The risk register: likelihood × impact rated with the one RAG evaluator, each review kept,
closed never deleted; the council's strategic risk on the Trust (amber) in the demonstration.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Risk, RiskReview
from governance.models.risks import score_status
from governance.risks import selectors, services
from governance.risks.services import RiskError
from opb_portal import rag
from opb_portal.accounts.models import Role

from ..factories import UserFactory

MITIGATIONS = "Monthly OPB; quarterly SPB."


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER, username="risk-reviewer")


@pytest.fixture
def second_reviewer(db):
    return UserFactory(role=Role.REVIEWER, username="second-reviewer")


def _raise(user, **overrides) -> Risk:
    fields = {
        "title": "Placement costs exceed the plan",
        "owner": "Director of Finance, Sandwell Children's Trust",
        "reviewed_on": datetime.date(2025, 1, 31),
        "likelihood": 3,
        "impact": 4,
        "mitigations": MITIGATIONS,
    }
    return services.risk_raise(user=user, **(fields | overrides))


@pytest.mark.parametrize(
    ("likelihood", "impact", "status"),
    [
        pytest.param(1, 1, rag.Status.GREEN, id="1-lowest"),
        pytest.param(2, 3, rag.Status.GREEN, id="6-highest-green"),
        pytest.param(2, 4, rag.Status.AMBER, id="8-lowest-amber"),
        pytest.param(3, 3, rag.Status.AMBER, id="9"),
        pytest.param(3, 4, rag.Status.AMBER, id="12-highest-amber"),
        pytest.param(3, 5, rag.Status.RED, id="15-lowest-red"),
        pytest.param(5, 5, rag.Status.RED, id="25-highest"),
    ],
)
def test_a_score_is_rated_by_the_registers_banding(likelihood, impact, status):
    assert score_status(likelihood * impact) == status


@pytest.mark.parametrize(
    ("likelihood", "impact"),
    [
        pytest.param(0, 3, id="likelihood-0"),
        pytest.param(6, 3, id="likelihood-6"),
        pytest.param(3, 0, id="impact-0"),
        pytest.param(3, 6, id="impact-6"),
    ],
)
def test_a_rating_outside_one_to_five_is_refused(reviewer, likelihood, impact):
    with pytest.raises(ValidationError):
        _raise(reviewer, likelihood=likelihood, impact=impact)
    assert not Risk.objects.exists()


def test_each_review_is_kept_and_the_latest_rates_the_risk(reviewer, second_reviewer):
    risk = _raise(reviewer, subjects=["kpi:2024/PI9"])
    services.risk_review(
        risk=risk,
        user=second_reviewer,
        reviewed_on=datetime.date(2025, 3, 31),
        likelihood=4,
        impact=4,
        mitigations=MITIGATIONS,
        note="Residential costs rose again.",
    )
    row = selectors.risk_for_page(risk.pk)
    assert [(r.score, r.recorded_by) for r in row.reviews] == [
        (12, reviewer),
        (16, second_reviewer),
    ]
    assert (row.score, row.status) == (16, rag.Status.RED)
    assert [s.ref for s in row.subjects] == ["kpi:2024/PI9"]


@pytest.mark.parametrize(
    ("reviewed_on", "says"),
    [
        pytest.param(
            datetime.date(2024, 12, 31), "last reviewed on 31 January 2025", id="before-last"
        ),
        pytest.param(datetime.date(2999, 1, 1), "in the future", id="future"),
    ],
)
def test_a_review_out_of_order_or_in_the_future_is_refused(reviewer, reviewed_on, says):
    risk = _raise(reviewer)
    with pytest.raises(RiskError, match=says):
        services.risk_review(
            risk=risk,
            user=reviewer,
            reviewed_on=reviewed_on,
            likelihood=1,
            impact=1,
            mitigations=MITIGATIONS,
        )
    assert risk.reviews.count() == 1


def test_a_closed_risk_is_kept_and_no_longer_reviewed(reviewer, second_reviewer):
    risk = services.risk_close(risk=_raise(reviewer), user=second_reviewer, reason="Resolved.")
    assert (risk.closed_by, risk.close_reason, risk.is_open) == (
        second_reviewer,
        "Resolved.",
        False,
    )
    with pytest.raises(RiskError, match="closed"):
        services.risk_review(
            risk=risk,
            user=reviewer,
            reviewed_on=datetime.date(2025, 3, 1),
            likelihood=1,
            impact=1,
            mitigations=MITIGATIONS,
        )
    with pytest.raises(RiskError, match="already closed"):
        services.risk_close(risk=risk, user=reviewer, reason="Again.")
    assert Risk.objects.filter(pk=risk.pk).exists()


@pytest.mark.parametrize(
    "role",
    [
        pytest.param("kpi_submitter", id="kpi-submitter"),
        pytest.param(Role.BOARD_MEMBER, id="board-member"),
    ],
)
def test_only_reviewers_and_administrators_keep_the_register(reviewer, role):
    risk = _raise(reviewer)
    someone = UserFactory(role=role)
    with pytest.raises(RiskError, match="does not allow"):
        _raise(someone)
    with pytest.raises(RiskError, match="does not allow"):
        services.risk_close(risk=risk, user=someone, reason="x")
    assert RiskReview.objects.count() == 1


def test_the_demo_holds_the_councils_strategic_risk_on_the_trust_at_amber(demo):
    (row,), closed = selectors.risk_register()
    assert closed == []
    assert row.status == rag.Status.AMBER
    # It was red until the May 2022 inspection, then amber: both reviews are kept.
    assert [r.status for r in row.reviews] == [rag.Status.RED, rag.Status.AMBER, rag.Status.AMBER]
    assert [s.ref for s in row.subjects] == ["finance:PL-RES", "kpi:2024/PI9"]
    assert [s.label for s in row.subjects] == [
        "Finance: Residential placements",
        "PI9 For children in care for 2.5 years or more, the percentage in the same placement "
        "for at least 2 years (aged 16 and under)",
    ]


def test_the_register_lists_open_risks_highest_first_and_closed_ones_apart(demo, reviewer):
    low = _raise(reviewer, title="Low", likelihood=1, impact=2)
    high = _raise(reviewer, title="High", likelihood=5, impact=4)
    services.risk_close(risk=low, user=reviewer, reason="Gone.")
    current, closed = selectors.risk_register()
    assert [r.risk.title for r in current][0] == "High"
    assert [r.risk for r in closed] == [low]
    assert high.pk


def test_the_register_page_query_count_is_fixed(demo, client, reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    # 9 queries: session, user, savepoint, the risks with who raised and closed them, their
    # reviews with who recorded them, their subjects, the KPIs and the finance lines they
    # concern, release
    with django_assert_num_queries(9):
        client.get("/governance/risks/")
    _raise(reviewer, title="Another", subjects=["kpi:2024/PI1", "finance:PL-SA"])
    with django_assert_num_queries(9):
        client.get("/governance/risks/")


def test_adding_a_risk_through_the_page_keeps_its_first_review(demo, client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        "/governance/risks/new/",
        {
            "title": "Agency reliance grows",
            "owner": "Director of People, the Trust",
            "subjects": ["kpi:2024/PI12"],
            "reviewed_on": "2025-03-01",
            "likelihood": "2",
            "impact": "3",
            "mitigations": "Recruitment campaign.",
        },
    )
    risk = Risk.objects.latest("pk")
    assert response["Location"] == f"/governance/risks/{risk.pk}/"
    assert (risk.reviews.get().score, risk.subjects.get().subject) == (6, "kpi:2024/PI12")
