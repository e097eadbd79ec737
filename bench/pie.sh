#!/bin/bash
# PIE's cost (docs/performance.md, "PIE"): the published hook (a PIE, as shipped) against a second
# copy of the same commit published with -p:PositionIndependentExecutable=false, both as a
# post-login script in script-login's environment (10-user state file, index beside it, exec of
# /bin/true), run side by side by bench/Interleave (every command once per iteration, rotating
# which goes first); the verdict is the median of the per-iteration ratios.
#
#   bench/pie.sh            after ./build.sh publish (publishes the fixed-address copy itself)
#
# Knobs: BENCH_RUNS (iterations, default 1500), BENCH_NOPIE=PATH (a fixed-address hook already
# published from this commit, kept from an earlier run: skips the publish), BENCH_KEEP=1 keeps the
# temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${BENCH_RUNS:-1500}
die() { echo "pie: $*" >&2; exit 1; }

hook=$root/artifacts/hook/dovecot-root-helper
[ -x "$hook" ] || die "$hook missing: run ./build.sh publish"
[ -x "$root/artifacts/imaproot/imaproot" ] || die "imaproot missing: run ./build.sh publish"
file "$hook" | grep -q 'pie executable' || die "$hook is not a PIE"

work=$(mktemp -d /tmp/dovecot-root-helper-pie.XXXXXX)
chmod 0755 "$work"
cleanup() { if [ "${BENCH_KEEP:-}" = 1 ]; then echo "pie: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# The fixed-address copy, built from a copy of the sources (their own obj/), so that the
# repository's build, and the next ./build.sh publish, are left as they are.
if [ -n "${BENCH_NOPIE:-}" ]; then
    mkdir -p "$work/nopie"
    cp "$BENCH_NOPIE" "$work/nopie/dovecot-root-helper"
else
mkdir -p "$work/src"
cp Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig "$work/src/"
tar -C "$root" --exclude=bin --exclude=obj -cf - src | tar -C "$work/src" -xf -
dotnet publish "$work/src/src/DovecotRootHelper.LoginHook" -c Release -o "$work/nopie" -p:DebugType=none \
    -p:PositionIndependentExecutable=false --nologo -v quiet > "$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; die "publish failed"; }
fi
nopie=$work/nopie/dovecot-root-helper
file "$nopie" | grep -q 'LSB executable' || die "$nopie is not a fixed-address executable: $(file "$nopie")"
cp "$root/artifacts/hook/libMonoPosixHelper.so" "$work/nopie/" 2>/dev/null || true

. bench/state-files.sh
state=$work/state
make_state 10 "$state"
user=$(looked_up 10)
hook_config "$state" "$work/hook.conf"
index_state "$root/artifacts/imaproot/imaproot" "$state" 10

login_env="env -i USER=$user HOME=/home/$user UID=5000 GID=5000 USERDB_KEYS=HOME\ UID\ GID DOVECOT_ROOT_HELPER_CONFIG=$work/hook.conf"
for prog in "$hook" "$nopie"; do
    got=$(env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook.conf" "$prog" /usr/bin/env)
    grep -qx "MAIL=mbox:/home/$user/IMAP:INBOX=/var/mail/$user" <<<"$got" || die "$prog gave no migrated MAIL"
done

interleave=$work/interleave
dotnet build bench/Interleave -c Release -o "$interleave" --nologo -v quiet > "$work/interleave-build.log" 2>&1 \
    || { cat "$work/interleave-build.log" >&2; die "Interleave did not build"; }
echo "== PIE vs fixed address: $runs interleaved iterations, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$interleave/interleave" "$runs" 50 "$login_env $hook /bin/true" "$login_env $nopie /bin/true" "env -i /bin/true" > "$work/rounds"
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
quartile() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { printf "%.2f", v[int(q * (NR - 1)) + 1] }'; }
pie=$(awk '{ print $1 }' "$work/rounds" | median)
fixed=$(awk '{ print $2 }' "$work/rounds" | median)
truemed=$(awk '{ print $3 }' "$work/rounds" | median)
ratio=$(awk '{ print $1 / $2 }' "$work/rounds" | median)
q1=$(awk '{ print $1 / $2 }' "$work/rounds" | quartile 0.25)
q3=$(awk '{ print $1 / $2 }' "$work/rounds" | quartile 0.75)
echo "  binary: PIE $(stat -c %s "$hook") bytes, fixed address $(stat -c %s "$nopie") bytes"
echo "  medians: PIE $pie ms, fixed address $fixed ms, env + /bin/true $truemed ms"
echo "  PIE / fixed address, median of per-iteration ratios: $(printf '%.2f' "$ratio") (quartiles $q1 and $q3)"
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
