#!/bin/bash
# A batch of users with small homes against the same users migrated by one imaproot migrate each
# (issue 12's target: the batch at least 5x faster), then both rolled back. The accounts
# drhbench-b0000... share uid 21999 (useradd -o; the migration only checks that the files are the
# account's), each with its own home of two subscribed mailboxes and an index. Needs ./build.sh
# publish; run as root. Knob: BENCH_BATCH_USERS (default 1000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
imaproot=$root/artifacts/imaproot/imaproot
[ -x "$imaproot" ] || { echo "batch.sh: $imaproot missing: run ./build.sh publish" >&2; exit 1; }
n=${BENCH_BATCH_USERS:-1000}
work=$(mktemp -d /var/tmp/drh-batch.XXXXXX)
chmod 0755 "$work"
users=()
for i in $(seq 0 $((n - 1))); do users+=("$(printf 'drhbench-b%04d' "$i")"); done
cleanup() {
    for u in "${users[@]}"; do userdel "$u" >/dev/null 2>&1 || true; done
    getent group drhbench-batch >/dev/null && groupdel drhbench-batch >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
getent group drhbench-batch >/dev/null || groupadd -o -g 21999 drhbench-batch
for u in "${users[@]}"; do
    id "$u" >/dev/null 2>&1 || useradd -M -o -u 21999 -g 21999 -d "$work/home/$u" -s /usr/sbin/nologin "$u"
done
printf '%s\n' "${users[@]}" > "$work/users"

populate() {
    rm -rf "$work/home" "$work/journal"
    for u in "${users[@]}"; do
        mkdir -p "$work/home/$u/mail/.imap/Sent" "$work/home/$u/.imap/Archive"
        printf 'From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n\n' | tee "$work/home/$u/Archive" > "$work/home/$u/mail/Sent"
        printf 'V\t2\n\nArchive\nmail\tSent\n' > "$work/home/$u/.subscriptions"
    done
    chown -R 21999:21999 "$work/home"
    awk '{ print $1 "\tlegacy" }' "$work/users" > "$work/state"
    chmod 0644 "$work/state"
}
cat > "$work/conf" <<CONF
[locations]
legacy = mbox:~:INBOX=/var/mail/%u
migrated = mbox:~/IMAP:INBOX=/var/mail/%u
[state]
file = $work/state
[log]
decisions = no
[migration]
journal-dir = $work/journal
kick =
who =
flush =
CONF
chmod 0644 "$work/conf"
migrated() { awk '$2 == "migrated"' "$work/state" | wc -l; }

echo "== $n users with small homes: one batch against $n single migrates (load average $(cut -d' ' -f1-3 /proc/loadavg))"
populate
start=$(date +%s.%N)
for u in "${users[@]}"; do "$imaproot" --config "$work/conf" migrate "$u" --yes > /dev/null; done
single=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(migrated)" = "$n" ] || { echo "batch.sh: the single runs migrated $(migrated) of $n" >&2; exit 1; }
populate
start=$(date +%s.%N)
"$imaproot" --config "$work/conf" migrate --users-from "$work/users" --yes > "$work/batch.out"
batch=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(migrated)" = "$n" ] || { echo "batch.sh: the batch migrated $(migrated) of $n" >&2; exit 1; }
grep "^batch of" "$work/batch.out" | sed 's/^/  /'
awk -v s="$single" -v b="$batch" -v n="$n" 'BEGIN { printf "  %d single migrates: %.1f s (%.1f ms a user); one batch: %.1f s (%.1f ms a user); batch %.1fx faster\n", n, s, s * 1000 / n, b, b * 1000 / n, s / b }'
