#!/bin/bash
# dovecot-root-helper, live: a private Dovecot 2.3 on 127.0.0.1 with the published hook as its
# post-login script, three users in the three states, then the main job: imaproot migrates a
# fourth user while his IMAP session is open, and rolls him back. Touches nothing outside a
# temporary directory, which is removed at exit (KEEP=1 keeps it, and Dovecot running, to look
# around), except one temporary Unix account, drhdemo-dave (uid 20004), removed at exit too:
# imaproot looks users up the way the system does (getpwnam), so the user it migrates is real.
#
#   ./build.sh demo            publish the hook, then run this
#   KEEP=1 demo/demo.sh        leave the Dovecot running afterwards
#   PORT=10143 demo/demo.sh    IMAP on this port (POP3 on PORT+1); default: the first free from 10143
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
hook_dir=$repo/artifacts/hook
private_dovecot=$repo/tests/dovecot/private-dovecot.sh
snippet=$repo/packaging/dovecot/dovecot-2.3-postlogin.conf

die() { echo "demo: $*" >&2; exit 1; }

[ -x "$hook_dir/dovecot-root-helper" ] || die "$hook_dir/dovecot-root-helper is missing: run ./build.sh publish first"
command -v dovecot >/dev/null || die "dovecot is not installed (apt-get install dovecot-core dovecot-imapd dovecot-pop3d)"
[ "$(id -u)" = 0 ] || die "run as root: the demo users have uids of their own"

if [ -t 1 ]; then bold=$'\e[1m'; dim=$'\e[2m'; green=$'\e[32m'; red=$'\e[31m'; off=$'\e[0m'
else bold=; dim=; green=; red=; off=; fi

title() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$off"; }
say() { printf '%s\n' "$*"; }
indent() { sed 's/^/    /'; }

# ---------------------------------------------------------------------------------------------
# A temporary world: Dovecot's files, the hook's config and state file, three homes.
demo=$(mktemp -d /tmp/dovecot-root-helper-demo.XXXXXX)
chmod 0755 "$demo"
dc=$demo/dovecot
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        say ""
        say "KEEP=1: Dovecot is still running from $demo (IMAP on 127.0.0.1:$port)."
        say "Stop it and clean up with:  $private_dovecot stop $dc && rm -rf $demo"
        return
    fi
    "$private_dovecot" stop "$dc" 2>/dev/null || true
    rm -rf "$demo"
    remove_dave
}
remove_dave() {
    if id drhdemo-dave >/dev/null 2>&1; then userdel drhdemo-dave >/dev/null 2>&1 || true; fi
    if getent group drhdemo-dave >/dev/null; then groupdel drhdemo-dave >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${PORT:-}" ]; then
    port=$PORT
else
    port=10143
    until port_free "$port" && port_free $((port + 1)); do port=$((port + 2)); done
fi

etc=$demo/etc
mkdir -m 0755 "$etc"
conf=$etc/dovecot-root-helper.conf
state=$etc/state
cat > "$conf" <<EOF
# The hook's configuration (normally /etc/dovecot-root-helper.conf).
[dovecot]
version = 2.3
# imaproot check compares legacy with this Dovecot's own mail_location (they must be the same).
doveconf = doveconf -c $dc/dovecot.conf

[locations]
legacy = mbox:~:INBOX=$dc/spool/%u
migrated = mbox:~/IMAP:INBOX=$dc/spool/%u

[state]
file = $state
default = legacy

[log]
decisions = no

[migration]
# imaproot's: journals, and this Dovecot's doveadm to close a user's sessions and check them.
journal-dir = $etc/journal
kick = $private_dovecot doveadm $dc kick %u
who = $private_dovecot doveadm $dc -f flow who -1 %u
flush = $private_dovecot doveadm $dc auth cache flush %u
EOF
cat > "$state" <<'EOF'
# USER  STATE      NOTES
alice   legacy
bob     migrated   moved 2024-03-01 by the admin
carol   migrating  being moved right now
drhdemo-dave legacy
EOF
chmod 0644 "$conf" "$state"

# The snippet the README shows, with the install directory pointing at the build output;
# mail_debug makes Dovecot log the mail location the hook chose.
sed "s#/usr/lib/dovecot-root-helper/#$hook_dir/#" "$snippet" > "$demo/postlogin.conf"
echo "mail_debug = yes" > "$demo/debug.conf"
HELPER_CONFIG=$conf "$private_dovecot" config "$dc" "$port" "$demo/postlogin.conf" "$demo/debug.conf"

# ---------------------------------------------------------------------------------------------
# Homes that look lived in.
message() { # SUBJECT
    printf 'From %s Mon Jan  1 00:00:00 2024\nFrom: %s\nSubject: %s\n\nHello.\n\n' \
        someone@example.org someone@example.org "$1"
}
mailbox() { # FILE SUBJECT...
    local file=$1; shift
    mkdir -p "$(dirname "$file")"
    : > "$file"
    for subject in "$@"; do message "$subject" >> "$file"; done
}
clutter() { # HOME: what a real home holds besides mail
    local home=$1
    printf 'alias ll="ls -l"\n' > "$home/.bashrc"
    mkdir -p "$home/.cache/thumbnails" "$home/.cache/pip" "$home/Documents" "$home/Projects/photos"
    for i in $(seq 1 20); do head -c 512 /dev/urandom > "$home/.cache/thumbnails/$i.png"; done
    head -c 4096 /dev/urandom > "$home/.cache/pip/selfcheck.json"
    printf '%%PDF-1.4\n' > "$home/Documents/report.pdf"
    for i in $(seq -w 1 300); do head -c 256 /dev/urandom > "$home/Projects/photos/IMG_$i.jpg"; done
}
mail_of() { # ROOT USER
    mailbox "$1/mail/Archive" "Tax 2022" "Tax 2023" "Holiday plans"
    mailbox "$1/mail/Lists/debian" "Bookworm released" "Security update"
    mailbox "$1/Sent" "Re: Holiday plans"
}
add_user() { # NAME UID
    "$private_dovecot" user "$dc" "$1" "$2"
    message "Welcome, $1" > "$dc/spool/$1"
}

add_user alice 20001; add_user bob 20002; add_user carol 20003; add_user drhdemo-dave 20004
remove_dave
useradd -M -U -u 20004 -d "$dc/home/drhdemo-dave" -s /usr/sbin/nologin drhdemo-dave
clutter "$dc/home/alice"; mail_of "$dc/home/alice"
clutter "$dc/home/drhdemo-dave"; mail_of "$dc/home/drhdemo-dave"
printf 'V\t2\n\nmail\tArchive\nmail\tLists\tdebian\nSent\n' > "$dc/home/drhdemo-dave/.subscriptions"
clutter "$dc/home/bob"; mail_of "$dc/home/bob/IMAP"
mail_of "$dc/home/carol"
for u in alice:20001 bob:20002 carol:20003 drhdemo-dave:20004; do chown -R "${u#*:}:${u#*:}" "$dc/home/${u%:*}"; done

"$private_dovecot" start "$dc"

# ---------------------------------------------------------------------------------------------
imap() { # USER: a whole IMAP session; prints what the server said, CRs removed
    local out
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'a LOGIN %s secret\r\nb LIST "" "*"\r\nc LOGOUT\r\n' "$1" >&3
    out=$(timeout 10 cat <&3 | tr -d '\r' || true)
    exec 3<&-
    # A fresh login process may first ask the client to wait for the auth process.
    grep -v '^\* OK Waiting for authentication' <<<"$out"
}
location_of() { # USER: the MAIL the hook handed Dovecot at the user's last login (mail_debug logs it)
    grep -a "imap($1)<.*Added userdb setting: mail=" "$dc/dovecot.log" | tail -1 | sed 's/.*Added userdb setting: mail=//'
}
show_list() { # SESSION-OUTPUT
    local list n
    list=$(grep '^\* LIST' <<<"$1" | sed 's/^\* LIST ([^)]*) "\/" //' | tr -d '"')
    n=$(grep -c . <<<"$list" || true)
    say "LIST \"\" \"*\" returned $bold$n$off mailboxes:"
    if [ "$n" -gt 14 ]; then
        head -12 <<<"$list" | indent
        say "    ${dim}... and $((n - 12)) more (every file under the root is a \"mailbox\")$off"
    else
        indent <<<"$list"
    fi
    grep -o '^b OK List completed.*' <<<"$1" | sed "s/^/  ${dim}/; s/$/$off/" || true
}

title "The setup"
say "A private Dovecot 2.3 listens on 127.0.0.1:$port (IMAP) and $((port + 1)) (POP3), running from"
say "$demo. Its post-login scripts are the published hook, installed with"
say "packaging/dovecot/dovecot-2.3-postlogin.conf:"
grep -E 'executable = script-login' "$demo/postlogin.conf" | sed 's/^ */  /'
say ""
say "The hook reads its config ($conf):"
grep -E '^(legacy|migrated|file|default) ' "$conf" | indent
say "and, at every login, the migration-state file ($state):"
indent < "$state"

title "alice: legacy"
say "alice's home holds her mbox folders next to everything else a home has:"
(cd "$dc/home/alice" && find . -maxdepth 2 -mindepth 1 | sort | sed 's#^\./##' | grep -v '^Projects/photos/' | indent)
say "    ${dim}(Projects/photos has 300 files, .cache/thumbnails 20)$off"
out=$(imap alice)
say ""
grep -E '^a (OK|NO)' <<<"$out" | cut -c1-60 | sed 's/$/ .../' | sed 's/^/  /'
show_list "$out"
say "Hook's decision: alice is listed as ${bold}legacy$off, so it set"
say "    MAIL=$(location_of alice)"
say "${dim}Her IMAP root is her whole home: Dovecot walks every file, caches, photos and all.$off"

title "bob: migrated"
say "bob's home has the same kind of clutter, but his mailboxes live under \$HOME/IMAP:"
(cd "$dc/home/bob" && find IMAP -mindepth 1 | sort | indent)
out=$(imap bob)
say ""
grep -E '^a (OK|NO)' <<<"$out" | cut -c1-60 | sed 's/$/ .../' | sed 's/^/  /'
show_list "$out"
say "Hook's decision: bob is listed as ${bold}migrated$off, so it set"
say "    MAIL=$(location_of bob)"
say "${dim}Same mailbox names as alice (mail/Archive, mail/Lists/debian, Sent): his mail client$off"
say "${dim}notices nothing, and the clutter in his home is out of Dovecot's sight.$off"

title "carol: migrating"
say "carol's mail is being moved right now, so the hook refuses her login for the moment."
log_before=$(wc -c < "$dc/dovecot.log")
out=$(imap carol)
say "What her client receives after a LOGIN:"
sed 's/^/  /' <<<"$out"
if grep -q '^\* BYE \[UNAVAILABLE\]' <<<"$out"; then
    say "${green}Refused with a temporary error: clients retry later and do not ask for a new password.$off"
else
    say "${red}Unexpected: no BYE [UNAVAILABLE] line.$off"
fi
sleep 0.2
say "Dovecot's log:"
tail -c +"$((log_before + 1))" "$dc/dovecot.log" | grep -a -E 'denied access|dovecot-root-helper' \
    | sed -E 's/ \(connection created.*//' | indent
say "${dim}Once the move is done the admin writes \"carol migrated\" to the state file (temp file +"
say "rename); her next login gets \$HOME/IMAP, with no Dovecot restart or reload.$off"

imaproot=$repo/artifacts/imaproot/imaproot
if [ -x "$imaproot" ]; then
    title "What the admin CLI says"
    say "\$ imaproot check"
    "$imaproot" --config "$conf" check 2>&1 | indent || true
    say "\$ imaproot list"
    "$imaproot" --config "$conf" list 2>&1 | indent || true
    say "\$ imaproot explain bob    ${dim}(what the hook hands Dovecot for him)$off"
    "$imaproot" --config "$conf" explain bob --uid 20002 --home "$dc/home/bob" 2>&1 | indent || true
fi

title "The main job: migrating dave while his mail client is connected"
dave=drhdemo-dave
say "dave ($dave, a real Unix account for this demo) is ${bold}legacy$off, his home as cluttered as alice's."
out=$(imap $dave)
show_list "$out"
say ""
say "\$ imaproot plan $dave    ${dim}(the dry run: what would move, and why)$off"
"$imaproot" --config "$conf" plan $dave 2>&1 | sed -n '1,/^steps/p' | indent
say "    ${dim}...$off"
say ""
say "dave's client now has a session open, mail/Archive selected:"
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'a LOGIN %s secret\r\nb SELECT mail/Archive\r\n' "$dave" >&4
session=$(timeout 3 cat <&4 | tr -d '\r' || true)
grep -E '^\* ([0-9]+ EXISTS|OK \[UIDVALIDITY)|^b OK' <<<"$session" | indent
say ""
say "\$ imaproot migrate $dave --yes"
"$imaproot" --config "$conf" migrate $dave --yes 2>&1 | grep -v '\] ' | indent
say ""
say "What the open session received meanwhile (the kick; the client reconnects):"
(timeout 3 cat <&4 | tr -d '\r' || true) | indent
exec 4<&-
say ""
say "Now on disk: the mailboxes and their indexes under \$HOME/IMAP, the clutter where it was:"
(cd "$dc/home/$dave" && find IMAP -mindepth 1 -not -path '*/.imap/*' | sort | indent)
out=$(imap $dave)
say "dave logs in again:"
show_list "$out"
say "    MAIL=$(location_of $dave)"
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'a LOGIN %s secret\r\nb SELECT mail/Archive\r\nc LOGOUT\r\n' "$dave" >&4
say "and selects mail/Archive: the same UIDVALIDITY and message count as before the move:"
(timeout 3 cat <&4 | tr -d '\r' || true) | grep -E '^\* ([0-9]+ EXISTS|OK \[UIDVALIDITY)' | indent
exec 4<&-
say "${green}The same mailbox names and messages: his client notices nothing, and a LIST no longer$off"
say "${green}walks his home.$off"
say ""
say "\$ imaproot status $dave"
"$imaproot" --config "$conf" status $dave 2>&1 | indent
say ""
say "\$ imaproot rollback $dave    ${dim}(from the journal the migration kept)$off"
"$imaproot" --config "$conf" rollback $dave 2>&1 | grep -v '\] ' | indent
out=$(imap $dave)
show_list "$out"
say "${dim}Back as before: the whole home is his IMAP root again.$off"

title "Done"
say "Dovecot's full log is $dc/dovecot.log$([ "${KEEP:-0}" = 1 ] || echo ' (removed at exit; KEEP=1 keeps it)')."
