import pytest


@pytest.fixture
def finance_demo(demo):
    """Everything `make demo` loads, the finance demonstration included (a name for reading)."""
    return demo
