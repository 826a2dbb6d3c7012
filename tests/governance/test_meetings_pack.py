"""
The pack's actions and decisions (overdue first, then due before the next meeting; the
decisions since the last meeting) and the annual review's section (j), on the demonstration.
"""

from __future__ import annotations

import pytest

from governance import pack
from opb_portal.boardpack import sections
from opb_portal.periods import FinancialYear, Period


def refs(rows) -> list[str]:
    return [row.action.title.split(" ")[0] for row in rows]


def test_the_april_pack_reads_the_17_april_meeting(demo):
    page = pack.board(Period(2025, 3))
    assert str(page.meeting) == "OPB meeting of 17 April 2025"
    assert refs(page.overdue) == ["Review"]  # due 10 April
    assert refs(page.due_soon) == ["Confirm", "Present"]  # before 22 May
    assert page.later == 1  # the residential plan, due 31 May
    assert page.decisions == []  # the board's first recorded meeting


def test_the_may_pack_lists_decisions_since_the_last_meeting_of_both_boards(demo):
    page = pack.board(Period(2025, 4))
    assert refs(page.overdue) == ["Review", "Confirm"]
    assert [str(row.decision.meeting) for row in page.decisions] == [
        "OPB meeting of 17 April 2025",
        "OPB meeting of 17 April 2025",
        "SPB meeting of 24 April 2025",
    ]


def test_a_month_without_a_meeting_is_read_a_month_on(demo):
    page = pack.board(Period(2025, 1))
    assert (page.meeting, str(page.day)) == (None, "2025-02-01")


def test_the_pack_page_is_built_once_per_pack(demo, django_assert_num_queries):
    with sections.one_build():
        # 7 queries: the meeting on the month, the board's previous and next meetings, the
        # actions due before the next, the count due after, decisions, the KPIs named
        with django_assert_num_queries(7):
            pack.build(Period(2025, 3))
        with django_assert_num_queries(0):
            pack.build(Period(2025, 3))


def test_section_j_is_drafted_from_the_meetings_on_the_years_figures(demo):
    draft = pack.annual_draft(FinancialYear(2024))
    assert draft.startswith(
        "The Operational Partnership Board, chaired by the Trust's Chief Executive, met once "
        "on the figures of the Contract year 2024/25: 17 April 2025."
    )
    assert (
        "The Strategic Partnership Board, chaired by the council's Chief Executive, met once"
        in (draft)
    )
    assert "OPB meeting of 17 April 2025: 5 present, 1 apology" in draft
    assert "The boards recorded 3 decisions: To ask the Trust for a recovery plan" in draft
    assert "They raised 4 actions, of which 1 is closed and 3 open." in draft


def test_section_j_says_so_when_no_meeting_is_recorded(db):
    assert pack.annual_draft(FinancialYear(2023)) == (
        "The Operational Partnership Board and the Strategic Partnership Board met as set out "
        "in Schedule 19 (Governance); no meeting on the figures of the Contract year 2023/24 is "
        "recorded in the portal."
    )


@pytest.mark.parametrize("attribute", ["annual_draft", "build"])
def test_the_section_is_registered_with_its_parts(attribute):
    (section,) = [s for s in sections.all_sections() if s.key == pack.KEY]
    assert getattr(section, attribute) is not None
    assert section.annual_title.startswith("Section (j) The contractual governance arrangements")
