#!/bin/bash
# Fuzzes the parsers an outsider can feed with afl-fuzz through SharpFuzz (docs/fuzzing.md).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# SECONDS per target (default 10), every target by default. Builds the fuzz project into
# artifacts/fuzz/bin, instruments the product assemblies there, runs afl-fuzz on each target in
# turn from its seed corpus (tests/DovecotRootHelper.Fuzz/corpus/TARGET) and exits non-zero,
# naming the inputs, if any run found a crash or a hang. Findings stay in artifacts/fuzz/out/TARGET;
# replay one with: artifacts/fuzz/bin/DovecotRootHelper.Fuzz replay TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
shift || true
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 64 ;; esac
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz not found (Debian package afl++)" >&2; exit 1; }

bin=artifacts/fuzz/bin
out=artifacts/fuzz/out
# A fresh output each time: sharpfuzz refuses an assembly it has already instrumented.
rm -rf "$bin"
dotnet build tests/DovecotRootHelper.Fuzz -c Release -o "$bin" --nologo -v quiet >/dev/null
dotnet tool restore >/dev/null
for assembly in DovecotRootHelper.dll DovecotRootHelper.Migration.dll; do
    dotnet sharpfuzz "$bin/$assembly" >/dev/null
done
fuzz=$bin/DovecotRootHelper.Fuzz
[ $# -gt 0 ] || set -- $("$fuzz" list)

# Without root's core_pattern and CPU governor tuned for AFL, and on a machine whose cores other
# work uses: run anyway, on no particular core, without the screen UI.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
# The target is a .NET program instrumented by SharpFuzz, not an afl-cc binary; its first start is slow.
export AFL_SKIP_BIN_CHECK=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1
# The state targets' scratch files (one directory a process, never removed by a process afl-fuzz kills).
export TMPDIR=$PWD/artifacts/fuzz/tmp
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"
trap 'rm -rf "$TMPDIR"' EXIT

status=0
for target in "$@"; do
    corpus=tests/DovecotRootHelper.Fuzz/corpus/$target
    [ -d "$corpus" ] || { echo "run.sh: no corpus for target '$target' (targets: $("$fuzz" list | tr '\n' ' '))" >&2; exit 64; }
    rm -rf "${out:?}/$target"
    mkdir -p "$out/$target"
    # -t: an input that takes longer than 2 s is a hang; -V: stop after SECONDS.
    if ! afl-fuzz -i "$corpus" -o "$out/$target" -t 2000 -m none -V "$seconds" -- "$fuzz" fuzz "$target" \
        >"$out/$target/afl.log" 2>&1; then
        echo "run.sh: afl-fuzz failed on $target; see $out/$target/afl.log" >&2
        tail -20 "$out/$target/afl.log" >&2
        status=1
        continue
    fi
    stats=$out/$target/default/fuzzer_stats
    execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$stats")
    paths=$(awk -F' *: *' '$1 == "corpus_count" { print $2 }' "$stats")
    found=$(find "$out/$target/default/crashes" "$out/$target/default/hangs" -type f -name 'id:*' 2>/dev/null || true)
    if [ -n "$found" ]; then
        echo "$target: $execs runs, $paths paths, FINDINGS:"
        echo "$found" | sed 's/^/  /'
        status=1
    else
        echo "$target: $execs runs, $paths paths, no crash or hang"
    fi
done
exit "$status"
