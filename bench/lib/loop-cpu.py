#!/usr/bin/env python3
"""Driver-loop CPU of node JVMs over a window: loop-cpu.py [--threads] SECONDS PID...

For each PID (the JVM itself, or a launcher it runs under: `ip netns exec`, `timeout`; the first process named
"java" below it is taken) finds the driver loop thread (the thread named "java", the main thread, that used the
most CPU so far) and reads before and after SECONDS its run time and its wake-ups (/proc/PID/task/TID/schedstat:
nanoseconds on the CPU, and times it was scheduled in) and the process's utime+stime (/proc/PID/stat). Prints one
JSON object: per node loop_cpu_pct, wakeups_per_s, us_per_wakeup, process_cpu_pct (percent of one core), and the
median of each over the nodes. With --threads, each node also lists every other thread that ran in the window
(by name: CPU percent and wake-ups per second), the ones that cost most first: where the rest of the process's CPU
goes (the collector's threads, the JIT, the management listener).
"""
import json
import os
import statistics
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
KEYS = ("loop_cpu_pct", "process_cpu_pct", "wakeups_per_s", "us_per_wakeup")


def comm(path):
    with open(f"{path}/comm") as f:
        return f.read().strip()


def java_pid(pid):
    todo = [pid]
    while todo:
        p = todo.pop()
        if comm(f"/proc/{p}") == "java":
            return p
        for t in os.listdir(f"/proc/{p}/task"):
            with open(f"/proc/{p}/task/{t}/children") as f:
                todo += f.read().split()
    raise SystemExit(f"no JVM under pid {pid}")


def schedstat(pid, tid):
    with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
        run_ns, _, wakeups = map(int, f.read().split())
    return run_ns, wakeups


def loop_tid(pid):
    tids = [t for t in os.listdir(f"/proc/{pid}/task") if comm(f"/proc/{pid}/task/{t}") == "java"]
    return max(tids, key=lambda t: schedstat(pid, t)[0])


def sample(pid, tid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read().rsplit(")", 1)[1].split()
    return (*schedstat(pid, tid), int(stat[11]) + int(stat[12]))  # utime + stime, clock ticks


def other_threads(pid, loop):
    """{tid: (name, run_ns, wake-ups)} of every thread but the loop; threads that end meanwhile are skipped."""
    found = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        if t == loop:
            continue
        try:
            found[t] = (comm(f"/proc/{pid}/task/{t}"), *schedstat(pid, t))
        except OSError:
            pass
    return found


def thread_costs(before, after, seconds):
    rows = []
    for tid, (name, a_ns, a_w) in after.items():
        b_ns, b_w = before.get(tid, (name, 0, 0))[1:]
        if a_ns > b_ns:
            rows.append({"thread": name, "cpu_pct": round((a_ns - b_ns) / seconds / 1e7, 3),
                         "wakeups_per_s": round((a_w - b_w) / seconds, 1)})
    return sorted(rows, key=lambda r: -r["cpu_pct"])


def main():
    args = sys.argv[1:]
    threads = args[:1] == ["--threads"]
    if threads:
        args = args[1:]
    seconds = float(args[0])
    nodes = [(p, loop_tid(p)) for p in map(java_pid, args[1:])]
    before = [sample(p, t) for p, t in nodes]
    others_before = [other_threads(p, t) for p, t in nodes] if threads else []
    time.sleep(seconds)
    after = [sample(p, t) for p, t in nodes]
    others_after = [other_threads(p, t) for p, t in nodes] if threads else []
    out = []
    for (b_ns, b_w, b_t), (a_ns, a_w, a_t) in zip(before, after):
        out.append({"loop_cpu_pct": round((a_ns - b_ns) / seconds / 1e7, 3),
                    "wakeups_per_s": round((a_w - b_w) / seconds, 1),
                    "us_per_wakeup": round((a_ns - b_ns) / max(1, a_w - b_w) / 1e3, 1),
                    "process_cpu_pct": round((a_t - b_t) / HZ / seconds * 100, 2)})
    for node, b, a in zip(out, others_before, others_after):
        node["threads"] = thread_costs(b, a, seconds)
    print(json.dumps({**{k: statistics.median(n[k] for n in out) for k in KEYS}, "nodes": out}))


if __name__ == "__main__":
    main()
