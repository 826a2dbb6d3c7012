"""
The people bench/load.py simulates, for locust (run by load.py, not on its own).

The server runs the production settings behind a pretend reverse proxy: every
request says `X-Forwarded-Proto: https`, as nginx would after terminating TLS, so
nothing in the settings is relaxed. Over plain HTTP on loopback the session and
CSRF cookies are still marked Secure; each person's cookie jar sends them back
anyway, as a browser talking to the proxy over https would. A form post carries
Origin and Referer, as Django's CSRF check demands of an https request.

Everything load.py prepared (the API token, the issued pack, the KPI codes, the
workbook's figures) comes in the JSON file named by OPB_LOAD_CONFIG.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import openpyxl
from locust import FastHttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.event import EventHook
from urllib3 import encode_multipart_formdata

CONFIG = json.loads(Path(os.environ["OPB_LOAD_CONFIG"]).read_text())
PERIOD = CONFIG["period"]
PASSWORD = CONFIG["password"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What load.py's test_start fills in: the pack to download, the workbook to upload.
PREPARED: dict = {}
# Each simulated person has an address of their own, as the proxy would report it.
ADDRESSES = (f"127.0.{n // 250}.{n % 250 + 1}" for n in itertools.count(250))
# Each simulated submitter signs in with an account of their own (load.py makes them):
# a person keeps only their last few staged uploads (submissions.uploads.KEEP_STAGED), so
# dozens of people on one account would discard each other's previews before the cancel.
SUBMITTERS = itertools.cycle(CONFIG["submitters"])


def behind_the_proxy(client: FastHttpSession, **headers: str) -> None:
    """What the proxy adds to each request, and Secure cookies sent back over loopback HTTP."""
    client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))
    client.client.default_headers.update(
        {"X-Forwarded-Proto": "https", "X-Forwarded-For": next(ADDRESSES), **headers}
    )


def origin(client: FastHttpSession) -> str:
    return "https://" + client.base_url.split("://", 1)[1].rstrip("/")


def csrf_token(client: FastHttpSession) -> str:
    return next(cookie.value for cookie in client.cookiejar if cookie.name == "csrftoken")


def post_form(client: FastHttpSession, path: str, fields: dict, *, name: str, files=None):
    """A form post as the browser sends it: the CSRF token, Origin and Referer."""
    fields = {**fields, "csrfmiddlewaretoken": csrf_token(client)}
    headers = {"Origin": origin(client), "Referer": origin(client) + path}
    if files:
        body, content_type = encode_multipart_formdata({**fields, **files})
    else:
        body, content_type = encode_multipart_formdata(fields)
    headers["Content-Type"] = content_type
    return client.post(path, data=body, headers=headers, name=name, catch_response=True)


def sign_in(client: FastHttpSession, username: str) -> None:
    """Through the login form, as a person does; django-axes sees a good password."""
    client.get("/accounts/login/", name="login form")
    with post_form(
        client,
        "/accounts/login/",
        {"username": username, "password": PASSWORD},
        name="login",
    ) as response:
        if response.status_code != 200 or "/accounts/login/" in response.url:
            response.failure(f"{username} could not sign in ({response.status_code})")


def expect(response, text: str) -> None:
    """A page that answers 200 but not with the page asked for is an error too."""
    if response.status_code != 200:
        response.failure(f"answered {response.status_code}")
    elif text not in response.text:
        response.failure(f"answered 200 without {text!r}")


def filled_workbook(template: bytes, figures: dict) -> bytes:
    """The portal's own template for the month with `figures` typed in, as the tests do."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["KPI return"]
    headings = {cell.value: cell.column for cell in sheet[5] if cell.value}
    for row in sheet.iter_rows(min_row=6):
        for field, value in figures.get(row[0].value, {}).items():
            column = headings.get(field.capitalize())
            if column and value not in ("", None):
                typed = value if field == "commentary" else float(value)
                sheet.cell(row=row[0].row, column=column, value=typed)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@events.test_start.add_listener
def prepare(environment, **_kwargs) -> None:
    """Before anyone starts: the chair issues the pack; a submitter fills in the template."""
    try:
        issue_and_fill(environment)
    except Exception as error:
        # No figures without the pack and the workbook: stop, and say why.
        print(f"bench/_locustfile: cannot prepare: {error!r}", flush=True)
        environment.process_exit_code = 2
        environment.runner.quit()
        raise


def issue_and_fill(environment) -> None:
    quiet = EventHook()  # preparation is not part of the figures

    def session() -> FastHttpSession:
        # Issuing renders the whole pack: on a busy machine that can take a while.
        client = FastHttpSession(
            base_url=environment.host, request_event=quiet, user=None, network_timeout=300
        )
        behind_the_proxy(client)
        return client

    chair = session()
    sign_in(chair, "trust.ceo")  # the OPB chair, the Trust's Chief Executive
    meeting = f"/meetings/{CONFIG['meeting']}/"
    with post_form(chair, meeting + "issue/", {}, name="issue") as response:
        if response.status_code != 200:
            raise RuntimeError(f"issuing the pack answered {response.status_code}")
    found = re.search(r"/packs/(\d+)\.pdf", chair.get(meeting).text)
    if not found:
        raise RuntimeError("the chair could not issue the board pack")
    PREPARED["pack"] = f"/packs/{found.group(1)}.pdf"

    submitter = session()
    sign_in(submitter, "kpi.submitter")
    template = submitter.get(f"/returns/kpis/template/{CONFIG['upload_month']}.xlsx")
    if template.status_code != 200:
        raise RuntimeError(f"the KPI template answered {template.status_code}")
    PREPARED["workbook"] = filled_workbook(template.content, CONFIG["figures"])


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(*CONFIG["think"])
    username = ""

    def on_start(self) -> None:
        behind_the_proxy(self.client)
        sign_in(self.client, self.username)

    def page(self, path: str, name: str, text: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            expect(response, text)


class BoardMember(PortalUser):
    """Reads the dashboards before the meeting and downloads the pack: most of the traffic."""

    weight = 6
    username = "board"

    @task(5)
    def scorecard(self) -> None:
        self.page(f"/kpis/scorecard/?period={PERIOD}", "scorecard", "KPI scorecard:")

    @task(4)
    def kpi_page(self) -> None:
        code = random.choice(CONFIG["kpi_codes"])
        self.page(f"/kpis/{CONFIG['framework']}/{code}/", "kpi page", code)

    @task(3)
    def finance(self) -> None:
        self.page(f"/finance/?period={PERIOD}", "finance dashboard", "Finance:")

    @task(3)
    def workforce(self) -> None:
        self.page(f"/workforce/?period={PERIOD}", "workforce dashboard", "Social work workforce:")

    @task(2)
    def demand(self) -> None:
        self.page("/demand/", "demand dashboard", "Demand:")

    @task(2)
    def benchmark(self) -> None:
        self.page(f"/benchmarks/{CONFIG['benchmark']}/", "benchmark page", "benchmarks,")

    @task(1)
    def board_pack(self) -> None:
        with self.client.get(PREPARED["pack"], name="board pack", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
            elif not response.content.startswith(b"%PDF"):
                response.failure("the pack is not a PDF")


class KpiSubmitter(PortalUser):
    """Uploads the month's workbook, reads the preview, cancels; looks at the scorecard."""

    weight = 2

    def on_start(self) -> None:
        self.username = next(SUBMITTERS)
        super().on_start()

    @task(2)
    def upload_and_preview(self) -> None:
        upload = "/returns/kpis/upload/"
        self.page(upload, "upload page", "Upload a workbook")
        files = {"workbook": ("kpi-return.xlsx", PREPARED["workbook"], XLSX)}
        # The check, the redirect and the preview, timed as one: what the person waits for.
        with post_form(self.client, upload, {}, name="upload and preview", files=files) as response:
            expect(response, "Check before saving")
            preview = response.url
        if "/upload/" in preview and preview.rstrip("/") != upload.rstrip("/"):
            path = "/" + preview.split("://", 1)[-1].split("/", 1)[1]
            with post_form(
                self.client, path, {"decision": "cancel"}, name="upload cancel"
            ) as response:
                expect(response, "Cancelled")
                if "no longer waiting" in response.text:
                    # Say which refusal it was: the preview was discarded before the cancel.
                    response.failure("the upload was no longer waiting when cancelled")

    @task(1)
    def scorecard(self) -> None:
        self.page(f"/kpis/scorecard/?period={PERIOD}", "scorecard", "KPI scorecard:")


class ApiClient(FastHttpUser):
    """A council analyst's script reading the JSON API with a token: no session, no CSRF."""

    weight = 2
    wait_time = between(*CONFIG["think"])

    def on_start(self) -> None:
        behind_the_proxy(self.client, Authorization=f"Token {CONFIG['api_token']}")

    @task
    def api(self) -> None:
        domain = random.choice(["kpis", "finance", "workforce"])
        with self.client.get(
            f"/api/v1/{domain}/?period={PERIOD}", name=f"api {domain}", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
            elif not response.headers.get("Content-Type", "").startswith("application/json"):
                response.failure("answered without JSON")
