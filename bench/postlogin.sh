#!/bin/sh
# The hook's job done the way Dovecot's documentation writes post-login scripts: the baseline the
# benchmark compares the hook with. bench/run.sh replaces the state file's path with its own.
line=$(grep "^$USER[[:space:]]" /var/lib/dovecot-root-helper/state)
case "$line" in
*[[:space:]]migrating | *[[:space:]]migrating[[:space:]]*)
    printf '* BYE [UNAVAILABLE] Your mailbox is being moved; please try again in a few minutes.\r\n'
    exit 75
    ;;
*[[:space:]]migrated | *[[:space:]]migrated[[:space:]]*)
    MAIL="mbox:$HOME/IMAP:INBOX=/var/mail/$USER"
    ;;
*)
    MAIL="mbox:$HOME:INBOX=/var/mail/$USER"
    ;;
esac
export MAIL USERDB_KEYS="$USERDB_KEYS MAIL"
exec "$@"
