"""A fraction typed for a percentage comparator (0.098 for 9.8%) is questioned, not refused."""

import pytest

from opb_portal.comparators import imports


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        pytest.param("0.098", True, id="a-fraction-for-a-percentage"),
        pytest.param("9.8", False, id="a-percentage"),
        pytest.param("0.098%", False, id="a-percent-sign-says-so"),
    ],
)
def test_a_fraction_for_a_percentage_comparator_asks_if_it_was_meant(demo, value, warned):
    row, problems = imports.typed_row(
        code="PI8",
        authority="England",
        year="2024",
        value=value,
        source="",
        lookups=imports.Lookups.load(),
    )
    assert problems == []
    assert row.warning.startswith("0.098: did you mean 9.8%?") == warned
    assert bool(row.warning) == warned
