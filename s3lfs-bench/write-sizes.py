#!/usr/bin/env python3
"""System time of writing new files in calls of different sizes, the way a download writes them.

    python3 s3lfs-bench/write-sizes.py [--rounds N] [--dir DIR] SIZE [SIZE...]

Each round, for each SIZE in bytes in turn: delete what the last one wrote, `sync`, wait 2 s, then
8 threads each write a new 128 MiB file in os.write calls of SIZE bytes. Prints wall, user and
system seconds per run (README.md, Performance, cites it for 32 KiB against 256 KiB calls).
"""
import argparse, os, resource, shutil, subprocess, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=4)
ap.add_argument("--dir", default="/tmp/s3lfs-write-sizes")
ap.add_argument("sizes", type=int, nargs="+")
args = ap.parse_args()

FILE = 128 << 20


def run(size):
    buf = os.urandom(size)

    def one(i):
        fd = os.open(os.path.join(args.dir, f"f{i}"), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
        written = 0
        while written < FILE:
            written += os.write(fd, buf)
        os.close(fd)

    t0, r0 = time.time(), resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{size:>8} B calls: wall {time.time() - t0:.2f} user {r1.ru_utime - r0.ru_utime:.2f} "
          f"sys {r1.ru_stime - r0.ru_stime:.2f}", flush=True)


try:
    for _ in range(args.rounds):
        for size in args.sizes:
            shutil.rmtree(args.dir, ignore_errors=True)
            os.makedirs(args.dir)
            subprocess.run(["sync"], check=True)
            time.sleep(2)
            run(size)
finally:
    shutil.rmtree(args.dir, ignore_errors=True)
