#!/usr/bin/env python3
"""Userdb lookups over Dovecot's auth-userdb socket, timed in-process (no doveadm start-up, no
config parse): what the auth process itself takes, as LMTP and the imap processes ask it.

    auth-userdb-lookup.py SOCKET USER COUNT [CHANGE...]

One connection: the VERSION handshake and one lookup, not timed (so that the first timed request
pays nothing for a new connection); then the command CHANGE (a state change, when given); then
COUNT USER requests one after another, timed. Prints the milliseconds of each on one line, then
the reply of the last one (its fields, TAB-separated). Exits 1 if a reply is not USER (NOTFOUND,
FAIL), the socket closes or CHANGE fails. Used by bench/pgsql-userdb.sh.
"""
import socket
import subprocess
import sys
import time


def lookup(stream, path: str, user: str, request: int) -> bytes:
    stream.write(f"USER\t{request}\t{user}\tservice=doveadm\n".encode())
    reply = stream.readline()
    if not reply.startswith(b"USER\t"):
        print(f"{path}: {user}: {reply.decode(errors='replace').strip() or 'connection closed'}", file=sys.stderr)
        sys.exit(1)
    return reply


def main() -> int:
    path, user, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    stream = conn.makefile("rwb", buffering=0)
    stream.write(b"VERSION\t1\t0\n")
    # The server greets with VERSION and SPID lines before it answers anything.
    for _ in range(2):
        if not stream.readline():
            print(f"{path}: closed during the handshake", file=sys.stderr)
            return 1
    lookup(stream, path, user, 1)
    if len(sys.argv) > 4 and subprocess.run(sys.argv[4:], stdout=subprocess.DEVNULL, check=False).returncode != 0:
        print(f"{' '.join(sys.argv[4:])} failed", file=sys.stderr)
        return 1
    times = []
    reply = b""
    for i in range(2, count + 2):
        start = time.perf_counter()
        reply = lookup(stream, path, user, i)
        times.append((time.perf_counter() - start) * 1000)
    print(" ".join(f"{t:.3f}" for t in times))
    print(reply.decode(errors="replace").rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
