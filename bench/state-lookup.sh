#!/bin/bash
# A quick loop for the state lookup's scaling target (docs/performance.md): the hook with a state
# file of 10 users and of 100,000 users, side by side in one hyperfine run per round, in the
# environment script-login gives it, exec'ing /bin/true. Prints each round's medians and the
# 100k/10 ratio. Hooks given as arguments (other builds) run in the same rounds. As in production,
# imaproot has changed each file once, so it has its index; BENCH_INDEX=0 leaves the files without
# one (the whole-file scan).
#
#   bench/state-lookup.sh [HOOK...]      knobs: BENCH_RUNS (per round, default 300), BENCH_ROUNDS (3), BENCH_INDEX
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${BENCH_RUNS:-300}
rounds=${BENCH_ROUNDS:-3}
hooks=("$@")
[ ${#hooks[@]} -gt 0 ] || hooks=("$root/artifacts/hook/dovecot-root-helper")
command -v hyperfine >/dev/null || { echo "hyperfine missing" >&2; exit 1; }

work=$(mktemp -d /tmp/dovecot-root-helper-lookup.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# The same state files as bench/run.sh: user000000 upwards, the third from the end looked up.
make_state() {
    awk -v n="$1" 'BEGIN {
        print "# dovecot-root-helper state file: USER STATE [notes]"
        print "# written by imaproot; do not edit by hand"
        split("legacy legacy legacy migrated legacy migrating legacy migrated", states, " ")
        for (i = 0; i < n; i++) {
            if (i == int(n / 2)) print "# batch 2"
            s = (i == n - 3) ? "migrated" : states[i % 8 + 1]
            note = (i % 7 == 0) ? " moved by admin 2025-01-15" : ""
            printf "user%06d %s%s\n", i, s, note
        }
    }' > "$2"
    chmod 0644 "$2"
}

commands=()
for n in 10 100000; do
    make_state "$n" "$work/state-$n"
    if [ "${BENCH_INDEX:-1}" = 1 ]; then
        printf '[state]\nfile = %s\n[migration]\nflush = /bin/true\n' "$work/state-$n" > "$work/imaproot-$n.conf"
        "$root/artifacts/imaproot/imaproot" --config "$work/imaproot-$n.conf" set "user$(printf %06d $((n - 3)))" migrated >/dev/null
    fi
    cat > "$work/hook-$n.conf" <<CONF
[dovecot]
version = 2.3
[locations]
legacy = mbox:~:INBOX=/var/mail/%u
migrated = mbox:~/IMAP:INBOX=/var/mail/%u
[state]
file = $work/state-$n
default = legacy
[log]
decisions = no
CONF
    user=user$(printf %06d $((n - 3)))
    for h in "${!hooks[@]}"; do
        hook=${hooks[$h]}
        got=$(env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" "$hook" /usr/bin/env | grep '^MAIL=')
        [ "$got" = "MAIL=mbox:/home/$user/IMAP:INBOX=/var/mail/$user" ] || { echo "$hook, $n users: $got" >&2; exit 1; }
        commands+=(-n "h$h-$n" "env -i USER=$user HOME=/home/$user UID=5000 GID=5000 USERDB_KEYS=HOME\ UID\ GID DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf $hook /bin/true")
    done
done

median_ms() { awk -F, -v c="$2" '$1 == c { printf "%.3f", $4 * 1000 }' "$1"; }
for r in $(seq 1 "$rounds"); do
    csv=$work/round-$r.csv
    hyperfine -N --style none --warmup 20 --runs "$runs" --export-csv "$csv" "${commands[@]}" >/dev/null 2>&1
    for h in "${!hooks[@]}"; do
        small=$(median_ms "$csv" "h$h-10")
        large=$(median_ms "$csv" "h$h-100000")
        echo "round $r ${hooks[$h]}: 10 users $small ms, 100000 users $large ms, ratio $(awk -v a="$large" -v b="$small" 'BEGIN { printf "%.3f", a / b }')"
    done
done
