"""
A provider declares the keys it can give: a layout may name a key the provider leaves out
on a day (a month with no return yet), and a provider giving a key it never declared is a
fault found at once, not a layout refused later.
"""

from __future__ import annotations

import datetime

import pytest

from opb_portal.reports import facts
from opb_portal.reports.facts import Fact

DAY = datetime.date(2025, 3, 31)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(facts, "_PROVIDERS", {})
    monkeypatch.setattr(facts, "_KEYS", {})


def test_a_declared_key_is_known_on_a_day_its_provider_gives_nothing(registry):
    facts.register("sample", lambda day: [], keys=["total", "rate"])

    assert facts.facts_on(DAY) == {}
    assert facts.declared_keys() == {"sample.total", "sample.rate"}


def test_a_provider_that_gives_an_undeclared_key_is_refused(registry):
    facts.register("sample", lambda day: [Fact("sample.other", "Other", "1")], keys=["total"])

    with pytest.raises(ValueError, match="does not declare: 'sample.other'"):
        facts.facts_on(DAY)


def test_a_provider_swapped_in_does_not_inherit_the_keys_of_the_one_it_replaced(registry):
    facts.register("sample", lambda day: [], keys=["total"])
    facts._PROVIDERS["sample"] = lambda day: [Fact("sample.other", "Other", "1")]

    assert facts.declared_keys() == frozenset()
    assert list(facts.facts_on(DAY)) == ["sample.other"]


def test_every_domain_declares_the_keys_it_gives_on_the_demo_dates(demo):
    declared = facts.declared_keys()
    for day in (datetime.date(2024, 12, 31), DAY):
        given = set(facts.facts_on(day))
        assert given <= declared
    assert {"finance.contract_sum", "workforce.agency_share", "kpis.red"} <= declared
