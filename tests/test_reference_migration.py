"""
The child population moved from kpis to opb_portal.reference (issue 13) keeping every row:
migrated back to before the move, given rows in the old table, and forward again, the rows
are all in `reference_childpopulation` with their ids, and new rows carry on after them.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opb_portal.reference.models import ChildPopulation

BEFORE = [("kpis", "0004_kpidefinition_decimal_places"), ("reference", None)]
ROWS = [
    (2022, 85_900, "ONS mid-2022"),
    (2023, 86_100, "ONS mid-2023"),
    (2024, 86_835, "Annual review 2024-25"),
]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def tables() -> set[str]:
    return {t for t in connection.introspection.table_names() if t.endswith("childpopulation")}


@pytest.mark.django_db(transaction=True)
def test_the_child_population_keeps_every_row_when_it_moves_to_reference():
    content_type = ContentType.objects.get_for_model(ChildPopulation).pk
    executor = migrate(BEFORE)
    assert tables() == {"kpis_childpopulation"}
    state = executor.loader.project_state([BEFORE[0]])
    old = state.apps.get_model("kpis", "ChildPopulation")
    made = {
        old.objects.create(financial_year_start=year, children=children, source=source).pk: (
            year,
            children,
            source,
        )
        for year, children, source in ROWS
    }

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert tables() == {"reference_childpopulation"}
    moved = {
        row.pk: (row.financial_year_start, row.children, row.source)
        for row in ChildPopulation.objects.all()
    }
    assert moved == made
    # The sequence came with the table: the next row follows the moved ones.
    assert ChildPopulation.objects.create(financial_year_start=2025, children=1).pk > max(made)
    # So did the content type, and with it the admin's history of the table.
    found = ContentType.objects.get(app_label="reference", model="childpopulation")
    assert found.pk == content_type
    assert not ContentType.objects.filter(app_label="kpis", model="childpopulation").exists()
