#!/bin/bash
# imaproot set at 100,000 users (issue 9's target: under 100 ms), side by side in one hyperfine run:
# with [state] userdb, without it, and with a flush command (which waits for Dovecot's next whole
# second). BENCH_BASELINE=DIR adds the same with another build's imaproot (DIR holds imaproot and
# libMonoPosixHelper.so), for a before/after ratio. Needs hyperfine and ./build.sh publish.
# Knobs: BENCH_USERS (default 100000), BENCH_SET_RUNS (default 30).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/state-files.sh
. "$root/bench/state-files.sh"
users=${BENCH_USERS:-100000}
runs=${BENCH_SET_RUNS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

setup() { # DIR BINARY USERDB(yes|no) FLUSH: a state file, its config; prints the set command
    local dir=$1
    mkdir -p "$dir"
    make_state "$users" "$dir/state"
    {
        printf '[dovecot]\nversion = 2.3\n[locations]\nlegacy = mbox:~:INBOX=/var/mail/%%u\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%%u\n'
        printf '[state]\nfile = %s/state\ndefault = legacy\n' "$dir"
        [ "$3" = yes ] && printf 'userdb = %s/userdb\n' "$dir"
        printf '[log]\ndecisions = no\n[migration]\njournal-dir = %s/journal\nflush = %s\n' "$dir" "$4"
    } > "$dir/imaproot.conf"
    chmod 0644 "$dir/imaproot.conf"
    "$2" --config "$dir/imaproot.conf" reindex >/dev/null
    echo "$2 --config $dir/imaproot.conf set $(looked_up "$users")"
}

args=()
add() { # NAME BINARY USERDB FLUSH
    local c
    c=$(setup "$work/$1" "$2" "$3" "$4")
    $c migrated >/dev/null
    args+=(--prepare "$c legacy" -n "$1" "$c migrated")
}
this=$root/artifacts/imaproot/imaproot
add userdb "$this" yes ""
add state-only "$this" no ""
add userdb-flush "$this" yes /bin/true
if [ -n "${BENCH_BASELINE:-}" ]; then
    add baseline-userdb "$BENCH_BASELINE/imaproot" yes ""
    add baseline-state-only "$BENCH_BASELINE/imaproot" no ""
fi
echo "== imaproot set at $users users, $runs runs each (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   state file $(stat -c %s "$work/userdb/state") bytes, userdb $(stat -c %s "$work/userdb/userdb") bytes"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$work/set.csv" "${args[@]}" 2>&1 | grep -E '^Benchmark|Time \(mean|Range'
echo "medians (ms):"
awk -F, 'NR > 1 { printf "  %-22s %.1f\n", $1, $4 * 1000 }' "$work/set.csv"
