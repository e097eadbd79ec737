#!/usr/bin/env python3
"""Writes an mbox file of realistic messages, fast (no Dovecot involved): a "From " separator, the
headers a delivered message has (Received, Date, Message-ID, From, To, Subject, MIME), a body of
text lines of varied length, now and then a body line starting "From " (quoted ">From "), as an MDA
writes it. Messages are 2 to 60 kB (mean about 17 kB).

    mbox-gen.py FILE MEGABYTES SEED [TAG]   appends messages to FILE until it holds MEGABYTES more
    mbox-gen.py FILE -COUNT SEED [TAG]      appends COUNT messages
Received ids and Message-IDs are unique per SEED and TAG: Dovecot's mbox GUID is a hash of the first
Received header (Date and Message-ID only when they come before it), and dsync tells messages apart by it.
"""
import random
import sys

WORDS = ("the of and to in is that for it with as was on be by this are from or have an they which "
         "mailbox server message delivery folder archive report meeting budget quarterly invoice "
         "schedule project review draft attached please regards thanks update customer network "
         "release backup storage migration dovecot imap client filter sieve quota index").split()


def main():
    path, amount, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tag = sys.argv[4] if len(sys.argv) > 4 else "m"
    rng = random.Random(seed)
    # A pool of body lines, drawn from for every message: fast, and still text that varies.
    pool = []
    for _ in range(4000):
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))
        line = line[0].upper() + line[1:] + ".\n"
        pool.append(">" + line if line.startswith("From ") else line)
    pool.append(">From the quoted line of a body\n")
    budget = amount * 1024 * 1024 if amount > 0 else None
    count = -amount if amount <= 0 else None
    written = 0
    n = 0
    with open(path, "a", encoding="ascii") as out:
        while (budget is not None and written < budget) or (count is not None and n < count):
            n += 1
            day = 1 + n % 28
            hh, mm, ss = n % 24, (n * 7) % 60, (n * 13) % 60
            size = int(rng.lognormvariate(9.45, 0.6))
            size = max(2000, min(size, 60000))
            body = []
            total = 0
            while total < size:
                line = rng.choice(pool)
                body.append(line)
                total += len(line)
            msg = (f"From sender{n % 50}@example.org Mon Jan {day:2d} {hh:02d}:{mm:02d}:{ss:02d} 2024\n"
                   f"Received: from mx.example.org (mx.example.org [192.0.2.1])\n"
                   f"\tby mail.example.net with ESMTP id {tag}{seed:x}{n:08x}; Mon, {day} Jan 2024 {hh:02d}:{mm:02d}:{ss:02d} +0000\n"
                   f"Date: Mon, {day} Jan 2024 {hh:02d}:{mm:02d}:{ss:02d} +0000\n"
                   f"Message-ID: <{tag}.{seed}.{n}@example.org>\n"
                   f"From: Sender {n % 50} <sender{n % 50}@example.org>\n"
                   f"To: user@example.net\n"
                   f"Subject: {pool[n % 4000][:60].strip()} ({n})\n"
                   f"MIME-Version: 1.0\n"
                   f"Content-Type: text/plain; charset=us-ascii\n"
                   f"\n" + "".join(body) + "\n")
            out.write(msg)
            written += len(msg)
    print(f"{n} {written}")


main()
