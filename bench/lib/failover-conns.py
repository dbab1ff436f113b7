#!/usr/bin/env python3
"""Long-lived TCP connections for bench/failover.sh: opens N connections to SERVER:PORT (through the VIP),
touches READY_FILE once all are open (or failed), then for SECS seconds sends a 16-byte message on every live
connection every 100 ms and reads the echoes (one selector loop). Prints one JSON line: conns (N), survived
(connections with no error, RST or close that received an echo in the last second), connect_failed, dead (error
strings, counted), max_gap_ms (longest time any live connection went without an echo) and max_gap_end_unix (when
that gap ended, to tell a gap at the fault from one elsewhere in the run), max_gap_conn_retransmits (segments that
connection's client end sent again), retransmits (the same, summed over the live connections) and
max_loop_pause_ms / max_loop_pause_end_unix (this client's own longest pause between two turns of its loop, which
waits at most 10 ms: a long one means the client itself was not run, and echo gaps around it are not the path's).
Usage: failover-conns.py SERVER PORT N SECS READY_FILE"""
import collections, json, selectors, socket, struct, sys, time

server, port, n, secs, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
sel = selectors.DefaultSelector()
conns = []
connect_failed = 0
t_connect = time.monotonic()
for i in range(n):
    if time.monotonic() - t_connect > 15:  # no path: do not spend n x 3 s finding out
        connect_failed += 1
        continue
    try:
        c = socket.create_connection((server, port), timeout=3)
    except OSError:
        connect_failed += 1
        continue
    c.setblocking(False)
    k = {"s": c, "last": time.monotonic(), "gap": 0.0, "dead": None}
    conns.append(k)
    sel.register(c, selectors.EVENT_READ, k)
connect_s = time.monotonic() - t_connect
open(ready, "w").close()
msg = b"ringwall-fobench"  # 16 bytes
start = time.monotonic(); nxt = start
lag = 0.0; lag_end = 0.0; last_turn = start
while time.monotonic() - start < secs:
    now = time.monotonic()
    if now - last_turn > lag:  # this loop's own longest pause (it waits at most 10 ms in select)
        lag = now - last_turn; lag_end = time.time()
    last_turn = now
    if now >= nxt:
        nxt += 0.1
        for k in conns:
            if k["dead"] is None:
                try:
                    k["s"].send(msg)
                except BlockingIOError:
                    pass  # send buffer full (stalled path): the echo gap will show it
                except OSError as e:
                    k["dead"] = type(e).__name__; sel.unregister(k["s"])
    for key, _ in sel.select(timeout=max(0.0, min(0.01, nxt - time.monotonic()))):
        k = key.data
        try:
            d = k["s"].recv(65536)
        except BlockingIOError:
            continue
        except OSError as e:
            k["dead"] = type(e).__name__; sel.unregister(k["s"]); continue
        if not d:
            k["dead"] = "closed"; sel.unregister(k["s"]); continue
        t = time.monotonic()
        if t - k["last"] > k["gap"]:
            k["gap"] = t - k["last"]; k["gap_end"] = time.time()
        k["last"] = t
end = time.monotonic()
alive = [k for k in conns if k["dead"] is None and end - k["last"] < 1.0]
for k in conns:
    if k["dead"] is None and end - k["last"] > k["gap"]:
        k["gap"] = end - k["last"]; k["gap_end"] = time.time()
worst = max(conns, key=lambda k: k["gap"], default=None)


def retransmits(k):
    """Segments this end sent again (struct tcp_info's tcpi_total_retrans, at byte 100), -1 if not known."""
    try:
        return struct.unpack_from("I", k["s"].getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104), 100)[0]
    except OSError:
        return -1
print(json.dumps({"conns": n, "survived": len(alive), "connect_failed": connect_failed,
                  "dead": dict(collections.Counter(k["dead"] for k in conns if k["dead"])),
                  "stale": sum(1 for k in conns if k["dead"] is None and end - k["last"] >= 1.0),
                  "connect_s": round(connect_s, 2),
                  "max_gap_ms": round(worst["gap"] * 1000, 1) if worst else 0,
                  "max_gap_end_unix": round(worst.get("gap_end", 0), 3) if worst else 0,
                  "max_gap_conn_retransmits": retransmits(worst) if worst else 0,
                  "retransmits": sum(max(0, retransmits(k)) for k in conns if k["dead"] is None),
                  "max_loop_pause_ms": round(lag * 1000, 1), "max_loop_pause_end_unix": round(lag_end, 3)}))
for k in conns:
    k["s"].close()
