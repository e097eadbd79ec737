#!/bin/bash
# imaproot usage scan over a generated Dovecot log (issue 11's target: at least half as fast as
# grep -F over the same file, in memory that does not grow with the file). The log is what the
# usage-logging snippet makes Dovecot 2.3 write: the stats exporter's JSON line per command
# (SELECT, STATUS, LIST, APPEND, UID MOVE...) for 10,000 users and their mailboxes, mail_log's
# mailbox events, and the login and logout lines between them. It is written to /var/tmp and
# deleted at the end. Both programs read it from the page cache (it is read once first).
# Needs ./build.sh publish and GNU time (/usr/bin/time).
# Knobs: BENCH_USAGE_MB (default 1024), BENCH_USAGE_RUNS (default 3). BENCH_BASELINE=DIR also scans
# with another build's imaproot (DIR holds imaproot and libMonoPosixHelper.so) in every run, beside
# this one, for before/after ratios measured under the same load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
imaproot=$root/artifacts/imaproot/imaproot
megabytes=${BENCH_USAGE_MB:-1024}
runs=${BENCH_USAGE_RUNS:-3}
[ -x "$imaproot" ] || { echo "usage-scan.sh: $imaproot is missing: run ./build.sh publish" >&2; exit 1; }
work=$(mktemp -d /var/tmp/drh-usage-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One block of about 8 MB, then the log made of copies of it (the scan reads every line alike).
awk -v seed=11 'BEGIN {
    srand(seed); n = split("SELECT STATUS STATUS STATUS EXAMINE APPEND UID_MOVE UID_COPY LIST LSUB", cmds, " ");
    split("INBOX|Sent|Drafts|Trash|Archive|mail/Lists/debian|\"My Folder\"|Entw&APw-rfe|Projekte/2024|Junk", boxes, "|");
    for (i = 0; i < 11000; i++) {
        user = sprintf("user%04d", int(rand() * 10000)); c = cmds[1 + int(rand() * n)]; b = boxes[1 + int(rand() * 10)];
        gsub("_", " ", c); gsub("\"", "\\\"", b);
        if (c == "LIST") args = "\\\"\\\" \\\"*\\\" RETURN (SUBSCRIBED CHILDREN)"; else if (c == "LSUB") args = "\\\"\\\" *";
        else if (c ~ /MOVE|COPY/) args = "1:" int(rand() * 100) " " b; else if (c == "STATUS") args = b " (MESSAGES UNSEEN)"; else args = b;
        printf "Nov 29 10:%02d:%02d imap-login: Info: Login: user=<%s>, method=PLAIN, rip=192.0.2.7, lip=192.0.2.1, mpid=%d, TLS, session=<CE14L3Fh8st/AAAB>\n", i % 60, i % 60, user, 1000 + i;
        printf "Nov 29 10:%02d:%02d stats: Info: {\"event\":\"imap_command_finished\",\"hostname\":\"mail\",\"start_time\":\"2026-11-29T10:%02d:%02d.927017Z\",\"end_time\":\"2026-11-29T10:%02d:%02d.927269Z\",\"fields\":{\"user\":\"%s\",\"local_ip\":\"192.0.2.1\",\"local_port\":143,\"remote_ip\":\"192.0.2.7\",\"remote_port\":52210,\"session\":\"CE14L3Fh8st/AAAB\",\"duration\":132,\"cmd_tag\":\"a%d\",\"cmd_name\":\"%s\",\"cmd_input_name\":\"%s\",\"cmd_args\":\"%s\",\"cmd_human_args\":\"%s\",\"tagged_reply_state\":\"OK\",\"tagged_reply\":\"OK completed.\",\"last_run_time\":\"2026-11-29T10:%02d:%02d.926998Z\",\"running_usecs\":%d,\"lock_wait_usecs\":0,\"bytes_in\":6,\"bytes_out\":263,\"reason_code\":[\"imap:cmd\"]}}\n", i % 60, i % 60, i % 60, i % 60, i % 60, i % 60, user, i, c, c, args, args, i % 60, i % 60, int(rand() * 100000);
        if (i % 50 == 0) printf "Nov 29 10:%02d:%02d imap(%s)<%d><CE14L3Fh8st/AAAB>: Info: Mailbox renamed: Old%d -> New%d\n", i % 60, i % 60, user, 1000 + i, i, i;
        if (i % 4 == 0) printf "Nov 29 10:%02d:%02d imap(%s)<%d><CE14L3Fh8st/AAAB>: Info: Disconnected: Logged out in=448 out=2509 deleted=0 expunged=0\n", i % 60, i % 60, user, 1000 + i;
    } }' > "$work/block"
block=$(stat -c %s "$work/block")
copies=$(( (megabytes << 20) / block ))
for _ in $(seq 1 "$copies"); do cat "$work/block"; done > "$work/dovecot.log"
size=$(stat -c %s "$work/dovecot.log")
head -c $((256 << 20)) "$work/dovecot.log" > "$work/small.log"
cat "$work/dovecot.log" > /dev/null

scan() { # LOG [IMAPROOT]: a fresh database each time; prints seconds and peak RSS in KB
    rm -f "$work"/usage.sqlite*
    printf '[usage]\ndatabase = %s/usage.sqlite\n' "$work" > "$work/imaproot.conf"
    /usr/bin/time -f '%e %M' -o "$work/time" "${2:-$imaproot}" --config "$work/imaproot.conf" usage scan "$1" > "$work/scan.out"
    cat "$work/time"
}
baseline=${BENCH_BASELINE:+$BENCH_BASELINE/imaproot}
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "usage-scan.sh: $baseline is missing" >&2; exit 1; }

echo "== imaproot usage scan of a $((size >> 20)) MB Dovecot log, $runs runs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   $(wc -l < "$work/dovecot.log") lines; $(grep -cF imap_command_finished "$work/dovecot.log") exported commands"
for run in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    grep -cF imap_command_finished "$work/dovecot.log" > /dev/null
    grep_s=$(echo "$(date +%s.%N) - $start" | bc)
    start=$(date +%s.%N)
    grep -F imap_command_finished "$work/dovecot.log" | wc -l > /dev/null
    grep_lines_s=$(echo "$(date +%s.%N) - $start" | bc)
    read -r scan_s scan_kb < <(scan "$work/dovecot.log")
    printf '   run %d: grep -cF %.2f s, grep -F | wc -l %.2f s, imaproot usage scan %.2f s (%.0f MB/s, %.2f times grep -F | wc -l), peak RSS %d MB\n' \
        "$run" "$grep_s" "$grep_lines_s" "$scan_s" "$(echo "$size / 1048576 / $scan_s" | bc -l)" "$(echo "$scan_s / $grep_lines_s" | bc -l)" $((scan_kb / 1024))
    if [ -n "$baseline" ]; then
        read -r base_s base_kb < <(scan "$work/dovecot.log" "$baseline")
        printf '          baseline imaproot usage scan %.2f s (%.2f times grep -F | wc -l), peak RSS %d MB\n' \
            "$base_s" "$(echo "$base_s / $grep_lines_s" | bc -l)" $((base_kb / 1024))
    fi
done
tail -1 "$work/scan.out" | sed 's/^/   /'
read -r small_s small_kb < <(scan "$work/small.log")
printf '   the first 256 MB alone: %.2f s, peak RSS %d MB\n' "$small_s" $((small_kb / 1024))
if [ -n "$baseline" ]; then
    read -r small_s small_kb < <(scan "$work/small.log" "$baseline")
    printf '   the first 256 MB alone, baseline: %.2f s, peak RSS %d MB\n' "$small_s" $((small_kb / 1024))
fi
