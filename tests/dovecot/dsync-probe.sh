#!/bin/bash
# Probe what Dovecot's dsync (`doveadm backup`) does when it converts a user's mbox mail to
# Maildir or mdbox and back, on one Dovecot generation, and print the findings.
# The facts it established are written up in docs/conversion-notes.md.
#
#   GENERATION=2.3|2.4|2.4.5 tests/dovecot/dsync-probe.sh [MESSAGES]
#
# Runs as root (dsync must drop to the user's uid). Everything lives in a fresh temporary
# directory under /tmp: a private Dovecot (tests/dovecot/private-dovecot.sh) with one passwd-file
# user (no Unix account), uid PROBE_UID (default 23501 + an offset per generation). MESSAGES (default
# 0) adds a timing run: an mbox INBOX of that many ~15 kB messages converted to Maildir, then a
# second (incremental) run after one new message. PROBE_KEEP=1 keeps the directory.
# Sections (numbered as in docs/conversion-notes.md): 1 the commands, 2 what survives, 3 POP3 UIDLs,
# 4 incremental runs, 5 rollback, 6 exit codes, 7 space, 8 rollback into a Debian-style spool,
# 9 rollback with 2.4's parent mailboxes, 10 converting from a Debian-style spool, 11 -o against
# the userdb's fields. Takes 40-70 s per generation without MESSAGES, about 3 min with 20000.
# "SAME"/"DIFFERENT" lines compare two locations; "-> exit N" follows every doveadm backup.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
P=$here/private-dovecot.sh
gen=${GENERATION:-2.3}
big=${1:-0}
case "$gen" in
2.3) port=24143 off=0 ;;
2.4) port=24153 off=10 ;;
2.4.5) port=24163 off=20 ;;
*) echo "GENERATION must be 2.3, 2.4 or 2.4.5" >&2; exit 2 ;;
esac
uid=${PROBE_UID:-$((23501 + off))}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }

dir=$(mktemp -d /tmp/dsync-probe.XXXXXX)
chmod 0755 "$dir"
user=alice
home=$dir/home/$user
cleanup() {
    "$P" stop "$dir" >/dev/null 2>&1
    [ -n "${PROBE_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
section() { printf '\n=== %s (Dovecot %s) ===\n' "$*" "$gen"; }
# Print a command line as run, then run it and print its exit code.
run() {
    printf '$ %s\n' "$(printf '%q ' "$@")"
    "$@"
    local rc=$?
    say "-> exit $rc"
    return $rc
}

# The userdb's own location is NOT the mbox source: ~/userdb-root. Every command below names its
# location itself, as the conversion will (the lead hands the source location over).
MAIL_ROOT="~/userdb-root" GENERATION=$gen "$P" config "$dir" "$port" || exit 1
"$P" user "$dir" "$user" "$uid" || exit 1
"$P" start "$dir" || exit 1
spool=$dir/spool/$user
install -d -o "$uid" -g "$uid" "$home/IMAP"

# loc NAME: the doveadm -o options that make NAME the user's location for a command.
#   mbox     the source: mbox:~/IMAP:INBOX=<spool>
#   maildir  maildir:~/Maildir:LAYOUT=fs (INBOX is ~/Maildir itself)
#   maildiri maildir:~/MaildirI:LAYOUT=fs:INBOX=~/MaildirI/INBOX
#   mdbox    mdbox:~/mdbox
# 2.3 takes one mail_location string. 2.3 does not expand %u in a -o value (seen: it made a file
# literally named "%u"), so the spool path is written out. 2.4 splits the location into settings;
# the global mail_inbox_path (the spool) must be reset for the other formats: to "." for maildir
# (maildir-settings.c's own default for both layouts: INBOX is mail_path itself; an empty value
# gives an empty INBOX elsewhere), to "" for mdbox.
loc() {
    if [ "$gen" = 2.3 ]; then
        case "$1" in
        mbox) echo "-o mail_location=mbox:~/IMAP:INBOX=$spool" ;;
        maildir) echo "-o mail_location=maildir:~/Maildir:LAYOUT=fs" ;;
        maildiri) echo "-o mail_location=maildir:~/MaildirI:LAYOUT=fs:INBOX=~/MaildirI/INBOX" ;;
        mdbox) echo "-o mail_location=mdbox:~/mdbox" ;;
        scratch) echo "-o mail_location=mdbox:~/scratch" ;;
        mbox9) echo "-o mail_location=mbox:~/IMAP9:INBOX=$spool.9" ;;
        maildir9) echo "-o mail_location=maildir:~/Maildir9:LAYOUT=fs" ;;
        esac
    else
        case "$1" in
        mbox) echo "-o mail_driver=mbox -o mail_path=~/IMAP -o mail_inbox_path=$spool" ;;
        maildir) echo "-o mail_driver=maildir -o mail_path=~/Maildir -o mailbox_list_layout=fs -o mail_inbox_path=." ;;
        maildiri) echo "-o mail_driver=maildir -o mail_path=~/MaildirI -o mailbox_list_layout=fs -o mail_inbox_path=~/MaildirI/INBOX" ;;
        mdbox) echo "-o mail_driver=mdbox -o mail_path=~/mdbox -o mail_inbox_path=" ;;
        scratch) echo "-o mail_driver=mdbox -o mail_path=~/scratch -o mail_inbox_path=" ;;
        mbox9) echo "-o mail_driver=mbox -o mail_path=~/IMAP9 -o mail_inbox_path=$spool.9" ;;
        maildir9) echo "-o mail_driver=maildir -o mail_path=~/Maildir9 -o mailbox_list_layout=fs -o mail_inbox_path=." ;;
        esac
    fi
}
# dest NAME: the destination arguments of doveadm backup/sync for NAME. 2.3: one location string.
# 2.4: "driver:path" only (doveadm-dsync.c cmd_dsync_run_local refuses a second ':'), every other
# setting of the destination as -p KEY=VALUE; the destination starts from the storage defaults
# (mail_storage_2nd_settings_reset), so the global mail_inbox_path does not leak into it.
dest() {
    if [ "$gen" = 2.3 ]; then
        case "$1" in
        mbox) echo "mbox:~/IMAP:INBOX=$spool" ;;
        maildir) echo "maildir:~/Maildir:LAYOUT=fs" ;;
        maildiri) echo "maildir:~/MaildirI:LAYOUT=fs:INBOX=~/MaildirI/INBOX" ;;
        mdbox) echo "mdbox:~/mdbox" ;;
        scratch) echo "mdbox:~/scratch" ;;
        mbox9) echo "mbox:~/IMAP9:INBOX=$spool.9" ;;
        maildir9) echo "maildir:~/Maildir9:LAYOUT=fs" ;;
        esac
    else
        case "$1" in
        mbox) echo "-p mail_inbox_path=$spool mbox:~/IMAP" ;;
        maildir) echo "-p mailbox_list_layout=fs maildir:~/Maildir" ;;
        maildiri) echo "-p mailbox_list_layout=fs -p mail_inbox_path=~/MaildirI/INBOX maildir:~/MaildirI" ;;
        mdbox) echo "mdbox:~/mdbox" ;;
        scratch) echo "mdbox:~/scratch" ;;
        mbox9) echo "-p mail_inbox_path=$spool.9 mbox:~/IMAP9" ;;
        maildir9) echo "-p mailbox_list_layout=fs maildir:~/Maildir9" ;;
        esac
    fi
}
# da LOCNAME ARGS...: doveadm with LOCNAME as the user's location.
da() {
    local l=$1; shift
    # shellcheck disable=SC2046
    "$P" doveadm "$dir" $(loc "$l") "$@"
}
# backup FROM TO [OPTS...]: doveadm backup from location FROM into location TO, as root.
backup() {
    local from=$1 to=$2; shift 2
    # shellcheck disable=SC2046
    run "$P" doveadm "$dir" $(loc "$from") backup "$@" -u "$user" $(dest "$to")
}
# state LOCNAME: mailboxes with their counters, then every message's uid and flags, sorted.
# \Recent is left out: it belongs to a session, not to the mail.
state() {
    da "$1" mailbox status -u "$user" 'messages uidvalidity uidnext' '*' | sort
    da "$1" -f tab fetch -u "$user" 'mailbox uid flags' all | sed 1d | sed 's/ *\\Recent//; s/ *$//' | sort
}
# bodies LOCNAME: mailbox, uid and the sha1 of each message's body (doveadm fetch text).
bodies() {
    local mb u
    da "$1" -f tab fetch -u "$user" 'mailbox uid' all | sed 1d | while IFS=$'\t' read -r mb u; do
        printf '%s uid=%s %s\n' "$mb" "$u" "$(da "$1" fetch -u "$user" body mailbox "$mb" uid "$u" | sed 1d | sha1sum | cut -c1-12)"
    done | sort
}
compare() {
    local a=$1 b=$2 what=$3
    if diff <("$what" "$a") <("$what" "$b") >"$dir/diff"; then
        say "SAME $what: $a == $b"
    else
        say "DIFFERENT $what: $a vs $b"; cat "$dir/diff"
    fi
}
owners() { say "owners under $1: $(find "$1" -printf '%u:%g\n' | sort | uniq -c | paste -sd' ')"; }
pop3_uidls() {
    exec 5<>"/dev/tcp/127.0.0.1/$((port + 1))"
    printf 'USER %s\r\nPASS secret\r\nUIDL\r\nQUIT\r\n' "$user" >&5
    timeout 10 cat <&5 | tr -d '\r' | grep -E '^([0-9]+ |-ERR)' | paste -sd' '
    exec 5>&-
}
# set_userdb_location NAME: make the passwd-file userdb hand NAME out (for the POP3 sessions).
set_userdb_location() {
    local extra
    if [ "$gen" = 2.3 ]; then
        case "$1" in
        mbox) extra="userdb_mail=mbox:~/IMAP:INBOX=$spool" ;;
        maildir) extra="userdb_mail=maildir:~/Maildir:LAYOUT=fs" ;;
        mdbox) extra="userdb_mail=mdbox:~/mdbox" ;;
        esac
    else
        case "$1" in
        mbox) extra="userdb_mail_driver=mbox userdb_mail_path=~/IMAP userdb_mail_inbox_path=$spool" ;;
        maildir) extra="userdb_mail_driver=maildir userdb_mail_path=~/Maildir userdb_mailbox_list_layout=fs userdb_mail_inbox_path=." ;;
        mdbox) extra="userdb_mail_driver=mdbox userdb_mail_path=~/mdbox userdb_mail_inbox_path=" ;;
        esac
    fi
    echo "$user:{PLAIN}secret:$uid:$uid::$home::$extra" >"$dir/passwd"
    sleep 1.1 # passwd-file is stat'ed at most once a second
    "$P" doveadm "$dir" auth cache flush >/dev/null 2>&1
}

section "version"
"$P" doveadm "$dir" -f flow who >/dev/null 2>&1
"$P" doveconf "$dir" -n 2>/dev/null | head -1

section "source: an mbox INBOX written the way an MDA writes it, plus folders made through doveadm"
# Three messages; the second has body lines starting "From " which an MDA quotes as ">From ".
{
    for i in 1 2 3; do
        printf 'From sender@example.org Mon Dec  7 10:0%s:00 2026\n' "$i"
        printf 'From: sender@example.org\nTo: %s@example.org\nSubject: m%s\nMessage-ID: <m%s@example.org>\n\n' "$user" "$i" "$i"
        printf 'body of m%s\n' "$i"
        [ "$i" = 2 ] && printf '>From here on the line was quoted by the MDA\n>>From twice quoted\nFrom-not-a-separator\n'
        printf '\n'
    done
} >"$spool"
chown "$uid:$uid" "$spool"
da mbox mailbox create -u "$user" -s Archive 'Entwürfe' 'Projekte/2024/Q1'
da mbox mailbox create -u "$user" Unsubscribed
for mb in Archive 'Entwürfe' 'Projekte/2024/Q1' Unsubscribed; do
    printf 'Date: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-ID: <%s@example.org>\nSubject: in %s\n\nFrom the start of a body line\n' "${mb//\//.}" "$mb" | da mbox save -u "$user" -m "$mb"
done
da mbox flags add -u "$user" '\Seen $Label1' mailbox INBOX uid 1
da mbox flags add -u "$user" '\Flagged \Answered customword' mailbox INBOX uid 2
da mbox flags add -u "$user" '\Deleted \Draft \Seen' mailbox INBOX uid 3
say "mbox files:"; (cd "$home/IMAP" && find . -path '*/.imap' -prune -o -type f -print | sort | paste -sd' ')
say ".subscriptions: $(tr '\t\n' '|;' <"$home/IMAP/.subscriptions")"
say "INBOX on disk around the quoted line:"; grep -n 'From' "$spool" | head -12
state mbox
say "POP3 UIDLs from the mbox (userdb location = mbox source):"
set_userdb_location mbox
mbox_uidls=$(pop3_uidls); say "  $mbox_uidls"
da mbox fetch -u "$user" 'uid pop3.uidl' mailbox INBOX all | paste -sd' '

section "1. mbox -> maildir:~/Maildir:LAYOUT=fs, mbox -> LAYOUT=fs with INBOX inside, mbox -> mdbox (as root)"
say "destination directories do not exist beforehand: ls -d ~/Maildir: $(ls -d "$home/Maildir" 2>&1)"
for t in maildir maildiri mdbox; do
    start=$(date +%s.%N)
    backup mbox "$t"
    say "took $(echo "$(date +%s.%N) - $start" | bc) s"
    case $t in maildir) d=Maildir ;; maildiri) d=MaildirI ;; *) d=$t ;; esac
    owners "$home/$d"
done
find "$home/Maildir" "$home/MaildirI" -maxdepth 3 \( -name cur -o -name subscriptions -o -name dovecot-uidlist \) | sed "s|$home/||" | sort | paste -sd' '
find "$home/mdbox" -maxdepth 3 | sed "s|$home/||" | sort | paste -sd' '

section "2. preservation: status, uids, flags, keywords, names, bodies, subscriptions"
for t in maildir maildiri mdbox; do
    compare mbox "$t" state
    compare mbox "$t" bodies
    say "subscriptions on $t: $(da "$t" mailbox list -u "$user" -s | paste -sd'|')"
done
say "subscriptions on mbox: $(da mbox mailbox list -u "$user" -s | paste -sd'|')"
say "Maildir subscriptions file: $(tr '\t\n' '|;' <"$home/Maildir/subscriptions")"
say "message 2 body from mbox and from mdbox:"
da mbox fetch -u "$user" body mailbox INBOX uid 2 | sed 1d | cat -A | head -6
da mdbox fetch -u "$user" body mailbox INBOX uid 2 | sed 1d | cat -A | head -6

section "3. POP3 UIDLs (default pop3_uidl_format) from a real POP3 session on each location"
for t in maildir mdbox; do
    set_userdb_location "$t"
    u=$(pop3_uidls)
    if [ "$u" = "$mbox_uidls" ]; then say "SAME UIDL on $t: $u"; else say "DIFFERENT UIDL on $t: $u (mbox: $mbox_uidls)"; fi
done
set_userdb_location mbox

section "4. incremental second run: new mail, flag change, expunge in the source"
printf 'Date: Mon, 7 Dec 2026 11:00:00 +0000\nMessage-ID: <new4@example.org>\nSubject: new after the first run\n\nnew\n' | da mbox save -u "$user" -m INBOX
# Deliberately without Date, Message-ID, Received, Delivered-To and X-Delivery-ID: the headers an
# mbox message's GUID is hashed from (mbox-md5-apop3d.c). Its GUID is then md5("") like that of
# every other such message.
printf 'Subject: new in Archive, no Date or Message-ID\n\nnew\n' | da mbox save -u "$user" -m Archive
printf 'Subject: also without\n\nanother body\n' | da mbox save -u "$user" -m Archive
da mbox flags add -u "$user" '\Seen' mailbox Archive uid 1
da mbox flags remove -u "$user" '\Flagged' mailbox INBOX uid 2
da mbox expunge -u "$user" mailbox INBOX uid 1
say "a message only the destination has (saved into the maildir's Entwürfe, where the source gets nothing new):"
printf 'Subject: only in the destination\n\nx\n' | da maildir save -u "$user" -m 'Entwürfe'
da maildir mailbox status -u "$user" 'messages uidnext' 'Entwürfe'
backup mbox maildir
say "Entwürfe after the run: source $(da mbox mailbox status -u "$user" 'messages uidnext' 'Entwürfe'), destination $(da maildir mailbox status -u "$user" 'messages uidnext' 'Entwürfe')"
compare mbox maildir state
compare mbox maildir bodies
say "Archive uid 2 (appended to the mbox after the first run) from the mbox, then from the maildir:"
da mbox fetch -u "$user" body mailbox Archive uid 2 | sed 1d | od -c | head -3
da maildir fetch -u "$user" body mailbox Archive uid 2 | sed 1d | od -c | head -3
backup mbox mdbox
compare mbox mdbox state
compare mbox mdbox bodies

section "5. the way back: new mail in the maildir, doveadm backup maildir -> existing mbox"
printf 'Date: Mon, 7 Dec 2026 12:00:00 +0000\nMessage-ID: <after1@example.org>\nSubject: arrived in the maildir after the cut-over\n\nFrom a line in the maildir\nFrom sender@example.org Mon Dec  7 10:09:00 2026\nFrom: looks like a header\n\nlast line\n' | da maildir save -u "$user" -m INBOX
printf 'Date: Mon, 7 Dec 2026 12:00:00 +0000\nMessage-ID: <after2@example.org>\nSubject: arrived in Q1 after the cut-over\n\nx\n' | da maildir save -u "$user" -m 'Projekte/2024/Q1'
da maildir flags add -u "$user" '\Answered $Label2' mailbox INBOX uid 2
state maildir >"$dir/maildir.state"
backup maildir mbox
compare maildir mbox state
compare maildir mbox bodies
say "mbox INBOX on disk around the quoted lines after the way back:"; grep -n 'From' "$spool" | head -20
owners "$home/IMAP"; ls -l "$spool"
grep -n -E '^(X-IMAPbase|X-UID|Content-Length|Status|X-Status|X-Keywords):' "$spool" | head -20
say "mbox INBOX index removed: do UIDs and UIDVALIDITY come back from the file itself?"
rm -rf "$home/IMAP/.imap/INBOX" "$home/IMAP/Projekte/2024/.imap"
compare maildir mbox state
say "a second rollback run with nothing changed:"
backup maildir mbox

section "6. exit codes (each case on a fresh mdbox copy, ~/scratch)"
fresh() { rm -rf "$home/scratch"; backup mbox scratch >/dev/null 2>&1; }
say "6a. success on a fresh copy, and again with nothing to do:"; rm -rf "$home/scratch"; backup mbox scratch; backup mbox scratch
say "6b. the destination's Archive has another UIDVALIDITY (doveadm mailbox update --uid-validity):"
da scratch mailbox update -u "$user" --uid-validity 12345 Archive
backup mbox scratch
compare mbox scratch state
say "6c. the same for INBOX:"
fresh
da scratch mailbox update -u "$user" --uid-validity 12345 INBOX
backup mbox scratch
compare mbox scratch state
say "6c'. once more after that:"
backup mbox scratch
say "6c2. INBOX's UIDVALIDITY changed in a fresh maildir copy:"
rm -rf "$home/Maildir2"
if [ "$gen" = 2.3 ]; then m2=(-o "mail_location=maildir:~/Maildir2:LAYOUT=fs"); m2d="maildir:~/Maildir2:LAYOUT=fs"; m2p=()
else m2=(-o mail_driver=maildir -o "mail_path=~/Maildir2" -o mailbox_list_layout=fs -o mail_inbox_path=.); m2d="maildir:~/Maildir2"; m2p=(-p mailbox_list_layout=fs); fi
run "$P" doveadm "$dir" $(loc mbox) backup -u "$user" "${m2p[@]}" "$m2d" >/dev/null
"$P" doveadm "$dir" "${m2[@]}" mailbox update -u "$user" --uid-validity 12345 INBOX
run "$P" doveadm "$dir" $(loc mbox) backup -u "$user" "${m2p[@]}" "$m2d"
"$P" doveadm "$dir" "${m2[@]}" mailbox status -u "$user" 'messages uidvalidity uidnext' INBOX
run "$P" doveadm "$dir" $(loc mbox) backup -u "$user" "${m2p[@]}" "$m2d"
"$P" doveadm "$dir" "${m2[@]}" mailbox status -u "$user" 'messages uidvalidity uidnext' INBOX
say "6d. source location does not exist (mbox:~/nonexistent, INBOX a missing file) into a new destination:"
if [ "$gen" = 2.3 ]; then
    nosrc=(-o "mail_location=mbox:~/nonexistent:INBOX=$dir/spool/nobody")
else
    nosrc=(-o mail_driver=mbox -o "mail_path=~/nonexistent" -o "mail_inbox_path=$dir/spool/nobody")
fi
run "$P" doveadm "$dir" "${nosrc[@]}" backup -u "$user" mdbox:~/empty-x
ls -A "$home/empty-x" 2>&1 | paste -sd' '
say "6d'. the same missing source into the existing full copy (what does backup do to it?):"
fresh
run "$P" doveadm "$dir" "${nosrc[@]}" backup -u "$user" mdbox:~/scratch
da scratch mailbox status -u "$user" 'messages' '*' | paste -sd' '
say "6e. unknown user:"; run "$P" doveadm "$dir" $(loc mbox) backup -u nosuchuser mdbox:~/scratch
say "6f. destination path not writable by the user (a root-owned directory):"
install -d -m 0755 "$dir/rootonly"
run "$P" doveadm "$dir" $(loc mbox) backup -u "$user" "mdbox:$dir/rootonly/M"
say "6g. two runs at once for the same user into a fresh destination, without -l:"
rm -rf "$home/scratch"
# shellcheck disable=SC2046
( "$P" doveadm "$dir" $(loc mbox) backup -u "$user" mdbox:~/scratch >"$dir/c1.out" 2>&1; echo "first exit $?" >>"$dir/c1.out" ) &
# shellcheck disable=SC2046
( "$P" doveadm "$dir" $(loc mbox) backup -u "$user" mdbox:~/scratch >"$dir/c2.out" 2>&1; echo "second exit $?" >>"$dir/c2.out" ) &
wait
cat "$dir/c1.out" "$dir/c2.out"
compare mbox scratch state
say "6h. -l 1 while another process holds ~/.dovecot-sync.lock (flock-free fcntl lock held by a helper):"
lockf=$home/.dovecot-sync.lock
install -o "$uid" -g "$uid" -m 0600 /dev/null "$lockf"
python3 -c 'import fcntl,sys,time; f=open(sys.argv[1],"a"); fcntl.lockf(f, fcntl.LOCK_EX); print("held", flush=True); time.sleep(4)' "$lockf" &
sleep 0.5
t0=$(date +%s.%N)
run "$P" doveadm "$dir" $(loc mbox) backup -u "$user" -l 1 mdbox:~/scratch
say "took $(echo "$(date +%s.%N) - $t0" | bc) s"
wait
say "6i. the destination INBOX holds a message the source lacks AND the source got a new one (same UID):"
fresh
printf 'Subject: only in the destination INBOX\n\nx\n' | da scratch save -u "$user" -m INBOX
printf 'Subject: new in the source INBOX\n\nx\n' | da mbox save -u "$user" -m INBOX
backup mbox scratch
compare mbox scratch state
say "6j. re-converting after a rollback: the old maildir copy holds the messages delivered after the cut-over
(GUID = maildir file name), the mbox has them too (GUID = hash of some headers):"
backup mbox maildir
compare mbox maildir state
say "and again:"
backup mbox maildir
compare mbox maildir state
say "6k. the same with a fresh destination:"
rm -rf "$home/Maildir"
backup mbox maildir
compare mbox maildir state

section "7. space: du of the same mail in each format"
du -s --apparent-size "$spool" "$home/IMAP" "$home/Maildir" "$home/MaildirI" "$home/mdbox" | sed "s|$dir/||"
du -s "$spool" "$home/IMAP" "$home/Maildir" "$home/MaildirI" "$home/mdbox" | sed "s|$dir/||"

section "8. (5 continued) the way back into a Debian-style spool: root:mail 2775, mbox_write_locks = dotlock fcntl (Debian's default)"
# Run last: it shares ~/IMAP's INBOX index with a second INBOX file. The user's mbox INBOX (in sync
# with the maildir after 5 and 6) is copied into $dir/varmail, made like
# Debian's /var/mail; ~/IMAP and its index stay. A new message arrives in the maildir, then the
# rollback runs with Debian's lock setting, without and with mail_privileged_group=mail. The parents
# are excluded: on 2.4 they are mailboxes in the Maildir and fail the rollback (see 9).
install -d -o root -g mail -m 2775 "$dir/varmail"
if [ "$gen" = 2.3 ]; then
    vm_dest=("mbox:~/IMAP:INBOX=$dir/varmail/$user"); vm_loc=(-o "mail_location=mbox:~/IMAP:INBOX=$dir/varmail/$user")
else
    vm_dest=(-p "mail_inbox_path=$dir/varmail/$user" "mbox:~/IMAP"); vm_loc=(-o mail_driver=mbox -o "mail_path=~/IMAP" -o "mail_inbox_path=$dir/varmail/$user")
fi
for priv in "" mail; do
    cp -p "$spool" "$dir/varmail/$user"; chgrp mail "$dir/varmail/$user"; chmod 0660 "$dir/varmail/$user"
    printf 'Message-ID: <spool-%s@example.org>\nSubject: for the spool test\n\nx\n' "$priv" | da maildir save -u "$user" -m INBOX
    run "$P" doveadm "$dir" -o "mbox_write_locks=dotlock fcntl" -o "mail_privileged_group=$priv" $(loc maildir) backup -u "$user" -x Projekte -x Projekte/2024 "${vm_dest[@]}"
    say "with mail_privileged_group='$priv': spool INBOX $(stat -c '%u:%G %a %s bytes' "$dir/varmail/$user"), spool dir holds: $(ls -A "$dir/varmail" | paste -sd' ')"
    say "  maildir: $(da maildir mailbox status -u "$user" 'messages uidvalidity uidnext' INBOX)"
    say "  mbox:    $("$P" doveadm "$dir" "${vm_loc[@]}" mailbox status -u "$user" 'messages uidvalidity uidnext' INBOX)"
done

section "9. (5 continued) the way back when the mbox has parent directories (Projekte/2024/Q1) and nothing else ran"
# A fresh pair: mbox ~/IMAP9 (INBOX $spool.9) with INBOX and Projekte/2024/Q1, converted to ~/Maildir9,
# one message delivered to the Maildir, then the rollback; then again with the parents excluded.
install -d -o "$uid" -g "$uid" "$home/IMAP9"; install -o "$uid" -g "$uid" -m 0600 /dev/null "$spool.9"
da mbox9 mailbox create -u "$user" -s 'Projekte/2024/Q1'
for i in 1 2; do printf 'Message-ID: <nine%s@example.org>\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nSubject: nine\n\ny\n' "$i" | da mbox9 save -u "$user" -m INBOX; done
printf 'Message-ID: <nineq@example.org>\n\nz\n' | da mbox9 save -u "$user" -m 'Projekte/2024/Q1'
backup mbox9 maildir9
da maildir9 mailbox list -u "$user" | paste -sd' '
printf 'Message-ID: <nine-new@example.org>\n\nnew\n' | da maildir9 save -u "$user" -m INBOX
backup maildir9 mbox9
say "  mbox9: $(da mbox9 mailbox status -u "$user" messages '*' | paste -sd' ')"
backup maildir9 mbox9 -x Projekte -x Projekte/2024
say "  mbox9: $(da mbox9 mailbox status -u "$user" messages '*' | paste -sd' ')"
compare maildir9 mbox9 state
say "9b. the same after a fresh conversion run TWICE (pre-sync, then the incremental one), no -x:"
rm -rf "$home/Maildir9"
backup mbox9 maildir9 >/dev/null
say "  after one run:  $(da maildir9 mailbox status -u "$user" messages '*' 2>&1 | paste -sd' ')"
backup mbox9 maildir9 >/dev/null
say "  after two runs: $(da maildir9 mailbox status -u "$user" messages '*' 2>&1 | paste -sd' ')"
printf 'Message-ID: <nine-new2@example.org>\n\nnew\n' | da maildir9 save -u "$user" -m INBOX
backup maildir9 mbox9
compare maildir9 mbox9 state

section "10. converting FROM a Debian-style spool (root:mail 2775, dotlock fcntl), MDA-written INBOX without X-UID headers"
install -d -o root -g mail -m 2775 "$dir/varmail10"
for i in 1 2 3; do printf 'From a@example.org Mon Dec  7 10:0%s:00 2026\nMessage-ID: <ten%s@example.org>\nSubject: ten\n\nbody\n\n' "$i" "$i"; done >"$dir/varmail10/$user"
chown "$uid:mail" "$dir/varmail10/$user"; chmod 0660 "$dir/varmail10/$user"
for priv in "" mail; do
    rm -rf "$home/IMAP10" "$home/Maildir10"; install -d -o "$uid" -g "$uid" "$home/IMAP10"
    if [ "$gen" = 2.3 ]; then
        run "$P" doveadm "$dir" -o "mbox_write_locks=dotlock fcntl" -o "mail_privileged_group=$priv" -o "mail_location=mbox:~/IMAP10:INBOX=$dir/varmail10/$user" backup -u "$user" "maildir:~/Maildir10:LAYOUT=fs"
        m10=(-o "mail_location=maildir:~/Maildir10:LAYOUT=fs")
    else
        run "$P" doveadm "$dir" -o "mbox_write_locks=dotlock fcntl" -o "mail_privileged_group=$priv" -o mail_driver=mbox -o "mail_path=~/IMAP10" -o "mail_inbox_path=$dir/varmail10/$user" backup -u "$user" -p mailbox_list_layout=fs "maildir:~/Maildir10"
        m10=(-o mail_driver=maildir -o "mail_path=~/Maildir10" -o mailbox_list_layout=fs -o mail_inbox_path=.)
    fi
    say "with mail_privileged_group='$priv': Maildir $("$P" doveadm "$dir" "${m10[@]}" mailbox status -u "$user" 'messages uidvalidity uidnext' INBOX); X-UID headers in the spool file: $(grep -c '^X-UID' "$dir/varmail10/$user"); X-IMAPbase: $(grep -c '^X-IMAPbase' "$dir/varmail10/$user")"
done

section "11. -o against the userdb's own mail fields: the userdb hands out mdbox:~/mdbox, -o names the mbox"
set_userdb_location mdbox
before=$(grep -c '^Message-ID: <eleven' "$spool")
printf 'Message-ID: <eleven@example.org>\nSubject: eleven\n\nx\n' | da mbox save -u "$user" -m INBOX
say "saved with -o mbox: the mbox spool holds $(( $(grep -c '^Message-ID: <eleven' "$spool") - before )) new message(s)"
rm -rf "$home/scratch"
backup mbox scratch
compare mbox scratch state
set_userdb_location mbox

if [ "$big" -gt 0 ]; then
    section "timing: $big messages of ~15 kB in an mbox INBOX"
    rm -rf "$home/Maildir" "$home/mdbox" "$home/IMAP/.imap/INBOX"
    filler=$(head -c 11000 /dev/urandom | base64 -w 76)
    awk -v n="$big" -v user="$user" -v filler="$filler" 'BEGIN {
        for (i = 1; i <= n; i++) {
            printf "From sender@example.org Mon Dec  7 10:00:00 2026\n"
            printf "From: sender@example.org\nTo: %s@example.org\nSubject: bulk %d\nMessage-ID: <bulk%d@example.org>\n\n", user, i, i
            printf "message %d\n%s\n\n", i, filler
        }
    }' >"$spool"
    chown "$uid:$uid" "$spool"
    say "mbox INBOX: $(du -sh --apparent-size "$spool" | cut -f1)"
    t0=$(date +%s.%N); da mbox mailbox status -u "$user" messages INBOX; t1=$(date +%s.%N)
    say "first mbox index build (mailbox status): $(echo "$t1 - $t0" | bc) s"
    for t in maildir mdbox; do
        t0=$(date +%s.%N); backup mbox "$t" >/dev/null; t1=$(date +%s.%N)
        say "first run to $t: $(echo "$t1 - $t0" | bc) s"
        t0=$(date +%s.%N); backup mbox "$t" >/dev/null; t1=$(date +%s.%N)
        say "second run to $t, nothing new: $(echo "$t1 - $t0" | bc) s"
        printf 'Subject: one more\n\nx\n' | da mbox save -u "$user" -m INBOX
        da mbox flags add -u "$user" '\Seen' mailbox INBOX uid 5
        t0=$(date +%s.%N); backup mbox "$t" >/dev/null; t1=$(date +%s.%N)
        say "third run to $t after one new message and one flag change: $(echo "$t1 - $t0" | bc) s"
        da "$t" mailbox status -u "$user" 'messages uidnext' INBOX
    done
    du -s --apparent-size "$spool" "$home/Maildir" "$home/mdbox" | sed "s|$dir/||"
    du -s "$spool" "$home/Maildir" "$home/mdbox" | sed "s|$dir/||"
fi

section "warnings and errors Dovecot logged"
grep -E 'Warning|Error|Panic|Fatal' "$dir/dovecot.log" | sed 's/^[A-Z][a-z]* [0-9 :]*//' | sort | uniq -c | head -30
