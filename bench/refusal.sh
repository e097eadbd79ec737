#!/bin/bash
# Issue 19 item 4: what a migrating user's clients read with the all-services snippet, over many
# attempts on one private Dovecot: every IMAP LOGIN's tagged answer, every POP3 PASS answer (both with
# the right password), and every LMTP RCPT answer, counted by what they said.
#
#   bench/refusal.sh 2.3|2.4|2.4.5 [with|without]
#
# with (the default): the site's passdb says result_success = continue-ok, as the snippet asks, so the
# refusal passdb answers. without: it does not, and only the userdb's temporary failure refuses.
# 2.3 is the host's Dovecot; 2.4 runs in the Debian 13 tree (tests/dovecot/debian13.sh), 2.4.5 in
# the Debian forky tree at $DOVECOT_ROOT_HELPER_TREES/forky (used read-only). Needs root (a real Unix
# account for the system userdb) and ./build.sh publish (imaproot). Knob: BENCH_ATTEMPTS (default 50).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
generation=${1:?usage: $0 2.3|2.4|2.4.5 [with|without]}
mode=${2:-with}
attempts=${BENCH_ATTEMPTS:-50}
imaproot=$root/artifacts/imaproot/imaproot
trees=${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}
[ "$(id -u)" = 0 ] || { echo "refusal: run as root" >&2; exit 1; }
[ -x "$imaproot" ] || { echo "refusal: $imaproot missing: ./build.sh publish" >&2; exit 1; }

work=$(mktemp -d /tmp/drh-refusal.XXXXXX)
chmod 0755 "$work"
# Uids in the range build.sh cleans up after an interrupted run.
migrating=drhbench-refusal
legacy=drhbench-refusal2
cleanup() {
    "$root/tests/dovecot/private-dovecot.sh" stop "$work" >/dev/null 2>&1 || true
    userdel "$migrating" >/dev/null 2>&1 || true
    userdel "$legacy" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

case "$generation" in
2.3) version=2.3; export GENERATION=2.3 ;;
2.4) version=2.4; export GENERATION=2.4 ;;
2.4.5)
    version=2.4; export GENERATION=2.4
    [ -x "$trees/forky/usr/sbin/dovecot" ] || { echo "refusal: no forky tree at $trees/forky" >&2; exit 1; }
    # debian13.sh runs whatever tree is called debian13 under DOVECOT_ROOT_HELPER_TREES.
    mkdir "$work/trees"
    ln -s "$trees/forky" "$work/trees/debian13"
    export DOVECOT_ROOT_HELPER_TREES=$work/trees
    ;;
*) echo "refusal: unknown generation $generation" >&2; exit 1 ;;
esac

port=$((20000 + RANDOM % 20000))
etc=$work/etc
mkdir -p "$etc" "$work/homes"
for user in "$migrating:22961" "$legacy:22962"; do
    name=${user%%:*} uid=${user##*:}
    userdel "$name" >/dev/null 2>&1 || true
    useradd --uid "$uid" --user-group --home-dir "$work/homes/$name" --shell /usr/sbin/nologin "$name"
done
printf '%s migrating\n%s legacy\n' "$migrating" "$legacy" > "$etc/state"
cat > "$etc/imaproot.conf" <<CONF
[dovecot]
version = $version
[locations]
legacy = mbox:~:INBOX=$work/spool/%u
migrated = mbox:~/IMAP:INBOX=$work/spool/%u
[state]
file = $etc/state
userdb = $etc/userdb
[log]
decisions = no
CONF
"$imaproot" --config "$etc/imaproot.conf" reindex >/dev/null
sed "s|/var/lib/dovecot-root-helper/|$etc/|" "$root/packaging/dovecot/dovecot-$version-all-services.conf" > "$work/all-services.conf"
# LMTP on PORT+2 so that this script can speak it over TCP.
cat > "$work/lmtp.conf" <<CONF
protocols = imap pop3 lmtp
service lmtp {
  inet_listener lmtp {
    port = $((port + 2))
  }
}
CONF
export PASSWD_FILE=passdb
[ "$mode" = with ] && export PASSDB_RESULT_SUCCESS=continue-ok
"$root/tests/dovecot/private-dovecot.sh" config "$work" "$port" "$work/all-services.conf" "$work/lmtp.conf"
"$root/tests/dovecot/private-dovecot.sh" user "$work" "$migrating" 22961 "$work/homes/$migrating"
"$root/tests/dovecot/private-dovecot.sh" user "$work" "$legacy" 22962 "$work/homes/$legacy"
"$root/tests/dovecot/private-dovecot.sh" start "$work"
# Dovecot writes its pid file after it listens: wait for it, so the first attempt meets a ready server.
for _ in $(seq 1 100); do [ -s "$work/run/master.pid" ] && break; sleep 0.1; done

# One line from fd 3 without its CR, or "(connection closed)".
answer() {
    local line
    if IFS= read -r -t 15 line <&3; then printf '%s\n' "${line%$'\r'}"; else echo "(connection closed)"; fi
}
greeting() { # read up to the line that says the server is ready
    local line
    while IFS= read -r -t 15 line <&3; do
        case "$line" in *ready*|"220 "*) return 0 ;; esac
    done
    return 1
}
imap() { # USER PASSWORD
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    greeting
    printf 'a LOGIN %s %s\r\n' "$1" "$2" >&3
    local line
    while line=$(answer); do
        case "$line" in "a "*|"(connection closed)") echo "${line#a }"; break ;; esac
    done
    exec 3<&-
}
pop3() { # USER PASSWORD
    exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))"
    greeting
    printf 'USER %s\r\n' "$1" >&3
    answer >/dev/null
    printf 'PASS %s\r\n' "$2" >&3
    answer
    exec 3<&-
}
lmtp() { # USER
    exec 3<>"/dev/tcp/127.0.0.1/$((port + 2))"
    greeting
    printf 'LHLO bench.example.org\r\n' >&3
    local line
    while line=$(answer); do case "$line" in "250 "*|"(connection closed)") break ;; esac; done
    printf 'MAIL FROM:<bench@example.org>\r\n' >&3
    answer >/dev/null
    printf 'RCPT TO:<%s>\r\n' "$1" >&3
    answer
    printf 'QUIT\r\n' >&3
    exec 3<&-
}
count() { sort | uniq -c | sort -rn | sed 's/^ */  /'; }

echo "== $(grep -m1 -o 'Dovecot v[^ ]*' "$work/dovecot.log"), refusal passdb $mode, $attempts attempts each, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "IMAP LOGIN, right password:"
for _ in $(seq 1 "$attempts"); do imap "$migrating" secret; done | count
echo "POP3 PASS, right password:"
for _ in $(seq 1 "$attempts"); do pop3 "$migrating" secret; done | count
echo "LMTP RCPT:"
for _ in $(seq 1 "$attempts"); do lmtp "$migrating"; done | count
echo "IMAP and POP3, wrong password (once each):"
imap "$migrating" wrong | sed 's/^/  /'
pop3 "$migrating" wrong | sed 's/^/  /'
echo "IMAP and POP3, a legacy user (once each):"
imap "$legacy" secret | cut -c1-40 | sed 's/^/  /'
pop3 "$legacy" secret | sed 's/^/  /'
