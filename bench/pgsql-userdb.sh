#!/bin/bash
# Issue 21's Dovecot-side benchmarks (docs/performance.md, "The PostgreSQL userdb"): the
# all-services userdb from the state file (passwd-file, packaging/dovecot/dovecot-2.X-all-services.conf)
# against the same from PostgreSQL (dovecot-2.X-all-services-pgsql.conf), side by side in one run.
#
#   1. Userdb lookups at 10,000, 100,000 and 1,000,000 listed users: after each state change (file:
#      `imaproot set`, which with a flush command waits for Dovecot's next whole second, so that
#      the lookup sees the new file; PostgreSQL: an UPDATE of the row through psql) the first
#      lookup, then the same lookup with nothing changed. Twice per setup and round: once through
#      `doveadm user` (a process, its config parse included) and once over the auth-userdb socket
#      (bench/auth-userdb-lookup.py: the auth process alone, as LMTP and imap ask it). Every
#      answer is checked against the state just set (the user flips between legacy and migrated).
#      Rounds visit every setup, in an order rotated each round; the verdicts use medians of
#      per-round values and ratios.
#      Before them, the resident memory of each Dovecot's auth process and auth workers.
#   2. The queries alone: pgbench, one client, the simple query protocol, as Dovecot's role:
#      SELECT 1, imaproot.userdb(...) and imaproot.refusal(...) in 2.3's database of each size.
#   3. Logins (bench/LoginLoop, IMAP LOGIN + LOGOUT over loopback, interleaved in rounds of 10,
#      two passes, the second in reversed order): Dovecot with only its system userdb (passwd)
#      against the pgsql all-services setup at the largest and smallest size, and the file setup
#      at the largest.
# Everything private: one PostgreSQL 15 cluster (initdb + pg_ctl as the postgres account, Unix socket
# in the temporary directory, no TCP), one database per generation and size set up by `imaproot db
# init` and loaded with COPY; private Dovecots on 127.0.0.1 (tests/dovecot/private-dovecot.sh):
# the host's 2.3.19 and, when its tree is cached (tests/dovecot/debian-tree.sh trixie), 2.4.1.
# The state's users (user000000...) are not Unix accounts; the one looked up and logged in is:
# drhpgb-user (uid 22911), listed third from the end, created if missing and removed at the end.
#
# Run as root after ./build.sh publish (it uses artifacts/imaproot/imaproot):
#   bench/pgsql-userdb.sh
# Every Dovecot gets vsz_limit = BENCH_AUTH_VSZ (default 4G) for its services auth and auth-worker:
# with Dovecot's default 256 MB, the file design's auth and auth-worker processes (each loads the
# passwd-file) die of "Out of memory" at 1,000,000 lines (2.4.1 asks for 512 MB blocks: 1G is not enough).
# Knobs: BENCH_SIZES (default "10000 100000 1000000"), BENCH_ROUNDS (9), BENCH_AGAIN (unchanged
# doveadm lookups per change, 5), BENCH_RAW (unchanged socket lookups per change, 20), BENCH_LOGINS
# (per Dovecot, 300; 0 skips the logins), BENCH_QUERIES (pgbench transactions per query, 3000),
# BENCH_DOVECOT24 (0: 2.3 only), BENCH_KEEP=1 keeps the directory, BENCH_PGLOG=1 has PostgreSQL log
# every statement and connection and adds a table of what each pgsql Dovecot sent it per login
# (statements by kind, new connections; logging slows the pgsql setups: take no timings from that run). (BENCH_PROTOTYPE is gone: its
# PL/pgSQL functions are schema version 4's, measured as the shipped ones.)
# Takes 10 minutes here with the defaults, 13 with BENCH_LOGINS=500 (2 cores at load average 10-21,
# both generations); most of it is the file design's reloads and one-second waits in the lookups.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes=${BENCH_SIZES:-10000 100000 1000000}
rounds=${BENCH_ROUNDS:-9}
again=${BENCH_AGAIN:-5}
raw=${BENCH_RAW:-20}
logins=${BENCH_LOGINS:-300}
auth_vsz=${BENCH_AUTH_VSZ:-4G}
imaproot=$root/artifacts/imaproot/imaproot
pgbin=/usr/lib/postgresql/15/bin
trees=${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}
account=drhpgb-user
account_uid=22911
dovecot_role=dovecot_bench

die() { echo "pgsql-userdb: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (Unix account, PostgreSQL as postgres, Dovecot)"
[ -x "$imaproot" ] || die "$imaproot missing: run ./build.sh publish"
[ -x "$pgbin/initdb" ] || die "$pgbin/initdb missing (apt-get install postgresql)"
[ -f /usr/lib/dovecot/modules/auth/libdriver_pgsql.so ] || [ -f /usr/lib/dovecot/modules/libdriver_pgsql.so ] \
    || die "Dovecot's pgsql driver missing (apt-get install dovecot-pgsql)"
getent passwd postgres >/dev/null || die "the postgres account is missing (apt-get install postgresql)"

generations=(2.3)
if [ "${BENCH_DOVECOT24:-1}" != 0 ] && [ -x "$trees/debian13/usr/sbin/dovecot" ]; then generations+=(2.4); fi

work=$(mktemp -d /tmp/drh-pgsql-bench.XXXXXX)
chmod 0755 "$work"
pg=$work/pg
dovecots=()
pg_running=
made_account=
cleanup() {
    for d in "${dovecots[@]}"; do tests/dovecot/private-dovecot.sh stop "$d" || true; done
    [ -n "$pg_running" ] && as_postgres "$pgbin/pg_ctl" stop -D "$pg/data" -m fast -w -t 60 >/dev/null 2>&1
    if [ -n "$made_account" ]; then
        userdel "$account" >/dev/null 2>&1 || true
        getent group "$account" >/dev/null && { groupdel "$account" >/dev/null 2>&1 || true; }
    fi
    if [ "${BENCH_KEEP:-}" = 1 ]; then echo "pgsql-userdb: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# shellcheck source=bench/state-files.sh
. bench/state-files.sh
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The account: the system userdb must find it. Ours only (a distinct prefix and uid); an
# account of that name left by an interrupted run is taken over and removed at the end.
if id "$account" >/dev/null 2>&1; then
    [ "$(id -u "$account")" = "$account_uid" ] || die "$account exists with another uid than $account_uid: not ours, not touched"
else
    getent passwd "$account_uid" >/dev/null && die "uid $account_uid is taken by $(getent passwd "$account_uid" | cut -d: -f1)"
    useradd -M -U -u "$account_uid" -d "$work/home/$account" -s /usr/sbin/nologin "$account"
fi
made_account=1
home=$work/home/$account
usermod -d "$home" "$account" >/dev/null 2>&1 || true
mkdir -p "$home/IMAP" "$work/spool"
chown -R "$account:" "$home"
chmod 1777 "$work/spool"
touch "$work/spool/$account"
chown "$account:" "$work/spool/$account"
chmod 0600 "$work/spool/$account"

# ---------------------------------------------------------------------------------------------
# PostgreSQL: as tests/DovecotRootHelper.Testing/PrivatePostgres.cs does it, with fsync on (as a
# server runs; only lookups are timed).
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups --inh-caps=-all -- env -C "$pg" LC_ALL=C.UTF-8 "$@"; }
mkdir -p "$pg/socket"
chown postgres: "$pg" "$pg/socket"
pgpass=$(openssl rand -hex 16)
dovecot_pass=$(openssl rand -hex 16)
printf '%s\n' "$pgpass" > "$pg/password"
chown postgres: "$pg/password"
chmod 0600 "$pg/password"
as_postgres "$pgbin/initdb" -D "$pg/data" -U postgres --pwfile "$pg/password" --auth-local=scram-sha-256 \
    --auth-host=reject -E UTF8 --locale=C.UTF-8 --no-instructions > "$pg/initdb.log" 2>&1 || { cat "$pg/initdb.log" >&2; die "initdb failed"; }
rm -f "$pg/password"
pglog=
[ "${BENCH_PGLOG:-}" = 1 ] && pglog="-c log_min_duration_statement=0 -c log_connections=on -c log_line_prefix=%p:%d:%u:"
as_postgres "$pgbin/pg_ctl" start -D "$pg/data" -l "$pg/server.log" -w -t 60 \
    -o "-k $pg/socket -c listen_addresses= -p 5432${pglog:+ $pglog}" > /dev/null || { tail "$pg/server.log" >&2; die "PostgreSQL did not start"; }
pg_running=1
psql_in() { local db=$1; shift; PGPASSWORD=$pgpass "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$pg/socket" -p 5432 -U postgres -d "$db" "$@"; }

# ---------------------------------------------------------------------------------------------
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; do p=$((p + 2)); done
    echo "$p"
}
port=25143
declare -A dir_of port_of gen_of
printf 'service auth {\n  vsz_limit = %s\n}\nservice auth-worker {\n  vsz_limit = %s\n}\n' "$auth_vsz" "$auth_vsz" > "$work/auth-vsz.conf"
start_dovecot() { # NAME GENERATION SNIPPET: a private Dovecot with a passwd-file passdb and SNIPPET's userdbs
    local d=$work/dovecot-$1
    port=$(free_port "$port")
    GENERATION=$2 PASSWD_FILE=passdb PASSDB_RESULT_SUCCESS=continue-ok tests/dovecot/private-dovecot.sh config "$d" "$port" "$3" "$work/auth-vsz.conf"
    tests/dovecot/private-dovecot.sh user "$d" "$account" "$account_uid" "$home"
    dovecots+=("$d")
    tests/dovecot/private-dovecot.sh start "$d"
    dir_of[$1]=$d port_of[$1]=$port gen_of[$1]=$2
    port=$((port + 2))
}

# imaproot's config for one setup (the same locations for both designs): FILE DIR GENERATION
imaproot_config() {
    cat > "$1" <<CONF
[dovecot]
version = $3
[locations]
legacy = mbox:~:INBOX=$work/spool/%u
migrated = mbox:~/IMAP:INBOX=$work/spool/%u
[state]
file = $2/state
default = legacy
userdb = $2/userdb
[log]
decisions = no
[migration]
journal-dir = $2/journal
flush = /bin/true
CONF
    chmod 0644 "$1"
}

doveadm_in() { # NAME ARG...: doveadm against that Dovecot
    local name=$1 d=${dir_of[$1]}
    shift
    if [ "${gen_of[$name]}" = 2.3 ]; then
        doveadm -c "$d/dovecot.conf" "$@"
    else
        tests/dovecot/debian-tree.sh trixie enter "$(cat "$d/run/master.pid")" doveadm -c "$d/dovecot.conf" "$@"
    fi
}
declare -A state_of
# check NAME ANSWER: the answer gives the root of the state just set (the migrated one is ~/IMAP).
check() {
    case ${state_of[$1]} in
    migrated) grep -q '/IMAP' <<<"$2" || die "$1: migrated, but the answer has no /IMAP root: $2" ;;
    legacy) grep -q '/IMAP' <<<"$2" && die "$1: legacy, but the answer has the /IMAP root: $2" ;;
    esac
    return 0
}
setups=()
declare -A design_of size_of
role_made=
for g in "${generations[@]}"; do
    gg=${g//./}
    for n in $sizes; do
        echo "setting up Dovecot $g, $n listed users (load $(load))" >&2
        # The file design: the state file (the account third from the end, migrated), imaproot's
        # userdb files from it, the shipped snippet pointed at them.
        a=$work/file-$gg-$n
        mkdir -p "$a"
        make_state "$n" "$a/state"
        sed -i "s/^$(looked_up "$n") /$account /" "$a/state"
        grep -q "^$account migrated" "$a/state" || die "could not list $account in $a/state"
        imaproot_config "$a/imaproot.conf" "$a" "$g"
        "$imaproot" --config "$a/imaproot.conf" reindex > /dev/null
        sed "s|/var/lib/dovecot-root-helper/|$a/|" "packaging/dovecot/dovecot-$g-all-services.conf" > "$a/snippet.conf"
        start_dovecot "file-$gg-$n" "$g" "$a/snippet.conf"
        setups+=("file-$gg-$n") design_of[file-$gg-$n]=file size_of[file-$gg-$n]=$n

        # The PostgreSQL design: a database set up by imaproot db init from the same config, the
        # same lines loaded with COPY, Dovecot's login role a member of imaproot_dovecot.
        p=$work/pgsql-$gg-$n
        db=imaproot_${gg}_$n
        mkdir -p "$p"
        psql_in postgres -c "CREATE DATABASE $db"
        printf 'host = %s\nport = 5432\ndbname = %s\nuser = postgres\npassword = %s\nsslmode = disable\n' "$pg/socket" "$db" "$pgpass" > "$p/conninfo"
        chmod 0600 "$p/conninfo"
        imaproot_config "$p/imaproot.conf" "$p" "$g"
        sed -i '/^userdb = /d' "$p/imaproot.conf"
        printf '[postgresql]\nconninfo-file = %s\n' "$p/conninfo" >> "$p/imaproot.conf"
        "$imaproot" --config "$p/imaproot.conf" db init > /dev/null
        if [ -z "$role_made" ]; then
            psql_in postgres -c "CREATE ROLE $dovecot_role LOGIN PASSWORD '$dovecot_pass' IN ROLE imaproot_dovecot"
            role_made=1
        fi
        awk -v OFS='\t' '!/^#/ && NF { note = ""; if (NF > 2) { note = $0; sub(/^[^ ]+ [^ ]+ /, "", note) } print $1, $2, note, NR, $0 }' "$a/state" |
            psql_in "$db" -c "COPY imaproot.user_state (user_name, state, note, file_order, file_line) FROM STDIN"
        psql_in "$db" -c "VACUUM ANALYZE imaproot.user_state"
        [ "$(psql_in "$db" -c "SELECT count(*) FROM imaproot.user_state")" = "$n" ] || die "$db does not hold $n rows"
        if [ "$g" = 2.3 ]; then
            printf 'connect = host=%s dbname=%s user=%s password=%s\n' "$pg/socket" "$db" "$dovecot_role" "$dovecot_pass" > "$p/dovecot-root-helper-pgsql.conf.ext"
            sed "s|/etc/dovecot/|$p/|" packaging/dovecot/dovecot-2.3-all-services-pgsql-args.conf > "$p/dovecot-2.3-all-services-pgsql-args.conf"
            sed "s|/usr/share/dovecot-root-helper/|$p/|" packaging/dovecot/dovecot-2.3-all-services-pgsql.conf > "$p/snippet.conf"
        else
            printf 'pgsql %s {\n  parameters {\n    dbname = %s\n    user = %s\n    password = %s\n  }\n}\n' "$pg/socket" "$db" "$dovecot_role" "$dovecot_pass" > "$p/dovecot-root-helper-pgsql.conf.ext"
            sed "s|/etc/dovecot/|$p/|" packaging/dovecot/dovecot-2.4-all-services-pgsql.conf > "$p/snippet.conf"
        fi
        chmod 0600 "$p/dovecot-root-helper-pgsql.conf.ext"
        start_dovecot "pgsql-$gg-$n" "$g" "$p/snippet.conf"
        setups+=("pgsql-$gg-$n") design_of[pgsql-$gg-$n]=pgsql size_of[pgsql-$gg-$n]=$n
        [ "${BENCH_PROTOTYPE:-}" = 1 ] && die "BENCH_PROTOTYPE: the prototype's PL/pgSQL functions are schema version 4's now, measured as the shipped ones"
    done
    # Dovecot with only its system userdb: what a site runs without this project.
    if [ "$g" = 2.3 ]; then printf 'userdb {\n  driver = passwd\n}\n' > "$work/passwd-$gg.conf"; else printf 'userdb passwd {\n}\n' > "$work/passwd-$gg.conf"; fi
    start_dovecot "passwd-$gg" "$g" "$work/passwd-$gg.conf"
done

# change_command NAME STATE: the command changing the account's state the design's way, in $command.
change_command() {
    local db
    case ${design_of[$1]} in
    file) command=("$imaproot" --config "$work/file-${1#file-}/imaproot.conf" set "$account" "$2") ;;
    pgsql) db=imaproot_${1#pgsql-}
        command=(env "PGPASSWORD=$pgpass" "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg/socket" -p 5432 -U postgres -d "${db//-/_}"
            -c "UPDATE imaproot.user_state SET state = '$2', file_line = NULL WHERE user_name = '$account'") ;;
    esac
}
flip() { # NAME: the account's other state, in $next
    if [ "${state_of[$1]}" = migrated ]; then next=legacy; else next=migrated; fi
}
change() { # NAME STATE
    change_command "$1" "$2"
    "${command[@]}" > /dev/null
    state_of[$1]=$2
}
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", (b - a) * 1000 }'; }

# Every Dovecot answers once before anything is timed (each loads its userdb, connects to PostgreSQL).
for s in "${setups[@]}"; do
    state_of[$s]=migrated
    check "$s" "$(doveadm_in "$s" user "$account")"
done
# The memory of the auth process and of its workers (2.3: "dovecot/auth -w"; 2.4: "dovecot/auth-worker").
auth_memory() { # NAME: "AUTH_RSS AUTH_VSZ WORKERS WORKER_RSS_EACH" in MiB
    local master
    master=$(cat "${dir_of[$1]}/run/master.pid")
    ps -o rss=,vsz=,args= --ppid "$master" | awk '
        $3 == "dovecot/auth" && NF == 3 { rss = $1; vsz = $2 }
        $3 == "dovecot/auth-worker" || ($3 == "dovecot/auth" && $4 == "-w") { w++; wrss += $1 }
        END { printf "%.0f %.0f %d %.0f", rss / 1024, vsz / 1024, w, w ? wrss / w / 1024 : 0 }'
}
memory_table() { # WHEN NAME...
    local when=$1 s rss vsz workers wrss
    shift
    echo "| setup | auth process RSS $when (MiB) | its VSZ (MiB) | auth workers | RSS of each (MiB) |"
    echo "|---|---:|---:|---:|---:|"
    for s in "$@"; do
        read -r rss vsz workers wrss <<<"$(auth_memory "$s")"
        echo "| $s | $rss | $vsz | $workers | $wrss |"
    done
    echo
}
memory_table "after the first lookup" "${setups[@]}"

echo "== userdb lookups: $rounds rounds, ${#setups[@]} setups, load average before: $(load)" >&2
lookups=$work/lookups
: > "$lookups"
for r in $(seq 1 "$rounds"); do
    order=("${setups[@]:r % ${#setups[@]}}" "${setups[@]:0:r % ${#setups[@]}}")
    for s in "${order[@]}"; do
        # doveadm user: the first after a change, then $again unchanged.
        flip "$s"
        change "$s" "$next"
        t=$EPOCHREALTIME
        out=$(doveadm_in "$s" user "$account")
        echo "$r $s doveadm-first $(ms_since "$t")" >> "$lookups"
        check "$s" "$out"
        for _ in $(seq 1 "$again"); do
            t=$EPOCHREALTIME
            out=$(doveadm_in "$s" user "$account")
            echo "$r $s doveadm-again $(ms_since "$t")" >> "$lookups"
        done
        check "$s" "$out"
        # The auth-userdb socket: connected and warm, then the change, then the first request after
        # it and $raw unchanged.
        flip "$s"
        change_command "$s" "$next"
        python3 bench/auth-userdb-lookup.py "${dir_of[$s]}/run/auth-userdb" "$account" $((raw + 1)) "${command[@]}" > "$work/raw" || die "$s: socket lookup failed"
        state_of[$s]=$next
        check "$s" "$(sed -n 2p "$work/raw")"
        head -1 "$work/raw" | awk -v r="$r" -v s="$s" '{ print r, s, "socket-first", $1; for (i = 2; i <= NF; i++) print r, s, "socket-again", $i }' >> "$lookups"
    done
done
echo "load average after the lookups: $(load)" >&2

# Per round: the first lookup, the median of the unchanged ones; then medians over rounds.
per_round() { # SETUP KIND ROUND
    awk -v s="$1" -v k="$2" -v r="$3" '$1 == r && $2 == s && $3 == k { print $4 }' "$lookups" | median
}
declare -A val
for s in "${setups[@]}"; do
    for k in doveadm-first doveadm-again socket-first socket-again; do
        for r in $(seq 1 "$rounds"); do val[$s,$k,$r]=$(per_round "$s" "$k" "$r"); done
    done
done
over_rounds() { # SETUP KIND: median over rounds
    for r in $(seq 1 "$rounds"); do echo "${val[$1,$2,$r]}"; done | median
}
ratio_over_rounds() { # SETUP_A KIND_A SETUP_B KIND_B: median of per-round A/B
    for r in $(seq 1 "$rounds"); do awk -v a="${val[$1,$2,$r]}" -v b="${val[$3,$4,$r]}" 'BEGIN { print a / b }'; done | median
}
echo
echo "| setup | listed users | doveadm user, first after a change (ms) | unchanged (ms) | first / unchanged | socket lookup, first after a change (ms) | unchanged (ms) | first / unchanged |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for s in "${setups[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "${size_of[$s]}" \
        "$(over_rounds "$s" doveadm-first)" "$(over_rounds "$s" doveadm-again)" "$(ratio_over_rounds "$s" doveadm-first "$s" doveadm-again)" \
        "$(over_rounds "$s" socket-first)" "$(over_rounds "$s" socket-again)" "$(ratio_over_rounds "$s" socket-first "$s" socket-again)"
done
echo
first_size=${sizes%% *}
last_size=${sizes##* }
echo "| generation, design | $last_size / $first_size: doveadm first | doveadm unchanged | socket first | socket unchanged |"
echo "|---|---:|---:|---:|---:|"
for g in "${generations[@]}"; do
    gg=${g//./}
    for d in file pgsql; do
        big=$d-$gg-$last_size small=$d-$gg-$first_size
        printf '| %s %s | %s | %s | %s | %s |\n' "$g" "$d" \
            "$(ratio_over_rounds "$big" doveadm-first "$small" doveadm-first)" "$(ratio_over_rounds "$big" doveadm-again "$small" doveadm-again)" \
            "$(ratio_over_rounds "$big" socket-first "$small" socket-first)" "$(ratio_over_rounds "$big" socket-again "$small" socket-again)"
    done
done
echo

# What one query costs PostgreSQL and the round trip, without Dovecot: pgbench, one client, the
# simple query protocol as Dovecot's pgsql driver sends them, as Dovecot's role, on 2.3's databases.
queries=${BENCH_QUERIES:-3000}
echo "== the queries alone: pgbench, $queries each, load average before: $(load)" >&2
printf 'SELECT 1;\n' > "$work/select1.sql"
printf "SELECT * FROM imaproot.userdb('%s', '%s', '%s');\n" "$account" "$account_uid" "$home" > "$work/userdb.sql"
printf "SELECT * FROM imaproot.refusal('%s', 'imap');\n" "$account" > "$work/refusal.sql"
queries_of=(select1 userdb refusal)
header="| database | SELECT 1 (ms) | imaproot.userdb (ms) | imaproot.refusal (ms) |"
rule="|---|---:|---:|---:|"
if [ "${BENCH_PROTOTYPE:-}" = 1 ]; then
    sed 's/imaproot\./bench_prototype./' "$work/userdb.sql" > "$work/prototype-userdb.sql"
    sed 's/imaproot\./bench_prototype./' "$work/refusal.sql" > "$work/prototype-refusal.sql"
    queries_of+=(prototype-userdb prototype-refusal)
    header="$header prototype userdb (ms) | prototype refusal (ms) |"
    rule="$rule---:|---:|"
fi
echo "$header"
echo "$rule"
for n in $sizes; do
    line="| imaproot_23_$n"
    for q in "${queries_of[@]}"; do
        if [[ $q = prototype-* ]] && [ "$n" != "${sizes##* }" ]; then line="$line | -"; continue; fi
        latency=$(PGPASSWORD=$dovecot_pass "$pgbin/pgbench" -n -M simple -c 1 -t "$queries" -f "$work/$q.sql" -h "$pg/socket" -p 5432 -U "$dovecot_role" "imaproot_23_$n" 2>&1 |
            sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p')
        [ -n "$latency" ] || die "pgbench $q on imaproot_23_$n failed"
        line="$line | $latency"
    done
    echo "$line |"
done
echo

# ---------------------------------------------------------------------------------------------
[ "$logins" -gt 0 ] || exit 0
for s in "${setups[@]}"; do [ "${state_of[$s]}" = migrated ] || change "$s" migrated; done
loginloop=$work/loginloop
dotnet build bench/LoginLoop -c Release -o "$loginloop" --nologo -v quiet > "$work/loginloop-build.log" 2>&1 \
    || { cat "$work/loginloop-build.log" >&2; die "LoginLoop did not build"; }
servers=()
login_setups=()
for g in "${generations[@]}"; do
    gg=${g//./}
    login_of=("passwd-$gg" "pgsql-$gg-$last_size" "pgsql-$gg-$first_size" "file-$gg-$last_size")
    [ "${BENCH_PROTOTYPE:-}" = 1 ] && login_of+=("prototype-$gg-$last_size")
    for s in "${login_of[@]}"; do
        servers+=("$s=${port_of[$s]}=$account")
        login_setups+=("$s")
    done
done
# Twice: the servers in the order above, then reversed, so that a Dovecot's place in a round (after
# which other Dovecot's logins it runs) weighs on every setup alike; the ratios pool both passes.
reversed=()
for ((i = ${#servers[@]} - 1; i >= 0; i--)); do reversed+=("${servers[i]}"); done
psql_in postgres -c "SELECT 'bench: logins start'" > /dev/null
echo "== logins: $logins per Dovecot and pass after 20 warm-up, rounds of 10, two passes (order reversed), load average before: $(load)" >&2
for pass in forward reversed; do
    if [ "$pass" = forward ]; then order=("${servers[@]}"); else order=("${reversed[@]}"); fi
    "$loginloop/login-loop" "$account" secret "$logins" 20 10 "${order[@]}" > "$work/logins-$pass.txt" \
        || { for d in "${dovecots[@]}"; do tail -5 "$d/dovecot.log" >&2; done; die "login loop failed"; }
done
echo "load average after the logins: $(load)" >&2
psql_in postgres -c "SELECT 'bench: logins end'" > /dev/null
memory_table "after the logins" "${login_setups[@]}"
# round_ratio A B [PASS]: the median over rounds (of one pass, or both) of A's median login over B's in the same round.
round_ratio() {
    local files=("$work/logins-forward.txt" "$work/logins-reversed.txt")
    [ -n "${3:-}" ] && files=("$work/logins-$3.txt")
    awk -v a="$1" -v b="$2" '$1 == "round" { t[FILENAME, $2, $3] = $4; r[FILENAME, $2] = 1 }
        END { for (i in r) if (t[i, b] > 0) print t[i, a] / t[i, b] }' "${files[@]}" | median
}
login_median() { awk -v s="$1" '$1 == "login" && $2 == s { printf "%.2f", $5 }' "$work/logins-$2.txt"; }
echo "| Dovecot | median login, forward (ms) | reversed (ms) | / system userdb only, both passes | forward | reversed |"
echo "|---|---:|---:|---:|---:|---:|"
for s in "${login_setups[@]}"; do
    base=passwd-$(cut -d- -f2 <<<"$s")
    if [ "$s" = "$base" ]; then
        echo "| $s | $(login_median "$s" forward) | $(login_median "$s" reversed) | - | - | - |"
    else
        echo "| $s | $(login_median "$s" forward) | $(login_median "$s" reversed) | $(round_ratio "$s" "$base") | $(round_ratio "$s" "$base" forward) | $(round_ratio "$s" "$base" reversed) |"
    fi
done
[ "${BENCH_PGLOG:-}" = 1 ] || exit 0
# What PostgreSQL received from Dovecot's role while the logins ran, per pgsql Dovecot (its database):
# each Dovecot logged in 2 x (20 warm-up + $logins) times per place it has in the server list.
echo
echo "| Dovecot | logins | statements per login | imaproot.refusal | imaproot.userdb | other statements | new connections |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk '/bench: logins start/ { on = 1 } /bench: logins end/ { on = 0 } on' "$pg/server.log" > "$work/logins-pg.log"
for s in $(printf '%s\n' "${login_setups[@]}" | awk '!seen[$0]++'); do
    [ "${design_of[$s]:-}" = pgsql ] || continue
    n=$(printf '%s\n' "${login_setups[@]}" | grep -cx "$s")
    n=$((n * 2 * (20 + logins)))
    db=imaproot_${s#pgsql-}
    awk -F: -v db="${db//-/_}" -v u="$dovecot_role" -v n="$n" -v s="$s" '
        $2 == db && $3 == u && /statement: / { all++; if (/imaproot\.refusal\(/) r++; else if (/imaproot\.userdb\(/) d++; else o++ }
        $2 == db && $3 == u && /connection authorized/ { c++ }
        END { printf "| %s | %d | %.2f | %d | %d | %d | %d |\n", s, n, all / n, r, d, o, c }' "$work/logins-pg.log"
done
