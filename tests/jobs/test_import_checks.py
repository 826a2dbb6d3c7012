"""
Every import's check step is a job (`submissions.checking`): the upload holds the file and
asks for one check per file, purpose and person; the check ends on the flow's problems page
or its preview; nothing is written to the figures before the person confirms.

Without a broker (these tests, `make demo`) the check is done inside the upload's request,
which redirects straight on; with one, the person waits on the job's page.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Inspection
from opb_portal.accounts.models import User
from opb_portal.comparators.models import ComparatorValue
from opb_portal.jobs import services
from opb_portal.jobs.models import Job
from opb_portal.submissions import pipeline, registry
from opb_portal.submissions.models import ProblemList, ReturnVersion, StagedUpload

from ..comparators import ees
from ..comparators.statistics.test_import import a_year
from ..comparators.statistics.test_reading import cla_file, cla_row
from ..demand.test_comparator_import import workbook as comparator_workbook
from ..inspections.conftest import sandwell_row, visit_row
from ..inspections.conftest import workbook as ofsted_workbook
from ..submissions.test_views_edit import figures
from ..submissions.test_views_upload import filled_template, numbers


def _return_files(client):
    good = filled_template(client, "2025-04", numbers(figures(PI1={"value": "87.5"})))
    bad = filled_template(client, "2025-04", {**numbers(figures()), "PI3": {"value": "about 11"}})
    return good, bad


FLOWS = {
    "a return": {
        "kind": "returns.check_upload",
        "url": reverse("submissions:upload", args=["kpis"]),
        "field": "workbook",
        "user": "kpi.submitter",
        "files": _return_files,
        "problem": "april.xlsx, sheet &#x27;KPI return&#x27;, cell D8",
        "preview": "Check before saving: april.xlsx",
        "stored": lambda: ReturnVersion.objects.filter(ret__period="2025-04-01").count(),
    },
    "a comparator file": {
        "kind": "comparators.check_file",
        "url": reverse("comparators:import"),
        "field": "file",
        "user": "admin",
        "files": lambda client: (
            comparator_workbook(["children_in_care", "Birmingham", 2024, 80]),
            comparator_workbook(["children_in_care", "Atlantis", 2024, 80]),
        ),
        "problem": "Atlantis",
        "preview": "Birmingham",
        "stored": lambda: (
            ComparatorValue.objects.filter(year=2024, code="children_in_care")
            .exclude(value=None)
            .count()
        ),
    },
    "a published statistics file": {
        "kind": "comparators.check_statistics",
        "url": reverse("comparators:statistics"),
        "field": "file",
        "user": "admin",
        "files": lambda client: (cla_file(*a_year(2024)), cla_file(cla_row(value="abc"))),
        "problem": "Row 2, column rate_per_10000: &#x27;abc&#x27; is not a figure",
        "preview": " to add, ",
        "stored": lambda: ComparatorValue.objects.filter(year=2024).count(),
    },
    "Ofsted's management information": {
        "kind": "inspections.check_file",
        "url": reverse("inspections:import"),
        "field": "file",
        "user": "admin",
        "files": lambda client: (
            ofsted_workbook(sandwell_row(), visit_row()),
            ofsted_workbook(sandwell_row(**{"Inspection start date": "someday"})),
        ),
        "problem": "someday",
        "preview": " to add, ",
        "stored": lambda: Inspection.objects.count(),
    },
}


@pytest.fixture
def flow(request, demo, client):
    found = FLOWS[request.param]
    ees.measure()  # the published statistics file's mapping
    client.force_login(User.objects.get(username=found["user"]))
    good, bad = found["files"](client)
    return {**found, "good": good, "bad": bad, "before": found["stored"]()}


def _send(client, flow, data, name="april.xlsx"):
    if flow["kind"] == "comparators.check_statistics":
        name = ees.CLA_FILE
    return client.post(flow["url"], {flow["field"]: SimpleUploadedFile(name, data)})


each_flow = pytest.mark.parametrize("flow", list(FLOWS), indirect=True)


@each_flow
def test_an_upload_is_checked_by_a_job_and_lands_on_its_preview(client, flow):
    response = _send(client, flow, flow["good"])

    job = Job.objects.get(kind=flow["kind"])
    assert job.state == Job.State.DONE
    assert "is checked" in job.result_message
    staged = StagedUpload.objects.get()
    assert job.params["sha256"] == hashlib.sha256(flow["good"]).hexdigest()
    assert job.params["token"] == staged.token
    assert response.status_code == 302
    assert response.url == job.result_url
    assert staged.token in response.url
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert flow["preview"] in preview.content.decode()
    assert flow["stored"]() == flow["before"]  # nothing written before the confirmation


@each_flow
def test_the_same_file_twice_is_one_check_while_its_preview_waits(client, flow):
    first = _send(client, flow, flow["good"])
    second = _send(client, flow, flow["good"])

    assert Job.objects.filter(kind=flow["kind"]).count() == 1
    assert second.url == first.url
    assert StagedUpload.objects.count() == 1  # the second copy held was let go


@each_flow
def test_a_bad_files_problems_are_shown_on_the_page_its_check_ends_on(client, flow):
    response = _send(client, flow, flow["bad"])

    job = Job.objects.get(kind=flow["kind"])
    assert job.state == Job.State.DONE
    assert response.url == job.result_url
    page = client.get(response.url)
    assert flow["problem"] in page.content.decode()
    assert "refused" in job.result_message
    assert not StagedUpload.objects.exists()  # a refused file is not kept
    assert ProblemList.objects.count() == 1
    assert flow["stored"]() == flow["before"]


@each_flow
def test_a_refused_file_sent_again_is_checked_again(client, flow):
    _send(client, flow, flow["bad"])
    _send(client, flow, flow["bad"])

    # What it is checked against (locked months, stored figures) may have moved.
    assert Job.objects.filter(kind=flow["kind"]).count() == 2


@each_flow
def test_a_confirmed_preview_leaves_the_next_upload_of_the_file_to_a_new_check(client, flow):
    first = _send(client, flow, flow["good"])
    StagedUpload.objects.get().delete()  # confirmed or cancelled

    second = _send(client, flow, flow["good"])

    assert Job.objects.filter(kind=flow["kind"]).count() == 2
    assert second.url != first.url


def test_someone_elses_refused_problems_are_not_shown(client, demo, people):
    flow = FLOWS["a return"]
    client.force_login(User.objects.get(username="kpi.submitter"))
    _, bad = _return_files(client)
    url = _send(client, flow, bad).url
    client.force_login(people["kpi_submitter"])

    response = client.get(url, follow=True)

    assert flow["problem"] not in response.content.decode()
    assert "no longer kept" in response.content.decode()


def test_with_a_broker_the_person_waits_on_the_checks_page_then_goes_on(client, demo, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # never reached: the test never commits
    flow = FLOWS["a return"]
    client.force_login(User.objects.get(username="kpi.submitter"))
    good, _ = _return_files(client)

    response = _send(client, flow, good)
    again = _send(client, flow, good)

    job = Job.objects.get(kind=flow["kind"])
    assert response.url == again.url == reverse("jobs:job", args=[job.pk])
    waiting = client.get(response.url).content.decode()
    assert "Checking april.xlsx (a return)" in waiting
    assert "Waiting for the portal" in waiting
    assert StagedUpload.objects.count() == 1

    services.job_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    polled = client.get(reverse("jobs:progress", args=[job.pk]), headers={"HX-Request": "true"})

    assert polled["HX-Redirect"] == job.result_url
    assert job.result_url == reverse(
        "submissions:upload_preview", args=["kpis", StagedUpload.objects.get().token]
    )
    assert "Check before saving: april.xlsx" in client.get(job.result_url).content.decode()


def test_a_returns_check_says_which_month_it_is_checking(demo, client):
    client.force_login(User.objects.get(username="kpi.submitter"))
    good, _ = _return_files(client)
    heard = []

    pipeline.check_upload(
        spec=registry.get("kpis"),
        organisation=User.objects.get(username="kpi.submitter").organisation,
        data=good,
        filename="april.xlsx",
        progress=lambda done, total, message: heard.append((done, total, message)),
    )

    assert heard == [(0, 1, "Checking april.xlsx: April 2025, month 1 of 1")]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        pytest.param("admin", 200, id="an administrator may watch a comparator file's check"),
        pytest.param("kpi.submitter", 403, id="a submitter may not"),
        pytest.param("reviewer", 403, id="a reviewer may not"),
    ],
)
def test_a_checks_page_follows_its_flows_permission(client, demo, username, status):
    client.force_login(User.objects.get(username="admin"))
    good = comparator_workbook(["children_in_care", "Birmingham", 2024, 80])
    _send(client, FLOWS["a comparator file"], good)
    job = Job.objects.get()
    client.force_login(User.objects.get(username=username))

    assert client.get(reverse("jobs:job", args=[job.pk])).status_code == status
