import pytest


@pytest.fixture
def demand(demo):
    """The published demand figures, authorities, neighbour groups and comparators.

    `demo` holds them (with everything else `make demo` loads); this name says
    what the demand tests rely on.
    """
    return demo
