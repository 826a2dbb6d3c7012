"""
The attack of issue 11, replayed in Chromium: a submitter writes an htmx element that posts
as soon as htmx sees it, and waits for a reviewer or an administrator to open the page.

A submitter explained a red PI1 with an element posting "approve" to the review URL, with
the page's own CSRF token; the reviewer's browser approved the return. The same element in
a correction reason, posting to the admin's change page of the submitter, made them a
superuser. Here each page is opened by the person the attack needs, every POST the page
sends is recorded, and nothing may be sent.

Each test also shows it would have caught the attack: the same page, served as if escaping
had failed, with its locks taken off (hx-disable, the htmx configuration, portal.js's
GET-only rule) does post; with each lock alone it does not.
"""

import json
import re

import pytest
from django.utils.html import escape

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions import services
from opb_portal.submissions.models import Return

from .conftest import shot

pytestmark = pytest.mark.browser

APRIL, MARCH = Period(2025, 4), Period(2025, 3)


def attack(url: str, values: dict) -> str:
    """The element of the issue: posts `values` to `url`, with the page's CSRF token, on load."""
    return (
        f'<div hx-post="{url}" hx-trigger="load" hx-vals=\'{json.dumps(values)}\' '
        'hx-include="[name=\'csrfmiddlewaretoken\']" hx-swap="none">'
    )


def watch_posts(page) -> list:
    """Every POST the page sends from now on, as Chromium sees it."""
    sent = []
    page.on("request", lambda request: request.method == "POST" and sent.append(request))
    return sent


def open_page(page, url: str) -> str:
    """Open `url` and wait until the page has sent all it was going to: its HTML as served."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response.text()


def escaping_failed(html: str, payload: str) -> str:
    """The page as it would be had the text not been escaped: the element is markup."""
    assert escape(payload) in html, "the payload did not reach the page"
    return html.replace(escape(payload), payload)


def unlocked(html: str, *, hx_disable: bool = True, config: bool = True, guard: bool = True):
    """The page with its locks taken off: hx-disable, the htmx configuration, portal.js."""
    for off, lock in (
        (hx_disable, r"\s(?:data-)?hx-disable(?=[\s>])"),
        (config, r"<meta name=\"htmx-config\"[^>]*>"),
        (guard, r"<script src=\"[^\"]*/portal[^\"]*\.js\"[^>]*></script>"),
    ):
        if off:
            html, found = re.subn(lock, "", html)
            assert found, f"no {lock} on the page to take off"
    return html


def open_as_served(page, url: str, html: str) -> None:
    """Open `url` in the person's browser, the server's answer replaced by `html`."""

    def serve(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    page.route(url, serve)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.unroute(url)


def april_submitted_explaining_pi1_with(text: str) -> Return:
    submitter = User.objects.get(username="kpi.submitter")
    march = Return.objects.get(domain="kpis", period=MARCH.first_day).approved_version.data
    data = {code: dict(fields) for code, fields in march.items()}
    data["PI1"] |= {"value": "60", "commentary": ""}  # red: it needs an explanation
    ret = services.return_for(organisation=submitter.organisation, domain="kpis", period=APRIL)
    services.return_save(ret=ret, user=submitter, data=data, base_version=None)
    services.return_submit(
        ret=ret, user=submitter, explanations=dict.fromkeys(data, "Checked.") | {"PI1": text}
    )
    assert ret.events.filter(note__contains=f"PI1: {text}").exists()
    return ret


def march_corrected_because(text: str) -> Return:
    submitter = User.objects.get(username="kpi.submitter")
    ret = Return.objects.get(domain="kpis", period=MARCH.first_day)
    services.return_save(
        ret=ret,
        user=submitter,
        data=ret.approved_version.data,
        base_version=ret.current_version.number,
        reason=text,
    )
    return ret


def test_a_reviewer_opening_a_return_explained_with_an_htmx_element_approves_nothing(
    sign_in, live_server
):
    from playwright.sync_api import expect

    review = f"/returns/kpis/{APRIL.iso}/review/"
    payload = attack(review, {"decision": "approve", "comment": "auto"})
    ret = april_submitted_explaining_pi1_with(payload)
    detail = f"{live_server.url}/returns/kpis/{APRIL.iso}/"
    reviewer = sign_in("reviewer")
    sent = watch_posts(reviewer)

    served = open_page(reviewer, detail)

    shot(reviewer, "htmx-attack-reviewer")
    assert sent == []
    ret.refresh_from_db()
    assert ret.status == Return.Status.SUBMITTED
    expect(reviewer.locator("#history-heading").locator("..")).to_contain_text(payload)

    # Had escaping failed, each lock alone would still stop it...
    broken = escaping_failed(served, payload)
    for locks, page in {
        "every lock": broken,
        "hx-disable alone": unlocked(broken, hx_disable=False),
        "portal.js alone": unlocked(broken, guard=False),
    }.items():
        open_as_served(reviewer, detail, page)
        assert sent == [], f"posted with {locks}"
    # ...and with none, the reviewer's browser approves the return: the test would see it.
    open_as_served(reviewer, detail, unlocked(broken))
    # The explanation is on the page twice (PI1's commentary and the submission's note),
    # and each copy posts.
    assert {(r.url, r.post_data_json["decision"]) for r in sent} == {
        (live_server.url + review, "approve")
    }
    ret.refresh_from_db()
    assert ret.status == Return.Status.APPROVED


def test_an_administrator_opening_a_correction_reason_with_an_htmx_element_promotes_nobody(
    sign_in, live_server
):
    from playwright.sync_api import expect

    submitter = User.objects.get(username="kpi.submitter")
    change = f"/admin/accounts/user/{submitter.pk}/change/"
    payload = attack(change, {"is_superuser": "on", "is_staff": "on"})
    march_corrected_because(payload)
    administrator = sign_in("admin")
    sent = watch_posts(administrator)
    detail = f"{live_server.url}/returns/kpis/{MARCH.iso}/"

    # The return's page shows the reason in its history and beside its version.
    served = open_page(administrator, detail)
    shot(administrator, "htmx-attack-administrator")
    # The admin's own pages load no htmx (tests/security/test_htmx_lockdown.py); opened anyway.
    for page in ("/admin/", change, "/admin/accounts/user/"):
        open_page(administrator, live_server.url + page)

    assert sent == []
    submitter.refresh_from_db()
    assert (submitter.is_superuser, submitter.is_staff) == (False, False)
    administrator.goto(detail)
    expect(administrator.locator("#history-heading").locator("..")).to_contain_text(payload)
    expect(administrator.locator("#versions-heading").locator("..")).to_contain_text(payload)

    # Had escaping failed and every lock been off, the administrator's browser would post.
    administrator.route(f"{live_server.url}{change}", lambda route: route.fulfill(status=204))
    open_as_served(administrator, detail, unlocked(escaping_failed(served, payload)))
    assert {(r.url, r.post_data_json["is_superuser"]) for r in sent} == {
        (live_server.url + change, "on")
    }
