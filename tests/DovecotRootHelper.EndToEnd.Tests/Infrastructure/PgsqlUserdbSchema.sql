-- A hand-made stand-in for imaproot's schema: exactly what Dovecot's sql userdb and passdb need
-- from it (docs/postgresql-notes-dovecot.md). Dovecot's role (:dovecot_role) may only execute
-- the two functions; they read the tables as their owner (SECURITY DEFINER, search_path pinned).
CREATE SCHEMA dovecot_root_helper;
-- Users the state lists, one row each.
CREATE TABLE dovecot_root_helper.users (
  name text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('legacy', 'migrated', 'migrating'))
);
-- What Dovecot needs of imaproot's config, one row, written by imaproot: the userdb fields of
-- each location as TAB-separated KEY=VALUE in the configured generation's names (2.3: mail=...;
-- 2.4: mail_driver=... mail_path=...), NULL legacy_fields for Dovecot's own location; the
-- unlisted rule; the reason a migrating user is given. Variables are written %{user},
-- %{username}, %{domain}, %{home}, %% on both generations and expanded by dovecot_root_helper.expand:
-- Dovecot expands none in what an sql userdb returns (seen on 2.3.19, 2.4.1, 2.4.5). ~ is Dovecot's.
CREATE TABLE dovecot_root_helper.dovecot_userdb (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  default_state text NOT NULL CHECK (default_state IN ('legacy', 'migrated')),
  migrated_from_uid bigint,
  legacy_fields text,
  migrated_fields text NOT NULL,
  migrating_reason text NOT NULL
);
-- A user's state: the listed one, else [state] default, or migrated at or above migrated-from-uid
-- (uid: what the system userdb before the sql one found).
CREATE FUNCTION dovecot_root_helper.state_of(user_name text, uid text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT COALESCE(
    (SELECT u.state FROM dovecot_root_helper.users u WHERE u.name = user_name),
    (SELECT CASE WHEN d.default_state = 'legacy' AND d.migrated_from_uid IS NOT NULL
                      AND uid ~ '^[0-9]{1,18}$' AND uid::bigint >= d.migrated_from_uid
                 THEN 'migrated' ELSE d.default_state END
       FROM dovecot_root_helper.dovecot_userdb d))
$$;
-- A location's fields for one user. User names hold no '%' or '{' (Dovecot's default
-- auth_username_chars), so the user's name goes in last and is never scanned again.
CREATE FUNCTION dovecot_root_helper.expand(template text, user_name text, home text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT replace(replace(replace(replace(replace(replace(template,
           '%%', chr(1)),
           '%{home}', home),
           '%{domain}', CASE WHEN strpos(user_name, '@') > 0 THEN substr(user_name, strpos(user_name, '@') + 1) ELSE '' END),
           '%{username}', split_part(user_name, '@', 1)),
           '%{user}', user_name),
           chr(1), '%')
$$;
-- The userdb's answer: always one row. userdb_import carries the location's fields (NULL: none,
-- Dovecot's own location); tempfail and reason fail the lookup temporarily. No config row is a
-- temporary failure too: never a root the admin did not choose.
CREATE FUNCTION dovecot_root_helper.userdb(user_name text, uid text, home text)
RETURNS TABLE (userdb_import text, tempfail text, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT dovecot_root_helper.expand(CASE WHEN s.state = 'legacy' THEN d.legacy_fields WHEN s.state = 'migrated' THEN d.migrated_fields END, user_name, home),
         CASE WHEN d.only_row IS NULL OR s.state = 'migrating' THEN 'yes' END,
         CASE WHEN d.only_row IS NULL THEN 'dovecot_root_helper.dovecot_userdb is empty'
              WHEN s.state = 'migrating' THEN d.migrating_reason END
    FROM (VALUES (dovecot_root_helper.state_of(user_name, uid))) AS s(state)
    LEFT JOIN dovecot_root_helper.dovecot_userdb d ON true
$$;
-- The refusal passdb's answer: a row only for a user being migrated. A passdb query must return
-- a password column (2.3 passdb-sql.c); NULL with nopassword accepts the password the passdb
-- before it checked.
CREATE FUNCTION dovecot_root_helper.refusal(user_name text, protocol text)
RETURNS TABLE (password text, nopassword text, nodelay text, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT NULL::text, 'yes', 'yes',
         CASE WHEN protocol = 'pop3' THEN '[SYS/TEMP] ' ELSE '[UNAVAILABLE] ' END || d.migrating_reason
    FROM dovecot_root_helper.dovecot_userdb d
   WHERE EXISTS (SELECT 1 FROM dovecot_root_helper.users u WHERE u.name = user_name AND u.state = 'migrating')
$$;
REVOKE ALL ON SCHEMA dovecot_root_helper FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA dovecot_root_helper FROM PUBLIC;
GRANT USAGE ON SCHEMA dovecot_root_helper TO :"dovecot_role";
GRANT EXECUTE ON FUNCTION dovecot_root_helper.userdb(text, text, text), dovecot_root_helper.refusal(text, text) TO :"dovecot_role";
