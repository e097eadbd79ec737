# Sourced by bench/run.sh, bench/hook-builds.sh, bench/pie.sh, bench/state-lookup.sh, bench/big-user.sh
# and bench/batch.sh.
# A state file of N users, user000000 upwards, states mixed, a few comment lines and notes. The
# user looked up is the third from the end and migrated, so both programs read nearly all of it.
make_state() {
    awk -v n="$1" 'BEGIN {
        print "# dovecot-root-helper state file: USER STATE [notes]"
        print "# written by imaproot; do not edit by hand"
        split("legacy legacy legacy migrated legacy migrating legacy migrated", states, " ")
        for (i = 0; i < n; i++) {
            if (i == int(n / 2)) print "# batch 2"
            s = (i == n - 3) ? "migrated" : states[i % 8 + 1]
            note = (i % 7 == 0) ? " moved by admin 2025-01-15" : ""
            printf "user%06d %s%s\n", i, s, note
        }
    }' > "$2"
    chmod 0644 "$2"
}
looked_up() { printf 'user%06d' $(($1 - 3)); }

# An imaproot config for migrating without Dovecot (who, kick and flush empty): the state file and
# journal directory in DIR, written to DIR/conf. Used by bench/big-user.sh and bench/batch.sh.
no_dovecot_config() {
    cat > "$1/conf" <<CONF
[locations]
legacy = mbox:~:INBOX=/var/mail/%u
migrated = mbox:~/IMAP:INBOX=/var/mail/%u
[state]
file = $1/state
[log]
decisions = no
[migration]
journal-dir = $1/journal
kick =
who =
flush =
CONF
    chmod 0644 "$1/conf"
}

# hook_config STATE FILE [SPOOL]: the hook's config for STATE (Dovecot 2.3, mbox roots with the
# INBOX in SPOOL, default /var/mail; logging off), as every benchmark of the hook runs it.
hook_config() {
    cat > "$2" <<CONF
[dovecot]
version = 2.3
[locations]
legacy = mbox:~:INBOX=${3:-/var/mail}/%u
migrated = mbox:~/IMAP:INBOX=${3:-/var/mail}/%u
[state]
file = $1
default = legacy
[log]
decisions = no
CONF
    chmod 0644 "$2"
}

# index_state IMAPROOT STATE N: has imaproot set the looked-up user of an N-user STATE migrated, so
# the file has its index beside it, as in production (the imaproot config goes to STATE.imaproot.conf).
index_state() {
    printf '[state]\nfile = %s\n[migration]\nflush = /bin/true\n' "$2" > "$2.imaproot.conf"
    "$1" --config "$2.imaproot.conf" set "$(looked_up "$3")" migrated >/dev/null
}
