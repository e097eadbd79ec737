#!/bin/bash
# One entry point for building, testing and the demo.
#   ./build.sh publish   native-AOT binaries into artifacts/ (and artifacts/imaproot-crash, for the crash tests)
#   ./build.sh package   publish, then the Debian package artifacts/deb/dovecot-root-helper_VERSION_amd64.deb,
#                        checked by lintian
#   ./build.sh demo      a private Dovecot on 127.0.0.1 with a legacy and a migrated user
#   ./build.sh test      format check, publish, the whole test suite (installs Dovecot 2.3 if needed,
#                        builds or reuses the cached Debian 13 tree with Dovecot 2.4), then a short fuzz run
#   ./build.sh bench     the benchmarks in docs/performance.md
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "build.sh: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
        exit 1
    fi
    echo "build.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Native AOT links with the system toolchain.
need_toolchain() { need_packages clang zlib1g-dev; }
# procmail: an end-to-end test delivers through a mail filter that names a moved mailbox.
need_dovecot() { need_packages dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-sieve dovecot-pgsql procmail; }
# The unit tests check constants copied from C headers against arm64's headers too (tests/DovecotRootHelper.Testing/CHeaders.cs).
need_cross_headers() { need_packages libc6-dev-arm64-cross; }

publish() {
    need_toolchain
    dotnet publish src/DovecotRootHelper.LoginHook -c Release -o artifacts/hook -p:DebugType=none --nologo -v quiet
    # The same binary answers POP3 logins in POP3's words when called by this name.
    ln -sf dovecot-root-helper artifacts/hook/dovecot-root-helper-pop3
    dotnet publish src/DovecotRootHelper.Cli -c Release -o artifacts/imaproot -p:DebugType=none --nologo -v quiet
    # For the tests that kill imaproot at every step (DOVECOT_ROOT_HELPER_CRASH_AT): the same source
    # with its crash points compiled in (Directory.Build.props). Never packaged.
    dotnet publish src/DovecotRootHelper.Cli -c Release -o artifacts/imaproot-crash -p:DebugType=none -p:CrashPoints=true --nologo -v quiet
}

# Unix accounts the tests and benchmarks create: these name prefixes and uids 21000-22999 only
# (tests/DovecotRootHelper.EndToEnd.Tests/Infrastructure/UnixTestAccount.cs and bench/run.sh), with
# their groups. Each is removed when its test ends; this removes what an interrupted run left.
remove_test_accounts() {
    [ "$(id -u)" = 0 ] || return 0
    local name data
    # Private PostgreSQL clusters a killed test process left running (PrivatePostgres, bench/pgsql-*).
    for data in /tmp/drh-pg-*/data /tmp/drh-bench-pg-*/data; do
        [ -f "$data/postmaster.pid" ] || continue
        setpriv --reuid=postgres --regid=postgres --init-groups -- /usr/lib/postgresql/15/bin/pg_ctl stop -D "$data" -m immediate -w >/dev/null 2>&1 ||
            echo "build.sh: could not stop the test cluster in $data" >&2
        rm -rf "$(dirname "$data")"
    done
    getent passwd | awk -F: '$1 ~ /^(drhcp|drhmig|drhbench|drhall)-/ && $3 >= 21000 && $3 <= 22999 { print $1 }' |
        while read -r name; do userdel "$name" >/dev/null 2>&1 || echo "build.sh: could not remove test account $name" >&2; done
    getent group | awk -F: '$1 ~ /^(drhcp|drhmig|drhbench|drhall)-/ && $3 >= 21000 && $3 <= 22999 { print $1 }' |
        while read -r name; do groupdel "$name" >/dev/null 2>&1 || echo "build.sh: could not remove test group $name" >&2; done
}

# The Debian package, from the published binaries (debian/rules), then lintian: no error or warning
# may remain (debian/dovecot-root-helper.lintian-overrides says why each override is there).
package() {
    need_packages debhelper scdoc lintian patchelf
    publish
    rm -rf artifacts/deb
    mkdir -p artifacts/deb
    # debian/rules itself rather than dpkg-buildpackage, which insists on leaving the package and
    # its .buildinfo and .changes in the checkout's parent directory; Rules-Requires-Root: no.
    { debian/rules clean && debian/rules binary; } >artifacts/deb/build.log 2>&1 ||
        { tail -30 artifacts/deb/build.log >&2; echo "build.sh: debian/rules binary failed (artifacts/deb/build.log)" >&2; exit 1; }
    debian/rules clean >/dev/null
    local deb
    deb=$(ls artifacts/deb/dovecot-root-helper_*_amd64.deb)
    # A warning dpkg-shlibdeps or dh prints is a defect to fix, not to hide in the log.
    if grep -E '(^|: )warning: ' artifacts/deb/build.log >&2; then
        echo "build.sh: debian/rules binary warned (artifacts/deb/build.log)" >&2
        exit 1
    fi
    # lintian reads what a stranger hands it: as nobody (it says so itself when run as root), on a
    # copy nobody can read.
    local check
    check=$(mktemp -d)
    cp "$deb" "$check/"
    chmod 0755 "$check"
    chmod 0644 "$check/$(basename "$deb")"
    local status=0
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=/nonexistent \
            TMPDIR=/tmp LC_ALL=C.UTF-8 lintian --fail-on error,warning -EvIL +pedantic "$check/$(basename "$deb")" || status=$?
    else
        lintian --fail-on error,warning -EvIL +pedantic "$check/$(basename "$deb")" || status=$?
    fi
    rm -rf "$check"
    [ "$status" = 0 ] || exit "$status"
    echo "$deb"
}

case "${1:-}" in
publish)
    publish
    ;;
package)
    package
    ;;
demo)
    need_dovecot
    publish
    exec demo/demo.sh
    ;;
test)
    need_dovecot
    need_cross_headers
    # imaproot's usage database is SQLite through the system's library (libsqlite3.so.0).
    need_packages libsqlite3-0 postgresql  # postgresql: the private clusters of tests/DovecotRootHelper.Testing/PrivatePostgres.cs
    # The bounded fuzz run at the end (tests/fuzz/run.sh, docs/fuzzing.md).
    need_packages afl++
    remove_test_accounts
    trap remove_test_accounts EXIT
    # The end-to-end tests run against Dovecot 2.4.1 and 2.4.5 too, from cached Debian 13 (trixie)
    # and forky trees: build them now (once, about a minute each) so that no test waits for one or
    # finds it missing.
    need_packages debootstrap
    tests/dovecot/debian-tree.sh trixie tree >/dev/null
    tests/dovecot/debian-tree.sh forky tree >/dev/null
    dotnet format DovecotRootHelper.sln --verify-no-changes
    # The man pages' and completion's tests (ManPagesCoverTheCode, BashCompletionCompletes) and the
    # installed package's (readelf).
    need_packages scdoc man-db bash-completion binutils
    package
    # Installed as an administrator installs it; a copy already installed is purged first, so that
    # apt-get installs this build even at the same version.
    if dpkg-query -W -f='${Status}' dovecot-root-helper 2>/dev/null | grep -q "install ok"; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq dovecot-root-helper >/dev/null
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$(ls artifacts/deb/dovecot-root-helper_*_amd64.deb)" >/dev/null
    dotnet build DovecotRootHelper.sln -c Release --nologo -v quiet
    status=0
    # The whole suite once; the end-to-end tests run the installed programs and snippets
    # (DRH_TEST_INSTALLED=1), not the build tree's. Then, alone, the test that purges the package.
    DRH_TEST_INSTALLED=1 dotnet test DovecotRootHelper.sln -c Release --no-build --nologo --filter "Category!=Purge" \
        --logger "console;verbosity=normal" 2>&1 | tee artifacts/test.log || status=$?
    dotnet test tests/DovecotRootHelper.Package.Tests -c Release --no-build --nologo --filter "Category=Purge" \
        --logger "console;verbosity=normal" 2>&1 | tee -a artifacts/test.log || status=1
    # Every parser an outsider can feed, fuzzed 8 s each (11 targets: about 2 minutes with the build).
    tests/fuzz/run.sh 8 2>&1 | tee artifacts/fuzz.log || status=1
    # The failed tests' names again at the end, where a truncated log still shows them.
    grep -E '^ +Failed [A-Za-z]' artifacts/test.log || true
    # One closing line for the whole suite, in the form CI reads.
    passed=$( (grep -Eo '^ +Passed: +[0-9]+' artifacts/test.log || true) | awk '{s+=$2} END {print s+0}')
    failed=$( (grep -Eo '^ +Failed: +[0-9]+' artifacts/test.log || true) | awk '{s+=$2} END {print s+0}')
    echo "$passed passed, $failed failed"
    exit "$status"
    ;;
bench)
    need_dovecot
    need_packages hyperfine
    publish
    remove_test_accounts
    trap remove_test_accounts EXIT
    bench/run.sh "${@:2}"
    ;;
*)
    echo "usage: $0 publish|package|demo|test|bench" >&2
    exit 64
    ;;
esac
