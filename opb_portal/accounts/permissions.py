"""
The one permission check of the portal.

Every view and every service asks `can(user, action)`; the role matrix lives
here and nowhere else, so the role x view test, the templates and the
services read the same rules.
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed

from . import roles
from .roles import Role

# Who holds an action, written as role values and these two names: the submitter roles are
# the domains' (accounts.roles), so the matrix names them as one group.
EVERYONE = "everyone"
SUBMITTERS = "submitters"


class Action(StrEnum):
    VIEW_DASHBOARDS = "view_dashboards"
    USE_API = "use_api"
    MANAGE_FRAMEWORKS = "manage_frameworks"
    VIEW_RETURNS = "view_returns"
    SUBMIT_RETURN = "submit_return"
    REVIEW_RETURN = "review_return"
    LOCK_PERIOD = "lock_period"
    VIEW_PACKS = "view_packs"
    MANAGE_MEETINGS = "manage_meetings"
    EXPORT = "export"
    MANAGE_TWO_FACTOR = "manage_two_factor"
    ISSUE_ENROLMENT_CODE = "issue_enrolment_code"
    # Accountability: what the board does with the figures.
    VIEW_ACCOUNTABILITY = "view_accountability"
    WRITE_EXCEPTION_REPORT = "write_exception_report"
    REVIEW_EXCEPTION_REPORT = "review_exception_report"
    RAISE_ACTION = "raise_action"
    UPDATE_ACTION = "update_action"
    RECORD_DECISION = "record_decision"
    MANAGE_CHANGE_CONTROL = "manage_change_control"
    MANAGE_RISKS = "manage_risks"
    EDIT_ANNUAL_REVIEW = "edit_annual_review"
    # The deficit as a model: saved "what if" scenarios, and which of them the pack shows.
    BUILD_SCENARIOS = "build_scenarios"
    SELECT_PACK_SCENARIOS = "select_pack_scenarios"
    # Every report the contract asks for (the annual review whole, Scrutiny, Cabinet).
    MANAGE_IMPROVEMENT_PLAN = "manage_improvement_plan"
    RECORD_AUDITS = "record_audits"
    RECORD_INSPECTIONS = "record_inspections"
    DRAFT_REPORTS = "draft_reports"
    MANAGE_REPORT_LAYOUTS = "manage_report_layouts"
    SIGN_OFF_ANNUAL_REVIEW = "sign_off_annual_review"


MATRIX: dict[Action, frozenset[str]] = {
    Action.VIEW_DASHBOARDS: frozenset({EVERYONE}),
    Action.USE_API: frozenset({EVERYONE}),
    Action.MANAGE_FRAMEWORKS: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_RETURNS: frozenset({SUBMITTERS, Role.REVIEWER, Role.ADMINISTRATOR}),
    # Narrowed by domain below: a submitter sends only the returns their role sends.
    Action.SUBMIT_RETURN: frozenset({SUBMITTERS}),
    Action.REVIEW_RETURN: frozenset({Role.REVIEWER}),
    Action.LOCK_PERIOD: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_PACKS: frozenset({Role.BOARD_MEMBER, Role.REVIEWER, Role.ADMINISTRATOR}),
    # Narrowed in boardpack.services: only the meeting's chair (or an administrator) issues.
    Action.MANAGE_MEETINGS: frozenset({Role.BOARD_MEMBER, Role.ADMINISTRATOR}),
    Action.EXPORT: frozenset({EVERYONE}),
    # One's own second factor: required of some roles (TWO_FACTOR_ROLES), open to all.
    Action.MANAGE_TWO_FACTOR: frozenset({EVERYONE}),
    # A code without which a required role cannot set up its first factor; never one's own.
    Action.ISSUE_ENROLMENT_CODE: frozenset({Role.ADMINISTRATOR}),
    # Everyone reads the logs (actions, decisions, exceptions, plans, changes, risks,
    # meetings' agendas and minutes): the board holds the Trust to account in the open.
    Action.VIEW_ACCOUNTABILITY: frozenset({EVERYONE}),
    # The Trust explains its own figures: an exception report, a rectification plan's progress.
    Action.WRITE_EXCEPTION_REPORT: frozenset({SUBMITTERS}),
    # The council accepts a report or plan, or asks for more.
    Action.REVIEW_EXCEPTION_REPORT: frozenset({Role.REVIEWER}),
    # Raised at a meeting or against a figure, by those who hold the Trust to account.
    Action.RAISE_ACTION: frozenset({Role.REVIEWER, Role.BOARD_MEMBER, Role.ADMINISTRATOR}),
    # Narrowed in the services: an action's owner, someone of the owner's organisation,
    # whoever raised it, or an administrator.
    Action.UPDATE_ACTION: frozenset({EVERYONE}),
    # Narrowed in the services: the meeting's chair (or an administrator).
    Action.RECORD_DECISION: frozenset({Role.BOARD_MEMBER, Role.ADMINISTRATOR}),
    Action.MANAGE_CHANGE_CONTROL: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_RISKS: frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
    # Drafts of the annual review's narrative, edited until the review is frozen.
    Action.EDIT_ANNUAL_REVIEW: frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
    # Freezing the year's review (its PDF kept with its SHA-256): after it, nothing edits it.
    # The council questions the deficit: its officers build and save scenarios (everyone who
    # reads the dashboards reads them). Board members do not: the Trust's chief executive
    # chairs the OPB, and a scenario is the council's challenge to the Trust's forecast.
    Action.BUILD_SCENARIOS: frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
    # Narrowed in finance.scenarios.services: a chair of a meeting still to come (or an
    # administrator acting for the chair) chooses the scenarios the pack shows.
    Action.SELECT_PACK_SCENARIOS: frozenset({Role.BOARD_MEMBER, Role.ADMINISTRATOR}),
    # The Trust keeps its Improvement Plan and records its audits and surveys; everyone reads.
    Action.MANAGE_IMPROVEMENT_PLAN: frozenset({SUBMITTERS, Role.ADMINISTRATOR}),
    Action.RECORD_AUDITS: frozenset({SUBMITTERS, Role.ADMINISTRATOR}),
    # Ofsted's outcomes are imported; what the file lacks (an adoption or fostering agency's
    # inspection, a peer review, the recommendations) the council's officers record.
    Action.RECORD_INSPECTIONS: frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
    # The council's officers write its reports to Scrutiny and Cabinet from the figures.
    Action.DRAFT_REPORTS: frozenset({Role.REVIEWER, Role.ADMINISTRATOR}),
    # The layouts are the council's: the administrator keeps them.
    Action.MANAGE_REPORT_LAYOUTS: frozenset({Role.ADMINISTRATOR}),
    # Narrowed in boardpack.annual: a board member signs for their own organisation.
    Action.SIGN_OFF_ANNUAL_REVIEW: frozenset({Role.BOARD_MEMBER}),
}


def holds(role: str, action: Action) -> bool:
    """Does the role stored as `role` hold `action`? False for a role nobody registered."""
    holders = MATRIX[action]
    if roles.is_submitter(role):
        return EVERYONE in holders or SUBMITTERS in holders
    if role in Role.values:
        return EVERYONE in holders or role in holders
    return False


def can(user, action: Action, *, domain: str | None = None) -> bool:
    """
    May `user` do `action` (for `domain`, where the action concerns one)?

    Read from the user row of this request, so revoking a role or disabling a
    person takes effect on their next request.
    """
    if not user.is_authenticated or not user.is_active or not user.role:
        return False
    if not holds(user.role, action):
        return False
    if domain is not None and roles.is_submitter(user.role):
        return user.role == roles.sender_of(domain)
    return True


def acts_for(user, organisation) -> bool:
    """
    May `user` reach the records `organisation` owns (its returns, versions, uploads)?

    A submitter acts for their own organisation only: to anyone else its returns do
    not exist (a 404, not a 403, which would confirm they do). The council's
    reviewers and administrators hold the Trust to account, so they reach its records.
    """
    if roles.is_submitter(user.role):
        return user.organisation_id == organisation.pk
    return True


# What a view answers to. A page that only shows figures refuses a POST, PUT or DELETE
# with a 405 rather than quietly rendering, so the role matrix can prove no request
# outside a form changes anything.
READ = ("GET", "HEAD")
FORM = ("GET", "HEAD", "POST")
POST = ("POST",)


def require(action: Action, *, methods: tuple[str, ...] = READ):
    """
    View decorator: 403 unless the signed-in user may do `action`, then 405 unless
    the request's method is one of `methods`.

    Permission comes first so that a method the view would answer says nothing to
    someone who may not use it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, action, domain=kwargs.get("domain")):
                raise PermissionDenied(f"Your role does not allow this ({action}).")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
