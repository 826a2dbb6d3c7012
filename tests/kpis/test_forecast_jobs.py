"""
The KPIs' forecasts made again off the request: nightly by the scheduler's periodic work, and
as a job an administrator starts from a KPI's page (others may not), with its progress.
"""

import pytest
from django.test import Client

from kpis.models import KpiForecast
from opb_portal.accounts.models import User
from opb_portal.jobs import registry
from opb_portal.jobs.models import Job
from opb_portal.periods import Period

MARCH = Period(2025, 3)


def test_the_nightly_work_makes_every_months_forecasts_again(demo):
    KpiForecast.objects.all().delete()

    said = registry.periodic()["kpis.refresh_forecasts"].run()

    assert said.endswith("over 12 months")
    assert KpiForecast.objects.filter(last_period=MARCH).count() == 15


def test_an_administrator_starts_the_job_from_a_kpis_page_and_lands_on_the_scorecard(
    demo, django_capture_on_commit_callbacks
):
    KpiForecast.objects.all().delete()
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    page = admin.get("/kpis/2024/PI1/").content.decode()
    assert 'action="/kpis/forecasts/refresh/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/kpis/forecasts/refresh/")

    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result_url == "/kpis/scorecard/?period=2025-03"
    assert "the latest from March 2025" in job.result_message
    assert (job.progress_done, job.progress_total) == (12, 12)
    assert KpiForecast.objects.filter(last_period=MARCH).count() == 15


@pytest.mark.parametrize("username", ["reviewer", "board", "kpi.submitter"])
def test_only_an_administrator_is_offered_or_may_start_it(demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))

    assert "forecasts/refresh" not in client.get("/kpis/2024/PI1/").content.decode()
    assert client.post("/kpis/forecasts/refresh/").status_code == 403
    assert not Job.objects.exists()
