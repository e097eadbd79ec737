#!/bin/bash
# Dovecot 2.4 (Debian 13's) for the tests, from a Debian 13 tree made once with debootstrap and
# cached. Everything that runs in it runs in a private mount namespace, chrooted into the tree,
# with the host's /tmp, the checkout and the account database shared at the same paths, so
# that homes, spools, the hook's binaries and real Unix users look the same inside as outside.
# The mounts vanish with the namespace's last process: nothing is left mounted on the host.
#
#   debian13.sh tree              print the tree's path, building it first if it is not cached
#   debian13.sh run CMD [ARG...]  run CMD inside the tree (a new namespace; CMD may daemonize)
#   debian13.sh enter PID CMD...  run CMD in the namespace and root of process PID (doveadm
#                                 beside a running Dovecot)
#
# DOVECOT_ROOT_HELPER_TREES (default /var/cache/dovecot-root-helper-tests) holds the cache.
set -euo pipefail

die() { echo "debian13: $*" >&2; exit 1; }

trees=${DOVECOT_ROOT_HELPER_TREES:-/var/cache/dovecot-root-helper-tests}
tree=$trees/debian13
packages=dovecot-core,dovecot-imapd,dovecot-pop3d,dovecot-lmtpd,dovecot-sieve
checkout=$(cd "$(dirname "$0")/../.." && pwd)

build_tree() {
    [ -x "$tree/usr/sbin/dovecot" ] && return 0
    [ "$(id -u)" = 0 ] || die "building $tree needs root"
    mkdir -p "$trees"
    exec 9>"$trees/.debian13.lock"
    flock 9
    [ -x "$tree/usr/sbin/dovecot" ] && return 0
    command -v debootstrap >/dev/null || die "debootstrap is not installed (build.sh test installs it)"
    # The Debian mirror the host's apt already uses; no host name is written into the repository.
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || die "no Debian mirror found in the host's apt sources"
    rm -rf "$tree.new"
    echo "debian13: building $tree (debootstrap trixie, about 2 minutes, once)" >&2
    debootstrap --variant=minbase --include="$packages" trixie "$tree.new" "$mirror" >"$trees/debian13.log" 2>&1 \
        || { tail -20 "$trees/debian13.log" >&2; die "debootstrap failed (log: $trees/debian13.log)"; }
    mv "$tree.new" "$tree"
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
    [ $# -gt 0 ] || die "usage: $0 run CMD [ARG...]"
    build_tree
    share_accounts
    export -f inside
    exec unshare --mount --propagation private bash -c 'checkout="$1"; shift; inside "$@"' inside "$checkout" "$tree" "$@"
    ;;
enter)
    pid=${2:?pid}; shift 2
    [ $# -gt 0 ] || die "usage: $0 enter PID CMD [ARG...]"
    exec nsenter --target "$pid" --mount --root --wd -- "$@"
    ;;
*)
    die "usage: $0 tree | run CMD... | enter PID CMD..."
    ;;
esac
