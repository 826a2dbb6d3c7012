from decimal import Decimal

import pytest

from kpis.demo import load_demo_kpis
from opb_portal.accounts.demo import load_demo_users, load_organisations
from opb_portal.accounts.models import Organisation
from opb_portal.periods import Period
from workforce.demo import load_reference
from workforce.models import CaseloadFigure, Service, WorkforceMonth


@pytest.fixture
def workforce_demo(demo):
    """Everything `make demo` loads, the workforce demonstration included (a name for reading)."""
    return demo


@pytest.fixture
def reference(db):
    """
    Users, the KPI demonstration and the workforce services, caseload models and rules,
    but no workforce month: a Trust about to send its first workforce returns.
    """
    load_demo_users()
    load_demo_kpis()
    load_reference()


@pytest.fixture
def trust(db) -> Organisation:
    return load_organisations()[Organisation.Kind.TRUST]


@pytest.fixture
def ten_more_years(workforce_demo) -> None:
    """March 2014 to February 2024 as well: 120 more months of figures and caseloads."""
    months = Period(2024, 2).last_n(120)
    WorkforceMonth.objects.bulk_create(
        WorkforceMonth(
            period=month.first_day,
            establishment_fte=Decimal(190),
            permanent_excl_asye_fte=Decimal("110.5"),
            asye_fte=Decimal("30"),
            agency_fte=Decimal("35.25"),
        )
        for month in months
    )
    services = Service.objects.filter(code__in=["AI", "CCP", "CWCF"])
    Service.objects.filter(code__in=["AI", "CCP", "CWCF"]).update(first_month="2014-03-01")
    CaseloadFigure.objects.bulk_create(
        CaseloadFigure(service=service, period=month.first_day, children=900, fte=Decimal(50))
        for service in services
        for month in months
    )
