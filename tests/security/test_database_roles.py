"""
scripts/db_roles.sql, applied to the test database with psql as docs/database-roles.md
says, to throwaway roles: the portal's application role reads and adds to the history
tables but can neither change nor remove a row of them, while it keeps every right it
needs on the ordinary tables, including the tables the next migration will create.

The history tables are listed once, in the script; the first test holds that list
against every model of the project, so a new model has to be put on one side or the other.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import ProgrammingError, connection, transaction
from psycopg import sql

from opb_portal.accounts.models import User
from opb_portal.periods import Period
from opb_portal.submissions.models import Comment, PeriodLockEvent, Return
from opb_portal.submissions.services import comment_add, period_lock, period_unlock

from ..conftest import DB_ROLES_SCRIPT, history_tables, psql

DENIED = "permission denied"

# Every other table of the project's models: the portal changes or removes their rows.
CHANGED_IN_PLACE = {
    "accounts_organisation": "renamed by an administrator",
    "accounts_user": "roles are revoked and people disabled",
    "accounts_user_groups": "Django's permission groups",
    "accounts_user_user_permissions": "Django's permissions",
    "accounts_apitoken": "replaced when a key is issued again",
    "accounts_enrolmentcode": "used up, or ended when a new one is issued",
    "accounts_externalidentity": "its last sign-in noted; unlinked by an administrator",
    "outbox_outgoingemail": "claimed, retried and marked sent by the sender",
    "jobs_job": "a background job: its progress, state and result are written as it runs",
    "submissions_return": "moves from draft to approved",
    "submissions_lockedperiod": "removed when a month is unlocked (PeriodLockEvent keeps it)",
    "submissions_stagedupload": "a preview waiting for its confirm; removed once used or expired",
    "submissions_problemlist": "a refused file's problems; removed when expired",
    "boardpack_meeting": "members and chair are edited",
    "boardpack_meeting_members": "members are edited",
    "governance_action": "moves its due date and is closed with its outcome",
    "governance_agendaitem": "reordered and withdrawn by the chair",
    "governance_attendee": "recorded by the chair; the demonstration puts it back as it was",
    "governance_minutesversion": "the approved version is marked at the next meeting",
    "boardpack_annualreviewyear": "a year's lock row: edits and the freeze select it for update",
    "governance_change": "agreed, superseded or withdrawn (ChangeEvent keeps each step)",
    "governance_risk": "closed, with who, when and why",
    "kpis_framework": "loaded and corrected by administrators",
    "kpis_kpidefinition": "loaded and corrected by administrators",
    "kpis_thresholdrule": "loaded and corrected by administrators",
    "reference_childpopulation": "corrected when the ONS revises it",
    "kpis_kpivalue": "rewritten from each approved version",
    "finance_financeyear": "the year's plan, set by administrators",
    "finance_financeline": "the year's plan, set by administrators",
    "finance_costdriver": "the year's plan, set by administrators",
    "finance_financefigure": "rewritten from each approved version",
    "finance_driverfigure": "rewritten from each approved version",
    "finance_publishedoutturn": "corrected by administrators",
    "finance_scenario": "a saved what-if, edited, chosen for the pack and deleted by the council",
    "finance_scenariochange": "a scenario's changes, replaced when it is edited",
    "kpis_kpiforecast": "a month's forecast, made again when a correction changes its inputs",
    "governance_improvementplan": "the plan of a year, its sign-off dates recorded when given",
    "governance_improvementpriority": "kept by the Trust as its plan changes",
    "governance_improvementaction": "kept by the Trust as its plan changes",
    "governance_audit": "recorded and completed by the Trust as the audit goes on",
    "governance_auditfigure": "corrected by the Trust",
    "reports_layout": "the council's layout, adjusted by the administrator",
    "reports_layoutsection": "the council's layout, adjusted by the administrator",
    "reports_report": "a report's title and dates, edited until it is made final",
    "reports_reportdue": "the forward plan: dates moved, reminders recorded, report linked",
    "workforce_service": "set by administrators",
    "workforce_caseloadstandard": "set by administrators",
    "workforce_workforcerule": "set by administrators",
    "workforce_workforcemonth": "rewritten from each approved version",
    "workforce_caseloadfigure": "rewritten from each approved version",
    "demand_measure": "set by administrators",
    "demand_measurevalue": "rewritten from each approved version",
    "comparators_authority": "set by administrators",
    "comparators_neighbourgroup": "set by administrators",
    "comparators_neighbourgroup_members": "set by administrators",
    "comparators_comparatorvalue": "updated by imports (ComparatorChange keeps the old)",
    "comparators_publishedaverage": "updated by imports (ComparatorChange keeps the old)",
    "comparators_authority_replaced_by": "set by administrators (the register's reorganisations)",
    "comparators_formercode": "set by administrators",
    "comparators_publishedmeasure": "set by administrators (a mapping corrected for a release)",
    "inspections_inspection": "updated by imports (InspectionChange keeps the old) or by hand "
    "(HandChange keeps the old)",
    "inspections_recommendation": "edited by hand (HandChange keeps the old)",
    "governance_exceptionreport": "moves through its review (ExceptionReportEvent keeps each step)",
    "governance_rectificationplan": "moves through its review and is closed (PlanEvent keeps it)",
}


def project_tables() -> set[str]:
    """The tables of the project's own models (its apps, not Django's or a package's)."""
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(Path(settings.BASE_DIR) / ".venv")
    }
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ours and model._meta.managed and not model._meta.proxy
    }


def become(role: str) -> None:
    """Act as `role` until the test's transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))


def refused(statement: sql.Composable | str) -> str:
    """Run a statement that should be refused; the error's text, or "" if it ran."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except ProgrammingError as error:
        return str(error)
    return ""


def test_every_model_of_the_project_is_a_history_table_or_one_the_portal_changes():
    history, tables = set(history_tables()), project_tables()

    assert len(history) == len(history_tables()), "a table is listed twice"
    assert history - tables == set(), "the script lists tables no model has"
    assert set(CHANGED_IN_PLACE) - tables == set(), "CHANGED_IN_PLACE lists a table no model has"
    assert history & set(CHANGED_IN_PLACE) == set()
    unplaced = tables - history - set(CHANGED_IN_PLACE)
    assert unplaced == set(), (
        f"New tables {sorted(unplaced)}: if rows are only ever added, list them in "
        "scripts/db_roles.sql; if the portal changes them, in CHANGED_IN_PLACE here."
    )


@pytest.mark.parametrize("table", history_tables())
def test_the_application_role_reads_and_adds_to_a_history_table_but_never_changes_it(
    db_roles, db, table
):
    _, app = db_roles
    become(app)
    name = sql.Identifier(table)

    # Refused whether or not a row would match: privileges are checked before any row is read.
    assert DENIED in refused(sql.SQL("UPDATE {} SET id = id").format(name))
    assert DENIED in refused(sql.SQL("DELETE FROM {}").format(name))
    assert DENIED in refused(sql.SQL("TRUNCATE {}").format(name))
    assert refused(sql.SQL("SELECT count(*) FROM {}").format(name)) == ""
    assert refused(sql.SQL("INSERT INTO {0} SELECT * FROM {0} WHERE false").format(name)) == ""


def test_the_portal_records_history_as_the_application_role_and_cannot_rewrite_it(db_roles, demo):
    _, app = db_roles
    administrator, reviewer = (
        User.objects.get(username="admin"),
        User.objects.get(username="reviewer"),
    )
    ret = Return.objects.get(domain="kpis", period="2025-03-01")
    june = Period.parse("2025-06")
    become(app)

    # The services write history rows and change ordinary ones (the lock is deleted).
    period_lock(period=june, user=administrator, reason="The OPB has met.")
    period_unlock(period=june, user=administrator, reason="A correction is due.")
    comment = comment_add(ret=ret, user=reviewer, text="Why did PI1 fall?")
    assert list(
        PeriodLockEvent.objects.filter(period=june.first_day).values_list("action", flat=True)
    ) == [
        "locked",
        "unlocked",
    ]

    with pytest.raises(ProgrammingError, match=DENIED), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(text="Nothing to see.")
    with pytest.raises(ProgrammingError, match=DENIED), transaction.atomic():
        PeriodLockEvent.objects.filter(period=june.first_day).delete()
    assert Return.objects.filter(pk=ret.pk).update(status=Return.Status.RETURNED) == 1


def test_tables_the_next_migration_creates_are_ordinary_for_the_application_role(db_roles, db):
    owner, app = db_roles
    become(owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE opb_roles_probe (id integer GENERATED BY DEFAULT AS IDENTITY, note text)"
        )
    become(app)

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO opb_roles_probe (note) VALUES ('added')")
        cursor.execute("UPDATE opb_roles_probe SET note = 'changed'")
        cursor.execute("DELETE FROM opb_roles_probe")
        assert cursor.rowcount == 1


def test_the_application_role_cannot_create_tables_or_alter_a_history_table(db_roles, db):
    _, app = db_roles
    become(app)

    assert DENIED in refused("CREATE TABLE opb_roles_probe (id integer)")
    assert "must be owner" in refused("ALTER TABLE submissions_returnversion DROP COLUMN reason")


def test_the_script_refuses_an_application_role_that_is_a_member_of_the_owner(db_roles):
    owner, app = db_roles
    member = f"{app}_member"
    try:
        made = psql("-c", f"CREATE ROLE {member} NOLOGIN IN ROLE {owner}")
        assert made.returncode == 0, made.stderr
        applied = psql(
            "-v", f"owner_role={owner}", "-v", f"app_role={member}", "-f", str(DB_ROLES_SCRIPT)
        )
    finally:
        assert psql("-c", f"DROP ROLE IF EXISTS {member}").returncode == 0

    assert applied.returncode != 0
    assert "must not be a member of the owner role" in applied.stderr
