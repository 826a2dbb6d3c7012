"""A typed comparator's audit line says what the figure was, not what it became."""

import logging
from decimal import Decimal

from opb_portal.accounts.models import Role
from opb_portal.comparators import services
from opb_portal.comparators.models import ComparatorValue


def test_the_audit_line_of_a_typed_figure_keeps_the_value_it_replaced(demo, people, caplog):
    stored = ComparatorValue.objects.get(
        code="children_in_care", authority__name="Birmingham", year=2024
    )
    assert stored.value == Decimal("79")
    with caplog.at_level(logging.INFO, logger="opb.audit"):
        services.comparator_save(
            user=people[Role.ADMINISTRATOR],
            code="children_in_care",
            authority="Birmingham",
            year="2024",
            value="78",
        )
    (line,) = [r.audit for r in caplog.records if r.getMessage() == "comparator_save"]
    assert (line["old_value"], line["new_value"]) == ("79", "78")
