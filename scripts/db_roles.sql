-- The OPB portal's PostgreSQL roles: who may change what (docs/database-roles.md).
--
-- An owner role owns the tables and runs the migrations; the portal itself signs in
-- as an application role that may read and write ordinary tables but may only read
-- and add to the history tables listed below: no UPDATE, no DELETE, no TRUNCATE. So
-- not even a bug, a forgotten admin page or a stolen application password can rewrite
-- what a return said, who approved it, or which pack the board was sent.
--
-- Run it as a superuser (or a role with CREATEROLE that is a member of the owner role),
-- once before the first `migrate`, and again after every `migrate`: it is idempotent,
-- and a history table a migration has just created gets its restrictions then.
--
--   psql -v owner_role=opb_owner -v app_role=opb_app -d opb -f scripts/db_roles.sql
--
-- Variables (all optional): owner_role (default opb_owner), app_role (default opb_app),
-- schema (default public). Roles it creates cannot log in until given a password
-- (ALTER ROLE ... LOGIN, then \password), so no password ever sits in this file.

\set ON_ERROR_STOP on
\if :{?owner_role}
\else
  \set owner_role opb_owner
\endif
\if :{?app_role}
\else
  \set app_role opb_app
\endif
\if :{?schema}
\else
  \set schema public
\endif

BEGIN;

-- psql does not expand variables inside the DO blocks' dollar quotes: they read these.
SET LOCAL opb_roles.owner = :'owner_role';
SET LOCAL opb_roles.app = :'app_role';
SET LOCAL opb_roles.schema = :'schema';

-- The history tables: rows are written once, then only read. Each is a model that the
-- code never updates or deletes; tests/security/test_database_roles.py checks this list
-- against every model of the project, so a new model has to be placed on one side.
CREATE TEMPORARY TABLE opb_history_tables (name text PRIMARY KEY, why text NOT NULL)
  ON COMMIT DROP;
INSERT INTO opb_history_tables (name, why) VALUES
  ('submissions_returnversion', 'a saved state of a return''s figures'),
  ('submissions_returnevent', 'who saved, submitted, returned or approved a return, and why'),
  ('submissions_comment', 'a reviewer''s query or a submitter''s answer'),
  ('submissions_uploadedfile', 'the workbook a version came from, with its SHA-256'),
  ('submissions_periodlockevent', 'every lock and unlock of a month'),
  ('boardpack_packissue', 'an issued board pack: the PDF''s name, SHA-256 and issuer'),
  ('boardpack_packsource', 'the return versions an issued pack shows'),
  ('boardpack_annualreviewtext', 'a version of an annual review''s narrative: who, when, the draft'),
  ('boardpack_frozenannualreview', 'a frozen annual review: the signed draft''s PDF, its SHA-256 and who signed last'),
  ('boardpack_annualreviewdraft', 'a circulated draft of an annual review: its PDF and Word files'' names and SHA-256, who, when'),
  ('boardpack_annualreviewsignoff', 'a board member''s sign-off of a draft for their organisation'),
  ('governance_changeevent', 'each step of a change to the agreement: recorded, agreed, closed'),
  ('governance_riskreview', 'each review of a risk: its rating, mitigations and date'),
  ('governance_risksubject', 'what a risk concerns, set when it is raised'),
  ('comparators_comparatorimport', 'who changed the comparators, when, from which file'),
  ('comparators_comparatorchange', 'each comparator figure an import changed, with the old one'),
  ('inspections_inspectionimport', 'who imported Ofsted''s outcomes, when, from which file'),
  ('inspections_inspectionchange', 'each inspection an Ofsted import added or changed, with the old'),
  ('inspections_handchange', 'each inspection or recommendation recorded or edited by hand, with the old'),
  ('accounts_twofactorenrolment', 'a second factor set up: who, when, with which enrolment code'),
  ('governance_exceptionreportversion', 'what the Trust wrote in an exception report'),
  ('governance_exceptionreportevent', 'who wrote, accepted or asked for more on a report, and why'),
  ('governance_planversion', 'what the Trust wrote in a rectification plan'),
  ('governance_milestone', 'a milestone of a version of a rectification plan'),
  ('governance_planprogress', 'the Trust''s progress on a rectification plan in a month'),
  ('governance_planevent', 'who wrote, agreed, asked for more on or closed a plan, and why'),
  ('governance_actionupdate', 'dated progress on an action, and each move of its due date'),
  ('governance_actionreminder', 'each email sent to an action''s owner, once per kind and due date'),
  ('governance_decision', 'what a board decided; a later decision supersedes, none is edited'),
  ('governance_decision_actions', 'the actions a decision concerns, as recorded'),
  ('governance_improvementprogress', 'where an improvement action stood on a day, and why'),
  ('reports_reporttext', 'a version of a section of a report: who, when, what it said'),
  ('reports_finalreport', 'a report made final: the PDF''s name, SHA-256 and who made it final');

DO $roles$
DECLARE
  owner text := current_setting('opb_roles.owner');
  app text := current_setting('opb_roles.app');
BEGIN
  IF owner = app THEN
    RAISE EXCEPTION 'The owner and the application role must differ (both are %).', owner;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = owner) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', owner);
    RAISE NOTICE 'Created role % (cannot log in until given a password).', owner;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', app);
    RAISE NOTICE 'Created role % (cannot log in until given a password).', app;
  END IF;
  -- Any of these would let the application role past every REVOKE below.
  IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = app) THEN
    RAISE EXCEPTION 'The application role % must not be a superuser or bypass RLS.', app;
  END IF;
  IF pg_has_role(app, owner, 'MEMBER') THEN
    RAISE EXCEPTION 'The application role % must not be a member of the owner role %.',
      app, owner;
  END IF;
END
$roles$;

DO $grants$
DECLARE
  owner text := current_setting('opb_roles.owner');
  app text := current_setting('opb_roles.app');
  schema text := current_setting('opb_roles.schema');
  history record;
  strays integer;
  stray_owners text;
BEGIN
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I, %I',
                 current_database(), owner, app);
  -- Only the owner creates tables (PostgreSQL before 15 let everyone create in public).
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', schema);
  EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', schema, owner);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema, app);

  -- Ordinary tables: the portal reads and writes them.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                 schema, app);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', schema, app);
  -- Tables the owner creates from now on (the next migrations) start the same way ...
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I '
                 'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', owner, schema, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I '
                 'GRANT USAGE, SELECT ON SEQUENCES TO %I', owner, schema, app);

  -- ... and the history tables are then narrowed to reading and adding.
  FOR history IN SELECT name FROM opb_history_tables ORDER BY name LOOP
    IF to_regclass(format('%I.%I', schema, history.name)) IS NULL THEN
      RAISE NOTICE 'No table %.% yet: run this script again after migrate.',
        schema, history.name;
      CONTINUE;
    END IF;
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON TABLE %I.%I FROM %I, PUBLIC',
                   schema, history.name, app);
    EXECUTE format('GRANT SELECT, INSERT ON TABLE %I.%I TO %I', schema, history.name, app);
    -- A privilege the role inherits from another role would survive the REVOKE.
    IF has_table_privilege(app, format('%I.%I', schema, history.name), 'UPDATE')
       OR has_table_privilege(app, format('%I.%I', schema, history.name), 'DELETE')
       OR has_table_privilege(app, format('%I.%I', schema, history.name), 'TRUNCATE') THEN
      RAISE EXCEPTION '% can still change %.% through another role it belongs to.',
        app, schema, history.name;
    END IF;
  END LOOP;

  -- The application role must own nothing: an owner may change its own tables at will.
  IF EXISTS (SELECT FROM pg_tables WHERE schemaname = schema AND tableowner = app) THEN
    RAISE EXCEPTION 'The application role % owns tables in %: ALTER TABLE ... OWNER TO %.',
      app, schema, owner;
  END IF;
  SELECT count(*), string_agg(DISTINCT tableowner, ', ') INTO strays, stray_owners
  FROM pg_tables WHERE schemaname = schema AND tableowner <> owner;
  IF strays > 0 THEN
    RAISE WARNING '% tables in % are owned by % rather than %, so default privileges and '
      'migrations run as % miss them: REASSIGN OWNED (docs/database-roles.md).',
      strays, schema, stray_owners, owner, owner;
  END IF;
END
$grants$;

-- What the application role may now do to each history table, for the operator to read.
SELECT h.name AS history_table,
       has_table_privilege(:'app_role', format('%I.%I', :'schema', h.name), 'SELECT') AS can_select,
       has_table_privilege(:'app_role', format('%I.%I', :'schema', h.name), 'INSERT') AS can_insert,
       has_table_privilege(:'app_role', format('%I.%I', :'schema', h.name), 'UPDATE') AS can_update,
       has_table_privilege(:'app_role', format('%I.%I', :'schema', h.name), 'DELETE') AS can_delete
FROM opb_history_tables h
WHERE to_regclass(format('%I.%I', :'schema', h.name)) IS NOT NULL
ORDER BY h.name;

COMMIT;
