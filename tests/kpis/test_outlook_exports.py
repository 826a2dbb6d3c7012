"""The scorecard's download carries each KPI's outlook, headed "Forecast", never as a figure."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from kpis import exports
from kpis.selectors import scorecard
from opb_portal.periods import Period

MARCH = Period(2025, 3)


@pytest.fixture
def rows(demo) -> list[dict[str, str]]:
    export = exports.scorecard(scorecard(MARCH))
    headings = [column.title for column in export.columns]
    return [dict(zip(headings, row, strict=True)) for row in export.rows]


def test_every_outlook_column_is_headed_as_a_forecast(demo):
    export = exports.scorecard(scorecard(MARCH))
    headings = [column.title for column in export.columns]

    outlook = headings[-len(exports.OUTLOOK_COLUMNS) :]
    assert outlook == exports.OUTLOOK_COLUMNS
    assert all("forecast" in heading.lower() for heading in outlook)
    assert "Forecast next month (not a figure)" in outlook
    assert "Chance red next month (forecast)" in outlook


def test_the_outlook_cells_are_words_never_numbers(rows):
    for row in rows:
        said = row["Forecast next month (not a figure)"]
        assert said.startswith("Forecast "), row["Code"]
        assert "80% interval" in said
        assert row["Chance red next month (forecast)"].endswith("%")
        assert row["Forecast made from figures to"] == "Mar-25"
        assert "the 1-month forecast was within" in row["Forecast accuracy"]
        assert all(isinstance(row[h], str) for h in exports.OUTLOOK_COLUMNS)


def test_the_csv_download_holds_the_outlook(client, demo, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("kpis:scorecard_export", args=["csv"]), {"period": MARCH.iso})

    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 15
    assert table[0]["Outlook (forecast)"]
    assert table[0]["Forecast method"]
