#!/bin/bash
# The check behind docs/multi-server.md, "PostgreSQL highly available": libpq's multi-host
# connection strings through Dovecot's pgsql driver and imaproot's conninfo-file. One private
# PostgreSQL 15 cluster (initdb + pg_ctl as postgres, Unix socket only); the host list names first a
# socket directory with no server behind it, then the live one, with target_session_attrs=read-write.
# Passes when `imaproot db init` works through the list and `doveadm user` answers from the sql
# userdb on Dovecot 2.3 (the host's) and 2.4.1 (the cached Debian 13 tree). It does not try a
# standby: choosing the primary among live servers is libpq's and Npgsql's behaviour.
# Run as root after ./build.sh publish; about 10 s. Touches nothing outside its temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
pgbin=/usr/lib/postgresql/15/bin
w=$(mktemp -d /tmp/drh-pgsql-hosts.XXXXXX); chmod 755 $w; pg=$w/pg; mkdir -p $pg/socket $w/dead; chown postgres: $pg $pg/socket
dovecots=()
password=$(openssl rand -hex 16)
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; do p=$((p + 2)); done
    echo "$p"
}
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups --inh-caps=-all -- env -C "$pg" LC_ALL=C.UTF-8 "$@"; }
cleanup() { for d in "${dovecots[@]}"; do tests/dovecot/private-dovecot.sh stop "$d" || true; done; as_pg $pgbin/pg_ctl stop -D $pg/data -m fast -w >/dev/null 2>&1 || true; rm -rf $w; }
trap cleanup EXIT
echo "$password" > $pg/pw; chown postgres: $pg/pw; chmod 600 $pg/pw
as_pg $pgbin/initdb -D $pg/data -U postgres --pwfile $pg/pw --auth-local=scram-sha-256 --auth-host=reject -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
as_pg $pgbin/pg_ctl start -D $pg/data -l $pg/log -w -o "-k $pg/socket -c listen_addresses= -p 5432" >/dev/null
hosts="$w/dead,$pg/socket"
# imaproot: db init through the list
printf 'host = %s\nport = 5432\ndbname = postgres\nuser = postgres\npassword = %s\nsslmode = disable\n' "$hosts" "$password" > $w/conninfo; chmod 600 $w/conninfo
printf '[state]\nfile = %s/state\n[postgresql]\nconninfo-file = %s/conninfo\n' $w $w > $w/conf
echo "imaproot db init with host = $hosts:"; artifacts/imaproot/imaproot --config $w/conf db init
# Dovecot 2.3
cat > $w/args.conf <<CONF
driver = pgsql
connect = host=$hosts target_session_attrs=read-write dbname=postgres user=postgres password=$password
user_query = SELECT '/tmp' AS home, 5000 AS uid, 5000 AS gid, pg_is_in_recovery()::text AS probe
CONF
printf 'userdb {\n  driver = sql\n  args = %s/args.conf\n}\n' $w > $w/u23.conf
PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config $w/d23 "$(free_port 24961)" $w/u23.conf; dovecots+=($w/d23)
tests/dovecot/private-dovecot.sh start $w/d23
echo "2.3 doveadm user:"; timeout 90 tests/dovecot/private-dovecot.sh doveadm $w/d23 user someone | tee $w/out23
grep -qx 'probe	false' $w/out23 || { tail $w/d23/dovecot.log; echo "FAIL: Dovecot 2.3 did not answer from the sql userdb"; exit 1; }
# Dovecot 2.4, when its tree is cached
[ -x "${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}/debian13/usr/sbin/dovecot" ] || { echo "PASS (2.3 only: no Debian 13 tree)"; exit 0; }
cat > $w/u24.conf <<CONF
userdb sql {
  driver = sql
  sql_driver = pgsql
  pgsql "$hosts" {
    parameters {
      dbname = postgres
      user = postgres
      password = $password
      target_session_attrs = read-write
    }
  }
  query = SELECT '/tmp' AS home, 5000 AS uid, 5000 AS gid, pg_is_in_recovery()::text AS probe
}
CONF
GENERATION=2.4 PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config $w/d24 "$(free_port 24971)" $w/u24.conf; dovecots+=($w/d24)
tests/dovecot/private-dovecot.sh start $w/d24
echo "2.4 doveadm user:"; timeout 90 tests/dovecot/private-dovecot.sh doveadm $w/d24 user someone | tee $w/out24
grep -qx 'probe	false' $w/out24 || { tail $w/d24/dovecot.log; echo "FAIL: Dovecot 2.4 did not answer from the sql userdb"; exit 1; }
echo PASS
