"""
The main navigation, drawn from what each app registers (opb_portal.core.domains).

The links, their order and who sees each are those base.html listed by hand before the
domains registered them: the tables below are that template's, role by role.
"""

import re

import pytest
from django.core import checks
from django.template import loader

from opb_portal.accounts import roles
from opb_portal.core import domains
from opb_portal.submissions import registry

HOME = [("/", "Home")]
DASHBOARDS = [
    ("/kpis/scorecard/", "KPI scorecard"),
    ("/kpis/years/", "Year summary"),
    ("/finance/", "Finance"),
    ("/workforce/", "Workforce"),
    ("/demand/", "Demand"),
    ("/statistics/", "Published statistics"),
    # Ofsted's published outcomes: Sandwell's history and its neighbours' latest judgements.
    ("/inspections/", "Ofsted"),
    # Accountability: everyone reads it (VIEW_ACCOUNTABILITY).
    ("/governance/exceptions/", "Exception reports"),
]
GOVERNANCE = [
    ("/governance/meetings/", "Meetings"),
    ("/governance/actions/", "Actions"),
    ("/governance/decisions/", "Decisions"),
    ("/governance/changes/", "Changes"),
    ("/governance/risks/", "Risks"),
    ("/governance/improvement/", "Improvement Plan"),
    ("/governance/audits/", "Audits"),
]
PACKS = [("/meetings/", "Board packs")]
ANNUAL = [("/annual-review/", "Annual review")]
# Reports to Scrutiny and Cabinet and the forward plan: those who read the packs.
REPORTS = [("/reports/", "Reports")]
RETURNS = [("/returns/", "Returns")]
LOCK = [("/periods/", "Lock months")]
ADMINISTRATION = [
    ("/comparators/", "Comparators"),
    ("/inspections/imports/", "Ofsted imports"),
    ("/admin/", "Administration"),
]

SEEN_BY = {
    "kpi_submitter": HOME + DASHBOARDS + GOVERNANCE + ANNUAL + RETURNS,
    "finance_submitter": HOME + DASHBOARDS + GOVERNANCE + ANNUAL + RETURNS,
    "workforce_submitter": HOME + DASHBOARDS + GOVERNANCE + ANNUAL + RETURNS,
    "reviewer": HOME + DASHBOARDS + GOVERNANCE + PACKS + ANNUAL + REPORTS + RETURNS,
    "board_member": HOME + DASHBOARDS + GOVERNANCE + PACKS + ANNUAL + REPORTS,
    "administrator": (
        HOME + DASHBOARDS + GOVERNANCE + PACKS + ANNUAL + REPORTS + RETURNS + LOCK + ADMINISTRATION
    ),
    "none": [],
}

MAIN = re.compile(r'<nav class="navbar[^"]*" aria-label="Main">(.*?)</nav>', re.S)
LINK = re.compile(r'<a class="nav-link[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>')
CURRENT = re.compile(r'<a class="nav-link active" href="([^"]+)" aria-current="([a-z]+)">')


def main_navigation(html: str) -> list[tuple[str, str]]:
    return LINK.findall(MAIN.search(html)[1])


def test_every_role_has_a_row_here():
    assert SEEN_BY.keys() == {*roles.values(), "none"}


@pytest.mark.parametrize("role", SEEN_BY)
def test_each_role_sees_the_links_it_saw_in_the_same_order(client, people, role):
    client.force_login(people[role])
    # Any page draws the navigation; the portal's "not found" page needs no figures.
    html = client.get("/no-such-page/").content.decode()
    assert main_navigation(html) == SEEN_BY[role]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        pytest.param("/kpis/scorecard/", [("/kpis/scorecard/", "page")], id="the-page-itself"),
        pytest.param(
            "/kpis/2024/PI1/", [("/kpis/scorecard/", "true")], id="a-kpi-of-the-scorecard"
        ),
        pytest.param("/kpis/years/2024-25/", [("/kpis/years/", "true")], id="a-year"),
        pytest.param(
            "/governance/meetings/2025-04-17/",
            [("/governance/meetings/", "true")],
            id="the-longest-address-wins",
        ),
        pytest.param("/annual-review/2024-25/", [("/annual-review/", "true")], id="annual-review"),
        pytest.param("/returns/kpis/2025-03/", [("/returns/", "true")], id="a-return"),
        pytest.param("/accounts/api-keys/", [], id="outside-every-section"),
    ],
)
def test_the_section_of_the_page_is_the_one_link_marked_current(client, people, path, current):
    client.force_login(people["administrator"])
    html = client.get(path).content.decode()
    assert CURRENT.findall(MAIN.search(html)[1]) == current


def test_the_navigation_folds_behind_a_menu_button_that_needs_no_script(client, people):
    client.force_login(people["board_member"])
    nav = MAIN.search(client.get("/no-such-page/").content.decode())[1]
    # A <details>: its <summary> opens and closes it with no script at all.
    assert re.search(r'<details class="nav-menu"[^>]*>\s*<summary[^>]*>Menu</summary>', nav)
    assert "<script" not in nav


def test_a_visitor_who_has_not_signed_in_sees_no_navigation(db, client):
    html = client.get("/accounts/login/").content.decode()
    assert main_navigation(html) == []


def test_the_error_page_offers_the_main_pages_with_no_request_or_database():
    # No `db` fixture: a query here would be an error, not a number to count.
    html = loader.render_to_string("500.html")
    offered = re.findall(r'<li class="list-inline-item"><a href="([^"]+)">([^<]+)</a>', html)
    assert offered == [("/", "Home"), *DASHBOARDS[:1], *DASHBOARDS[2:5], *PACKS, *RETURNS]


def test_home_is_the_first_link_of_the_navigation_and_the_brand_goes_home(client, people):
    client.force_login(people["board_member"])
    html = client.get("/").content.decode()
    assert main_navigation(html)[0] == ("/", "Home")
    assert '<a class="navbar-brand" href="/">' in html


# --- roles as data --------------------------------------------------------------------------


def test_a_persons_role_offers_the_same_choices_in_the_same_order():
    from opb_portal.accounts.models import User

    assert list(User._meta.get_field("role").choices) == [
        ("kpi_submitter", "Trust submitter: KPIs"),
        ("finance_submitter", "Trust submitter: finance"),
        ("workforce_submitter", "Trust submitter: workforce"),
        ("reviewer", "Council reviewer"),
        ("board_member", "Board member"),
        ("administrator", "Administrator"),
    ]


def test_each_return_is_sent_by_the_role_its_domain_registered():
    assert {spec.domain: roles.sender_of(spec.domain) for spec in registry.all_specs()} == {
        "kpis": "kpi_submitter",
        "finance": "finance_submitter",
        "workforce": "workforce_submitter",
        "activity": "kpi_submitter",
    }


def test_a_return_sent_by_a_role_nobody_registered_fails_the_system_check(monkeypatch):
    class Stray(registry.ReturnSpec):
        domain = "stray"
        submitter_role = "stray_submitter"

    monkeypatch.setitem(registry._SPECS, "stray", Stray())
    found = [error.id for error in checks.run_checks() if error.level >= checks.ERROR]
    assert found == ["submissions.E001"]


def test_a_domain_cannot_register_a_machinery_role_as_its_submitter():
    with pytest.raises(ValueError, match="machinery"):
        roles.register_submitter(roles.SubmitterRole("reviewer", "Trust submitter: reviews"))


def test_two_domains_cannot_register_one_role_value_with_different_labels():
    with pytest.raises(ValueError, match="Two different roles"):
        roles.register_submitter(roles.SubmitterRole("kpi_submitter", "Something else"))


# --- the demonstration ------------------------------------------------------------------------


def test_the_domains_load_their_demonstration_in_the_order_they_depend_on():
    loaders = [loader.load.__module__ for loader in domains.demo_loaders()]
    assert loaders == [
        "kpis.demo",
        "workforce.demo",
        "finance.demo",
        "demand.demo",
        # Sandwell's inspections and visits, with the authorities demand stores.
        "inspections.demo",
        # The meetings are the board pack's, after every domain's figures.
        "opb_portal.boardpack.demo",
        # The reports to Scrutiny and Cabinet, drafted from the domains' figures.
        "opb_portal.reports.demo",
        # Governance's records are about the domains' figures and the meetings: after both.
        "governance.demo",
    ]


def test_two_different_links_to_one_page_are_refused():
    with pytest.raises(ValueError, match="Two different links"):
        domains.register_navigation(domains.Link("Scores", "kpis:scorecard", order=15))
