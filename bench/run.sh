#!/bin/bash
# The benchmarks behind docs/performance.md. Run through `./build.sh bench`, which publishes the
# hook first. Everything lives in a temporary directory that is removed at the end.
#
#   1. Whole process: the published hook vs bench/postlogin.sh (a shell script in the style of
#      Dovecot's documentation), both exec'ing /bin/true, with state files of 10, 10,000 and
#      100,000 users, every command once per iteration (bench/Interleave, rotating which goes
#      first), ratios taken within an iteration; peak memory with GNU time.
#   2. Logins through a real Dovecot 2.3: one private Dovecot without a post-login script, one with
#      a script that only execs the next program (script-login's own price), one with the shell
#      script, one with the hook (packaged script-login snippet), one with the hook told to exec
#      script-login (post-login-finish = exec), one with the hook as the post-login service itself
#      (packaged service snippet); plain Dovecot with the system passwd userdb (what the
#      all-services setup replaces); the all-services setup (packaged snippet: the system userdb,
#      then the passwd-file imaproot writes) with state files of 10 and 100,000 listed users; and,
#      when the Debian 13 tree is cached (tests/dovecot/debian-tree.sh trixie), the same three on Dovecot 2.4.
#      bench/LoginLoop logs in and out in interleaved rounds; ratios are taken within a round.
#   2b. imaproot set at 10 and 100,000 users (state file, its index and the userdb passwd-file
#      rewritten), hyperfine, set migrated and set legacy alternating.
#   3. imaproot plan for a home with 100,000 files that are not mail against the same home without
#      them.
# Creates the Unix accounts drhbench-login, drhbench-small and drhbench-large (uids 22901-22903)
# if missing and removes them at the end.
#   4. One PASS/FAIL line per target.
#   5. With BENCH_CONVERT=1: bench/convert.sh (issue 22: imaproot convert against doveadm backup,
#      logins refused during a 1 GB user's cut-over, a batch of 100 users; about half an hour on
#      2 shared cores), its own knobs and target lines after these.
#
# Knobs (environment): BENCH_RUNS (interleaved runs per command, default 1500), BENCH_LOGINS (logins
# per Dovecot, default 500), BENCH_WARMUP (warm-up logins per Dovecot, default 20),
# BENCH_SIZES (default "10 10000 100000"), BENCH_JUNK (unrelated files for the planning
# benchmark, default 100000), BENCH_ALL_SIZES (listed users of the all-services Dovecots, default
# "10 100000"), BENCH_DOVECOT24 (1: also Dovecot 2.4, the default when the Debian 13 tree is cached;
# 0: not), BENCH_SET_RUNS (hyperfine runs per imaproot set command, default 30),
# BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

runs=${BENCH_RUNS:-1500}
logins=${BENCH_LOGINS:-500}
warmup=${BENCH_WARMUP:-20}
sizes=${BENCH_SIZES:-10 10000 100000}
login_size=10000

die() { echo "bench: $*" >&2; exit 1; }

hook=$root/artifacts/hook/dovecot-root-helper
[ -x "$hook" ] || die "$hook missing: run ./build.sh bench (it publishes first)"
[ -x "$root/artifacts/imaproot/imaproot" ] || die "imaproot missing: run ./build.sh bench (it publishes first)"
command -v hyperfine >/dev/null || die "hyperfine missing (apt-get install hyperfine)"
if [ ! -x /usr/bin/time ]; then
    [ "$(id -u)" = 0 ] || die "GNU time missing (apt-get install time)"
    apt-get install -y -qq time >/dev/null
fi

work=$(mktemp -d /tmp/dovecot-root-helper-bench.XXXXXX)
chmod 0755 "$work"
dovecots=()
accounts=()
cleanup() {
    for d in "${dovecots[@]}"; do tests/dovecot/private-dovecot.sh stop "$d" || true; done
    for a in "${accounts[@]}"; do userdel "$a" >/dev/null 2>&1 || true; getent group "$a" >/dev/null && groupdel "$a" >/dev/null 2>&1 || true; done
    if [ "${BENCH_KEEP:-}" = 1 ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# account NAME UID HOME: a Unix account for the benchmarks (prefix drhbench-, uids 21000-22999 only:
# build.sh removes exactly those), removed at the end.
account() {
    [ "$(id -u)" = 0 ] || die "the Unix account $1 needs root"
    id "$1" >/dev/null 2>&1 || { useradd -M -U -u "$2" -d "$3" -s /usr/sbin/nologin "$1"; accounts+=("$1"); }
    usermod -d "$3" "$1" >/dev/null
}

# make_state N FILE and looked_up N: the state files both benchmarks use.
. bench/state-files.sh

# The hook's config and the shell script, both pointed at the state file and at a spool in $work.
spool=$work/spool
mkdir -p "$spool"
chmod 1777 "$spool"
make_config() { hook_config "$1" "$2" "$spool"; }
make_script() {
    sed -e "s|/var/lib/dovecot-root-helper/state|$1|" -e "s|/var/mail/|$spool/|" bench/postlogin.sh > "$2"
    chmod 0755 "$2"
}

# Median of a hyperfine CSV column (command,mean,stddev,median,...) for the named command, in ms.
median_ms() { awk -F, -v c="$2" '$1 == c { printf "%.3f", $4 * 1000 }' "$1"; }
# Median of column COLUMN of a file of numbers.
median_of() { awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== Whole process: hook vs shell script, each exec'ing /bin/true ($(nproc) cores, $runs interleaved runs each)"
declare -A med rss env_of
# Every size's hook and script run in the same iterations, so comparisons across sizes (the 1.2x
# target) see the same machine as comparisons within one.
commands=()
for n in $sizes; do
    state=$work/state-$n
    make_state "$n" "$state"
    make_config "$state" "$work/hook-$n.conf"
    make_script "$state" "$work/postlogin-$n.sh"
    user=$(looked_up "$n")
    # As in production, imaproot has changed the file at least once, so it has its index beside it.
    printf '[state]\nfile = %s\n[migration]\nflush = /bin/true\n' "$state" > "$work/imaproot-$n.conf"
    "$root/artifacts/imaproot/imaproot" --config "$work/imaproot-$n.conf" set "$user" migrated >/dev/null
    # The environment script-login hands a post-login script: cleared, then the userdb fields.
    # env(1) is part of every command alike; /bin/true below measures it with the exec.
    login_env="env -i USER=$user HOME=/home/$user UID=5000 GID=5000 USERDB_KEYS=HOME\ UID\ GID DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf"
    env_of[$n]=$login_env

    # Both must give the same answer before their speed means anything.
    want="MAIL=mbox:/home/$user/IMAP:INBOX=$spool/$user"
    for prog in "$hook" "$work/postlogin-$n.sh"; do
        got=$(env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" "$prog" /usr/bin/env)
        grep -qx "$want" <<<"$got" || die "$prog with $n users: got '$(grep '^MAIL=' <<<"$got")', want '$want'"
        grep -qx 'USERDB_KEYS=HOME UID GID MAIL' <<<"$got" || die "$prog with $n users: USERDB_KEYS not extended"
    done
    commands+=(-n "hook-$n" "$login_env $hook /bin/true" -n "shell-$n" "$login_env $work/postlogin-$n.sh /bin/true")

    # Peak RSS: the largest of 20 runs (GNU time reports the exec'd chain's maximum, in KiB).
    for prog in hook shell; do
        path=$hook
        [ $prog = shell ] && path=$work/postlogin-$n.sh
        rss[$prog,$n]=$(for _ in $(seq 20); do env -i "USER=$user" "HOME=/home/$user" UID=5000 GID=5000 "USERDB_KEYS=HOME UID GID" "DOVECOT_ROOT_HELPER_CONFIG=$work/hook-$n.conf" /usr/bin/time -f %M "$path" /bin/true 2>&1; done | sort -n | tail -1)
    done
done
commands+=(-n true "env -i /bin/true")

# Each iteration runs every command once, rotating which goes first (bench/Interleave): the hook
# and the script run milliseconds apart, so the machine's drift over seconds slows both alike.
interleave=$work/interleave
dotnet build bench/Interleave -c Release -o "$interleave" --nologo -v quiet > "$work/interleave-build.log" 2>&1 \
    || { cat "$work/interleave-build.log" >&2; die "Interleave did not build"; }
ordered=()
for ((i = 2; i < ${#commands[@]}; i += 3)); do ordered+=("${commands[i]}"); done
"$interleave/interleave" "$runs" 20 "${ordered[@]}" > "$work/rounds" || die "interleave failed"
col=1
for n in $sizes; do
    med[hook,$n]=$(median_of "$work/rounds" $col)
    med[shell,$n]=$(median_of "$work/rounds" $((col + 1)))
    col=$((col + 2))
done
# Ratios taken within each iteration (same machine state), then the median over iterations: what
# the targets are judged on. Columns: hook and shell of each size in order, then true.
ratio_of() { awk -v a="$1" -v b="$2" '{ print $a / $b }' "$work/rounds" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A ratio
c=1
for n in $sizes; do
    ratio[$n]=$(ratio_of $c $((c + 1)))
    c=$((c + 2))
done
ratio[scaling]=$(ratio_of $((c - 2)) 1)
for n in $sizes; do
    med[true,$n]=$(median_of "$work/rounds" $col)
    echo "  $n users: median hook ${med[hook,$n]} ms, shell ${med[shell,$n]} ms, env + /bin/true ${med[true,$n]} ms;" \
        "hook/shell ${ratio[$n]} (median of per-iteration ratios);" \
        "max RSS hook ${rss[hook,$n]} KiB, shell ${rss[shell,$n]} KiB"
done
echo
echo "| users | hook median (ms) | shell median (ms) | env + /bin/true median (ms) | hook / shell | hook max RSS (KiB) | shell max RSS (KiB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
    awk -v n="$n" -v h="${med[hook,$n]}" -v s="${med[shell,$n]}" -v t="${med[true,$n]}" -v r="${ratio[$n]}" -v rh="${rss[hook,$n]}" -v rs="${rss[shell,$n]}" \
        'BEGIN { printf "| %d | %.2f | %.2f | %.2f | %.2f | %d | %d |\n", n, h, s, t, r, rh, rs }'
done
echo

echo "== Logins through Dovecot $(dovecot --version | cut -d' ' -f1): $logins logins per configuration after $warmup warm-up, state file of $login_size users"
free_port() {
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; do
        p=$((p + 2))
    done
    echo "$p"
}
state=$work/state-$login_size
[ -f "$state" ] || make_state "$login_size" "$state"
make_config "$state" "$work/hook-login.conf"
make_script "$state" "$work/postlogin-login.sh"
user=$(looked_up "$login_size")
uid=5000
home=$work/home/$user
mkdir -p "$home/IMAP"
chown -R "$uid:$uid" "$work/home"
touch "$spool/$user"
chown "$uid:$uid" "$spool/$user"
chmod 0600 "$spool/$user"

cat > "$work/shell-postlogin.conf" <<CONF
service imap {
  executable = imap imap-postlogin
}
service imap-postlogin {
  executable = script-login $work/postlogin-login.sh
  user = \$default_internal_user
  unix_listener imap-postlogin {
  }
}
CONF
# A post-login script that only execs the next program: the fixed price of script-login itself.
printf '#!/bin/sh\nexec "$@"\n' > "$work/noop.sh"
chmod 0755 "$work/noop.sh"
sed "s|$work/postlogin-login.sh|$work/noop.sh|" "$work/shell-postlogin.conf" > "$work/noop-postlogin.conf"
sed "s|/usr/lib/dovecot-root-helper/|$root/artifacts/hook/|" packaging/dovecot/dovecot-2.3-postlogin.conf > "$work/hook-postlogin.conf"

# The same hook told to exec Dovecot's script-login rather than do its last step itself.
sed 's/^version = 2.3$/version = 2.3\npost-login-finish = exec/' "$work/hook-login.conf" > "$work/hook-exec-login.conf"
chmod 0644 "$work/hook-exec-login.conf"
grep -q '^post-login-finish = exec$' "$work/hook-exec-login.conf" || die "could not write hook-exec-login.conf"

sed "s|/usr/lib/dovecot-root-helper/|$root/artifacts/hook/|" packaging/dovecot/dovecot-2.3-postlogin-service.conf > "$work/hook-service-postlogin.conf"

# The all-services setup (packaging/dovecot/dovecot-2.X-all-services.conf): no program per login,
# Dovecot's own userdbs decide: the system passwd userdb, then the passwd-file imaproot writes from
# the state file. The system userdb needs a real Unix account, drhbench-login, listed third from
# the end (migrated) in state files of 10 and 100,000 users, so the passwd-file has that many lines.
all_sizes=${BENCH_ALL_SIZES:-10 100000}
all_user=drhbench-login
all_home=$work/home/$all_user
account "$all_user" 22903 "$all_home"
mkdir -p "$all_home/IMAP"
chown -R "$all_user:" "$all_home"
touch "$spool/$all_user"
chown "$all_user:" "$spool/$all_user"
chmod 0600 "$spool/$all_user"
all_setup() { # DIR GENERATION USERS: state file, imaproot config and userdb files, the snippet
    local a=$1 n=$3
    mkdir -p "$a"
    make_state "$n" "$a/state"
    sed -i "s/^$(looked_up "$n") /$all_user /" "$a/state"
    grep -q "^$all_user migrated" "$a/state" || die "could not list $all_user in $a/state"
    cat > "$a/imaproot.conf" <<CONF
[dovecot]
version = $2
[locations]
legacy = mbox:~:INBOX=$spool/%u
migrated = mbox:~/IMAP:INBOX=$spool/%u
[state]
file = $a/state
default = legacy
userdb = $a/userdb
[log]
decisions = no
[migration]
journal-dir = $a/journal
flush = /bin/true
CONF
    chmod 0644 "$a/imaproot.conf"
    "$root/artifacts/imaproot/imaproot" --config "$a/imaproot.conf" reindex >/dev/null
    [ "$(grep -c -v '^#' "$a/userdb")" = "$n" ] || die "$a/userdb does not have $n lines"
    sed "s|/var/lib/dovecot-root-helper/|$a/|" "packaging/dovecot/dovecot-$2-all-services.conf" > "$a/snippet.conf"
}
# Plain Dovecot with the system userdb (what the all-services snippet replaces), for comparison.
printf 'userdb {\n  driver = passwd\n}\n' > "$work/passwd-2.3.conf"
printf 'userdb passwd {\n}\n' > "$work/passwd-2.4.conf"

configs=(none noop shell hook-exec hook hook-service passwd)
for n in $all_sizes; do configs+=("all-$n"); done
generations=(2.3)
if [ "${BENCH_DOVECOT24:-}" != 0 ] && [ "$(id -u)" = 0 ] \
    && [ -x "${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}/debian13/usr/sbin/dovecot" ]; then
    generations+=(2.4)
    configs+=(none-24 passwd-24)
    for n in $all_sizes; do configs+=("all-24-$n"); done
elif [ "${BENCH_DOVECOT24:-}" = 1 ]; then
    die "BENCH_DOVECOT24=1 but the Debian 13 tree is not cached (run tests/dovecot/debian-tree.sh trixie tree as root)"
fi

servers=()
port=24143
for config in "${configs[@]}"; do
    d=$work/dovecot-$config
    port=$(free_port "$port")
    login=$user
    case $config in
    none) tests/dovecot/private-dovecot.sh config "$d" "$port" ;;
    noop) tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/noop-postlogin.conf" ;;
    shell) tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/shell-postlogin.conf" ;;
    hook) HELPER_CONFIG=$work/hook-login.conf tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/hook-postlogin.conf" ;;
    hook-service) HELPER_CONFIG=$work/hook-login.conf tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/hook-service-postlogin.conf" ;;
    hook-exec) HELPER_CONFIG=$work/hook-exec-login.conf tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/hook-postlogin.conf" ;;
    passwd) login=$all_user; PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/passwd-2.3.conf" ;;
    all-24-*) login=$all_user; all_setup "$work/all-24-${config#all-24-}" 2.4 "${config#all-24-}"
        GENERATION=2.4 PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/all-24-${config#all-24-}/snippet.conf" ;;
    all-*) login=$all_user; all_setup "$work/$config" 2.3 "${config#all-}"
        PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/$config/snippet.conf" ;;
    none-24) GENERATION=2.4 tests/dovecot/private-dovecot.sh config "$d" "$port" ;;
    passwd-24) login=$all_user; GENERATION=2.4 PASSWD_FILE=passdb tests/dovecot/private-dovecot.sh config "$d" "$port" "$work/passwd-2.4.conf" ;;
    esac
    if [ "$login" = "$all_user" ]; then
        tests/dovecot/private-dovecot.sh user "$d" "$all_user" 22903 "$all_home"
    else
        tests/dovecot/private-dovecot.sh user "$d" "$user" "$uid" "$home"
    fi
    dovecots+=("$d")
    tests/dovecot/private-dovecot.sh start "$d"
    servers+=("$config=$port=$login")
    port=$((port + 2))
done
# private-dovecot.sh user made the homes the account's own, 0700; the IMAP root must stay there.
mkdir -p "$all_home/IMAP"
chown "$all_user:" "$all_home/IMAP"

loginloop=$work/loginloop
dotnet build bench/LoginLoop -c Release -o "$loginloop" --nologo -v quiet > "$work/loginloop-build.log" 2>&1 \
    || { cat "$work/loginloop-build.log" >&2; die "LoginLoop did not build"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$loginloop/login-loop" "$user" secret "$logins" "$warmup" 10 "${servers[@]}" > "$work/logins.txt" \
    || { for d in "${dovecots[@]}"; do tail -5 "$d/dovecot.log" >&2; done; die "login loop failed"; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average before the logins: $load_before; after: $load_after"

# Each Dovecot must have given the user the root its configuration promises: a mailbox created
# through it lands in the user's IMAP folder with a post-login script or the all-services userdb
# (the user is migrated), in the home itself without.
for server in "${servers[@]}"; do
    config=${server%%=*}
    login=${server##*=}
    port_of=${server#*=}
    port_of=${port_of%%=*}
    exec 3<>"/dev/tcp/127.0.0.1/$port_of"
    printf 'a LOGIN %s secret\r\nb CREATE probe-%s\r\nc LOGOUT\r\n' "$login" "$config" >&3
    timeout 10 cat <&3 > "$work/probe-$config.txt" || true
    exec 3<&-
    case $config in
    none | noop | none-24) want=$home/probe-$config ;;
    passwd | passwd-24) want=$all_home/probe-$config ;;
    all-*) want=$all_home/IMAP/probe-$config ;;
    *) want=$home/IMAP/probe-$config ;;
    esac
    [ -f "$want" ] || { cat "$work/probe-$config.txt" >&2; die "$config: the created mailbox is not $want"; }
done

declare -A lmean lmed
while read -r kind name _ mean median _; do
    [ "$kind" = login ] || continue
    lmean[$name]=$mean
    lmed[$name]=$median
done < "$work/logins.txt"
# round_ratio A B: the median over rounds of A's median login over B's in the same round.
round_ratio() {
    awk -v a="$1" -v b="$2" '$1 == "round" { t[$2, $3] = $4; r[$2] = 1 } END { for (i in r) if (t[i, b] > 0) print t[i, a] / t[i, b] }' "$work/logins.txt" |
        sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
baseline_of() { case $1 in *-24*) echo none-24 ;; *) echo none ;; esac; }
echo
echo "| configuration | mean per login (ms) | median per login (ms) | added over no decision, median (ms) | / no decision, median of per-round ratios |"
echo "|---|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
    b=$(baseline_of "$config")
    awk -v c="$config" -v m="${lmean[$config]}" -v d="${lmed[$config]}" -v base="${lmed[$b]}" -v r="$(round_ratio "$config" "$b")" \
        'BEGIN { printf "| %s | %.2f | %.2f | %s | %s |\n", c, m, d, (c == "none" || c == "none-24") ? "-" : sprintf("%.2f", d - base), (c == "none" || c == "none-24") ? "-" : sprintf("%.3f", r) }'
done
added_shell=$(awk -v a="${lmed[shell]}" -v b="${lmed[none]}" 'BEGIN { printf "%.3f", a - b }')
added_hook=$(awk -v a="${lmed[hook]}" -v b="${lmed[none]}" 'BEGIN { printf "%.3f", a - b }')
added_hook_exec=$(awk -v a="${lmed[hook-exec]}" -v b="${lmed[none]}" 'BEGIN { printf "%.3f", a - b }')
echo
echo "hook adds $added_hook ms, the shell script adds $added_shell ms:" \
    "ratio $(awk -v h="$added_hook" -v s="$added_shell" 'BEGIN { printf (s > 0 ? "%.2f" : "n/a"), (s > 0 ? h / s : 0) }')"
added_hook_service=$(awk -v a="${lmed[hook-service]}" -v b="${lmed[none]}" 'BEGIN { printf "%.3f", a - b }')
echo "hook as the post-login service (no script-login) adds $added_hook_service ms:" \
    "ratio $(awk -v h="$added_hook_service" -v s="$added_shell" 'BEGIN { printf (s > 0 ? "%.2f" : "n/a"), (s > 0 ? h / s : 0) }')"
echo "hook with post-login-finish = exec adds $added_hook_exec ms:" \
    "ratio $(awk -v h="$added_hook_exec" -v s="$added_shell" 'BEGIN { printf (s > 0 ? "%.2f" : "n/a"), (s > 0 ? h / s : 0) }')"
first_all=${all_sizes%% *}
last_all=${all_sizes##* }
declare -A all_ratio
for g in "${generations[@]}"; do
    p=all; b=none; pw=passwd
    [ "$g" = 2.4 ] && { p=all-24; b=none-24; pw=passwd-24; }
    for n in $all_sizes; do
        all_ratio[$g,$n]=$(round_ratio "$p-$n" "$b")
        all_ratio[$g,$n,passwd]=$(round_ratio "$p-$n" "$pw")
        echo "Dovecot $g, all-services, $n listed users: ${lmed[$p-$n]} ms a login; / no decision ${all_ratio[$g,$n]}, / system passwd userdb ${all_ratio[$g,$n,passwd]} (medians of per-round ratios)"
    done
    all_ratio[$g,flat]=$(round_ratio "$p-$last_all" "$p-$first_all")
    echo "Dovecot $g, all-services, $last_all / $first_all listed users: ${all_ratio[$g,flat]}"
done
echo

# ---------------------------------------------------------------------------------------------
# 2b. imaproot set rewrites the state file, its index and the userdb passwd-file: at 10 and
#     100,000 users, set migrated and set legacy alternating (each timed run's --prepare sets the
#     other state first, so every timed run changes the file). No flush command (a site without an
#     auth cache): the command's own work. With one, set also waits for Dovecot's next whole
#     second before flushing; the largest size is timed that way too, as set-flush.
set_runs=${BENCH_SET_RUNS:-30}
echo "== imaproot set, state file + index + userdb passwd-file, $set_runs runs per command (load average $(cut -d' ' -f1-3 /proc/loadavg))"
set_args=()
for n in $all_sizes; do
    all_setup "$work/set-$n" 2.3 "$n"
    u=$(looked_up "$n")
    sed -i "s/^$all_user /$u /" "$work/set-$n/state"
    sed -i 's|^flush = .*|flush =|' "$work/set-$n/imaproot.conf"
    c="$root/artifacts/imaproot/imaproot --config $work/set-$n/imaproot.conf set $u"
    $c migrated >/dev/null
    set_args+=(--prepare "$c legacy" -n "set-$n-migrated" "$c migrated" --prepare "$c migrated" -n "set-$n-legacy" "$c legacy")
done
# The largest again as a variant (NAME and a sed script for its config), to compare with it.
set_variant() {
    local name=$1 edit=$2 n=${all_sizes##* } c
    mkdir -p "$work/set-$name"
    cp "$work/set-$n/state" "$work/set-$name/state"
    chmod 0644 "$work/set-$name/state"
    sed -e "s|$work/set-$n/|$work/set-$name/|" -e "$edit" "$work/set-$n/imaproot.conf" > "$work/set-$name/imaproot.conf"
    chmod 0644 "$work/set-$name/imaproot.conf"
    c="$root/artifacts/imaproot/imaproot --config $work/set-$name/imaproot.conf set $(looked_up "$n")"
    $c migrated >/dev/null
    set_args+=(--prepare "$c legacy" -n "set-$name-migrated" "$c migrated" --prepare "$c migrated" -n "set-$name-legacy" "$c legacy")
}
# With a flush command (/bin/true: no Dovecot here), to show the wait for the next second.
set_variant flush 's|^flush =.*|flush = /bin/true|'
# Without [state] userdb: the state file and its index only.
set_variant nouserdb '/^userdb = /d'
hyperfine -N --style basic --warmup 3 --runs "$set_runs" --export-csv "$work/set.csv" "${set_args[@]}" > "$work/set.log" 2>&1 \
    || { cat "$work/set.log" >&2; die "hyperfine (imaproot set) failed"; }
declare -A set_med
for n in $all_sizes; do
    set_med[$n]=$(awk -v a="$(median_ms "$work/set.csv" "set-$n-migrated")" -v b="$(median_ms "$work/set.csv" "set-$n-legacy")" 'BEGIN { printf "%.1f", (a > b ? a : b) }')
    echo "  $n users: set migrated $(median_ms "$work/set.csv" "set-$n-migrated") ms, set legacy $(median_ms "$work/set.csv" "set-$n-legacy") ms (medians);" \
        "state file $(stat -c %s "$work/set-$n/state") bytes, userdb $(stat -c %s "$work/set-$n/userdb") bytes"
done
echo "  ${all_sizes##* } users without [state] userdb (state file and index only): set migrated $(median_ms "$work/set.csv" set-nouserdb-migrated) ms, set legacy $(median_ms "$work/set.csv" set-nouserdb-legacy) ms"
echo "  ${all_sizes##* } users with a flush command (waits for Dovecot's next second): set migrated $(median_ms "$work/set.csv" set-flush-migrated) ms"
sed -n 's/^ *Time (mean.*\[User: \(.*\), System: \(.*\)\]/    user \1, system \2/p; s/^Benchmark [0-9]*: /  /p' "$work/set.log"
echo

# ---------------------------------------------------------------------------------------------
# 3. Planning a migration must not walk the home: imaproot plan for a home holding 100,000 files
#    that are not mail (in folders Dovecot never indexed) against the same home without them.
junk=${BENCH_JUNK:-100000}
echo "== Planning cost: imaproot plan, a home with $junk unrelated files vs the same home without them"
imaproot=$root/artifacts/imaproot/imaproot
[ -x "$imaproot" ] || die "$imaproot missing: run ./build.sh bench (it publishes first)"
plan_home() { # USER UID HOME
    account "$1" "$2" "$3"
    mkdir -p "$3/mail/.imap/Archive" "$3/.imap/Sent" "$3/.imap/mail"
    printf 'From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n\n' | tee "$3/mail/Archive" > "$3/Sent"
    printf 'V\t2\n\nSent\nmail\tArchive\n' > "$3/.subscriptions"
}
plan_home drhbench-small 22901 "$work/plan/small"
plan_home drhbench-large 22902 "$work/plan/large"
for d in $(seq 1 100); do mkdir -p "$work/plan/large/Photos/$d"; done
seq 1 "$junk" | awk -v base="$work/plan/large/Photos" '{ printf "%s/%d/IMG_%06d.jpg\n", base, $1 % 100 + 1, $1 }' | xargs touch
chown -R drhbench-small: "$work/plan/small"
chown -R drhbench-large: "$work/plan/large"
printf 'drhbench-small legacy\ndrhbench-large legacy\n' > "$work/plan/state"
chmod 0644 "$work/plan/state"
cat > "$work/plan/conf" <<CONF
[locations]
legacy = mbox:~:INBOX=$spool/%u
migrated = mbox:~/IMAP:INBOX=$spool/%u
[state]
file = $work/plan/state
[migration]
journal-dir = $work/plan/journal
CONF
chmod 0644 "$work/plan/conf"
for u in small large; do
    "$imaproot" --config "$work/plan/conf" plan "drhbench-$u" --json | grep -q '"mail/Archive"' || die "imaproot plan drhbench-$u does not plan mail/Archive"
done
plan_rounds=5
: > "$work/plan/rounds"
for r in $(seq 1 "$plan_rounds"); do
    hyperfine -N --style basic --warmup 5 --runs 40 --export-csv "$work/plan/$r.csv" \
        -n small "$imaproot --config $work/plan/conf plan drhbench-small" \
        -n large "$imaproot --config $work/plan/conf plan drhbench-large" > "$work/plan/hyperfine.log" 2>&1 \
        || { cat "$work/plan/hyperfine.log" >&2; die "hyperfine failed"; }
    echo "$(median_ms "$work/plan/$r.csv" small) $(median_ms "$work/plan/$r.csv" large)" >> "$work/plan/rounds"
done
plan_small=$(median_of "$work/plan/rounds" 1)
plan_large=$(median_of "$work/plan/rounds" 2)
plan_ratio=$(awk '{ print $2 / $1 }' "$work/plan/rounds" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }')
echo "  plan: home without junk $plan_small ms, with $junk files $plan_large ms; ratio $plan_ratio (median of per-round ratios)"
echo

echo "== Targets"
verdict() { if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; fi; }
for n in $sizes; do
    # Issue 20's target; bench/hook-builds.sh sets builds side by side to see where the time goes.
    verdict "$(awk -v r="${ratio[$n]}" 'BEGIN { print (r <= 0.9) }')" \
        "whole process, $n users: hook/shell ${ratio[$n]} <= 0.9 (medians ${med[hook,$n]} / ${med[shell,$n]} ms)"
done
first=${sizes%% *}
last=${sizes##* }
verdict "$(awk -v r="${ratio[scaling]}" 'BEGIN { print (r <= 1.2) }')" \
    "whole process: hook at $last users / hook at $first users ${ratio[scaling]} <= 1.2 (medians ${med[hook,$last]} / ${med[hook,$first]} ms)"
echo "INFO  peak memory (max RSS): hook $(for n in $sizes; do printf '%s KiB at %s users; ' "${rss[hook,$n]}" "$n"; done)shell script $(for n in $sizes; do printf '%s KiB at %s users; ' "${rss[shell,$n]}" "$n"; done)"
verdict "$(awk -v r="$plan_ratio" 'BEGIN { print (r <= 1.2) }')" \
    "planning: imaproot plan with $junk unrelated files in the home / without them $plan_ratio <= 1.2"
verdict "$(awk -v h="$added_hook" -v s="$added_shell" 'BEGIN { print (h <= 0.5 * s) }')" \
    "through Dovecot, script-login setup: hook adds $added_hook ms <= 0.5 x shell script's $added_shell ms"
verdict "$(awk -v h="$added_hook_service" -v s="$added_shell" 'BEGIN { print (h <= 0.5 * s) }')" \
    "through Dovecot, service setup: hook adds $added_hook_service ms <= 0.5 x shell script's $added_shell ms"
for g in "${generations[@]}"; do
    for n in $all_sizes; do
        verdict "$(awk -v r="${all_ratio[$g,$n]}" 'BEGIN { print (r <= 1.05) }')" \
            "through Dovecot $g, all-services userdb, $n listed users / no decision ${all_ratio[$g,$n]} <= 1.05 (median of per-round ratios)"
    done
    verdict "$(awk -v r="${all_ratio[$g,flat]}" 'BEGIN { print (r <= 1.05) }')" \
        "through Dovecot $g, all-services userdb flat: $last_all / $first_all listed users ${all_ratio[$g,flat]} <= 1.05"
done
verdict "$(awk -v m="${set_med[$last_all]}" 'BEGIN { print (m < 100) }')" \
    "imaproot set at $last_all users: ${set_med[$last_all]} ms < 100 ms (the slower of set migrated and set legacy, medians; ${set_med[$first_all]} ms at $first_all users)"
echo "INFO  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${BENCH_CONVERT:-0}" = 1 ]; then
    echo
    bench/convert.sh
fi
