import datetime

import pytest
from django.utils import timezone

from opb_portal.accounts.models import Role
from opb_portal.reports import facts
from opb_portal.reports.facts import Fact
from opb_portal.reports.models import Kind, Layout, LayoutSection
from opb_portal.reports.services import report_create

MEETING = datetime.date(2025, 3, 24)
FIGURES_AT = datetime.date(2024, 12, 31)


def finance_facts(day: datetime.date) -> list[Fact]:
    facts_ = [
        Fact(
            key="finance.contract_sum",
            label="Contract sum",
            text="£80.8m",
            source="Finance return for December 2024, approved version 1",
            url="/finance/?period=2024-12",
            as_at="December 2024",
        ),
        Fact(
            key="finance.rise",
            label="Rise in the contract sum",
            text="8.5%",
            source="Cabinet, February 2024",
            note="The Scrutiny report of March 2025 says 8.5%.",
        ),
    ]
    # A fact the finance return first gave in 2025: not available at the end of 2024.
    if day >= datetime.date(2025, 1, 31):
        facts_.append(Fact(key="finance.january_only", label="January", text="£1.0m"))
    return facts_


def inspection_facts(day: datetime.date) -> list[Fact]:
    return [
        Fact(
            key="inspections.judgements",
            label="Ofsted judgements",
            text="Ofsted's judgements of the Trust's services",
            source="Ofsted",
            headings=("Inspection", "Date", "Judgement"),
            rows=(
                ("ILACS", "May 2022", "Requires Improvement to be Good"),
                ("Fostering", "October 2024", "Good"),
            ),
        ),
        Fact(
            key="inspections.agency_share",
            label="Agency social workers",
            text="16.4%",
            illustrative=True,
        ),
    ]


@pytest.fixture
def registered_facts(monkeypatch):
    """Two providers registered for the test alone: no domain's figures needed."""
    monkeypatch.setattr(
        facts, "_PROVIDERS", {"finance": finance_facts, "inspections": inspection_facts}
    )


@pytest.fixture
def layout(db, registered_facts) -> Layout:
    layout = Layout.objects.create(
        kind=Kind.SCRUTINY,
        name="Scrutiny Board performance update (test)",
        heading="Report to Children's Services and Education Scrutiny Board",
        front_matter="Subject: Sandwell Children's Trust performance\n"
        "Director: Director of Children's Services",
        updated_at=timezone.now(),
    )
    LayoutSection.objects.create(
        layout=layout,
        position=1,
        heading="1 Recommendations",
        body="That the Board notes the Trust's performance.",
    )
    LayoutSection.objects.create(
        layout=layout,
        position=2,
        heading="2 Finance",
        body="Cabinet approved the contract sum, {finance.contract_sum}, a rise of "
        "{finance.rise}.\n\n{inspections.judgements}",
    )
    return layout


@pytest.fixture
def report(layout, people):
    return report_create(
        layout=layout,
        meeting_date=MEETING,
        figures_at=FIGURES_AT,
        title="Performance update, March 2025",
        user=people[Role.REVIEWER],
    )
