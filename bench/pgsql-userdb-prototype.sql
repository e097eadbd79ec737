-- A prototype for bench/pgsql-userdb.sh (BENCH_PROTOTYPE=1), not shipped: imaproot.userdb and
-- imaproot.refusal of schema version 2, same arguments, same answers, written in PL/pgSQL. The
-- shipped ones are SQL functions with SECURITY DEFINER and a SET clause, which PostgreSQL never
-- inlines, so every call parses and plans their bodies (and state_of's and expand's) afresh;
-- PL/pgSQL keeps each statement's plan for the session, which Dovecot's connection is.
CREATE SCHEMA bench_prototype;

CREATE FUNCTION bench_prototype.userdb(for_user text, uid text, home text)
RETURNS TABLE (userdb_import text, tempfail text, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d imaproot.dovecot_userdb%ROWTYPE;
  s text;
  template text;
BEGIN
  SELECT * INTO d FROM imaproot.dovecot_userdb;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::text, 'yes'::text, 'imaproot.dovecot_userdb is empty: run imaproot db upgrade'::text;
    RETURN;
  END IF;
  SELECT u.state INTO s FROM imaproot.user_state u WHERE u.user_name = for_user;
  IF NOT FOUND THEN
    s := CASE WHEN d.default_state = 'legacy' AND d.migrated_from_uid IS NOT NULL
                   AND uid ~ '^[0-9]{1,18}$' AND uid::bigint >= d.migrated_from_uid
              THEN 'migrated' ELSE d.default_state END;
  END IF;
  IF s = 'migrating' THEN
    RETURN QUERY SELECT NULL::text, 'yes'::text, d.migrating_reason;
    RETURN;
  END IF;
  template := CASE WHEN s = 'legacy' THEN d.legacy_fields ELSE d.migrated_fields END;
  -- imaproot.expand's body, inline.
  RETURN QUERY SELECT replace(replace(replace(replace(replace(replace(template,
           '%%', chr(1)),
           '%{home}', home),
           '%{domain}', CASE WHEN strpos(for_user, '@') > 0 THEN substr(for_user, strpos(for_user, '@') + 1) ELSE '' END),
           '%{username}', split_part(for_user, '@', 1)),
           '%{user}', for_user),
           chr(1), '%'), NULL::text, NULL::text;
END $$;

CREATE FUNCTION bench_prototype.refusal(for_user text, protocol text)
RETURNS TABLE (password text, nopassword text, nodelay text, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT NULL::text, 'yes'::text, 'yes'::text,
         CASE WHEN protocol = 'pop3' THEN '[SYS/TEMP] ' ELSE '[UNAVAILABLE] ' END || d.migrating_reason
    FROM imaproot.dovecot_userdb d
   WHERE EXISTS (SELECT 1 FROM imaproot.user_state u WHERE u.user_name = for_user AND u.state = 'migrating');
END $$;

REVOKE ALL ON SCHEMA bench_prototype FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA bench_prototype FROM PUBLIC;
GRANT USAGE ON SCHEMA bench_prototype TO imaproot_dovecot;
GRANT EXECUTE ON FUNCTION bench_prototype.userdb(text, text, text), bench_prototype.refusal(text, text) TO imaproot_dovecot;
