import pytest

from opb_portal.accounts.models import User

from ..factories import UserFactory


@pytest.fixture
def kpi_submitter(demo):
    """The demonstration's KPI submitter of the Trust."""
    return User.objects.get(username="kpi.submitter")


@pytest.fixture
def jo_bloggs(kpi_submitter):
    """A second KPI submitter of the Trust: the someone else whose save a refusal names."""
    trust = kpi_submitter.organisation
    return UserFactory(
        role="kpi_submitter", organisation=trust, first_name="Jo", last_name="Bloggs"
    )
