#!/bin/bash
# imaproot's start-up with Npgsql linked (docs/postgresql-notes-state.md, issue 21): binary sizes,
# then hyperfine of `imaproot --version` for this build and a reference build (main's) side by
# side, and of `imaproot db init` on an already initialized database (connect over the Unix socket,
# scram-sha-256, one transaction, nothing to do) in a private PostgreSQL 15 cluster made here.
#   bench/imaproot-pg-startup.sh REFERENCE_IMAPROOT [THIS_IMAPROOT]
# As root, with postgresql and hyperfine installed; everything lives in a temporary directory
# that is removed at the end.
set -euo pipefail
reference=${1:?usage: $0 REFERENCE_IMAPROOT [THIS_IMAPROOT]}
this=${2:-artifacts/imaproot/imaproot}
bin=/usr/lib/postgresql/15/bin
runs=${BENCH_RUNS:-200}

dir=$(mktemp -d /tmp/drh-pgbench-XXXXXX)
chmod 0755 "$dir"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- env -C "$dir" LC_ALL=C.UTF-8 "$@"; }
cleanup() {
    as_postgres "$bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir "$dir/socket"
printf '%s\n' "$password" >"$dir/password"
chown -R postgres:postgres "$dir"
chmod 0600 "$dir/password"
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile "$dir/password" --auth-local=scram-sha-256 \
    --auth-host=reject -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >/dev/null
as_postgres "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir/socket -c listen_addresses= -c fsync=off" >/dev/null
PGPASSWORD=$password "$bin/psql" -X -q -h "$dir/socket" -U postgres -d postgres -c 'CREATE DATABASE bench'

mkdir "$dir/etc"
printf 'host = %s\ndbname = bench\nuser = postgres\npassword = %s\nsslmode = disable\n' "$dir/socket" "$password" >"$dir/etc/pgconn"
chmod 0600 "$dir/etc/pgconn"
printf '[state]\nfile = %s/state\n\n[postgresql]\nconninfo-file = %s/etc/pgconn\n' "$dir" "$dir" >"$dir/etc/imaproot.conf"
"$this" --config "$dir/etc/imaproot.conf" db init
# For scale: a command of the file backend, on a state file of 10 users.
# (a config without [postgresql], which the reference build does not know).
for i in $(seq 1 10); do printf 'user%s\tlegacy\n' "$i"; done >"$dir/state"
printf '[state]\nfile = %s/state\n' "$dir" >"$dir/etc/file.conf"

echo "binary sizes (bytes):"
stat -c '  %s %n' "$reference" "$this"
hyperfine -N --warmup 20 --runs "$runs" -n reference "$reference --version" -n this "$this --version"
hyperfine -N --warmup 10 --runs "$runs" -n "reference list (10 users)" "$reference --config $dir/etc/file.conf list" \
    -n "this list (10 users)" "$this --config $dir/etc/file.conf list" \
    -n "this db init (current)" "$this --config $dir/etc/imaproot.conf db init"
