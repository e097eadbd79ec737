#!/bin/bash
# Dovecot 2.4 for the tests, from a Debian tree made once with debootstrap and cached: trixie
# (Debian 13, Dovecot 2.4.1) or forky (testing, Dovecot 2.4.5). Everything that runs in it runs in
# a private mount namespace, chrooted into the tree, with the host's /tmp, the checkout and the
# account database shared at the same paths, so that homes, spools, the hook's binaries and real
# Unix users look the same inside as outside.
# The mounts vanish with the namespace's last process: nothing is left mounted on the host.
#
#   debian-tree.sh SUITE tree              print the tree's path, building it first if it is not cached
#   debian-tree.sh SUITE run CMD [ARG...]  run CMD inside the tree (a new namespace; CMD may daemonize)
#   debian-tree.sh SUITE enter PID CMD...  run CMD in the namespace and root of process PID (doveadm
#                                          beside a running Dovecot)
#
# SUITE is trixie or forky. DOVECOT_ROOT_HELPER_TREES (default /var/cache/dovecot-root-helper-tests)
# holds the cache: trixie in debian13 (the name it has always had), forky in forky.
set -euo pipefail

die() { echo "debian-tree: $*" >&2; exit 1; }

suite=${1:-}
case "$suite" in
trixie) name=debian13 script=trixie ;;
# Debian 12's debootstrap has no forky script; sid's bootstraps testing the same way.
forky) name=forky script=sid ;;
*) die "usage: $0 trixie|forky tree | run CMD... | enter PID CMD..." ;;
esac
shift
trees=${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}
tree=$trees/$name
packages=dovecot-core,dovecot-imapd,dovecot-pop3d,dovecot-lmtpd,dovecot-sieve,dovecot-pgsql
checkout=$(cd "$(dirname "$0")/../.." && pwd)

build_tree() {
    if [ -x "$tree/usr/sbin/dovecot" ]; then
        add_missing_packages
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "building $tree needs root"
    mkdir -p "$trees"
    exec 9>"$trees/.$name.lock"
    flock 9
    [ -x "$tree/usr/sbin/dovecot" ] && return 0
    command -v debootstrap >/dev/null || die "debootstrap is not installed (build.sh test installs it)"
    # The Debian mirror the host's apt already uses; no host name is written into the repository.
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || die "no Debian mirror found in the host's apt sources"
    rm -rf "$tree.new"
    echo "debian-tree: building $tree (debootstrap $suite, about 2 minutes, once)" >&2
    debootstrap --variant=minbase --include="$packages" "$suite" "$tree.new" "$mirror" \
        "/usr/share/debootstrap/scripts/$script" >"$trees/$name.log" 2>&1 \
        || { tail -20 "$trees/$name.log" >&2; die "debootstrap $suite failed (log: $trees/$name.log)"; }
    mv "$tree.new" "$tree"
}

# A tree cached before a package joined the list gets it, at the version of the tree's own
# dovecot-core: the suite may have moved on, and the tests are named for the Dovecot the tree holds.
add_missing_packages() {
    local missing=() p version
    for p in ${packages//,/ }; do
        [ -f "$tree/var/lib/dpkg/info/$p.list" ] || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    [ "$(id -u)" = 0 ] || die "adding ${missing[*]} to $tree needs root"
    exec 9>"$trees/.$name.lock"
    flock 9
    version=$(chroot "$tree" dpkg-query -W -f='${Version}' dovecot-core)
    missing=()
    for p in ${packages//,/ }; do
        [ -f "$tree/var/lib/dpkg/info/$p.list" ] || missing+=("$p=$version")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        exec 9>&-
        return 0
    fi
    echo "debian-tree: adding ${missing[*]} to $tree" >&2
    # No service starts in the tree (policy-rc.d); the package lists debootstrap left serve when
    # they still hold the version, else they are refreshed (a frozen mirror's Release may be expired).
    printf '#!/bin/sh\nexit 101\n' >"$tree/usr/sbin/policy-rc.d"
    chmod 0755 "$tree/usr/sbin/policy-rc.d"
    local install="apt-get install -y -q --no-install-recommends ${missing[*]}"
    local update="apt-get -q -o Acquire::Check-Valid-Until=false update"
    # As in inside(): the account database the tree's /etc links to (share_accounts), and /proc.
    # shellcheck disable=SC2016
    if ! unshare --mount --propagation private sh -c 'mkdir -p "$1/run/host-etc" && mount --bind /etc "$1/run/host-etc" \
            && mount -t proc proc "$1/proc" && exec chroot "$1" sh -c "$2"' sh "$tree" "$install || { $update && $install; }" \
        >>"$trees/$name.log" 2>&1; then
        rm -f "$tree/usr/sbin/policy-rc.d"
        tail -20 "$trees/$name.log" >&2
        die "could not add ${missing[*]} to $tree (log: $trees/$name.log)"
    fi
    rm -f "$tree/usr/sbin/policy-rc.d"
    exec 9>&-
}

# The tree reads the host's account database through /run/host-etc, a bind mount of the host's
# /etc: a bind mount of /etc/passwd itself would keep showing the file useradd and usermod have
# since replaced by rename.
share_accounts() {
    local f
    for f in passwd group shadow; do
        [ "$(readlink "$tree/etc/$f" 2>/dev/null)" = "/run/host-etc/$f" ] || ln -sfn "/run/host-etc/$f" "$tree/etc/$f"
    done
}

# The body run inside the new mount namespace: bind what the tests share, then chroot.
inside() {
    local root=$1; shift
    mount --make-rprivate /
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --bind /tmp "$root/tmp"
    mkdir -p "$root/run/host-etc"
    mount --bind /etc "$root/run/host-etc"
    mkdir -p "$root$checkout"
    mount --bind "$checkout" "$root$checkout"
    # The installed package, when the tests run against it (DRH_TEST_INSTALLED=1): the same paths inside.
    local installed
    for installed in /usr/lib/dovecot-root-helper /usr/share/dovecot-root-helper; do
        [ -d "$installed" ] || continue
        mkdir -p "$root$installed"
        mount --bind "$installed" "$root$installed"
    done
    exec chroot "$root" "$@"
}

case "${1:-}" in
tree)
    build_tree
    echo "$tree"
    ;;
run)
    shift
    [ $# -gt 0 ] || die "usage: $0 $suite run CMD [ARG...]"
    build_tree
    share_accounts
    export -f inside
    exec unshare --mount --propagation private bash -c 'checkout="$1"; shift; inside "$@"' inside "$checkout" "$tree" "$@"
    ;;
enter)
    pid=${2:?pid}; shift 2
    [ $# -gt 0 ] || die "usage: $0 $suite enter PID CMD [ARG...]"
    exec nsenter --target "$pid" --mount --root --wd -- "$@"
    ;;
*)
    die "usage: $0 $suite tree | run CMD... | enter PID CMD..."
    ;;
esac
