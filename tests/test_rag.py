"""
The RAG evaluator at every bound of every rule in both real frameworks.

The oracle is the CSV's own green / amber / red columns, read independently
of the loader: for each number that appears in a rule, the value on it and
just either side must get the status whose expression it satisfies.
"""

import csv
import re
from decimal import Decimal

import pytest

from kpis.frameworks import FRAMEWORKS_CSV, rule_fields
from opb_portal import rag
from opb_portal.rag import Status

STEP = Decimal("0.01")


def _rows():
    with open(FRAMEWORKS_CSV, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _predicate(expression: str):
    """`>=62.0 and <67.0 or >75.0` as a function of a Decimal."""
    ops = {
        ">=": Decimal.__ge__,
        "<=": Decimal.__le__,
        ">": Decimal.__gt__,
        "<": Decimal.__lt__,
    }
    alternatives = []
    for alternative in expression.split(" or "):
        terms = []
        for term in alternative.split(" and "):
            sign, number = re.match(r"^(>=|<=|>|<)(-?[\d.]+)$", term.strip()).groups()
            terms.append((ops[sign], Decimal(number)))
        alternatives.append(terms)
    return lambda v: any(all(op(v, n) for op, n in terms) for terms in alternatives)


def _bounds(row) -> rag.Bounds:
    fields = rule_fields(row)
    return rag.Bounds(
        green_lower=rag.Bound(fields.get("green_lower"), fields.get("green_lower_inclusive", True)),
        green_upper=rag.Bound(fields.get("green_upper"), fields.get("green_upper_inclusive", True)),
        red_below=rag.Bound(fields.get("red_below"), fields.get("red_below_inclusive", False)),
        red_above=rag.Bound(fields.get("red_above"), fields.get("red_above_inclusive", False)),
    )


def _boundary_cases():
    for row in _rows():
        numbers = {
            Decimal(n)
            for column in ("green", "amber", "red")
            for n in re.findall(r"[\d.]+", row[column])
        }
        for number in sorted(numbers):
            for value in (number - STEP, number, number + STEP):
                yield pytest.param(row, value, id=f"{row['framework']}-{row['code']}-{value}")


@pytest.mark.parametrize(("row", "value"), list(_boundary_cases()))
def test_it_agrees_with_the_published_zones_at_every_bound(row, value):
    expected = [
        status
        for status, column in (
            (Status.GREEN, "green"),
            (Status.AMBER, "amber"),
            (Status.RED, "red"),
        )
        if _predicate(row[column])(value)
    ]
    assert len(expected) == 1, f"the CSV puts {value} in {expected}"
    assert rag.evaluate(value, _bounds(row)) == expected[0]


def _by_code(framework, code):
    return next(r for r in _rows() if r["framework"] == framework and r["code"] == code)


@pytest.mark.parametrize(
    ("framework", "code", "value", "status"),
    [
        pytest.param("2024", "PI1", "85.0", Status.GREEN, id="2024-PI1-on-target-bound-is-green"),
        pytest.param(
            "2024", "PI1", "84.99", Status.AMBER, id="2024-PI1-just-below-target-is-amber"
        ),
        pytest.param(
            "2024", "PI1", "70.01", Status.AMBER, id="2024-PI1-just-above-failure-is-amber"
        ),
        pytest.param("2024", "PI1", "70.0", Status.RED, id="2024-PI1-on-failure-bound-is-red"),
        pytest.param("2024", "PI3", "15.0", Status.GREEN, id="2024-PI3-lower-is-better-on-bound"),
        pytest.param("2024", "PI3", "22.0", Status.RED, id="2024-PI3-failure-bound-is-red"),
        pytest.param("2024", "PI9", "67.0", Status.GREEN, id="2024-PI9-band-bottom-is-green"),
        pytest.param("2024", "PI9", "75.0", Status.GREEN, id="2024-PI9-band-top-is-green"),
        pytest.param("2024", "PI9", "75.01", Status.AMBER, id="2024-PI9-above-band-is-amber"),
        pytest.param("2024", "PI9", "100", Status.AMBER, id="2024-PI9-far-above-band-is-amber"),
        pytest.param("2024", "PI9", "62.0", Status.AMBER, id="2024-PI9-tolerance-bottom-is-amber"),
        pytest.param("2024", "PI9", "61.99", Status.RED, id="2024-PI9-below-tolerance-is-red"),
        pytest.param("2024", "PI12", "33.99", Status.GREEN, id="2024-PI12-strict-target"),
        pytest.param("2024", "PI12", "34.0", Status.AMBER, id="2024-PI12-on-target-bound-is-amber"),
        pytest.param("2024", "PI12", "40.0", Status.RED, id="2024-PI12-on-failure-bound-is-red"),
        pytest.param("2018", "PI1", "75", Status.AMBER, id="2018-PI1-unassigned-bound-goes-worse"),
        pytest.param("2018", "PI1", "65", Status.RED, id="2018-PI1-failure-bound-goes-worse"),
        pytest.param(
            "2018", "PI5", "10", Status.AMBER, id="2018-PI5-count-target-bound-goes-worse"
        ),
    ],
)
def test_it_rates_a_value_on_a_published_bound(framework, code, value, status):
    assert rag.evaluate(Decimal(value), _bounds(_by_code(framework, code))) == status


def test_a_missing_value_is_missing_not_red():
    assert rag.evaluate(None, _bounds(_by_code("2024", "PI1"))) == Status.MISSING


@pytest.mark.parametrize(
    ("framework", "code", "words"),
    [
        pytest.param(
            "2024", "PI1", "Green ≥ 85.0%; Amber > 70.0% and < 85.0%; Red ≤ 70.0%", id="higher"
        ),
        pytest.param(
            "2024", "PI12", "Green < 34.0%; Amber ≥ 34.0% and < 40.0%; Red ≥ 40.0%", id="lower"
        ),
        pytest.param(
            "2024",
            "PI9",
            "Green ≥ 67.0% and ≤ 75.0%; Amber ≥ 62.0% and < 67.0%, or > 75.0%; Red < 62.0%",
            id="band",
        ),
    ],
)
def test_it_describes_the_rule_it_applied_in_words(framework, code, words):
    assert rag.describe(_bounds(_by_code(framework, code)), percent=True) == words


@pytest.mark.parametrize(
    ("polarity", "bounds", "field"),
    [
        pytest.param(
            "higher_is_better",
            {"green_lower": "80", "red_below": "90"},
            "red_below",
            id="red-reaching-into-green",
        ),
        pytest.param(
            "higher_is_better", {"green_lower": "80"}, "red_below", id="missing-red-bound"
        ),
        pytest.param(
            "lower_is_better",
            {"green_upper": "10", "red_above": "20", "green_lower": "1"},
            "green_lower",
            id="bound-the-polarity-does-not-use",
        ),
        pytest.param(
            "band",
            {"green_lower": "75", "green_upper": "67", "red_below": "62"},
            "green_upper",
            id="band-upside-down",
        ),
    ],
)
def test_it_refuses_a_rule_whose_shape_does_not_fit(polarity, bounds, field):
    made = rag.Bounds(
        **{
            name: rag.Bound(Decimal(bounds[name]) if name in bounds else None, True)
            for name in ("green_lower", "green_upper", "red_below", "red_above")
        }
    )
    assert field in rag.check_shape(made, polarity)


def test_every_real_rule_has_a_sound_shape():
    for row in _rows():
        assert rag.check_shape(_bounds(row), row["polarity"]) == {}, row["code"]
