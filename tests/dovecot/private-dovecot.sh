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
#                                                    does for a passdb chained after it;
#                                                    DOVEADM_PASSWORD=P opens doveadm's TCP listener
#                                                    on PORT+2 with doveadm_password P;
#                                                    DOVEADM_TLS=DIR makes that listener TLS-only
#                                                    with DIR/cert.pem and DIR/key.pem)
#   private-dovecot.sh user DIR NAME UID [HOME]       add a passwd-file user (password "secret")
#   private-dovecot.sh start DIR                      start it and wait until it is up: the pid file
#                                                    names a live master, the log says it started,
#                                                    IMAP answers
#   private-dovecot.sh stop DIR                       stop it and wait until the master is gone
#   private-dovecot.sh doveadm DIR ARG...             doveadm against it
#   private-dovecot.sh doveconf DIR ARG...            doveconf of its config
#
# GENERATION (for config) picks the Dovecot: 2.3 (the default) is the host's (Debian 12's 2.3.19);
# 2.4 is Debian 13's 2.4.1 and 2.4.5 is forky's, each run in the Debian tree that
# tests/dovecot/debian-tree.sh keeps (config, user, start, stop and doveadm then follow
# DIR/generation).
set -euo pipefail

die() { echo "private-dovecot: $*" >&2; exit 1; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 config|user|start|stop DIR ..."

internal_user() {
    if [ "$(id -u)" = 0 ]; then echo dovecot; else id -un; fi
}

here=$(cd "$(dirname "$0")" && pwd)
generation() { cat "$dir/generation" 2>/dev/null || echo 2.3; }

# The Debian suite whose tree holds DIR's generation, or nothing for the host's 2.3.
suite() {
    case "$(generation)" in
    2.3) ;;
    2.4) echo trixie ;;
    2.4.5) echo forky ;;
    *) die "$dir/generation: unknown generation $(generation) (2.3, 2.4 or 2.4.5)" ;;
    esac
}

# The pid of the master DIR's pid file names when that process is alive; nothing otherwise (no
# file yet, or the empty file Dovecot creates before it writes the pid into it).
live_master() {
    local pid
    pid=$(cat "$dir/run/master.pid" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Dovecot's own programs for DIR's generation: the host's (2.3) or its Debian tree's (2.4.x).
dovecot_program() {
    local tree pid
    tree=$(suite)
    if [ -z "$tree" ]; then
        "$@"
    elif pid=$(live_master); then
        "$here/debian-tree.sh" "$tree" enter "$pid" "$@"
    else
        "$here/debian-tree.sh" "$tree" run "$@"
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
CONF
    # TLS only for the doveadm listener when asked (IMAP and POP3 stay plain: their TLS listeners are off).
    if [ -n "${DOVEADM_TLS:-}" ]; then
        if [ "$(generation)" = 2.3 ]; then
            printf 'ssl = yes\nssl_cert = <%s/cert.pem\nssl_key = <%s/key.pem\n' "$DOVEADM_TLS" "$DOVEADM_TLS"
        else
            printf 'ssl = yes\nssl_server_cert_file = %s/cert.pem\nssl_server_key_file = %s/key.pem\n' "$DOVEADM_TLS" "$DOVEADM_TLS"
        fi
    else
        echo "ssl = no"
    fi
    cat <<CONF
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
    if [ -n "${DOVEADM_PASSWORD:-}" ]; then
        cat <<CONF
doveadm_password = $DOVEADM_PASSWORD
service doveadm {
  inet_listener doveadm {
    port = $((port + 2))
    ssl = $([ -n "${DOVEADM_TLS:-}" ] && echo yes || echo no)
  }
}
CONF
    fi
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
    if [ -n "$(suite)" ]; then
        [ "$(id -u)" = 0 ] || die "Dovecot $(generation) runs in a chroot: run as root"
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
    # Only the lines this start writes count: a retried start appends to the same log.
    logged=$(stat -c %s "$dir/dovecot.log")
    dovecot_program dovecot -c "$dir/dovecot.conf" || { tail -20 "$dir/dovecot.log" >&2; die "dovecot did not start"; }
    # The master binds its listeners, then daemonizes (the command above returns), then logs
    # "starting up" and only then writes its pid file (src/master/main.c): a port that answers
    # says nothing about the pid file. Up means all three.
    port=$(sed -n '/inet_listener imap {/{n;s/.*port = //p;q}' "$dir/dovecot.conf")
    for _ in $(seq 1 200); do
        if live_master >/dev/null \
            && tail -c "+$((logged + 1))" "$dir/dovecot.log" | grep -q "starting up" \
            && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            exit 0
        fi
        sleep 0.05
    done
    tail -20 "$dir/dovecot.log" >&2
    live_master >/dev/null || die "dovecot's pid file $dir/run/master.pid names no live master after 10 s"
    die "dovecot did not log \"starting up\" in $dir/dovecot.log or answer on 127.0.0.1:$port within 10 s"
    ;;
stop)
    if pid=$(live_master); then
        dovecot_program doveadm -c "$dir/dovecot.conf" stop 2>/dev/null || kill "$pid" 2>/dev/null || true
        # The master removes its pid file as it exits (an unreaped master would still answer kill -0).
        for _ in $(seq 1 100); do
            [ -f "$dir/run/master.pid" ] && kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
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
