#!/bin/bash
# A private Dovecot on 127.0.0.1 that touches nothing outside DIR: its config, sockets, logs,
# users and mail all live there. Used by the demo and by the end-to-end tests.
#
#   private-dovecot.sh config DIR PORT [INCLUDE...]  write DIR/dovecot.conf (INCLUDEs appended;
#                                                    HELPER_CONFIG=PATH hands the hook its config;
#                                                    MAIL_ROOT=DIR (default ~) is Dovecot's own
#                                                    mailbox root (mail_location's, 2.4's mail_path);
#                                                    PASSWD_FILE="passdb userdb" (the default) says
#                                                    which of the two DIR/passwd serves, the INCLUDEs
#                                                    bring the others; PASSDB_RESULT_SUCCESS=RULE
#                                                    sets its passdb's result_success, as an admin
#                                                    does for a passdb chained after it)
#   private-dovecot.sh user DIR NAME UID [HOME]       add a passwd-file user (password "secret")
#   private-dovecot.sh start DIR                      start it and wait until IMAP answers
#   private-dovecot.sh stop DIR                       stop it
#   private-dovecot.sh doveadm DIR ARG...             doveadm against it
#   private-dovecot.sh doveconf DIR ARG...            doveconf of its config
#
# GENERATION=2.4 (for config) makes it Debian 13's Dovecot 2.4, run in the Debian 13 tree that
# tests/dovecot/debian13.sh keeps (config, user, start, stop and doveadm then follow DIR/generation).
set -euo pipefail

die() { echo "private-dovecot: $*" >&2; exit 1; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 config|user|start|stop DIR ..."

internal_user() {
    if [ "$(id -u)" = 0 ]; then echo dovecot; else id -un; fi
}

here=$(cd "$(dirname "$0")" && pwd)
generation() { cat "$dir/generation" 2>/dev/null || echo 2.3; }

# Dovecot's own programs for DIR's generation: the host's (2.3) or the Debian 13 tree's (2.4).
dovecot_program() {
    if [ "$(generation)" = 2.4 ]; then
        if [ -f "$dir/run/master.pid" ] && kill -0 "$(cat "$dir/run/master.pid")" 2>/dev/null; then
            "$here/debian13.sh" enter "$(cat "$dir/run/master.pid")" "$@"
        else
            "$here/debian13.sh" run "$@"
        fi
    else
        "$@"
    fi
}

# What both generations' configs say alike: where everything lives, who runs it, what is logged.
common_settings() {
    cat <<CONF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
ssl = no
auth_mechanisms = plain login
mbox_write_locks = fcntl
first_valid_uid = 1
default_internal_user = $iu
default_internal_group = $ig
default_login_user = $login_user
log_debug = event=imap_command_finished AND (cmd_name=SELECT OR cmd_name=EXAMINE OR cmd_name=STATUS)
CONF
}

# IMAP on PORT, POP3 on PORT+1, no TLS listeners: the same in both generations' syntax.
listeners() {
    local port=$1
    cat <<CONF
service imap-login {
  inet_listener imap {
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $((port + 1))
  }
  inet_listener pop3s {
    port = 0
  }
}
CONF
}

config_24() {
    local port=$1; shift
    cat <<CONF
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
auth_allow_cleartext = yes
mail_driver = mbox
mail_path = $mail_root
mail_inbox_path = $dir/spool/%{user}
CONF
    common_settings
    case " ${PASSWD_FILE-passdb userdb} " in *" passdb "*)
        cat <<CONF
passdb passwd-file {
  passwd_file_path = $dir/passwd
  default_password_scheme = PLAIN
${PASSDB_RESULT_SUCCESS:+  result_success = $PASSDB_RESULT_SUCCESS}
}
CONF
    esac
    case " ${PASSWD_FILE-passdb userdb} " in *" userdb "*)
        cat <<CONF
userdb passwd-file {
  passwd_file_path = $dir/passwd
CONF
        [ -n "${HELPER_CONFIG:-}" ] && printf '  fields {\n    dovecot_root_helper_config = %s\n  }\n' "$HELPER_CONFIG"
        echo "}"
    esac
    listeners "$port"
    for inc in "$@"; do
        echo "!include $inc"
    done
}

case "$cmd" in
config)
    port=${3:?port}; shift 3
    mkdir -p "$dir/run" "$dir/state" "$dir/spool" "$dir/home"
    echo "${GENERATION:-2.3}" > "$dir/generation"
    chmod 0755 "$dir" "$dir/home"
    chmod 1777 "$dir/spool"
    touch "$dir/passwd" "$dir/dovecot.log"
    mail_root=${MAIL_ROOT:-"~"}
    iu=$(internal_user)
    ig=$(id -gn "$iu")
    login_user=$iu
    [ "$(id -u)" = 0 ] && login_user=dovenull
    if [ "$(generation)" = 2.4 ]; then
        [ "$(id -u)" = 0 ] || die "Dovecot 2.4 runs in a chroot: run as root"
        config_24 "$port" "$@" > "$dir/dovecot.conf"
        exit 0
    fi
    {
        cat <<CONF
disable_plaintext_auth = no
mail_location = mbox:$mail_root:INBOX=$dir/spool/%u
CONF
        common_settings
        case " ${PASSWD_FILE-passdb userdb} " in *" passdb "*)
            cat <<CONF
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
${PASSDB_RESULT_SUCCESS:+  result_success = $PASSDB_RESULT_SUCCESS}
}
CONF
        esac
        case " ${PASSWD_FILE-passdb userdb} " in *" userdb "*)
            cat <<CONF
userdb {
  driver = passwd-file
  args = username_format=%u $dir/passwd
  ${HELPER_CONFIG:+override_fields = dovecot_root_helper_config=$HELPER_CONFIG}
}
CONF
        esac
        listeners "$port"
        if [ "$(id -u)" != 0 ]; then
            printf 'service imap-login {\n  chroot =\n}\nservice pop3-login {\n  chroot =\n}\nservice anvil {\n  chroot =\n}\n'
        fi
        for inc in "$@"; do
            echo "!include $inc"
        done
    } > "$dir/dovecot.conf"
    ;;
user)
    name=${3:?name}; uid=${4:?uid}; home=${5:-$dir/home/$name}
    if [ "$(id -u)" != 0 ]; then uid=$(id -u); gid=$(id -g); else gid=$uid; fi
    mkdir -p "$home"
    chown "$uid:$gid" "$home"
    chmod 0700 "$home"
    touch "$dir/spool/$name"
    chown "$uid:$gid" "$dir/spool/$name"
    chmod 0600 "$dir/spool/$name"
    echo "$name:{PLAIN}secret:$uid:$gid::$home::" >> "$dir/passwd"
    ;;
start)
    dovecot_program dovecot -c "$dir/dovecot.conf" || { tail -20 "$dir/dovecot.log" >&2; die "dovecot did not start"; }
    port=$(sed -n '/inet_listener imap {/{n;s/.*port = //p;q}' "$dir/dovecot.conf")
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
        sleep 0.1
    done
    tail -20 "$dir/dovecot.log" >&2
    die "dovecot does not answer on 127.0.0.1:$port"
    ;;
stop)
    if [ -f "$dir/run/master.pid" ]; then
        dovecot_program doveadm -c "$dir/dovecot.conf" stop 2>/dev/null || kill "$(cat "$dir/run/master.pid")" 2>/dev/null || true
        for _ in $(seq 1 50); do [ -f "$dir/run/master.pid" ] || break; sleep 0.1; done
    fi
    ;;
doveadm)
    shift 2
    dovecot_program doveadm -c "$dir/dovecot.conf" "$@"
    ;;
doveconf)
    shift 2
    dovecot_program doveconf -c "$dir/dovecot.conf" "$@"
    ;;
*)
    die "unknown command $cmd"
    ;;
esac
