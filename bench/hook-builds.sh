#!/bin/bash
# Hook builds side by side (docs/performance.md, "Start-up, side by side with the previous build"):
# what each binary is (size, relocations, DT_RELR), what one start does (perf stat: task clock and
# page faults; strace -c: system calls), and whole-process time against bench/postlogin.sh at
# 10, 10,000 and 100,000 users, every command once per iteration (bench/Interleave, rotating
# which goes first), ratios taken within an iteration.
#
#   bench/hook-builds.sh [LABEL=PATH ...]
#
# Default builds: "current", the published hook (./build.sh publish first), and, when
# BENCH_PREVIOUS=PATH names another build's dovecot-root-helper, "previous". To build the previous
# one from a commit without touching this checkout:
#   mkdir -p /tmp/prev-src && git archive 3a209e0 | tar -x -C /tmp/prev-src
#   dotnet publish /tmp/prev-src/src/DovecotRootHelper.LoginHook -c Release -o /tmp/prev -p:DebugType=none
#   BENCH_PREVIOUS=/tmp/prev/dovecot-root-helper bench/hook-builds.sh
#
# Each build runs as a post-login script in script-login's environment (env -i USER HOME UID GID
# USERDB_KEYS), reads the same config and state file (with its index, as imaproot leaves it) and
# execs /bin/true; bench/postlogin.sh does the same job in sh. Knobs: BENCH_RUNS (iterations,
# default 1000), BENCH_SIZES (default "10 10000 100000"), BENCH_PERF_RUNS (perf stat runs per build,
# default 200), BENCH_KEEP=1 keeps the temporary directory (the per-iteration times are in
# rounds). Needs imaproot (artifacts/imaproot) to write the index, and python3 (bench/relr-count.py);
# perf and strace are optional.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${BENCH_RUNS:-1000}
sizes=${BENCH_SIZES:-10 10000 100000}
perf_runs=${BENCH_PERF_RUNS:-200}
die() { echo "hook-builds: $*" >&2; exit 1; }

labels=()
paths=()
if [ $# -eq 0 ]; then
    [ -n "${BENCH_PREVIOUS:-}" ] && set -- "previous=$BENCH_PREVIOUS"
    set -- "$@" "current=$root/artifacts/hook/dovecot-root-helper"
fi
for arg in "$@"; do
    [[ $arg == *=* ]] || die "not LABEL=PATH: $arg"
    labels+=("${arg%%=*}")
    paths+=("$(realpath "${arg#*=}")")
    [ -x "${paths[-1]}" ] || die "${paths[-1]} is not an executable (./build.sh publish?)"
done
imaproot=$root/artifacts/imaproot/imaproot
[ -x "$imaproot" ] || die "$imaproot missing: run ./build.sh publish"

work=$(mktemp -d /tmp/dovecot-root-helper-hook-builds.XXXXXX)
chmod 0755 "$work"
cleanup() { if [ "${BENCH_KEEP:-}" = 1 ]; then echo "hook-builds: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

. bench/state-files.sh
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
quartile() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { printf "%.2f", v[int(q * (NR - 1)) + 1] }'; }

echo "== The binaries"
echo "| build | bytes | relative relocations (RELA entries + RELR-encoded) | DT_RELR (RELRSZ) | RELASZ | other dynamic relocations | .data (bytes) | NEEDED |"
echo "|---|---:|---:|---|---:|---:|---:|---|"
for i in "${!labels[@]}"; do
    p=${paths[$i]}
    dyn=$(readelf -d "$p")
    relative=$(readelf -r -W "$p" | grep -c 'R_X86_64_RELATIVE' || true)
    relative=$((relative + $(python3 bench/relr-count.py "$p")))
    data=$(readelf -S -W "$p" | awk '$2 == ".data" { print $6 } $3 == ".data" { print $7 }' | head -1)
    other=$(readelf -r -W "$p" | grep -E '^[0-9a-f]{8,} ' | grep -vc 'R_X86_64_RELATIVE' || true)
    relr=$(awk '/\(RELRSZ\)/ { print $3 " bytes" }' <<<"$dyn")
    relasz=$(awk '/\(RELASZ\)/ { print $3 }' <<<"$dyn")
    needed=$(grep -o 'Shared library: \[[^]]*\]' <<<"$dyn" | sed 's/Shared library: //' | tr '\n' ' ')
    echo "| ${labels[$i]} | $(stat -c %s "$p") | $relative | ${relr:-none} | ${relasz:-0} | $other | $((16#${data:-0})) | $needed|"
done
echo

# One config and state file per size; the looked-up user is migrated (third from the end).
for n in $sizes; do
    make_state "$n" "$work/state-$n"
    hook_config "$work/state-$n" "$work/hook-$n.conf"
    index_state "$imaproot" "$work/state-$n" "$n"
    sed "s|/var/lib/dovecot-root-helper/state|$work/state-$n|" bench/postlogin.sh > "$work/postlogin-$n.sh"
    chmod 0755 "$work/postlogin-$n.sh"
done
login_env() { echo "env -i USER=$(looked_up "$1") HOME=/home/$(looked_up "$1") UID=5000 GID=5000 USERDB_KEYS=HOME\ UID\ GID DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$1.conf"; }

# Every build and the script must give the same answer before their speed means anything.
for n in $sizes; do
    user=$(looked_up "$n")
    for p in "${paths[@]}" "$work/postlogin-$n.sh"; do
        got=$(env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" "$p" /usr/bin/env)
        grep -qx "MAIL=mbox:/home/$user/IMAP:INBOX=/var/mail/$user" <<<"$got" || die "$p at $n users gave no migrated MAIL"
        grep -qx 'USERDB_KEYS=HOME UID GID MAIL' <<<"$got" || die "$p at $n users: USERDB_KEYS not extended"
    done
done

first=${sizes%% *}
echo "== One start at $first users, $perf_runs runs each (perf stat; strace -c -f of one run, the exec of /bin/true included)"
echo "| build | task-clock (ms) | page faults | system calls (strace -c) | of which mmap/mprotect/munmap | openat/open | read/pread64 |"
echo "|---|---:|---:|---:|---:|---:|---:|"
run_as_login() { local n=$1; shift; local user; user=$(looked_up "$n"); env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" "$@"; }
for i in "${!labels[@]}" shell; do
    if [ "$i" = shell ]; then label=shell; p=$work/postlogin-$first.sh; else label=${labels[$i]}; p=${paths[$i]}; fi
    clock=-; faults=-; calls=-; maps=-; opens=-; reads=-
    if command -v perf >/dev/null && run_as_login "$first" perf stat -x, -r "$perf_runs" -e task-clock,page-faults "$p" /bin/true > /dev/null 2> "$work/perf-$label"; then
        clock=$(awk -F, '$3 == "task-clock" { printf "%.3f", $1 }' "$work/perf-$label")
        faults=$(awk -F, '$3 == "page-faults" { printf "%d", $1 }' "$work/perf-$label")
    fi
    if command -v strace >/dev/null && run_as_login "$first" strace -f -c -o "$work/strace-$label" "$p" /bin/true > /dev/null 2>&1; then
        calls=$(awk '$NF == "total" { print $(NF - 2) }' "$work/strace-$label")
        count() { awk -v re="$1" '$NF ~ re { s += ($5 ~ /^[0-9]+$/ ? $4 : $4) } END { print s + 0 }' "$work/strace-$label"; }
        maps=$(count '^(mmap|mprotect|munmap|madvise)$')
        opens=$(count '^(open|openat)$')
        reads=$(count '^(read|pread64)$')
    fi
    echo "| $label | $clock | $faults | $calls | $maps | $opens | $reads |"
done
echo

interleave=$work/interleave
dotnet build bench/Interleave -c Release -o "$interleave" --nologo -v quiet > "$work/interleave-build.log" 2>&1 \
    || { cat "$work/interleave-build.log" >&2; die "Interleave did not build"; }
commands=()
names=()
for n in $sizes; do
    for i in "${!labels[@]}"; do
        commands+=("$(login_env "$n") ${paths[$i]} /bin/true")
        names+=("${labels[$i]}@$n")
    done
    commands+=("$(login_env "$n") $work/postlogin-$n.sh /bin/true")
    names+=("shell@$n")
done
commands+=("env -i /bin/true")
names+=("true")
echo "== Whole process, $runs interleaved iterations ($(nproc) cores), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$interleave/interleave" "$runs" 20 "${commands[@]}" > "$work/rounds" || die "interleave failed"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
col_of() { local k; for k in "${!names[@]}"; do [ "${names[$k]}" = "$1" ] && echo $((k + 1)) && return; done; die "no column $1"; }
echo
echo "| build | users | median (ms) | shell median (ms) | build / shell, median of per-iteration ratios (quartiles) | build / previous build |"
echo "|---|---:|---:|---:|---|---|"
t=$(col_of true)
for n in $sizes; do
    s=$(col_of "shell@$n")
    for i in "${!labels[@]}"; do
        c=$(col_of "${labels[$i]}@$n")
        ratio=$(awk -v a="$c" -v b="$s" '{ print $a / $b }' "$work/rounds")
        vs_first=""
        if [ "$i" -gt 0 ]; then
            f=$(col_of "${labels[0]}@$n")
            vs_first="$(awk -v a="$c" -v b="$f" '{ print $a / $b }' "$work/rounds" | median | xargs printf '%.3f') / ${labels[0]}"
        fi
        echo "| ${labels[$i]} | $n | $(awk -v c="$c" '{ print $c }' "$work/rounds" | median) | $(awk -v c="$s" '{ print $c }' "$work/rounds" | median) | **$(median <<<"$ratio" | xargs printf '%.3f')** ($(quartile 0.25 <<<"$ratio"), $(quartile 0.75 <<<"$ratio")) | $vs_first |"
    done
done
echo "env -i /bin/true: median $(awk -v c="$t" '{ print $c }' "$work/rounds" | median) ms"
last=${sizes##* }
for i in "${!labels[@]}"; do
    echo "flat: ${labels[$i]} at $last users / at $first users, median of per-iteration ratios $(awk -v a="$(col_of "${labels[$i]}@$last")" -v b="$(col_of "${labels[$i]}@$first")" '{ print $a / $b }' "$work/rounds" | median)"
done
