"""
Who reaches what: every URL of the portal, for a visitor, each role and a revoked role.

The matrix is one table so a reader sees it whole, and a guard walks the URL
configuration so a view added later cannot ship without a row here.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from opb_portal.accounts import roles
from opb_portal.accounts.models import Role, User

from .factories import UserFactory


@dataclass(frozen=True)
class Redirect:
    """A 302 to `to`, where `{next}` stands for the requested URL, quoted as Django quotes it."""

    to: str

    def location(self, url: str) -> str:
        return self.to.format(next=quote(url, safe="/"))


# Legend: a number is the status code; the names below are 302 redirects.
LOGIN = Redirect("/accounts/login/?next={next}")  # sign in first, then come back here
ADMIN = Redirect("/admin/login/?next={next}")  # the admin's own sign-in page
OUT = Redirect("/accounts/login/")  # signed out, back to the sign-in page
BACK = Redirect("/returns/kpis/2025-03/")  # back to the return, with a message
AGAIN = Redirect("/returns/kpis/upload/")  # no such upload waiting: upload again
MEETING = Redirect("/meetings/2025-04-17/")  # back to the meeting, with a message
JOB = Redirect("/jobs/<id>/")  # to the page of the background job just asked for
HOME = Redirect("/")  # no sign-in code owed: nothing to do here
ACCT = Redirect("/accounts/two-factor/")  # two-factor is not on: back to the account page
IMPORT = Redirect("/comparators/import/")  # no such import waiting: import again
STATS = Redirect("/comparators/statistics/")  # no such statistics file waiting: import again
OFSTED = Redirect("/inspections/import/")  # no such Ofsted file waiting: import again
REPORT = Redirect("/governance/exceptions/2025-03/kpi:2024/PI11/")  # back to the report
GMEET = Redirect("/governance/meetings/2025-05-22/")  # back to the meeting's business
FUTURE = Redirect("/annual-review/2098-99/")  # back to the review: its year has not ended
CHANGE = Redirect("/governance/changes/2/")  # back to the change, with a message
RISK = Redirect("/governance/risks/1/")  # back to the risk, with a message

ANONYMOUS, NO_ROLE = "anonymous", "none"
COLUMNS = [ANONYMOUS, *roles.values(), NO_ROLE]


def row(*cells) -> dict[str, object]:
    # strict: a new Role without a column here is an error, not a silent gap.
    return dict(zip(COLUMNS, cells, strict=True))


# What each URL name is requested as.
REQUESTS = {
    "home": ("get", "/"),
    "healthz": ("get", "/healthz"),
    "livez": ("get", "/livez"),
    "readyz": ("get", "/readyz"),
    "login": ("get", "/accounts/login/"),
    # Django 5 signs out on POST only; a GET is a 405.
    "logout": ("post", "/accounts/logout/"),
    "sso_start": ("get", "/accounts/sso/council/"),
    "sso_callback": ("get", "/accounts/sso/council/callback/?state=x&code=y"),
    "kpis:scorecard": ("get", "/kpis/scorecard/?period=2025-03"),
    "kpis:year_summary_latest": ("get", "/kpis/years/"),
    "kpis:year_summary": ("get", "/kpis/years/2024-25/"),
    "kpis:detail": ("get", "/kpis/2024/PI1/"),
    "kpis:forecasts_refresh": ("post", "/kpis/forecasts/refresh/"),
    "api:kpis": ("get", "/api/v1/kpis/?period=2025-03"),
    "api:kpis_summary": ("get", "/api/v1/kpis/summary/?year=2024-25"),
    "api:kpis_outlook": ("get", "/api/v1/kpis/outlook/?period=2025-03"),
    "workforce:dashboard": ("get", "/workforce/?period=2025-03"),
    "api:workforce": ("get", "/api/v1/workforce/?period=2025-03"),
    "finance:dashboard": ("get", "/finance/?period=2025-03"),
    "demand:dashboard": ("get", "/demand/?period=2025-03"),
    "demand:benchmark": ("get", "/benchmarks/children_in_care/?year=2024"),
    "api:demand": ("get", "/api/v1/demand/?period=2025-03"),
    "api:benchmarks": ("get", "/api/v1/benchmarks/?measure=children_in_care&year=2024"),
    "api:finance": ("get", "/api/v1/finance/?period=2025-03"),
    "api:openapi-json": ("get", "/api/v1/schema/"),
    "api_keys:list": ("get", "/accounts/api-keys/"),
    # POST only; the demonstration has made no API key.
    "api_keys:revoke": ("post", "/accounts/api-keys/1/revoke/"),
    "kpis:scorecard_export": ("get", "/kpis/scorecard.xlsx?period=2025-03"),
    "kpis:year_export": ("get", "/kpis/years/2024-25.csv"),
    "finance:lines_export": ("get", "/finance/lines.xlsx?period=2025-03"),
    # Saved scenarios: the demonstration's ids depend on the load order, so the pages of one
    # scenario ask for one that does not exist (the scenario pages' own tests open real ones).
    "finance:scenarios": ("get", "/finance/scenarios/"),
    "finance:scenario_compare": ("get", "/finance/scenarios/compare/?scenario=1&scenario=2"),
    "finance:scenario_create": ("get", "/finance/scenarios/new/"),
    "finance:scenario": ("get", "/finance/scenarios/999999/"),
    "finance:scenario_edit": ("get", "/finance/scenarios/999999/edit/"),
    "finance:scenario_delete": ("post", "/finance/scenarios/999999/delete/"),
    "finance:scenario_choose": ("post", "/finance/scenarios/999999/pack/"),
    "workforce:export": ("get", "/workforce/figures.csv?period=2025-03"),
    "workforce:caseloads_export": ("get", "/workforce/caseloads.xlsx?period=2025-03"),
    "submissions:figures_export": ("get", "/returns/kpis/2025-03/figures.xlsx"),
    "boardpack:meetings": ("get", "/meetings/"),
    "boardpack:meeting_create": ("get", "/meetings/new/"),
    "boardpack:meeting": ("get", "/meetings/2025-04-17/"),
    "boardpack:preview": ("get", "/meetings/2025-04-17/preview.pdf"),
    # POST only; an issue of the demonstration's pack.
    "boardpack:issue": ("post", "/meetings/2025-04-17/issue/"),
    # The demonstration has issued no pack yet.
    "boardpack:download": ("get", "/packs/1.pdf"),
    # The demonstration has asked for no background job.
    "jobs:job": ("get", "/jobs/00000000-0000-4000-8000-000000000000/"),
    "jobs:progress": ("get", "/jobs/00000000-0000-4000-8000-000000000000/progress/"),
    "jobs:result": ("get", "/jobs/00000000-0000-4000-8000-000000000000/result/"),
    "boardpack:annual_review": ("get", "/annual-review/2024-25/"),
    "boardpack:annual_review_pdf": ("get", "/annual-review/2024-25.pdf"),
    "boardpack:annual_reviews": ("get", "/annual-review/"),
    "boardpack:annual_text_edit": ("get", "/annual-review/2024-25/sections/change-control/"),
    "boardpack:annual_review_docx": ("get", "/annual-review/2024-25.docx"),
    # POST only; a year that has not ended, so circulating is refused (with a message).
    "boardpack:annual_review_circulate": ("post", "/annual-review/2098-99/circulate/"),
    # POST only; no draft named, so the sign-off is refused (with a message).
    "boardpack:annual_review_sign_off": ("post", "/annual-review/2098-99/sign-off/"),
    # The demonstration has circulated no draft.
    "boardpack:annual_draft_pdf": ("get", "/annual-review/2024-25/drafts/1.pdf"),
    "boardpack:annual_draft_docx": ("get", "/annual-review/2024-25/drafts/1.docx"),
    # The demonstration has frozen no review.
    "boardpack:annual_review_frozen": ("get", "/annual-review/2024-25/frozen.pdf"),
    "governance:changes": ("get", "/governance/changes/"),
    "governance:change_create": ("get", "/governance/changes/new/"),
    "governance:change": ("get", "/governance/changes/2/"),
    # POST only; an empty POST is refused with a message.
    "governance:change_agree": ("post", "/governance/changes/2/agree/"),
    "governance:change_withdraw": ("post", "/governance/changes/2/withdraw/"),
    "governance:change_supersede": ("get", "/governance/changes/2/supersede/"),
    "governance:risks": ("get", "/governance/risks/"),
    "governance:risk_create": ("get", "/governance/risks/new/"),
    "governance:risk": ("get", "/governance/risks/1/"),
    "governance:risk_review": ("get", "/governance/risks/1/review/"),
    # POST only; an empty POST is refused with a message.
    "governance:risk_close": ("post", "/governance/risks/1/close/"),
    # The demonstration's Improvement Plan of 2024-25, its first priority and first action.
    "governance:improvement": ("get", "/governance/improvement/"),
    "governance:improvement_year": ("get", "/governance/improvement/2024-25/"),
    "governance:improvement_plan_create": ("get", "/governance/improvement/new/"),
    "governance:improvement_plan_edit": ("get", "/governance/improvement/plans/1/edit/"),
    "governance:improvement_priority_create": (
        "get",
        "/governance/improvement/plans/1/priorities/new/",
    ),
    "governance:improvement_priority_edit": ("get", "/governance/improvement/priorities/1/edit/"),
    "governance:improvement_action_create": (
        "get",
        "/governance/improvement/priorities/1/actions/new/",
    ),
    "governance:improvement_action": ("get", "/governance/improvement/actions/1/"),
    "governance:improvement_action_edit": ("get", "/governance/improvement/actions/1/edit/"),
    "governance:improvement_progress": ("get", "/governance/improvement/actions/1/progress/"),
    # The demonstration's first audit is the Practice Reviews of 2024-25.
    "governance:audits": ("get", "/governance/audits/"),
    "governance:audit_create": ("get", "/governance/audits/new/"),
    "governance:audit": ("get", "/governance/audits/1/"),
    "governance:audit_edit": ("get", "/governance/audits/1/edit/"),
    "governance:audit_figure_create": ("get", "/governance/audits/1/figures/new/"),
    "admin:index": ("get", "/admin/"),
    "submissions:list": ("get", "/returns/"),
    "submissions:detail": ("get", "/returns/kpis/2025-03/"),
    "submissions:edit": ("get", "/returns/kpis/2025-04/edit/"),
    "submissions:rag": ("get", "/returns/kpis/2025-04/rag/?code=PI1&value=86.4"),
    "submissions:submit": ("get", "/returns/kpis/2025-03/submit/"),
    # POST only (a GET is a 405, see below); an empty POST is refused with a message.
    "submissions:review": ("post", "/returns/kpis/2025-03/review/"),
    "submissions:comment": ("post", "/returns/kpis/2025-03/comment/"),
    "submissions:template": ("get", "/returns/kpis/template/2025-04.xlsx"),
    "submissions:upload": ("get", "/returns/kpis/upload/"),
    "submissions:upload_problems": ("get", "/returns/kpis/upload/problems/not-kept.xlsx"),
    "submissions:upload_refused": ("get", "/returns/kpis/upload/problems/not-kept/"),
    "submissions:upload_preview": ("get", "/returns/kpis/upload/not-waiting/"),
    # The demonstration's versions were not uploaded: there is no file to download.
    "submissions:version_file": ("get", "/returns/kpis/2025-03/versions/1/file/"),
    "submissions:periods": ("get", "/periods/"),
    "comparators:list": ("get", "/comparators/"),
    "comparators:add": ("get", "/comparators/new/"),
    # The demonstration has imported no comparators.
    "comparators:detail": ("get", "/comparators/1/"),
    "comparators:import": ("get", "/comparators/import/"),
    "comparators:import_preview": ("get", "/comparators/import/not-waiting/"),
    "comparators:import_problems": ("get", "/comparators/problems/not-kept.xlsx"),
    "comparators:import_refused": ("get", "/comparators/problems/not-kept/"),
    "comparators:template": ("get", "/comparators/comparators.xlsx"),
    "comparators:groups": ("get", "/comparators/groups/"),
    "comparators:group_load": ("get", "/comparators/groups/new/"),
    "comparators:statistics": ("get", "/comparators/statistics/"),
    "comparators:statistics_preview": ("get", "/comparators/statistics/not-waiting/"),
    "comparators:statistics_problems": ("get", "/comparators/statistics/problems/not-kept.xlsx"),
    "comparators:statistics_refused": ("get", "/comparators/statistics/problems/not-kept/"),
    "comparators:published": ("get", "/statistics/"),
    "inspections:history": ("get", "/inspections/"),
    "inspections:imports": ("get", "/inspections/imports/"),
    # The demonstration has imported no Ofsted file.
    "inspections:import_detail": ("get", "/inspections/imports/1/"),
    "inspections:import": ("get", "/inspections/import/"),
    "inspections:import_preview": ("get", "/inspections/import/not-waiting/"),
    "inspections:import_problems": ("get", "/inspections/problems/not-kept.xlsx"),
    "inspections:import_refused": ("get", "/inspections/problems/not-kept/"),
    # No inspection or recommendation of the demonstration has a known id.
    "inspections:inspection": ("get", "/inspections/999999/"),
    "inspections:record": ("get", "/inspections/record/"),
    "inspections:edit": ("get", "/inspections/999999/edit/"),
    "inspections:recommendation_add": ("get", "/inspections/999999/recommendations/new/"),
    "inspections:recommendation_edit": ("get", "/inspections/recommendations/999999/edit/"),
    # The meetings' business, the actions and decisions logs. The 22 May meeting's record is
    # open (17 April's minutes are approved, which froze it); the chair is `trust.ceo`, not in
    # the matrix, so only the administrator acts for it; a board member who does not chair it is
    # sent back to it with the reason, as the pack's issue button does. No action or agenda
    # item of the demonstration has a known id: those requests name one that does not exist.
    "governance:meetings": ("get", "/governance/meetings/"),
    "governance:meeting": ("get", "/governance/meetings/2025-05-22/"),
    "governance:agenda_draft": ("post", "/governance/meetings/2025-05-22/agenda/draft/"),
    "governance:agenda_add": ("get", "/governance/meetings/2025-05-22/agenda/new/"),
    "governance:agenda_move": ("post", "/governance/meetings/2025-05-22/agenda/999999/move/"),
    "governance:agenda_withdraw": (
        "post",
        "/governance/meetings/2025-05-22/agenda/999999/withdraw/",
    ),
    "governance:attendee_add": ("get", "/governance/meetings/2025-05-22/attendees/new/"),
    "governance:minutes_edit": ("get", "/governance/meetings/2025-05-22/minutes/"),
    "governance:minutes_approve": ("post", "/governance/meetings/2025-05-22/minutes/approve/"),
    "governance:minutes_version": ("get", "/governance/meetings/2025-04-17/minutes/1/"),
    "governance:decision_create": ("get", "/governance/meetings/2025-05-22/decisions/new/"),
    "governance:actions": ("get", "/governance/actions/"),
    "governance:action_create": ("get", "/governance/actions/new/"),
    "governance:action": ("get", "/governance/actions/999999/"),
    "governance:action_update": ("post", "/governance/actions/999999/update/"),
    "governance:action_close": ("post", "/governance/actions/999999/close/"),
    "governance:decisions": ("get", "/governance/decisions/"),
    "accounts:two_factor": ("get", "/accounts/two-factor/"),
    "accounts:two_factor_enrol": ("get", "/accounts/two-factor/set-up/"),
    "accounts:two_factor_verify": ("get", "/accounts/two-factor/code/"),
    "accounts:recovery_codes": ("get", "/accounts/two-factor/recovery-codes/"),
    # POST only; nobody in the matrix has two-factor on, so there is nothing to turn off.
    "accounts:two_factor_disable": ("post", "/accounts/two-factor/turn-off/"),
    # Exception reports: the demonstration's PI11, amber in March 2025 with an accepted report.
    "governance:exceptions": ("get", "/governance/exceptions/?period=2025-03"),
    "governance:exception_report": ("get", "/governance/exceptions/2025-03/kpi:2024/PI11/"),
    "governance:exception_report_write": (
        "get",
        "/governance/exceptions/2025-03/kpi:2024/PI11/write/",
    ),
    # POST only; the report is accepted already, so the review is refused with a message.
    "governance:exception_report_review": (
        "post",
        "/governance/exceptions/2025-03/kpi:2024/PI11/review/",
    ),
    # Rectification plans: 2024-25 had none, so the demonstration has none to open.
    "governance:plans": ("get", "/governance/rectification/"),
    "governance:plan_new": ("get", "/governance/rectification/new/2025-03/kpi:2024/PI11/"),
    "governance:plan": ("get", "/governance/rectification/1/"),
    "governance:plan_revise": ("get", "/governance/rectification/1/revise/"),
    "governance:plan_review": ("post", "/governance/rectification/1/review/"),
    "governance:plan_progress": ("post", "/governance/rectification/1/progress/"),
    "governance:plan_close": ("post", "/governance/rectification/1/close/"),
    "reports:list": ("get", "/reports/"),
    "reports:new": ("get", "/reports/new/"),
    "reports:report": ("get", "/reports/999999/"),
    "reports:pdf": ("get", "/reports/999999.pdf"),
    "reports:docx": ("get", "/reports/999999.docx"),
    "reports:make_final": ("post", "/reports/999999/final/"),
    "reports:section_edit": ("get", "/reports/999999/sections/1/"),
    "reports:due_new": ("get", "/reports/forward-plan/new/"),
    "reports:layouts": ("get", "/reports/layouts/"),
    "reports:layout": ("get", "/reports/layouts/999999/"),
    "reports:layout_section_new": ("get", "/reports/layouts/999999/sections/new/"),
    "reports:layout_section": ("get", "/reports/layouts/999999/sections/1/"),
    "reports:layout_reorder": ("post", "/reports/layouts/999999/reorder/"),
}

# The administrator column is a staff administrator, as `load_demo` makes one;
# an administrator who is not staff is tested on its own below.
# fmt: off
MATRIX: dict[str, dict[str, object]] = {
    #                                  anon   kpi    finance work  review board  admin  none
    # The home page: each role's own panels (opb_portal.core.home).
    "home":                        row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # For the load balancer: no sign-in, and nothing in it but "ok" or "unreachable".
    "healthz":                     row(200,   200,   200,   200,   200,   200,   200,   200),
    # The process answers; ready (database and queue): core.health. Tests run with no broker.
    "livez":                       row(200,   200,   200,   200,   200,   200,   200,   200),
    "readyz":                      row(200,   200,   200,   200,   200,   200,   200,   200),
    "login":                       row(200,   200,   200,   200,   200,   200,   200,   200),
    # A visitor's sign-out is caught by LoginRequiredMiddleware first (see the report).
    "logout":                      row(OUT,   OUT,   OUT,   OUT,   OUT,   OUT,   OUT,   OUT),
    # Single sign-on answers only for an organisation whose provider is configured (none is
    # here); with one, tests/sso walks it against a real provider.
    "sso_start":                   row(404,   404,   404,   404,   404,   404,   404,   404),
    "sso_callback":                row(404,   404,   404,   404,   404,   404,   404,   404),
    "kpis:scorecard":              row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "kpis:year_summary_latest":    row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "kpis:year_summary":           row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "kpis:detail":                 row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # The API answers scripts: 401 with a JSON body, never a redirect to a form.
    "api:kpis":                    row(401,   200,   200,   200,   200,   200,   200,   403),
    "api:kpis_summary":            row(401,   200,   200,   200,   200,   200,   200,   403),
    # Forecasts, marked as such: read as the figures are.
    "api:kpis_outlook":            row(401,   200,   200,   200,   200,   200,   200,   403),
    "workforce:dashboard":         row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "api:workforce":               row(401,   200,   200,   200,   200,   200,   200,   403),
    "finance:dashboard":           row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "demand:dashboard":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "demand:benchmark":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "api:demand":                  row(401,   200,   200,   200,   200,   200,   200,   403),
    "api:benchmarks":              row(401,   200,   200,   200,   200,   200,   200,   403),
    "api:finance":                 row(401,   200,   200,   200,   200,   200,   200,   403),
    # The API's schema is for those who may use the API.
    "api:openapi-json":            row(401,   200,   200,   200,   200,   200,   200,   403),
    # One's own API keys; another person's key is not found.
    "api_keys:list":               row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "api_keys:revoke":             row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    # Exports of what every role may read; a return's figures as its page allows.
    "kpis:scorecard_export":       row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "kpis:year_export":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # Making the forecasts again (nightly anyway): an administrator starts it as a job.
    "kpis:forecasts_refresh":      row(LOGIN, 403,   403,   403,   403,   403,   JOB,   403),
    "finance:lines_export":        row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # Saved scenarios: everyone reads them; the council's reviewers and administrators build
    # them; the chair (a board member) or an administrator chooses those the pack shows.
    "finance:scenarios":           row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "finance:scenario_compare":    row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "finance:scenario_create":     row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "finance:scenario":            row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "finance:scenario_edit":       row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "finance:scenario_delete":     row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "finance:scenario_choose":     row(LOGIN, 403,   403,   403,   403,   404,   404,   403),
    "workforce:export":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "workforce:caseloads_export":  row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "submissions:figures_export":  row(LOGIN, 200,   403,   403,   200,   403,   200,   403),
    # Board packs: the council's reviewers, the board and administrators read them;
    # the chair (a board member) or an administrator arranges meetings and issues packs.
    "boardpack:meetings":          row(LOGIN, 403,   403,   403,   200,   200,   200,   403),
    "boardpack:meeting_create":    row(LOGIN, 403,   403,   403,   403,   200,   200,   403),
    "boardpack:meeting":           row(LOGIN, 403,   403,   403,   200,   200,   200,   403),
    # A link to the preview with none kept for the pack as it stands: the meeting's page, whose
    # POST "Preview the pack" asks for it (tests/boardpack/test_views.py, tests/jobs).
    "boardpack:preview":           row(LOGIN, 403,   403,   403,   MEETING, MEETING, MEETING, 403),
    # The chair or an administrator asks for the issue as a job; a board member who does not
    # chair is sent back with a refusal.
    "boardpack:issue":             row(LOGIN, 403,   403,   403,   403,   MEETING, JOB,   403),
    "boardpack:download":          row(LOGIN, 403,   403,   403,   404,   404,   404,   403),
    # A job's permission is its kind's (tests/jobs): a job nobody asked for is not found.
    "jobs:job":                    row(LOGIN, 404,   404,   404,   404,   404,   404,   404),
    "jobs:progress":               row(LOGIN, 404,   404,   404,   404,   404,   404,   404),
    "jobs:result":                 row(LOGIN, 404,   404,   404,   404,   404,   404,   404),
    "boardpack:annual_review":     row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "boardpack:annual_review_pdf": row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "boardpack:annual_reviews":    row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "boardpack:annual_review_docx":
                                   row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # Council reviewers and administrators edit the narrative and circulate drafts; board
    # members sign a draft off for their organisation (the signed draft is frozen).
    "boardpack:annual_text_edit":  row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "boardpack:annual_review_circulate":
                                   row(LOGIN, 403,   403,   403,   FUTURE, 403,  FUTURE, 403),
    "boardpack:annual_review_sign_off":
                                   row(LOGIN, 403,   403,   403,   403,   FUTURE, 403,   403),
    "boardpack:annual_draft_pdf":  row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "boardpack:annual_draft_docx": row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "boardpack:annual_review_frozen":
                                   row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    # Everyone reads the change control log and the risk register; administrators keep
    # the log, council reviewers and administrators the register.
    "governance:changes":          row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:change_create":    row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "governance:change":           row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:change_agree":     row(LOGIN, 403,   403,   403,   403,   403,   CHANGE, 403),
    "governance:change_withdraw":  row(LOGIN, 403,   403,   403,   403,   403,   CHANGE, 403),
    "governance:change_supersede": row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "governance:risks":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:risk_create":      row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "governance:risk":             row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:risk_review":      row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "governance:risk_close":       row(LOGIN, 403,   403,   403,   RISK,  403,   RISK,  403),
    # Everyone reads the Improvement Plan; the Trust's submitters and administrators keep it.
    "governance:improvement":                 row(LOGIN, 200, 200, 200, 200, 200, 200, 403),
    "governance:improvement_year":            row(LOGIN, 200, 200, 200, 200, 200, 200, 403),
    "governance:improvement_action":          row(LOGIN, 200, 200, 200, 200, 200, 200, 403),
    "governance:improvement_plan_create":     row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_plan_edit":       row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_priority_create": row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_priority_edit":   row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_action_create":   row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_action_edit":     row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    "governance:improvement_progress":        row(LOGIN, 200, 200, 200, 403, 403, 200, 403),
    # Everyone reads the audits and surveys; the Trust's submitters and administrators
    # record them.
    "governance:audits":           row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:audit_create":     row(LOGIN, 200,   200,   200,   403,   403,   200,   403),
    "governance:audit":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:audit_edit":       row(LOGIN, 200,   200,   200,   403,   403,   200,   403),
    "governance:audit_figure_create":
                                   row(LOGIN, 200,   200,   200,   403,   403,   200,   403),
    "admin:index":                 row(ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, 200,   ADMIN),
    # Returns: submitters see their own domain's only, so finance and workforce submitters
    # get a 403 on every KPI return page.
    "submissions:list":            row(LOGIN, 200,   200,   200,   200,   403,   200,   403),
    "submissions:detail":          row(LOGIN, 200,   403,   403,   200,   403,   200,   403),
    "submissions:edit":            row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    "submissions:rag":             row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    "submissions:submit":          row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    "submissions:review":          row(LOGIN, 403,   403,   403,   BACK,  403,   403,   403),
    # Reviewers ask, the domain's submitters answer; an administrator only watches.
    "submissions:comment":         row(LOGIN, BACK,  403,   403,   BACK,  403,   403,   403),
    "submissions:template":        row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    "submissions:upload":          row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    # A token is looked up in its owner's session only: nobody else's is found.
    "submissions:upload_problems": row(LOGIN, 404,   403,   403,   403,   403,   403,   403),
    # A refused file's problems, where its check (a job) sends its author: gone, back to upload.
    "submissions:upload_refused": row(LOGIN, AGAIN, 403,   403,   403,   403,   403,   403),
    "submissions:upload_preview":  row(LOGIN, AGAIN, 403,   403,   403,   403,   403,   403),
    "submissions:version_file":    row(LOGIN, 404,   403,   403,   404,   403,   404,   403),
    "submissions:periods":         row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    # Comparator figures: administrators import, type and correct them, with their history.
    "comparators:list":          row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "comparators:add":       row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "comparators:detail":
                                   row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "comparators:import":    row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "comparators:import_preview":
                                   row(LOGIN, 403,   403,   403,   403,   403,   IMPORT, 403),
    "comparators:import_problems":
                                   row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "comparators:import_refused":
                                   row(LOGIN, 403,   403,   403,   403,   403,   IMPORT, 403),
    "comparators:template":  row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    # Statistical neighbour groups: administrators see them and load a new one.
    "comparators:groups":    row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "comparators:group_load":
                                   row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    # Published statistics files: administrators only, as every comparator change.
    "comparators:statistics":      row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "comparators:statistics_preview":
                                   row(LOGIN, 403,   403,   403,   403,   403,   STATS, 403),
    "comparators:statistics_problems":
                                   row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "comparators:statistics_refused":
                                   row(LOGIN, 403,   403,   403,   403,   403,   STATS, 403),
    "comparators:published": row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # Ofsted's outcomes: everyone reads Sandwell's history; administrators import the MI.
    "inspections:history":         row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "inspections:imports":         row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "inspections:import_detail":   row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "inspections:import":          row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "inspections:import_preview":  row(LOGIN, 403,   403,   403,   403,   403,   OFSTED, 403),
    "inspections:import_problems": row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "inspections:import_refused": row(LOGIN, 403,   403,   403,   403,   403,
                                       Redirect("/inspections/import/"), 403),
    # Everyone reads an inspection; reviewers and administrators record by hand.
    "inspections:inspection":      row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "inspections:record":          row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "inspections:edit":            row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "inspections:recommendation_add":
                                   row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "inspections:recommendation_edit":
                                   row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    # Everyone reads the meetings' business and the logs; the chair (here the administrator)
    # sets the agenda, attendance and minutes; reviewers, board members and administrators raise
    # actions; the board's next chair (or an administrator) approves minutes, and the 22 May
    # meeting has no next meeting, so both are sent back with the reason.
    "governance:meetings":         row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:meeting":          row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:agenda_draft":     row(LOGIN, 403,   403,   403,   403,   GMEET, GMEET, 403),
    "governance:agenda_add":       row(LOGIN, 403,   403,   403,   403,   GMEET, 200,   403),
    "governance:agenda_move":      row(LOGIN, 403,   403,   403,   403,   GMEET, 404,   403),
    "governance:agenda_withdraw":  row(LOGIN, 403,   403,   403,   403,   GMEET, 404,   403),
    "governance:attendee_add":     row(LOGIN, 403,   403,   403,   403,   GMEET, 200,   403),
    "governance:minutes_edit":     row(LOGIN, 403,   403,   403,   403,   GMEET, 200,   403),
    "governance:minutes_approve":  row(LOGIN, 403,   403,   403,   403,   GMEET, GMEET, 403),
    "governance:minutes_version":  row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:decision_create":  row(LOGIN, 403,   403,   403,   403,   GMEET, 200,   403),
    "governance:actions":          row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:action_create":    row(LOGIN, 403,   403,   403,   200,   200,   200,   403),
    "governance:action":           row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "governance:action_update":    row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "governance:action_close":     row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "governance:decisions":        row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # Two-factor sign-in: anyone with a role may turn it on; the code page is part of
    # signing in, so a person with no role reaches it too (and has no code to give).
    "accounts:two_factor":         row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "accounts:two_factor_enrol":   row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "accounts:two_factor_verify":  row(LOGIN, HOME,  HOME,  HOME,  HOME,  HOME,  HOME,  HOME),
    "accounts:recovery_codes":     row(LOGIN, ACCT,  ACCT,  ACCT,  ACCT,  ACCT,  ACCT,  403),
    "accounts:two_factor_disable": row(LOGIN, ACCT,  ACCT,  ACCT,  ACCT,  ACCT,  ACCT,  403),
    # Exception reports and rectification plans: everyone reads them; the submitters of the
    # figure's return (KPIs here) write them; the council's reviewers review them.
    "governance:exceptions":       row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:exception_report": row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    "governance:exception_report_write":
                                   row(LOGIN, 200,   403,   403,   403,   403,   403,   403),
    "governance:exception_report_review":
                                   row(LOGIN, 403,   403,   403,   REPORT, 403,  403,   403),
    "governance:plans":            row(LOGIN, 200,   200,   200,   200,   200,   200,   403),
    # PI11 is not escalated: no plan is asked for.
    "governance:plan_new":         row(LOGIN, 404,   404,   404,   403,   403,   403,   403),
    "governance:plan":             row(LOGIN, 404,   404,   404,   404,   404,   404,   403),
    "governance:plan_revise":      row(LOGIN, 404,   404,   404,   403,   403,   403,   403),
    "governance:plan_review":      row(LOGIN, 403,   403,   403,   404,   403,   403,   403),
    "governance:plan_progress":    row(LOGIN, 404,   404,   404,   403,   403,   403,   403),
    "governance:plan_close":       row(LOGIN, 403,   403,   403,   404,   403,   403,   403),
    # Reports to Scrutiny and Cabinet: read as the packs are, drafted by the council's
    # officers, laid out by the administrator; no report 999999 exists (404 once allowed).
    "reports:list":                row(LOGIN, 403,   403,   403,   200,   200,   200,   403),
    "reports:new":                 row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "reports:report":              row(LOGIN, 403,   403,   403,   404,   404,   404,   403),
    "reports:pdf":                 row(LOGIN, 403,   403,   403,   404,   404,   404,   403),
    "reports:docx":                row(LOGIN, 403,   403,   403,   404,   404,   404,   403),
    "reports:make_final":          row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "reports:section_edit":        row(LOGIN, 403,   403,   403,   404,   403,   404,   403),
    "reports:due_new":             row(LOGIN, 403,   403,   403,   200,   403,   200,   403),
    "reports:layouts":             row(LOGIN, 403,   403,   403,   403,   403,   200,   403),
    "reports:layout":              row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "reports:layout_section_new":  row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "reports:layout_section":      row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
    "reports:layout_reorder":      row(LOGIN, 403,   403,   403,   403,   403,   404,   403),
}
# fmt: on


@pytest.fixture
def clients(demo, people) -> dict[str, Client]:
    """A separate browser per column of the matrix, signed in as that column's person."""
    people[Role.ADMINISTRATOR].is_staff = True
    people[Role.ADMINISTRATOR].save(update_fields=["is_staff"])
    found = {ANONYMOUS: Client()}
    for column in COLUMNS[1:]:
        found[column] = Client()
        found[column].force_login(people[column])
    return found


def _outcome(response) -> tuple[int, str | None]:
    location = response.get("Location")
    # A job's page is named by the new job's id: any job's page is the same cell.
    if location and location.startswith("/jobs/"):
        location = re.sub(r"^/jobs/[0-9a-f-]{36}/", "/jobs/<id>/", location)
    return response.status_code, location


def _expected_outcome(cell, url: str) -> tuple[int, str | None]:
    if isinstance(cell, Redirect):
        return 302, cell.location(url)
    return cell, None


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in MATRIX])
def test_each_role_gets_what_the_matrix_says(clients, name):
    method, url = REQUESTS[name]
    responses = {column: getattr(clients[column], method)(url) for column in COLUMNS}

    actual = {column: _outcome(response) for column, response in responses.items()}
    expected = {column: _expected_outcome(cell, url) for column, cell in MATRIX[name].items()}
    assert actual == expected
    if name.startswith("api:"):
        for response in responses.values():
            assert response["Content-Type"] == "application/json"
            assert response.status_code == 200 or "error" in response.json()


POST_ONLY = [
    "kpis:forecasts_refresh",
    "governance:exception_report_review",
    "governance:plan_review",
    "governance:plan_progress",
    "governance:plan_close",
    "governance:agenda_draft",
    "governance:agenda_move",
    "governance:agenda_withdraw",
    "governance:minutes_approve",
    "governance:action_update",
    "governance:action_close",
    "submissions:review",
    "submissions:comment",
    "boardpack:issue",
    "boardpack:annual_review_circulate",
    "boardpack:annual_review_sign_off",
    "governance:change_agree",
    "governance:change_withdraw",
    "governance:risk_close",
    "accounts:two_factor_disable",
    "api_keys:revoke",
    "finance:scenario_delete",
    "finance:scenario_choose",
    "reports:make_final",
    "reports:layout_reorder",
]


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in POST_ONLY])
def test_a_get_to_a_post_only_page_is_a_405_for_those_who_may_post(clients, name):
    _, url = REQUESTS[name]
    allowed = [
        c
        for c, cell in MATRIX[name].items()
        if cell in (BACK, MEETING, ACCT, REPORT, GMEET, FUTURE, CHANGE, RISK)
    ]
    refused = [c for c, cell in MATRIX[name].items() if cell == 403]

    assert {c: clients[c].get(url).status_code for c in allowed} == dict.fromkeys(allowed, 405)
    assert {c: clients[c].get(url).status_code for c in refused} == dict.fromkeys(refused, 403)


def test_a_return_of_a_domain_nobody_registered_is_not_found(clients):
    assert clients[Role.REVIEWER].get("/returns/placements/2025-03/").status_code == 404


def _url_patterns(patterns, namespace=""):
    """Every URL pattern, with the namespace it sits in (`kpis:`), however deep the includes."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_patterns(entry.url_patterns, inner)
        else:
            assert isinstance(entry, URLPattern)
            yield namespace, entry


def _portal_urls() -> list[tuple[str, URLPattern]]:
    # The admin's own pages follow Django's rule (staff only): `admin:index` stands for them.
    return [
        (namespace, entry)
        for namespace, entry in _url_patterns(get_resolver().url_patterns)
        if not namespace.startswith("admin:")
    ]


def test_every_url_of_the_portal_has_a_row_in_the_matrix():
    unnamed = [str(entry.pattern) for _, entry in _portal_urls() if not entry.name]
    names = {f"{namespace}{entry.name}" for namespace, entry in _portal_urls() if entry.name}
    assert unnamed == [], "name every URL so the role matrix can list it"
    missing = sorted(names - MATRIX.keys())
    assert missing == [], "add these URLs to MATRIX and REQUESTS in tests/test_role_matrix.py"


def test_the_guard_walks_into_included_url_configurations():
    names = {f"{namespace}{entry.name}" for namespace, entry in _portal_urls()}
    assert {"home", "logout", "kpis:detail", "api:kpis_summary"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_every_row_of_the_matrix_has_a_request_that_reaches_its_view():
    assert REQUESTS.keys() == MATRIX.keys()
    for name, (_, url) in REQUESTS.items():
        assert resolve(url.partition("?")[0]).view_name == name


def test_an_administrator_who_is_not_staff_is_sent_to_the_admins_sign_in(client, people):
    client.force_login(people[Role.ADMINISTRATOR])
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_the_demo_administrator_reaches_the_admin(client, demo):
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        pytest.param("", id="role-revoked"),
        pytest.param(Role.REVIEWER, id="reviewer"),
    ],
)
def test_a_staff_person_who_is_not_an_administrator_cannot_reach_the_admin(client, db, role):
    client.force_login(UserFactory(role=role, is_staff=True))
    assert client.get("/admin/").status_code == 302


def test_signing_out_ends_the_session(client, demo, reviewer):
    client.force_login(reviewer)
    client.post("/accounts/logout/")
    response = client.get("/kpis/scorecard/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/kpis/scorecard/",
    )


def test_signing_out_with_a_get_is_refused_and_leaves_the_person_signed_in(client, demo, reviewer):
    client.force_login(reviewer)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/kpis/years/").status_code == 200


# --- every HTTP method -------------------------------------------------------------------

# Pages that are forms answer a POST as well as GET and HEAD (their POSTs are tested with
# their journeys); POST-only actions answer nothing else; every other page only shows.
FORMS = {
    "boardpack:preview",
    # A document made as a job: GET offers it (or its kept file), POST asks for the job.
    "boardpack:annual_review_pdf",
    "boardpack:annual_review_docx",
    "reports:pdf",
    "reports:docx",
    "finance:scenario_create",
    "finance:scenario_edit",
    "login",
    "submissions:edit",
    "submissions:submit",
    "submissions:upload",
    "submissions:upload_preview",
    "submissions:periods",
    "boardpack:meeting_create",
    "governance:agenda_add",
    "governance:attendee_add",
    "governance:minutes_edit",
    "governance:decision_create",
    "governance:action_create",
    "boardpack:annual_text_edit",
    "governance:change_create",
    "governance:change_supersede",
    "governance:risk_create",
    "governance:risk_review",
    "governance:improvement_plan_create",
    "governance:improvement_plan_edit",
    "governance:improvement_priority_create",
    "governance:improvement_priority_edit",
    "governance:improvement_action_create",
    "governance:improvement_action_edit",
    "governance:improvement_progress",
    "governance:audit_create",
    "governance:audit_edit",
    "governance:audit_figure_create",
    "comparators:import",
    "comparators:import_preview",
    "comparators:statistics",
    "comparators:statistics_preview",
    "inspections:import",
    "inspections:import_preview",
    "inspections:record",
    "inspections:edit",
    "inspections:recommendation_add",
    "inspections:recommendation_edit",
    "comparators:add",
    "comparators:group_load",
    "governance:exception_report_write",
    "governance:plan_new",
    "governance:plan_revise",
    "accounts:two_factor_enrol",
    "accounts:recovery_codes",
    "accounts:two_factor_verify",
    "api_keys:list",
    "reports:new",
    "reports:section_edit",
    "reports:due_new",
    "reports:layout",
    "reports:layout_section_new",
    "reports:layout_section",
}
PUBLIC = {"healthz", "livez", "readyz", "login", "logout", "sso_start", "sso_callback"}
UNSAFE = ["post", "put", "patch", "delete"]


def _answers(name: str) -> set[str]:
    if name in POST_ONLY or name == "logout":
        return {"post"}
    if name in FORMS:
        return {"get", "head", "post"}
    return {"get", "head"}


def _refusal(name: str, column: str, url: str) -> tuple[int, str | None]:
    """What a method the page does not answer gets: sign in, 403, or 405 for who may use it."""
    cell = MATRIX[name][column]
    if column == ANONYMOUS and name not in PUBLIC:
        return _expected_outcome(cell, url)
    if cell == 403:
        return 403, None
    return 405, None


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"submissions", "boardpack", "demand", "kpis", "otp_totp", "governance"}
    }


# The admin's pages answer as Django's admin does (its own sign-in, its own forms).
@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in MATRIX if n != "admin:index"])
def test_a_method_a_page_does_not_answer_is_refused_and_changes_nothing(clients, name):
    _, url = REQUESTS[name]
    before = _counts()
    methods = [m for m in UNSAFE if m not in _answers(name)]
    actual = {
        (method, column): _outcome(clients[column].generic(method.upper(), url))
        for method in methods
        for column in COLUMNS
    }
    expected = {
        (method, column): _refusal(name, column, url) for method in methods for column in COLUMNS
    }
    assert actual == expected
    assert _counts() == before


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=name) for name in MATRIX if "head" in _answers(name)],
)
def test_a_head_request_gets_what_a_get_gets_without_a_body(clients, name):
    _, url = REQUESTS[name]
    for column in (ANONYMOUS, Role.ADMINISTRATOR, NO_ROLE):
        got, head = clients[column].get(url), clients[column].head(url)
        assert (head.status_code, head.get("Location")) == (got.status_code, got.get("Location"))
        assert head.content == b""


# --- another organisation's records ----------------------------------------------------


@pytest.fixture
def council_submitter(demo, people):
    """A KPI submitter who works for the council: a role given to the wrong person."""
    from opb_portal.accounts.models import Organisation

    person = people["kpi_submitter"]
    person.organisation = Organisation.objects.get(kind=Organisation.Kind.COUNCIL)
    person.save(update_fields=["organisation"])
    return person


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/returns/kpis/2025-03/", id="a-return"),
        pytest.param("/returns/kpis/2025-04/edit/", id="its-form"),
        pytest.param("/returns/kpis/2025-03/submit/", id="its-submission"),
        pytest.param("/returns/kpis/2025-03/figures.xlsx", id="its-figures"),
        pytest.param("/returns/kpis/2025-03/versions/1/file/", id="its-uploaded-file"),
        pytest.param("/returns/kpis/template/2025-04.xlsx", id="its-template"),
        pytest.param("/returns/kpis/upload/", id="its-upload"),
    ],
)
def test_another_organisations_returns_are_not_found_by_a_submitter(client, council_submitter, url):
    client.force_login(council_submitter)
    assert client.get(url).status_code == 404


def test_another_organisations_return_cannot_be_commented_on(client, council_submitter):
    client.force_login(council_submitter)
    response = client.post("/returns/kpis/2025-03/comment/", {"text": "Hello"})
    assert response.status_code == 404


def test_the_council_reviewer_still_reaches_the_trusts_returns(client, demo, reviewer):
    client.force_login(reviewer)
    assert client.get("/returns/kpis/2025-03/").status_code == 200
