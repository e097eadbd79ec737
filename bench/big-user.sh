#!/bin/bash
# imaproot migrate and rollback of one user with many mailboxes (issue 10's bound: 100,000): wall
# time and peak memory (max RSS) at two sizes side by side, so what grows with the mailbox count
# shows as a ratio. Each home holds BENCH_FOLDERS folders of mbox files (a non-mail file in each,
# so every folder is rebuilt under IMAP/ rather than renamed whole), every second mailbox with its
# .imap index directory, all subscribed. Needs ./build.sh publish; run as root. Creates the Unix
# account drhbench-big (uid 22904) and removes it at the end.
# BENCH_BASELINE=DIR runs another build's imaproot (DIR holds imaproot and libMonoPosixHelper.so)
# on an identical fresh home beside this one, for before/after ratios.
# Knobs: BENCH_MAILBOXES (default "10000 100000"), BENCH_FOLDERS (default 100), BENCH_VERBS
# (default "plan migrate rollback"), BENCH_KEEP=1 keeps the last home and config for a look.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
imaproot=$root/artifacts/imaproot/imaproot
[ -x "$imaproot" ] || { echo "big-user.sh: $imaproot missing: run ./build.sh publish" >&2; exit 1; }
sizes=${BENCH_MAILBOXES:-10000 100000}
folders=${BENCH_FOLDERS:-100}
verbs=${BENCH_VERBS:-plan migrate rollback}
user=drhbench-big
work=$(mktemp -d /var/tmp/drh-big.XXXXXX)
cleanup() { rm -rf "$work"; userdel "$user" >/dev/null 2>&1 || true; getent group "$user" >/dev/null && groupdel "$user" >/dev/null 2>&1 || true; }
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT
chmod 0755 "$work"
if id "$user" >/dev/null 2>&1; then usermod -d "$work/home" "$user"; else useradd -M -U -u 22904 -d "$work/home" -s /usr/sbin/nologin "$user"; fi

populate() { # N: a fresh home with N mailboxes in $folders folders
    rm -rf "$work/home" "$work/journal"
    mkdir -p "$work/home"
    awk -v n="$1" -v f="$folders" -v home="$work/home" 'BEGIN {
        for (d = 1; d <= f; d++) print home "/lists" d "/notes.txt"
        for (i = 0; i < n; i++) print home "/lists" (i % f + 1) "/box" i
    }' > "$work/files"
    awk -F/ -v OFS=/ '{ NF--; print }' "$work/files" | sort -u | xargs mkdir -p
    awk -v n="$1" -v f="$folders" -v home="$work/home" 'BEGIN {
        for (i = 0; i < n; i += 2) print home "/lists" (i % f + 1) "/.imap/box" i
    }' | xargs mkdir -p
    # Mailboxes are empty mbox files (Dovecot makes them so); notes.txt is not mail.
    xargs touch < "$work/files"
    for d in $(seq 1 "$folders"); do echo "not mail" > "$work/home/lists$d/notes.txt"; done
    {
        printf 'V\t2\n\n'
        awk -v n="$1" -v f="$folders" 'BEGIN { for (i = 0; i < n; i++) printf "lists%d\tbox%d\n", i % f + 1, i }'
    } > "$work/home/.subscriptions"
    chown -R "$user:" "$work/home"
}

printf '%s legacy\n' "$user" > "$work/state"
chmod 0644 "$work/state"
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

builds=(this)
declare -A binary=([this]=$imaproot)
if [ -n "${BENCH_BASELINE:-}" ]; then builds+=(baseline); binary[baseline]=$BENCH_BASELINE/imaproot; fi
echo "== imaproot migrate and rollback of one user with many mailboxes (load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-9s %-10s %-9s %10s %12s %10s\n' build mailboxes command seconds "max RSS KiB" "journal B"
declare -A secs rss
for n in $sizes; do
    for build in "${builds[@]}"; do
        populate "$n"
        for verb in $verbs; do
            /usr/bin/time -f '%e %M' -o "$work/time" "${binary[$build]}" --config "$work/conf" "$verb" "$user" $([ "$verb" = migrate ] && echo --yes) > "$work/out" 2>&1 \
                || { tail -5 "$work/out" >&2; echo "big-user.sh: $build imaproot $verb $user failed at $n mailboxes" >&2; exit 1; }
            read -r s k < "$work/time"
            secs[$build,$n,$verb]=$s
            rss[$build,$n,$verb]=$k
            printf '  %-9s %-10s %-9s %10s %12s %10s\n' "$build" "$n" "$verb" "$s" "$k" "$(stat -c %s "$work/journal/$user.journal" 2>/dev/null || echo -)"
            if [ "$verb" = migrate ]; then
                grep -Eq "^$user[[:space:]]+migrated" "$work/state" || { echo "big-user.sh: $user not migrated" >&2; exit 1; }
                [ -f "$work/home/IMAP/lists1/box0" ] && [ -d "$work/home/IMAP/lists1/.imap/box0" ] && [ -f "$work/home/lists1/notes.txt" ] \
                    || { echo "big-user.sh: the migrated tree is not as planned" >&2; exit 1; }
            fi
        done
        [ "$verbs" != "plan migrate rollback" ] || { [ -f "$work/home/lists1/box0" ] && [ ! -e "$work/home/IMAP" ]; } \
            || { echo "big-user.sh: rollback left IMAP/ or lost box0" >&2; exit 1; }
    done
done
set -- $sizes
a=$1; b=${!#}
for verb in $verbs; do
    [ "$a" = "$b" ] || awk -v v="$verb" -v a="$a" -v b="$b" -v ka="${rss[this,$a,$verb]}" -v kb="${rss[this,$b,$verb]}" -v sa="${secs[this,$a,$verb]}" -v sb="${secs[this,$b,$verb]}" \
        'BEGIN { printf "  %-9s %d -> %d mailboxes: time x%.1f, max RSS x%.1f (%.0f bytes per added mailbox)\n", v, a, b, (sa > 0 ? sb / sa : 0), kb / ka, (kb - ka) * 1024 / (b - a) }'
    if [ -n "${BENCH_BASELINE:-}" ]; then
        for n in $sizes; do
            awk -v v="$verb" -v n="$n" -v st="${secs[this,$n,$verb]}" -v sb="${secs[baseline,$n,$verb]}" -v kt="${rss[this,$n,$verb]}" -v kb="${rss[baseline,$n,$verb]}" \
                'BEGIN { printf "  %-9s %d mailboxes: this build / baseline: time %.2f, max RSS %.2f\n", v, n, (sb > 0 ? st / sb : 0), kt / kb }'
        done
    fi
done
