-- achatsdesk, team mode: people and rights in the database itself.
--
-- Run by `achatsdesk-cli --database URL team init` after the schema is created or
-- migrated, or by a DBA who prefers it:  psql -1 -v ON_ERROR_STOP=1 -d achats -f team_init.sql
-- It is idempotent: run it again after every achatsdesk upgrade (new tables get their rights).
-- The first run needs a superuser (it creates the roles and gives the tables to achatsdesk_admin);
-- later runs (after an upgrade) may be made by any member of achatsdesk_admin. The schema must be
-- at 0011_team or later, in the schema "public".
--
-- Who is who. Each person is a PostgreSQL login role; the rules below read `session_user`
-- (the login role, also what the history records), never what the client says.
--   achatsdesk_acheteur  a buyer: reads and edits the dossiers of the services they belong to
--                        (team_member rows), sends them for review; reads the clause library.
--   achatsdesk_chef      a head of service: everything a buyer may, and records review decisions
--                        (valide / a_reprendre), the only role that may.
--   achatsdesk_admin     an administrator: everything a buyer may on every service's dossiers,
--                        writes the organisation's clause library and who belongs to which
--                        service, migrates the schema. Not a head: an administrator who also
--                        reviews is given achatsdesk_chef as well.
-- A dossier whose service is '' is not assigned to any service (a dossier from before team
-- mode, or created by someone who belongs to no service or to several): every buyer of the team
-- sees and edits it. A dossier created by a buyer of exactly one service is given that service.
--
-- Ownership. The achatsdesk tables and the history function belong to the group
-- achatsdesk_admin, so that any administrator can migrate the schema. Row-level security is
-- FORCEd on the shared tables: the owners (the administrators) obey the policies too, so an
-- administrator who is not a head cannot record a decision, and nobody writes the history by
-- hand (only the SECURITY DEFINER trigger function of migration 0011_team does). Superusers
-- bypass row-level security, as PostgreSQL always lets them.

-- Roles -------------------------------------------------------------------------------------
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'achatsdesk_acheteur') THEN
    CREATE ROLE achatsdesk_acheteur NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'achatsdesk_chef') THEN
    CREATE ROLE achatsdesk_chef NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'achatsdesk_admin') THEN
    CREATE ROLE achatsdesk_admin NOLOGIN;
  END IF;
  -- A head and an administrator have a buyer's rights too.
  IF NOT pg_has_role('achatsdesk_chef', 'achatsdesk_acheteur', 'MEMBER') THEN
    GRANT achatsdesk_acheteur TO achatsdesk_chef;
  END IF;
  IF NOT pg_has_role('achatsdesk_admin', 'achatsdesk_acheteur', 'MEMBER') THEN
    GRANT achatsdesk_acheteur TO achatsdesk_admin;
  END IF;
END $$;

-- Who may do what (read by the policies and by the application) -----------------------------
CREATE OR REPLACE FUNCTION achatsdesk_is(group_name text) RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT pg_has_role(session_user, group_name, 'MEMBER') $$;

-- The services whose dossiers the connected person reads and edits: '' (not assigned) for
-- everyone, every service for an administrator, else those of their team_member rows.
CREATE OR REPLACE FUNCTION achatsdesk_may_edit(dossier_service text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT dossier_service = ''
        OR pg_has_role(session_user, 'achatsdesk_admin', 'MEMBER')
        OR EXISTS (SELECT 1 FROM public.team_member m
                   WHERE m.role_name = session_user::text AND m.service = dossier_service)
  $$;

-- A head's decision shows in the dossier's status: only a head may put a dossier into the
-- validated part of its life (valide, then attribue / en_execution / clos after the award) or send
-- it back (a_reprendre), whatever the client. A buyer moves freely inside the validated part
-- (awarding a lot, undoing the award back to valide) and may take a dossier out of it.
CREATE OR REPLACE FUNCTION achatsdesk_guard_decision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  validated constant text[] := ARRAY['valide', 'attribue', 'en_execution', 'clos'];
  before text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
BEGIN
  IF NOT pg_has_role(session_user, 'achatsdesk_chef', 'MEMBER')
     AND ((NEW.status = 'a_reprendre' AND before IS DISTINCT FROM 'a_reprendre')
          OR (NEW.status = ANY (validated) AND (before IS NULL OR NOT before = ANY (validated)))) THEN
    RAISE EXCEPTION 'only a head of service (achatsdesk_chef) may set a dossier to %', NEW.status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

-- A new dossier of a buyer who belongs to exactly one service is that service's.
CREATE OR REPLACE FUNCTION achatsdesk_default_service() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  services text[];
BEGIN
  IF NEW.service = '' THEN
    SELECT array_agg(m.service) INTO services FROM public.team_member m WHERE m.role_name = session_user::text;
    IF array_length(services, 1) = 1 THEN
      NEW.service := services[1];
    END IF;
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS dossier_guard_decision ON dossier;
CREATE TRIGGER dossier_guard_decision BEFORE INSERT OR UPDATE OF status ON dossier
  FOR EACH ROW EXECUTE FUNCTION achatsdesk_guard_decision();
DROP TRIGGER IF EXISTS dossier_default_service ON dossier;
CREATE TRIGGER dossier_default_service BEFORE INSERT ON dossier
  FOR EACH ROW EXECUTE FUNCTION achatsdesk_default_service();

-- Ownership: the administrators' group (see above) ---------------------------------------
GRANT USAGE, CREATE ON SCHEMA public TO achatsdesk_admin;
DO $$
DECLARE
  item record;
BEGIN
  FOR item IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                AND pg_get_userbyid(c.relowner) <> 'achatsdesk_admin' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO achatsdesk_admin', item.relname);
  END LOOP;
END $$;
-- The history is written as its owner: with row-level security forced, the policy
-- dossier_change_by_trigger below lets that owner, and nobody else, add a line.
ALTER FUNCTION achatsdesk_record_change() OWNER TO achatsdesk_admin;
-- And the administrators may run this file again after an upgrade (replacing these needs ownership).
ALTER FUNCTION achatsdesk_stamp_dossier() OWNER TO achatsdesk_admin;
ALTER FUNCTION achatsdesk_is(text) OWNER TO achatsdesk_admin;
ALTER FUNCTION achatsdesk_may_edit(text) OWNER TO achatsdesk_admin;
ALTER FUNCTION achatsdesk_guard_decision() OWNER TO achatsdesk_admin;
ALTER FUNCTION achatsdesk_default_service() OWNER TO achatsdesk_admin;

-- Privileges on the shared tables (storage.models.SHARED_TABLES) --------------------------
GRANT USAGE ON SCHEMA public TO achatsdesk_acheteur;
GRANT SELECT ON alembic_version TO achatsdesk_acheteur;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  dossier, dossier_cpv, dossier_lot, dossier_item, dossier_clause,
  dossier_award, execution_figure, agec_spend, shortlist, shortlist_entry TO achatsdesk_acheteur;
GRANT SELECT, INSERT ON dossier_review TO achatsdesk_acheteur;  -- reviews are never rewritten
GRANT SELECT ON user_clause, team_member, dossier_change, catalogue_release TO achatsdesk_acheteur;
GRANT INSERT, UPDATE, DELETE ON user_clause, team_member TO achatsdesk_admin;
GRANT INSERT ON catalogue_release TO achatsdesk_admin;  -- a release is published once, never rewritten
DO $$
DECLARE
  shared text;
  sequence_name text;
BEGIN
  FOREACH shared IN ARRAY ARRAY['dossier', 'dossier_cpv', 'dossier_lot', 'dossier_item', 'dossier_clause',
                                'dossier_review', 'dossier_award', 'execution_figure', 'agec_spend',
                                'user_clause', 'team_member', 'dossier_change', 'catalogue_release',
                                'shortlist', 'shortlist_entry'] LOOP
    FOR sequence_name IN SELECT pg_get_serial_sequence(format('public.%I', shared), a.attname)
                         FROM pg_attribute a
                         WHERE a.attrelid = format('public.%I', shared)::regclass AND a.attnum > 0
                           AND NOT a.attisdropped
                           AND pg_get_serial_sequence(format('public.%I', shared), a.attname) IS NOT NULL LOOP
      EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO achatsdesk_acheteur', sequence_name);
    END LOOP;
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', shared);
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', shared);
  END LOOP;
END $$;

-- Policies ---------------------------------------------------------------------------------
-- The dossier: read and edited by whoever may edit its service.
DROP POLICY IF EXISTS dossier_of_my_services ON dossier;
-- (achatsdesk_may_edit written out: the planner then computes the role and the services once
-- per query, instead of calling the function for every row of the list.)
CREATE POLICY dossier_of_my_services ON dossier FOR ALL TO achatsdesk_acheteur
  USING (service = ''
         OR (SELECT pg_has_role(session_user, 'achatsdesk_admin', 'MEMBER'))
         OR service IN (SELECT m.service FROM public.team_member m WHERE m.role_name = session_user::text))
  WITH CHECK (achatsdesk_may_edit(service));

-- Its children follow it: a row is yours when its dossier is (the dossier's own policy
-- applies inside the sub-query).
DO $$
DECLARE
  child text;
BEGIN
  FOREACH child IN ARRAY ARRAY['dossier_cpv', 'dossier_lot', 'dossier_item', 'dossier_clause',
                               'dossier_award', 'execution_figure', 'agec_spend'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', child || '_of_my_dossiers', child);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO achatsdesk_acheteur '
                   'USING (EXISTS (SELECT 1 FROM dossier d WHERE d.id = dossier_id)) '
                   'WITH CHECK (EXISTS (SELECT 1 FROM dossier d WHERE d.id = dossier_id))',
                   child || '_of_my_dossiers', child);
  END LOOP;
END $$;

-- Reviews: read with the dossier; a buyer adds only the sending ('envoye'), a head the decisions.
DROP POLICY IF EXISTS dossier_review_read ON dossier_review;
CREATE POLICY dossier_review_read ON dossier_review FOR SELECT TO achatsdesk_acheteur
  USING (EXISTS (SELECT 1 FROM dossier d WHERE d.id = dossier_id));
DROP POLICY IF EXISTS dossier_review_add ON dossier_review;
CREATE POLICY dossier_review_add ON dossier_review FOR INSERT TO achatsdesk_acheteur
  WITH CHECK (EXISTS (SELECT 1 FROM dossier d WHERE d.id = dossier_id)
              AND (decision = 'envoye' OR pg_has_role(session_user, 'achatsdesk_chef', 'MEMBER')));

-- The history: read with the dossier, written only by the trigger function (its owner).
DROP POLICY IF EXISTS dossier_change_read ON dossier_change;
CREATE POLICY dossier_change_read ON dossier_change FOR SELECT TO achatsdesk_acheteur
  USING (EXISTS (SELECT 1 FROM dossier d WHERE d.id = dossier_id));
DROP POLICY IF EXISTS dossier_change_by_trigger ON dossier_change;
CREATE POLICY dossier_change_by_trigger ON dossier_change FOR INSERT TO achatsdesk_admin
  WITH CHECK (current_user = 'achatsdesk_admin');

-- The organisation's clause library and the service memberships: read by all, written by admins.
DROP POLICY IF EXISTS user_clause_read ON user_clause;
CREATE POLICY user_clause_read ON user_clause FOR SELECT TO achatsdesk_acheteur USING (true);
DROP POLICY IF EXISTS user_clause_admin ON user_clause;
CREATE POLICY user_clause_admin ON user_clause FOR ALL TO achatsdesk_admin
  USING (achatsdesk_is('achatsdesk_admin')) WITH CHECK (achatsdesk_is('achatsdesk_admin'));
DROP POLICY IF EXISTS team_member_read ON team_member;
CREATE POLICY team_member_read ON team_member FOR SELECT TO achatsdesk_acheteur USING (true);
DROP POLICY IF EXISTS team_member_admin ON team_member;
CREATE POLICY team_member_admin ON team_member FOR ALL TO achatsdesk_admin
  USING (achatsdesk_is('achatsdesk_admin')) WITH CHECK (achatsdesk_is('achatsdesk_admin'));

-- The organisation's catalogue releases: loaded by every workstation, published by admins.
DROP POLICY IF EXISTS catalogue_release_read ON catalogue_release;
CREATE POLICY catalogue_release_read ON catalogue_release FOR SELECT TO achatsdesk_acheteur USING (true);
DROP POLICY IF EXISTS catalogue_release_publish ON catalogue_release;
CREATE POLICY catalogue_release_publish ON catalogue_release FOR INSERT TO achatsdesk_admin
  WITH CHECK (achatsdesk_is('achatsdesk_admin'));

-- The service's shortlists of suppliers: a shared workspace, read and written by every buyer
-- (a dossier points at one; its suppliers are named by catalogue key, see 0016_shared_shortlists).
DROP POLICY IF EXISTS shortlist_shared ON shortlist;
CREATE POLICY shortlist_shared ON shortlist FOR ALL TO achatsdesk_acheteur USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS shortlist_entry_shared ON shortlist_entry;
CREATE POLICY shortlist_entry_shared ON shortlist_entry FOR ALL TO achatsdesk_acheteur USING (true) WITH CHECK (true);
