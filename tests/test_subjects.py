"""
What an accountability record can be about: each domain registers its kind of subject
(`opb_portal.core.subjects`), and a reference is described back, or kept bare.
"""

import pytest
from django.core.exceptions import ValidationError

from opb_portal.core import subjects
from opb_portal.periods import Period

APRIL_2025 = Period(2025, 4)


def test_the_domains_kinds_are_registered_in_order():
    kinds = [kind.kind for kind in subjects.kinds()]
    assert kinds == ["kpi", "finance", "workforce", "improvement", "audit", "recommendation"]


def test_a_month_offers_its_kpis_finance_lines_and_workforce_measures(demo):
    groups = dict(subjects.choices(APRIL_2025))
    assert ("kpi:2024/PI9", "PI9 " + groups["KPI"][8][1][4:]) == groups["KPI"][8]
    assert len(groups["KPI"]) == 15
    assert groups["Finance line"], "the 2025-26 plan has lines"
    assert (
        "workforce:agency_share",
        "Workforce: Agency social workers as a percentage of social workers",
    ) in groups["Workforce measure"]


def test_references_are_described_with_their_pages(demo):
    found = subjects.describe(["kpi:2024/PI9", "workforce:agency_share"])
    assert found["kpi:2024/PI9"].label.startswith("PI9 ")
    assert found["kpi:2024/PI9"].url == "/kpis/2024/PI9/"
    assert found["workforce:agency_share"].url == "/workforce/"


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("kpi:2024/PI99", id="a-kpi-no-longer-known"),
        pytest.param("minutes:12", id="a-kind-nobody-registers"),
    ],
)
def test_a_reference_nobody_knows_is_kept_bare(demo, ref):
    assert subjects.describe([ref])[ref] == subjects.Subject(ref, ref)


def test_each_kind_is_described_in_one_query(demo, django_assert_num_queries):
    refs = ["kpi:2024/PI9", "kpi:2024/PI1", "finance:X", "workforce:caseload:AI"]
    # kpi: the KPIs with their frameworks; finance: the lines; workforce: the services
    with django_assert_num_queries(3):
        subjects.describe(refs)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        pytest.param("PI9", "expected kind:key", id="no-kind"),
        pytest.param("kpi:", "expected kind:key", id="no-key"),
        pytest.param("risk:1", "'risk' is not a kind of subject", id="an-unknown-kind"),
    ],
)
def test_a_reference_must_name_a_registered_kind_and_a_key(value, says):
    with pytest.raises(ValidationError, match=says):
        subjects.validate(value)


def test_a_registered_reference_is_valid():
    subjects.validate("kpi:2024/PI9")
