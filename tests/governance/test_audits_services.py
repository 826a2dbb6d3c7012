"""Recording audits and surveys and their figures: what is refused, and who may."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from governance.audits import services
from governance.models import Audit, AuditFigure
from governance.refusals import Refused
from opb_portal.accounts.models import Role

from ..factories import UserFactory

JUNE, JULY, MAY = datetime.date(2024, 6, 30), datetime.date(2024, 7, 1), datetime.date(2025, 5, 31)
TOO_HIGH, TOO_LOW = "less than or equal to 100", "greater than or equal to 0"


@pytest.fixture
def recorder(db):
    return UserFactory(role="kpi_submitter")


def _fields(**changes) -> dict:
    return {
        "kind": Audit.Kind.PRACTICE_REVIEW,
        "title": "Practice Reviews",
        "theme": "The quality of practice",
        "started": JULY,
        "finished": MAY,
    } | changes


@pytest.fixture
def audit(recorder):
    return services.audit_record(user=recorder, **_fields())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"finished": JUNE}, "cannot finish before", id="ends-first"),
        pytest.param({"title": ""}, "This field cannot be blank", id="no-title"),
        pytest.param({"theme": ""}, "This field cannot be blank", id="no-theme"),
        pytest.param({"kind": "inspection"}, "not a valid choice", id="an-unknown-kind"),
        pytest.param({"title": "x" * 301}, "at most 300 characters", id="too-long-a-title"),
    ],
)  # fmt: skip
def test_an_audit_that_cannot_be_recorded_says_why(recorder, changes, message):
    with pytest.raises(ValidationError, match=message):
        services.audit_record(user=recorder, **_fields(**changes))
    assert not Audit.objects.exists()


def test_an_audit_under_way_has_no_finish_date(recorder):
    audit = services.audit_record(user=recorder, **_fields(finished=None))
    assert audit.finished is None


@pytest.mark.parametrize(
    ("as_at", "percent", "error", "message"),
    [
        pytest.param(MAY, Decimal("100.1"), ValidationError, TOO_HIGH, id="over-100"),
        pytest.param(MAY, Decimal("-1"), ValidationError, TOO_LOW, id="negative"),
        pytest.param(JUNE, Decimal("90"), Refused, "on or after", id="before-it-started"),
        pytest.param(MAY, None, ValidationError, "cannot be null", id="no-figure"),
    ],
)  # fmt: skip
def test_a_figure_that_cannot_be_recorded_says_why(audit, recorder, as_at, percent, error, message):
    with pytest.raises(error, match=message):
        services.audit_figure_record(
            audit=audit, user=recorder, measure="Compliance", as_at=as_at, percent=percent
        )
    assert not AuditFigure.objects.exists()


def test_a_figure_keeps_its_digits_and_a_second_on_the_same_day_corrects_it(audit, recorder):
    record = services.audit_figure_record
    record(audit=audit, user=recorder, measure="Compliance", as_at=MAY, percent=Decimal("97.10"))
    assert AuditFigure.objects.get().percent.as_tuple().exponent == -2  # kept as written
    record(audit=audit, user=recorder, measure=" Compliance ", as_at=MAY, percent=Decimal("97.1"))
    assert list(AuditFigure.objects.values_list("measure", "percent")) == [
        ("Compliance", Decimal("97.1"))
    ]


def test_editing_an_audit_completes_it(audit, recorder):
    services.audit_edit(audit=audit, user=recorder, findings="Better.", finished=None)
    audit.refresh_from_db()
    assert (audit.findings, audit.finished) == ("Better.", None)
    with pytest.raises(ValidationError, match="cannot finish before"):
        services.audit_edit(audit=audit, user=recorder, finished=datetime.date(2024, 1, 1))
    audit.refresh_from_db()
    assert audit.finished is None


@pytest.mark.parametrize(
    "role",
    [
        pytest.param(Role.REVIEWER, id="a-council-reviewer"),
        pytest.param(Role.BOARD_MEMBER, id="a-board-member"),
        pytest.param("", id="no-role"),
    ],
)
def test_only_the_trusts_submitters_and_administrators_record_audits(audit, role):
    someone = UserFactory(role=role)
    with pytest.raises(Refused, match="does not allow recording audits"):
        services.audit_record(user=someone, **_fields(title="Another"))
    with pytest.raises(Refused, match="does not allow"):
        services.audit_edit(audit=audit, user=someone, title="Changed")
    with pytest.raises(Refused, match="does not allow"):
        services.audit_figure_record(
            audit=audit, user=someone, measure="Compliance", as_at=MAY, percent=Decimal(90)
        )
    assert list(Audit.objects.values_list("title", flat=True)) == ["Practice Reviews"]
    assert not AuditFigure.objects.exists()


def test_an_administrator_records_audits(audit):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assert services.audit_record(user=admin, **_fields(title="Supervision audit")).pk


def test_the_strengths_and_development_table_pairs_lines_and_pads_the_shorter_column(audit):
    audit.strengths, audit.development = "One\n\n Two \nThree", "Alpha\nBeta"
    assert audit.strengths_and_development() == [("One", "Alpha"), ("Two", "Beta"), ("Three", "")]
