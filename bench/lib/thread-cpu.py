#!/usr/bin/env python3
"""CPU of one process over a window, per thread: thread-cpu.py PID SECONDS.

Reads utime+stime of the process (/proc/PID/stat, clock ticks: what bench/failover.sh reports) and the
nanosecond run time of every thread (/proc/PID/task/TID/schedstat, first field) before and after SECONDS and
prints one JSON object, all in percent of one core: cpu_pct (process, from ticks), cpu_pct_threads (sum of
the threads' run time) and threads, a map of thread name -> percent (threads of the same name are added up,
names as the kernel shows them, at most 15 characters), sorted by CPU, threads below 0.01 % left out.
Threads that started inside the window count with what they used inside it; threads that ended are missing
from the thread figures.
"""
import json
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def ticks(path):
    with open(path) as f:
        s = f.read()
    name = s[s.index("(") + 1:s.rindex(")")]
    fields = s[s.rindex(")") + 2:].split()
    return name, int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().rstrip("\n")
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[tid] = (name, int(f.read().split()[0]))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return out


def main():
    pid, seconds = sys.argv[1], float(sys.argv[2])
    _, p0 = ticks(f"/proc/{pid}/stat")
    t0 = threads(pid)
    start = time.monotonic()
    time.sleep(seconds)
    _, p1 = ticks(f"/proc/{pid}/stat")
    t1 = threads(pid)
    wall = time.monotonic() - start
    per_name = {}
    for tid, (name, after) in t1.items():
        before = t0.get(tid, (name, 0))[1]
        per_name[name] = per_name.get(name, 0) + after - before
    pct = lambda ns: round(ns / 1e9 / wall * 100, 2)
    named = {n: pct(t) for n, t in sorted(per_name.items(), key=lambda kv: -kv[1]) if pct(t) >= 0.01}
    print(json.dumps({"cpu_pct": round((p1 - p0) / HZ / wall * 100, 2), "cpu_pct_threads": pct(sum(per_name.values())),
                      "seconds": round(wall, 2), "threads": named}))


if __name__ == "__main__":
    main()
