"""
The words that betray another domain's workbook: each return declares its own, and the
registry hands every return the words of all the others (issue 13: no domain keeps a copy
of another's vocabulary, so a new domain's words reach every return without an edit).
"""

import pytest

from opb_portal.submissions import registry
from opb_portal.submissions.pipeline import check_upload

from ..spreadsheets.builders import xlsx

DOMAINS = ["activity", "finance", "kpis", "workforce"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_return_reads_the_words_of_every_other_return_in_the_order_of_their_names(domain):
    others = registry.words_of_others(domain)
    assert list(others) == [other for other in DOMAINS if other != domain]
    for other, words in others.items():
        assert set(words) <= set(registry.get(other).words)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_layout_of_each_return_carries_the_other_returns_words(db, domain):
    spec = registry.get(domain)
    assert spec.layout.other_domains == registry.words_of_others(domain)


def test_a_kpi_workbook_does_not_take_the_vacancy_rate_for_a_workforce_sign():
    # PI12 is "Vacancy rate (% of case holding social worker posts ...)".
    assert "vacancy rate" in registry.get("workforce").words
    assert "vacancy rate" not in registry.words_of_others("kpis")["workforce"]
    assert "vacancy rate" in registry.words_of_others("finance")["workforce"]


def test_a_new_domains_words_reach_every_return_without_an_edit(monkeypatch):
    class MeetingsSpec(registry.ReturnSpec):
        domain = "meetings"
        words = ("action log", "rectification plan")

    monkeypatch.setitem(registry._SPECS, "meetings", MeetingsSpec())
    for domain in DOMAINS:
        assert registry.words_of_others(domain)["meetings"] == MeetingsSpec.words
    assert "meetings" not in registry.words_of_others("meetings")


def test_an_activity_sheet_uploaded_as_a_finance_return_is_named_as_such(demo):
    # The activity return's words reach the finance return through the registry.
    data = xlsx(
        {
            "Figures": [
                ["Placement type", "Children"],
                ["Placed with internal foster carers", 266],
                ["Placed with connected carers", 192],
            ]
        }
    )
    checked = check_upload(
        spec=registry.get("finance"), organisation=None, data=data, filename="activity.xlsx"
    )
    assert not checked.ok
    assert "looks like an activity return" in checked.errors[0].message
