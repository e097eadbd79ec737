#!/bin/bash
# imaproot on the PostgreSQL state backend (issue 21's targets), against a private PostgreSQL 15
# cluster on a Unix socket (initdb + pg_ctl as the postgres account, as the tests' PrivatePostgres):
#  1. imaproot set at BENCH_USERS listed users (default 1,000,000; target under 20 ms), side by side in
#     one hyperfine run with the state file backend at the same size;
#  2. a batch flipping 10,000 users in one transaction (bench/StateBatch: the calls a batch makes);
#  3. two "admin hosts" x 1,000 concurrent sets of random users (disjoint halves, so each set must
#     survive): lost updates counted.
# Needs hyperfine, postgresql and ./build.sh publish. About 3 minutes at 1,000,000 users.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
users=${BENCH_USERS:-1000000}
runs=${BENCH_SET_RUNS:-50}
imaproot=$root/artifacts/imaproot/imaproot
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/drh-bench-pg-XXXXXX)
chmod 0755 "$work"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
cleanup() {
    [ -f "$work/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" stop -D "$work/data" -m fast -w >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

install -d -o postgres -g postgres -m 0700 "$work/data" "$work/socket"
as_postgres "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" start -D "$work/data" -w -l "$work/server.log" \
    -o "-k $work/socket -c listen_addresses= -c fsync=off" >/dev/null
psql() { command psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$work/socket" -U postgres -d imaproot "$@"; }
command psql -X -q -h "$work/socket" -U postgres -d postgres -c "CREATE DATABASE imaproot" >/dev/null

printf 'host = %s/socket\ndbname = imaproot\nuser = postgres\nsslmode = disable\n' "$work" > "$work/pgconn"
chmod 0600 "$work/pgconn"
config() { # NAME BACKEND
    mkdir -p "$work/$1"
    {
        printf '[dovecot]\nversion = 2.3\ndoveconf =\n[locations]\nlegacy = mbox:~:INBOX=/var/mail/%%u\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%%u\n'
        printf '[state]\nfile = %s/%s/state\nbackend = %s\n' "$work" "$1" "$2"
        printf '[migration]\njournal-dir = %s/%s/journal\nflush =\n[postgresql]\nconninfo-file = %s/pgconn\n' "$work" "$1" "$work/pgconn"
    } > "$work/$1/imaproot.conf"
    chmod 0644 "$work/$1/imaproot.conf"
    echo "$work/$1/imaproot.conf"
}
file_conf=$(config file file)
pg_conf=$(config pg postgresql)
"$imaproot" --config "$pg_conf" db init >/dev/null
# The same users in both: the file by awk, the table by generate_series.
awk -v n="$users" 'BEGIN { for (i = 1; i <= n; i++) printf "u%d\tlegacy\n", i }' > "$work/file/state"
"$imaproot" --config "$file_conf" reindex >/dev/null
psql -c "INSERT INTO imaproot.user_state (user_name, state, note, file_order) SELECT 'u' || g, 'legacy', '', g FROM generate_series(1, $users) g; ANALYZE imaproot.user_state"
middle=u$((users / 2))
echo "== 1. imaproot set at $users users: state file against PostgreSQL (load: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/set.md" \
    -n file "$imaproot --config $file_conf set $middle migrated --note bench" \
    -n postgresql "$imaproot --config $pg_conf set $middle migrated --note bench" >/dev/null
cat "$work/set.md"

echo "== 2. a batch of 10,000 users flipped in one transaction (migrating, then migrated), 5 rounds"
dotnet run -c Release --project "$root/bench/StateBatch" -- "$work/pgconn" 10000 5

echo "== 3. two admin hosts x 1,000 concurrent sets of random users"
before=$(psql -c "SELECT count(*) FROM imaproot.user_state WHERE note LIKE 'host %'")
start=$(date +%s.%N)
for host in a b; do
    # Host a sets even users, host b odd ones: every set must be found afterwards.
    shuf -i 1-$((users / 2)) -n 1000 | awk -v h=$host '{ printf "u%d %s\n", (h == "a" ? 2 * $1 : 2 * $1 - 1), h }' |
        xargs -P 4 -L 1 sh -c "$imaproot --config $pg_conf set \"\$0\" migrated --note \"host \$1 \$0\" >/dev/null" &
done
wait
end=$(date +%s.%N)
after=$(psql -c "SELECT count(*) FROM imaproot.user_state WHERE note LIKE 'host %'")
echo "sets: 2000 in $(echo "$end - $start" | bc) s; rows with a host's note: $((after - before)); lost updates: $((2000 - (after - before)))"
