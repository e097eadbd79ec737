#!/bin/bash
# A quick loop for the state lookup's scaling target (docs/performance.md): the hook with a state
# file of 10 users and of 100,000 users, side by side in one hyperfine run per round (the order
# reversed every other round), in the environment script-login gives it, exec'ing /bin/true. The
# machine drifts within seconds, so rounds are short and the verdict is the median over rounds of
# each round's 100k/10 ratio. Hooks given as arguments (other builds) run in the same rounds. As in production,
# imaproot has changed each file once, so it has its index; BENCH_INDEX=0 leaves the files without
# one (the whole-file scan).
#
#   bench/state-lookup.sh [HOOK...]      knobs: BENCH_RUNS (per round, default 60), BENCH_ROUNDS (20), BENCH_INDEX
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${BENCH_RUNS:-60}
rounds=${BENCH_ROUNDS:-20}
hooks=("$@")
[ ${#hooks[@]} -gt 0 ] || hooks=("$root/artifacts/hook/dovecot-root-helper")
command -v hyperfine >/dev/null || { echo "hyperfine missing" >&2; exit 1; }

work=$(mktemp -d /tmp/dovecot-root-helper-lookup.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT

# The same state files as bench/run.sh: user000000 upwards, the third from the end looked up.
. bench/state-files.sh

commands=()
for n in 10 100000; do
    make_state "$n" "$work/state-$n"
    if [ "${BENCH_INDEX:-1}" = 1 ]; then
        index_state "$root/artifacts/imaproot/imaproot" "$work/state-$n" "$n"
    fi
    hook_config "$work/state-$n" "$work/hook-$n.conf"
    user=$(looked_up "$n")
    for h in "${!hooks[@]}"; do
        hook=${hooks[$h]}
        got=$(env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" "$hook" /usr/bin/env | grep '^MAIL=')
        [ "$got" = "MAIL=mbox:/home/$user/IMAP:INBOX=/var/mail/$user" ] || { echo "$hook, $n users: $got" >&2; exit 1; }
        commands+=(-n "h$h-$n" "env -i USER=$user HOME=/home/$user UID=5000 GID=5000 USERDB_KEYS=HOME\ UID\ GID DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf $hook /bin/true")
    done
done

median_ms() { awk -F, -v c="$2" '$1 == c { printf "%.3f", $4 * 1000 }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for r in $(seq 1 "$rounds"); do
    csv=$work/round-$r.csv
    order=("${commands[@]}")
    if [ $((r % 2)) = 0 ]; then
        order=()
        for ((i = ${#commands[@]} - 3; i >= 0; i -= 3)); do order+=("${commands[@]:i:3}"); done
    fi
    hyperfine -N --style none --warmup 10 --runs "$runs" --export-csv "$csv" "${order[@]}" >/dev/null 2>&1
    for h in "${!hooks[@]}"; do
        echo "$h $(median_ms "$csv" "h$h-10") $(median_ms "$csv" "h$h-100000")" >> "$work/medians"
    done
done
for h in "${!hooks[@]}"; do
    small=$(awk -v h="$h" '$1 == h { print $2 }' "$work/medians" | median)
    large=$(awk -v h="$h" '$1 == h { print $3 }' "$work/medians" | median)
    ratios=$(awk -v h="$h" '$1 == h { printf "%.2f ", $3 / $2 }' "$work/medians")
    ratio=$(awk -v h="$h" '$1 == h { print $3 / $2 }' "$work/medians" | median)
    echo "${hooks[$h]}: median 10 users $small ms, 100000 users $large ms; 100k/10 median of $rounds per-round ratios $ratio ($ratios)"
done
