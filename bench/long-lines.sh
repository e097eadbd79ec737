#!/bin/bash
# The hook against hostile state files (issue 10's bound): a 1 GiB file whose one line is alice's,
# 1 GiB long, and a state file whose user name is 1 MiB long. Each login is run as a post-login
# script would be (env -i, exec /bin/true; a refusal is Dovecot's BYE [UNAVAILABLE] on stdout) and timed with /usr/bin/time: alice must be refused
# quickly in little memory, bob (listed before the long line) served. No index, so the hook scans.
# Needs ./build.sh publish. The files go in /var/tmp and are removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
hook=$root/artifacts/hook/dovecot-root-helper
[ -x "$hook" ] || { echo "long-lines.sh: $hook missing: run ./build.sh publish" >&2; exit 1; }
work=$(mktemp -d /var/tmp/drh-long.XXXXXX)
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT
chmod 0755 "$work"

config() { # STATE CONFIG
    printf '[dovecot]\nversion = 2.3\n[locations]\nlegacy = mbox:~:INBOX=/var/mail/%%u\nmigrated = mbox:~/IMAP:INBOX=/var/mail/%%u\n[state]\nfile = %s\ndefault = legacy\n[log]\ndecisions = no\n' "$1" > "$2"
    chmod 0644 "$2"
}
login() { # CONFIG USER: prints "outcome seconds maxRSS-KiB"
    local rc=0
    env -i "USER=$2" "HOME=/home/$2" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$1" \
        /usr/bin/time -f '%e %M' -o "$work/time" "$hook" /bin/true > "$work/out" 2>&1 || rc=$?
    local outcome="exit-$rc"
    if grep -q 'BYE \[UNAVAILABLE\]' "$work/out"; then outcome=refused; elif [ "$rc" = 0 ] && [ ! -s "$work/out" ]; then outcome=served; fi
    printf '%s %s\n' "$outcome" "$(tail -1 "$work/time")"
}

{ printf 'bob migrated\nalice migrated '; head -c $((1024 * 1024 * 1024)) /dev/zero | tr '\0' x; printf '\n'; } > "$work/gig"
chmod 0644 "$work/gig"
config "$work/gig" "$work/gig.conf"
{ printf 'bob migrated\n'; head -c $((1024 * 1024)) /dev/zero | tr '\0' m; printf ' migrated\n'; } > "$work/meg"
chmod 0644 "$work/meg"
config "$work/meg" "$work/meg.conf"
long_user=$(head -c 4096 /dev/zero | tr '\0' m)

echo "== the hook against hostile state files (load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-44s %-16s %8s %12s\n' case outcome seconds "max RSS KiB"
row() { read -r outcome secs rss <<< "$3"; printf '  %-44s %-16s %8s %12s\n' "$1" "$outcome" "$secs" "$rss"; [ "$outcome" = "$2" ] || { echo "long-lines.sh: expected $2" >&2; exit 1; }; }
row "1 GiB line, alice (the long line's user)" refused "$(login "$work/gig.conf" alice)"
row "1 GiB line, bob (listed before it)" served "$(login "$work/gig.conf" bob)"
row "1 MiB user name line, bob" served "$(login "$work/meg.conf" bob)"
row "1 MiB user name line, a 4 KiB login name" refused "$(login "$work/meg.conf" "$long_user")"
