#!/bin/bash
# What the usage-logging snippet costs in log volume: a private Dovecot (tests/dovecot/private-dovecot.sh,
# 2.3, or GENERATION=2.4) serves BENCH_LOGINS logins of a typical client session (LIST "" "*",
# LIST (SUBSCRIBED), STATUS of ten folders, SELECT INBOX, LOGOUT: all pipelined over one
# connection) without and then with packaging/dovecot/dovecot-2.x-usage-logging.conf; prints the
# log bytes per 1,000 logins of each. Needs root (the private Dovecot) and Dovecot installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
generation=${GENERATION:-2.3}
logins=${BENCH_LOGINS:-200}
port=${BENCH_PORT:-24243}
work=$(mktemp -d /tmp/drh-usage-volume.XXXXXX)
chmod 0755 "$work" # Dovecot's unprivileged processes read the passwd-file in it
trap '"$root/tests/dovecot/private-dovecot.sh" stop "$work/d" 2>/dev/null || true; rm -rf "$work"' EXIT
folders="Archive Sent Drafts Trash Junk Lists Projects Family Receipts Travel"

session() {
    printf 'a LOGIN bench secret\r\nb LIST "" "*"\r\nc LIST (SUBSCRIBED) "" "*"\r\n'
    for f in $folders; do printf 's%s STATUS %s (MESSAGES UNSEEN)\r\n' "$f" "$f"; done
    printf 'd SELECT INBOX\r\nz LOGOUT\r\n'
}

measure() { # INCLUDE...: bytes the log grew by over the logins
    "$root/tests/dovecot/private-dovecot.sh" stop "$work/d" 2>/dev/null || true
    rm -rf "$work/d"
    GENERATION=$generation "$root/tests/dovecot/private-dovecot.sh" config "$work/d" "$port" "$@"
    "$root/tests/dovecot/private-dovecot.sh" user "$work/d" bench 22590 >/dev/null
    for f in $folders; do : > "$work/d/home/bench/$f"; chown 22590:22590 "$work/d/home/bench/$f"; done
    "$root/tests/dovecot/private-dovecot.sh" start "$work/d"
    sleep 1
    local before
    before=$(stat -c %s "$work/d/dovecot.log")
    for _ in $(seq 1 "$logins"); do
        exec 3<>"/dev/tcp/127.0.0.1/$port"
        session >&3
        while IFS= read -r line <&3; do case $line in "z OK"*|"z BAD"*|"z NO"*) break ;; esac; done
        exec 3<&-
    done
    sleep 2 # the stats process writes its lines after the session
    echo $(( $(stat -c %s "$work/d/dovecot.log") - before ))
}

without=$(measure)
with=$(measure "$root/packaging/dovecot/dovecot-$generation-usage-logging.conf")
echo "== log volume, Dovecot $generation, $logins logins of a 14-command session"
echo "   without the snippet: $((without * 1000 / logins / 1024)) KB per 1,000 logins"
echo "   with the snippet:    $((with * 1000 / logins / 1024)) KB per 1,000 logins ($(( (with - without) * 1000 / logins / 1024 )) KB more)"
