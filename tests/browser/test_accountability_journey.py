"""
The board's half of the work, end to end in Chromium on the demonstration (issue 14).

April 2025: PI1 falls to red. The Trust explains it at submission and the explanation is
the figure's commentary on the KPI page and in the pack; the May OPB's pack refuses to
issue until the Trust has written PI1's exception report; an action raised at the April
OPB is carried to the May meeting and closed there; the chair records the decision; and
the annual review drafts sections (g) and (h) from the records. Each page is checked
with axe-core.
"""

import pytest

from opb_portal.submissions.models import Return

from ..boardpack.conftest import pdf_pages
from .conftest import check_page
from .test_submitter_journey import fill_template, march_figures

pytestmark = pytest.mark.browser

EXPLANATION = "PI1: two long-term sickness absences in the Assessment team slowed assessments."
CAUSE = "Two social workers of the Assessment team were absent for most of April."
ACTION = "Report PI1's recovery to the next OPB"
DECISION = "The board accepts PI1's exception report and expects green by July 2025."


@pytest.fixture
def april_finance_and_workforce():
    """The finance and workforce teams' April 2025 returns, March's figures, approved."""
    from opb_portal.accounts.models import Organisation, User
    from opb_portal.submissions import services
    from opb_portal.submissions.models import ReturnEvent, ReturnVersion

    trust = Organisation.objects.get(kind=Organisation.Kind.TRUST)
    for domain in ("finance", "workforce"):
        submitter = User.objects.get(username=f"{domain}.submitter")
        march = Return.objects.get(domain=domain, period="2025-03-01").approved_version
        ret = Return.objects.create(organisation=trust, domain=domain, period="2025-04-01")
        version = ReturnVersion.objects.create(
            ret=ret, number=1, data=march.data, source="form", created_by=submitter
        )
        ret.current_version, ret.status = version, Return.Status.SUBMITTED
        ret.save()
        ReturnEvent.objects.create(
            ret=ret,
            version=version,
            action=ReturnEvent.Action.SUBMITTED,
            from_status=Return.Status.DRAFT,
            to_status=Return.Status.SUBMITTED,
            user=submitter,
        )
        services.return_approve(ret=ret, user=User.objects.get(username="reviewer"))


@pytest.fixture
def april_saved(live_server, tmp_path, april_finance_and_workforce):
    """April 2025 saved as a draft from the template: March's figures, with PI1 at 65.0 (red)."""
    from django.core.management import call_command
    from django.test import Client

    from opb_portal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="kpi.submitter"))
    workbook = tmp_path / "april.xlsx"
    workbook.write_bytes(client.get("/returns/kpis/template/2025-04.xlsx").content)
    figures = march_figures()
    fill_template(workbook, {**figures, "PI1": {"value": 65.0}})
    call_command("import_return", "kpis", str(workbook), "--user=kpi.submitter")
    return Return.objects.get(domain="kpis", period="2025-04-01")


def submit_explaining_pi1(page, url: str) -> None:
    page.goto(f"{url}/returns/kpis/2025-04/submit/")
    page.get_by_label("Explanation for PI1").fill(EXPLANATION)
    others = page.get_by_label("Explanation for", exact=False)
    for index in range(others.count()):
        if not others.nth(index).input_value():
            others.nth(index).fill("Checked with the service manager: the figure is right.")
    check_page(page, "accountability-1-submit")
    page.get_by_role("button", name="Submit the return to the council").click()
    page.wait_for_load_state()


def approve(page, url: str) -> None:
    page.goto(f"{url}/returns/kpis/2025-04/")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()


def test_a_red_kpi_is_explained_reported_acted_on_decided_and_reviewed(
    sign_in, live_server, april_saved
):
    from playwright.sync_api import expect

    url = live_server.url
    submitter = sign_in("kpi.submitter")
    submit_explaining_pi1(submitter, url)
    expect(submitter.get_by_role("main")).to_contain_text("Submitted")

    reviewer = sign_in("reviewer")
    approve(reviewer, url)
    assert Return.objects.get(domain="kpis", period="2025-04-01").status == "approved"

    # The explanation is PI1's commentary wherever the figure shows.
    reviewer.goto(f"{url}/kpis/2024/PI1/")
    expect(reviewer.get_by_role("main")).to_contain_text(EXPLANATION)
    check_page(reviewer, "accountability-2-kpi-page")

    chair = sign_in("trust.ceo")
    chair.goto(f"{url}/meetings/2025-05-22/")
    missing = chair.get_by_role("list", name="What the board still needs")
    expect(missing).to_contain_text("PI1 ")
    expect(missing).to_contain_text("is red in April 2025 and has no exception report")
    expect(chair.get_by_role("button", name="Issue pack")).to_have_count(0)
    check_page(chair, "accountability-3-pack-refused")
    chair.get_by_role("button", name="Preview the pack").click()
    result = chair.get_by_role("link", name="Open opb-board-pack-2025-04-preview.pdf")
    preview = chair.context.request.get(f"{url}{result.get_attribute('href')}")
    assert preview.status == 200
    pack_text = " ".join(" ".join(page.split()) for page in pdf_pages(preview.body()))
    assert EXPLANATION in pack_text

    # The Trust writes PI1's exception report. PI11 is amber, and its KPI asks for a report
    # when amber: the pack waits for that one too, and then issues.
    from opb_portal.boardpack.models import PackIssue

    write_report(submitter, url, "PI1", CAUSE)
    expect(submitter.get_by_role("main")).to_contain_text(CAUSE)
    check_page(submitter, "accountability-4-exception-report")
    chair.goto(f"{url}/meetings/2025-05-22/")
    missing = chair.get_by_role("list", name="What the board still needs")
    expect(missing.get_by_role("listitem")).to_have_count(1)
    expect(missing).to_contain_text("PI11 ")
    expect(chair.get_by_role("button", name="Issue pack")).to_have_count(0)
    write_report(submitter, url, "PI11", "Three large sibling groups reached two years on a plan.")
    chair.goto(f"{url}/meetings/2025-05-22/")
    chair.get_by_role("button", name="Issue pack").click()
    chair.wait_for_load_state()
    assert PackIssue.objects.filter(meeting__date="2025-05-22").count() == 1

    # An action raised at the April OPB about PI1 ...
    reviewer.goto(f"{url}/governance/meetings/2025-04-17/")
    reviewer.get_by_role("link", name="Raise an action at this meeting").click()
    reviewer.locator("#id_title").fill(ACTION)
    reviewer.locator("#id_owner").select_option(label=owner_label(reviewer))
    reviewer.locator("#id_due").fill("2025-05-22")
    reviewer.locator("#id_subject").select_option("kpi:2024/PI1")
    check_page(reviewer, "accountability-5-raise-action")
    reviewer.get_by_role("button", name="Raise the action").click()
    reviewer.wait_for_load_state()
    expect(reviewer.get_by_role("main")).to_contain_text(ACTION)

    # ... is carried to the May meeting, where it is closed.
    chair.goto(f"{url}/governance/meetings/2025-05-22/")
    expect(chair.locator("#actions-heading").locator("..")).to_contain_text(ACTION)
    check_page(chair, "accountability-6-carried")
    from governance.models import Action

    chair.goto(f"{url}/governance/actions/{Action.objects.get(title=ACTION).pk}/")
    chair.get_by_label("Outcome").fill("Reported at the May OPB: PI1 recovering.")
    chair.get_by_role("button", name="Close the action").click()
    chair.wait_for_load_state()
    expect(chair.get_by_role("main")).to_contain_text("Reported at the May OPB")

    # The chair records the decision; it is in the decisions log.
    chair.goto(f"{url}/governance/meetings/2025-05-22/")
    chair.get_by_role("link", name="Record a decision").click()
    chair.get_by_label("Decision").fill(DECISION)
    chair.get_by_role("button", name="Record the decision").click()
    chair.wait_for_load_state()
    chair.goto(f"{url}/governance/decisions/")
    expect(chair.get_by_role("main")).to_contain_text(DECISION)
    check_page(chair, "accountability-7-decisions")

    # Sections (g) and (h) of the annual review are drafted from the records.
    reviewer.goto(f"{url}/annual-review/2024-25/")
    review = reviewer.get_by_role("main")
    expect(review).to_contain_text(
        "There were no formal action plans or rectification plans in the Contract year 2024/25."
    )
    expect(review).to_contain_text("Amendment of KPI 9")
    expect(review).to_contain_text("Extension of SSA Schedule 2")
    check_page(reviewer, "accountability-8-annual-review")


def write_report(page, url: str, code: str, cause: str) -> None:
    page.goto(f"{url}/governance/exceptions/2025-04/kpi:2024/{code}/write/")
    page.get_by_label("Cause").fill(cause)
    page.get_by_label("What is being done").fill("Weekly oversight by the Head of Service.")
    page.locator("#id_owner_name").fill("Head of Service")
    page.get_by_label("Expected back on target by").fill("2025-07-31")
    page.get_by_role("button", name="Send to the council").click()
    page.wait_for_load_state()


def owner_label(page) -> str:
    """The first owner the form offers from the Trust (the action is the Trust's to do)."""
    options = page.locator("#id_owner option").all_inner_texts()
    return next(option for option in options if "Trust" in option)
