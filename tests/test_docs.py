"""The documents a new engineer reads agree with the code."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from kpis.frameworks import FRAMEWORKS_CSV, rule_fields
from opb_portal import rag

DOCS = Path(settings.BASE_DIR) / "docs"


def _rows():
    with open(FRAMEWORKS_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: f"{r['framework']}-{r['code']}")
def test_the_data_dictionary_shows_every_rule_as_the_portal_applies_it(row):
    fields = rule_fields(row)
    bounds = rag.Bounds(
        *(
            rag.Bound(fields.get(name), fields.get(f"{name}_inclusive", name.startswith("green")))
            for name in ("green_lower", "green_upper", "red_below", "red_above")
        )
    )
    words = rag.describe(bounds, percent=row["unit"] == "percent")
    text = (DOCS / "data-dictionary.md").read_text(encoding="utf-8")
    section = text.split(f"### The {row['framework']} framework")[1].split("###")[0]
    assert f"| {row['code']} | {row['title']} |" in section
    assert words in section


def test_the_readme_gives_the_two_commands():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
