#!/usr/bin/env python3
"""System time of touching fresh memory, and how much memory the guest hands back to its host.

    python3 s3lfs-bench/first-touch.py [--mib N] [--rounds R] [--pause S]

Each round allocates N MiB (default 512), writes one byte per 4 KiB page, frees it, and waits S
seconds (default 3). On a VM whose balloon reports free pages to the host (Linux page
reporting: /sys/module/page_reporting), first touches of memory the guest gave back wait on the
host, so the same round costs more system time, and by a varying amount from round to round.
Prints system seconds per round and, where the kernel exposes it, how many KiB the guest
reported to the host during the round (README.md, Performance, cites it).
"""
import argparse, os, resource, time

REPORTED = "/sys/module/page_reporting/parameters/reported_kib"


def reported():
    try:
        with open(REPORTED) as f:
            return int(f.read())
    except OSError:
        return None


ap = argparse.ArgumentParser()
ap.add_argument("--mib", type=int, default=512)
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--pause", type=float, default=3.0)
args = ap.parse_args()

for n in range(args.rounds):
    before = reported()
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.time()
    block = bytearray(args.mib << 20)  # zero pages: mapped, not yet touched
    for i in range(0, len(block), 4096):
        block[i] = 1
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    del block
    time.sleep(args.pause)
    after = reported()
    gave = "" if before is None else f", reported to the host since: {after - before} KiB"
    print(f"round {n + 1}: {args.mib} MiB first-touched in {r1.ru_stime - r0.ru_stime:.3f} s of system time "
          f"(wall {time.time() - t0 - args.pause:.3f} s){gave}", flush=True)
