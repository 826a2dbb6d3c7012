"""
One way from a version to figures (issue 13): each spec's `figures(version)` are the very
rows its `apply` saves, a `Source` picks the version a page shows, and one partial says
which version that is, in the same words on every page.
"""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from demand.models import Measure, MeasureValue
from finance.models import DriverFigure, FinanceFigure
from kpis.models import KpiValue
from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import registry, services
from opb_portal.submissions.figures import (
    UNAPPROVED,
    Source,
    VersionShown,
    save_rows,
    version_shown,
)
from opb_portal.submissions.models import Return, ReturnVersion
from workforce.models import CaseloadFigure, WorkforceMonth

MARCH = Period(2025, 3)
# The demonstration marks what the Trust never published as illustrative after approval
# (kpis.demo, and workforce.demo's caseloads, in their source too): marks on the stored
# rows, not figures of the version.
LEFT_OUT = {"id", "illustrative"}
MARKED = {CaseloadFigure: {"source"}}
KEYS = {
    KpiValue: ("kpi_id",),
    FinanceFigure: ("line_id",),
    DriverFigure: ("driver_id",),
    WorkforceMonth: (),
    CaseloadFigure: ("service_id",),
    MeasureValue: ("measure_id", "span"),
}


def _rows(figures) -> list:
    """A spec's figures as a flat list of rows, whatever structure the domain gives them in."""
    if isinstance(figures, list):
        return figures
    if hasattr(figures, "lines"):
        return [*figures.lines, *figures.drivers]
    return [figures.month, *figures.caseloads]


def _by_key(rows) -> dict:
    return {
        (type(row).__name__, *(getattr(row, key) for key in KEYS[type(row)])): {
            field.attname: getattr(row, field.attname)
            for field in row._meta.concrete_fields
            if field.attname not in LEFT_OUT | MARKED.get(type(row), set())
        }
        for row in rows
    }


def _stored(domain: str, version: ReturnVersion) -> list:
    day = MARCH
    if domain == "kpis":
        return list(KpiValue.objects.filter(period=day))
    if domain == "finance":
        return [*FinanceFigure.objects.filter(period=day), *DriverFigure.objects.filter(period=day)]
    if domain == "workforce":
        months = WorkforceMonth.objects.filter(period=day)
        return [*months, *CaseloadFigure.objects.filter(period=day)]
    return list(MeasureValue.objects.filter(period=day, version=version))


def _approved_activity_march() -> Return:
    """March 2025's activity return, sent and approved: published year figures stand beside it."""
    submitter = User.objects.get(username="kpi.submitter")
    ret = services.return_for(organisation=submitter.organisation, domain="activity", period=MARCH)
    data = {m.code: {"value": "100", "commentary": ""} for m in Measure.objects.all()}
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    services.return_submit(ret=ret, user=submitter, explanations=dict.fromkeys(data, "Counted."))
    services.return_approve(ret=ret, user=User.objects.get(username="reviewer"))
    ret.refresh_from_db()
    return ret


@pytest.mark.parametrize("domain", ["kpis", "finance", "workforce", "activity"])
def test_an_approved_versions_figures_are_the_rows_its_approval_saved(demo, domain):
    if domain == "activity":
        ret = _approved_activity_march()
    else:
        ret = Return.objects.get(domain=domain, period=MARCH)
    version = ret.approved_version
    figures = _by_key(_rows(registry.get(domain).figures(version=version)))
    assert figures
    assert figures == _by_key(_stored(domain, version))
    assert all(row["version_id"] == version.pk for row in figures.values())


def test_a_published_figure_stands_so_the_version_gives_none_in_its_place(demo):
    ret = _approved_activity_march()
    published = MeasureValue.objects.get(
        measure__code="children_in_care", period=MARCH, span="year"
    )
    figures = registry.get("activity").figures(version=ret.approved_version)
    assert ("children_in_care", "year") not in {(r.measure.code, r.span) for r in figures}
    published.refresh_from_db()
    assert (published.value, published.version_id) == (Decimal(816), None)


def test_figures_are_read_without_saving_anything(demo):
    ret = Return.objects.get(domain="kpis", period=MARCH)
    data = {code: dict(line) for code, line in ret.approved_version.data.items()}
    data["PI1"]["value"] = "84.2"
    version = services.return_save(
        ret=ret,
        user=User.objects.get(username="kpi.submitter"),
        data=data,
        base_version=1,
        reason="PI1 recounted",
    )
    [pi1] = [v for v in registry.get("kpis").figures(version=version) if v.kpi.code == "PI1"]
    assert (pi1.pk, pi1.value, pi1.version) == (None, Decimal("84.2"), version)
    assert KpiValue.objects.get(kpi=pi1.kpi, period=MARCH).value == Decimal("86.4")


def test_saving_rows_keeps_the_stored_rows_id_and_takes_every_other_field(demo):
    stored = KpiValue.objects.filter(period=MARCH).select_related("kpi").first()
    row = KpiValue(kpi=stored.kpi, period=stored.period, value=Decimal(1), commentary="New.")
    save_rows([row], keys=("kpi", "period"))
    saved = KpiValue.objects.get(pk=stored.pk)
    assert (saved.value, saved.commentary, saved.version_id) == (Decimal(1), "New.", None)


# --- which version a source picks -----------------------------------------------------------


def _return(status: str, *, approved: int | None, current: int | None) -> Return:
    """An unsaved return whose versions are numbered (and keyed) 1, 2, ..."""
    ret = Return(status=status)
    ret.approved_version = ReturnVersion(pk=approved, number=approved) if approved else None
    ret.current_version = (
        ret.approved_version
        if current == approved
        else ReturnVersion(pk=current, number=current)
        if current
        else None
    )
    return ret


@pytest.mark.parametrize(
    ("status", "approved", "current", "picks"),
    [
        pytest.param("draft", None, 1, (None, None, 1), id="first-draft"),
        pytest.param("submitted", None, 1, (None, 1, 1), id="first-submission"),
        pytest.param("returned", None, 1, (None, None, 1), id="sent-back"),
        pytest.param("approved", 1, 1, (1, 1, 1), id="approved"),
        pytest.param("draft", 1, 2, (1, 1, 2), id="correction-in-draft"),
        pytest.param("submitted", 1, 2, (1, 2, 2), id="correction-submitted"),
        pytest.param("returned", 1, 2, (1, 1, 2), id="correction-sent-back"),
    ],
)
def test_each_source_picks_its_version(status, approved, current, picks):
    ret = _return(status, approved=approved, current=current)
    found = [Source(source).version(ret) for source in ("approved", "submitted", "latest")]
    assert tuple(v.number if v else None for v in found) == picks


def test_no_return_has_no_version_to_show():
    assert [source.version(None) for source in Source] == [None, None, None]


# --- the one sentence that says which version a page shows -----------------------------------


def _sentence(shown: VersionShown) -> str:
    return render_to_string("partials/version_shown.html", {"shown": shown}).strip()


def _shown(status, *, approved, current, source=Source.APPROVED, beside=None) -> VersionShown:
    ret = _return(status, approved=approved, current=current)
    for version in {ret.approved_version, ret.current_version} - {None}:
        version.source = "march.xlsx"
    return version_shown(domain="finance", period=MARCH, ret=ret, source=source, beside=beside)


MARK = f'<span class="unapproved">{UNAPPROVED}</span>'


@pytest.mark.parametrize(
    ("shown", "words"),
    [
        pytest.param(
            lambda: _shown("approved", approved=1, current=1),
            "Figures from the approved finance return for March 2025, version 1 (march.xlsx).",
            id="approved",
        ),
        pytest.param(
            lambda: _shown("draft", approved=1, current=2),
            "Figures from the approved finance return for March 2025, version 1 (march.xlsx); "
            "the return is now <strong>draft</strong> (version 2), and its figures show here "
            "once approved.",
            id="correction-under-way",
        ),
        pytest.param(
            lambda: _shown("draft", approved=1, current=2, beside=Source.LATEST),
            "Figures from the approved finance return for March 2025, version 1 (march.xlsx); "
            "the return is now <strong>draft</strong> (version 2), and where its figures "
            f"differ they are shown beside, marked {MARK}.",
            id="the-trusts-own-beside",
        ),
        pytest.param(
            lambda: _shown("submitted", approved=1, current=2, source=Source.SUBMITTED),
            "Figures from the finance return for March 2025 sent for approval, version 2 "
            f"(march.xlsx): {MARK}; the approved version 1 stays on the dashboards until then.",
            id="draft-pack",
        ),
        pytest.param(
            lambda: _shown("submitted", approved=None, current=1),
            "Nothing approved yet: the finance return for March 2025 is <strong>submitted"
            "</strong> (version 1).",
            id="nothing-approved-yet",
        ),
        pytest.param(
            lambda: version_shown(domain="finance", period=MARCH, ret=None),
            "",
            id="no-return",
        ),
    ],
)
def test_the_page_says_which_version_it_shows_in_one_set_of_words(shown, words):
    sentence = _sentence(shown())
    assert sentence.removeprefix('<p class="version-shown">').removesuffix("</p>") == words


def test_a_file_name_in_the_sentence_is_text_not_markup():
    shown = _shown("approved", approved=1, current=1)
    shown.version.source = '<b hx-get="/evil/">march.xlsx'
    assert "&lt;b hx-get=&quot;/evil/&quot;&gt;march.xlsx" in _sentence(shown)
