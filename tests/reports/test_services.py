"""Layouts, reports, versions, conflicts and final reports, through the services."""

import datetime

import pytest
from pypdf import PdfReader

from opb_portal.accounts.models import Role
from opb_portal.reports import selectors, services
from opb_portal.reports.models import FinalReport, Kind, ReportText
from opb_portal.reports.services import ReportError, TextChanged

from .conftest import MEETING


def test_a_new_report_copies_each_layout_section_as_version_1(report):
    texts = list(report.texts.order_by("position"))
    assert [(t.position, t.heading, t.number) for t in texts] == [
        (1, "1 Recommendations", 1),
        (2, "2 Finance", 1),
    ]
    assert report.heading == "Report to Children's Services and Education Scrutiny Board"
    assert report.kind == Kind.SCRUTINY


def test_a_later_edit_of_the_layout_leaves_a_made_report_alone(report, layout, people):
    services.layout_section_save(
        layout=layout, position=1, heading="1 Recommendations", body="Changed.",
        user=people[Role.ADMINISTRATOR],
    )  # fmt: skip
    assert report.texts.get(position=1).body == "That the Board notes the Trust's performance."


@pytest.mark.parametrize(
    ("meeting", "figures_at"),
    [
        pytest.param(datetime.date(2025, 3, 24), datetime.date(2024, 12, 31), id="march-meeting"),
        pytest.param(datetime.date(2025, 2, 25), datetime.date(2024, 12, 31), id="8-weeks-exact"),
        pytest.param(datetime.date(2025, 2, 24), datetime.date(2024, 9, 30), id="under-8-weeks"),
        pytest.param(datetime.date(2025, 10, 15), datetime.date(2025, 6, 30), id="october"),
    ],
)
def test_figures_default_to_the_last_quarter_end_8_weeks_before(meeting, figures_at):
    assert services.default_figures_at(meeting) == figures_at


def test_saving_a_section_keeps_a_new_version(report, people):
    version = services.report_text_save(
        report=report, position=2, body="Now {finance.rise}.", based_on=1,
        user=people[Role.ADMINISTRATOR],
    )  # fmt: skip
    assert version.number == 2
    assert ReportText.objects.filter(report=report, position=2).count() == 2
    assert selectors.latest_texts(report)[1].body == "Now {finance.rise}."


@pytest.mark.parametrize(
    ("body", "based_on", "refusal"),
    [
        pytest.param("New text.", 0, "saved version 1 of this section", id="someone-saved-since"),
        pytest.param(
            "That the Board notes the Trust's performance.", 1, "Nothing has changed",
            id="unchanged",
        ),
        pytest.param(
            "{finance.contract_sun}", 1, "the nearest known: {finance.contract_sum}",
            id="unknown-key",
        ),
        pytest.param("x" * 20_001, 1, "at most 20,000 characters", id="too-long"),
    ],
)  # fmt: skip
def test_a_section_save_is_refused(report, people, body, based_on, refusal):
    with pytest.raises(ReportError) as refused:
        services.report_text_save(
            report=report, position=1, body=body, based_on=based_on,
            user=people[Role.REVIEWER],
        )  # fmt: skip
    assert refusal in refused.value.message


def test_a_conflict_is_its_own_refusal(report, people):
    services.report_text_save(
        report=report, position=1, body="Theirs.", based_on=1, user=people[Role.REVIEWER]
    )
    with pytest.raises(TextChanged):
        services.report_text_save(
            report=report, position=1, body="Mine.", based_on=1,
            user=people[Role.ADMINISTRATOR],
        )  # fmt: skip


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, "kpi_submitter"])
def test_only_those_who_draft_reports_save_sections(report, people, role):
    with pytest.raises(ReportError, match="does not allow"):
        services.report_text_save(
            report=report, position=1, body="Mine.", based_on=1, user=people[role]
        )


def test_making_a_report_final_keeps_its_pdf_with_its_sha256(report, people):
    final = services.report_make_final(report=report, user=people[Role.REVIEWER])
    data = final.read()
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(data)).pages)
    assert "£80.8m" in text
    assert "Requires Improvement to be Good" in text
    assert final.pages == len(PdfReader(__import__("io").BytesIO(data)).pages)
    assert len(final.sha256) == 64


def test_a_final_report_refuses_edits_and_a_second_final(report, people):
    services.report_make_final(report=report, user=people[Role.REVIEWER])
    with pytest.raises(ReportError, match="nothing in it can be edited"):
        services.report_text_save(
            report=report, position=1, body="Later.", based_on=1, user=people[Role.REVIEWER]
        )
    with pytest.raises(ReportError, match="nothing in it can be edited"):
        services.report_make_final(report=report, user=people[Role.REVIEWER])
    assert FinalReport.objects.count() == 1


def test_a_final_report_refuses_a_change_to_its_stored_hash(report, people):
    final = services.report_make_final(report=report, user=people[Role.REVIEWER])
    final.sha256 = "0" * 64
    with pytest.raises(ValueError, match="frozen"):
        final.save()


def test_a_report_naming_a_figure_not_available_is_not_made_final(layout, people):
    layout.sections.filter(position=1).update(body="{finance.january_only}")
    report = services.report_create(
        layout=layout, meeting_date=MEETING, figures_at=datetime.date(2024, 12, 31),
        title="", user=people[Role.REVIEWER],
    )  # fmt: skip
    with pytest.raises(ReportError, match="not available at its date"):
        services.report_make_final(report=report, user=people[Role.REVIEWER])


def test_the_document_numbers_sections_and_notes(report):
    document = selectors.report_document(report)
    assert [s.heading for s in document.sections] == ["1 Recommendations", "2 Finance"]
    assert [n.label for n in document.notes] == [
        "Contract sum",
        "Rise in the contract sum",
        "Ofsted judgements",
    ]
    assert [label for label, _ in document.front_matter] == ["Subject", "Director"]
    assert document.warnings == []


@pytest.mark.parametrize(
    ("front_matter", "body", "refusal"),
    [
        pytest.param("Subject: {finance.contrct_sum}", None, "The front matter", id="front"),
        pytest.param("", "{inspections.judgement}", "Section “3 Ofsted”", id="section"),
    ],
)
def test_a_layout_naming_an_unknown_fact_is_refused(layout, people, front_matter, body, refusal):
    admin = people[Role.ADMINISTRATOR]

    def save():
        if body is None:
            return services.layout_save(
                layout=layout, kind=layout.kind, name=layout.name, heading=layout.heading,
                front_matter=front_matter, in_use=True, user=admin,
            )  # fmt: skip
        return services.layout_section_save(
            layout=layout, position=None, heading="3 Ofsted", body=body, user=admin
        )

    with pytest.raises(ReportError) as refused:
        save()
    assert refusal in refused.value.message
    assert "the nearest known" in refused.value.message


def test_only_the_administrator_keeps_layouts(layout, people):
    with pytest.raises(ReportError, match="Only an administrator"):
        services.layout_section_save(
            layout=layout, position=None, heading="3", body="", user=people[Role.REVIEWER]
        )


def test_a_section_added_goes_last_and_moves_up(layout, people):
    admin = people[Role.ADMINISTRATOR]
    added = services.layout_section_save(
        layout=layout, position=None, heading="3 Ofsted", body="", user=admin
    )
    assert added.position == 3
    services.layout_reorder(layout=layout, position=3, up=True, user=admin)
    assert list(layout.sections.values_list("heading", flat=True)) == [
        "1 Recommendations", "3 Ofsted", "2 Finance",
    ]  # fmt: skip
    with pytest.raises(ReportError, match="already first"):
        services.layout_reorder(layout=layout, position=1, up=True, user=admin)


def test_the_forward_plan_proposes_the_years_reports():
    from opb_portal.periods import FinancialYear

    proposed = services.forward_plan_for(FinancialYear(2025))
    assert [(p.kind, p.due) for p in proposed] == [
        (Kind.ANNUAL_REVIEW, datetime.date(2025, 9, 30)),
        (Kind.SCRUTINY, datetime.date(2025, 10, 15)),
        (Kind.BUDGET_SCRUTINY, datetime.date(2026, 2, 10)),
        (Kind.SCRUTINY, datetime.date(2026, 3, 24)),
    ]
    assert proposed[0].title == "Annual review 2024-25"


def test_a_report_made_for_a_due_day_is_linked_to_it(layout, people):
    entry = services.due_save(
        kind=Kind.SCRUTINY, title="Scrutiny", due=MEETING, author=people[Role.REVIEWER],
        user=people[Role.ADMINISTRATOR],
    )  # fmt: skip
    report = services.report_create(
        layout=layout, meeting_date=MEETING, figures_at=None, title="", user=people[Role.REVIEWER]
    )
    entry.refresh_from_db()
    assert entry.report == report
    assert report.figures_at == datetime.date(2024, 12, 31)
