#!/usr/bin/env python3
"""UDP prober for bench/failover.sh: sends one datagram per ms from CLIENT to SERVER:7 for SECS seconds,
times the echoes and prints one JSON line: sent, received, the longest gap between two consecutive echoes
(max_gap_ms), when that gap began (gap_at_s, seconds since start) and how long ago the last echo came
(tail_ms; large means the stream had not recovered when the probe ended), and the wall-clock times of the
fault and of the longest gap's start (fault_unix, gap_unix: seconds since the epoch, to line up with node logs). FAULT_AT_S seconds in, it starts
the fault command (without waiting for it) and reports as fault_gap_ms the longest gap that ends after that
moment: the outage the fault caused, not jitter before it; and as pre_fault_gap_ms the longest gap that ended
before it, the host's own jitter (a starved prober or switch stalls a stream with no fault at all); and as
fault_gaps the gaps of 2 ms or more after it, [start_unix, end_unix, ms] (at most 200), so a gap can be matched
with an event in the node logs (bench/lib/handover-gap.py: a drain's hand-over); after the fault also the
longest round trip of one probe (max_rtt_ms: delay on the path) and the longest pause between two of its own
sends (send_gap_ms: the prober itself not run, which makes a gap that is not the path's).
Usage: failover-probe.py SECS CLIENT_IP SERVER_IP FAULT_AT_S FAULT_CMD..."""
import json, socket, subprocess, sys, time

secs, client, server, fault_at = float(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
fault_cmd = sys.argv[5:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((client, 6000))
s.setblocking(False)
start = time.monotonic(); wall_offset = time.time() - start; nxt = start; seq = 0; got = 0
last = None; gap = 0.0; gap_at = -1.0; fault_t = None; fault_gap = 0.0; pre_gap = 0.0; fault = None
fault_gaps = []
sent_at = {}; send_gap = 0.0; last_send = None; max_rtt = 0.0
while time.monotonic() - start < secs:
    now = time.monotonic()
    if fault_t is None and now - start >= fault_at:
        fault_t = now
        fault = subprocess.Popen(fault_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if now >= nxt:
        if fault_t is not None and last_send is not None:
            send_gap = max(send_gap, now - last_send)
        last_send = now
        try:
            s.sendto(seq.to_bytes(4, 'big'), (server, 7))
            sent_at[seq] = now
        except OSError:
            pass  # no route / unreachable for a moment during failover: keep probing
        seq += 1; nxt += 0.001
    try:
        while True:
            d = s.recv(64); t = time.monotonic(); got += 1
            at = sent_at.pop(int.from_bytes(d[:4], 'big'), None) if len(d) >= 4 else None
            if at is not None and fault_t is not None and at >= fault_t:
                max_rtt = max(max_rtt, t - at)
            if last is not None and t - last > gap:
                gap = t - last; gap_at = last - start
            if last is not None and fault_t is not None and t > fault_t:
                fault_gap = max(fault_gap, t - last)
                if t - last >= 0.002 and len(fault_gaps) < 200:
                    fault_gaps.append([round(last + wall_offset, 4), round(t + wall_offset, 4),
                                       round((t - last) * 1000, 1)])
            elif last is not None:
                pre_gap = max(pre_gap, t - last)
            last = t
    except (BlockingIOError, ConnectionRefusedError):
        pass
    time.sleep(0.0002)
end = time.monotonic()
if fault is not None:
    fault.wait(10)
if last is not None and fault_t is not None and last < end:
    fault_gap = max(fault_gap, end - last) if end - last > 0.1 else fault_gap  # never recovered
print(json.dumps({"sent": seq, "received": got, "fault_gap_ms": round(fault_gap * 1000, 1),
                  "pre_fault_gap_ms": round(pre_gap * 1000, 1),
                  "max_gap_ms": round(gap * 1000, 1), "fault_at_s": round(fault_t - start, 3) if fault_t else -1,
                  "gap_at_s": round(gap_at, 3),
                  "fault_unix": round(fault_t + wall_offset, 4) if fault_t else -1,
                  "gap_unix": round(start + gap_at + wall_offset, 4) if gap_at >= 0 else -1,
                  "tail_ms": round((end - last) * 1000, 1) if last is not None else -1,
                  "fault_gaps": fault_gaps,
                  "max_rtt_ms": round(max_rtt * 1000, 1), "send_gap_ms": round(send_gap * 1000, 1)}))
