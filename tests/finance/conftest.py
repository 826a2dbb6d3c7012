import pytest

from finance.models import Scenario


@pytest.fixture
def finance_demo(demo):
    """Everything `make demo` loads, the finance demonstration included (a name for reading)."""
    return demo


@pytest.fixture
def demo_without_scenarios(demo):
    """The demonstration without its two saved scenarios, for tests that save their own."""
    Scenario.objects.all().delete()
    return demo
