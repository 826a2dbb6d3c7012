import pytest

from kpis.demo import load_demo_kpis
from kpis.frameworks import load_frameworks
from opb_portal.accounts.demo import load_demo_users
from opb_portal.accounts.models import Role

from .factories import UserFactory


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Each test keeps uploaded and staged files in a directory of its own."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    settings.UPLOAD_PENDING_ROOT = settings.UPLOAD_ROOT / "pending"
    return settings.UPLOAD_ROOT


@pytest.fixture
def frameworks(db):
    """Both real contract KPI frameworks, from the project's fixture."""
    load_frameworks()


@pytest.fixture
def demo(db):
    """Everything `make demo` loads: frameworks, 2024-25 figures, one user per role."""
    load_demo_users()
    load_demo_kpis()


@pytest.fixture
def people(db) -> dict[str, object]:
    """One signed-up person per role, plus one whose role was revoked (`none`)."""
    found = {role.value: UserFactory(role=role, username=f"test-{role.value}") for role in Role}
    found["none"] = UserFactory(role="", username="test-no-role")
    return found


@pytest.fixture
def reviewer(people):
    return people[Role.REVIEWER]
