#!/usr/bin/env python3
"""For bench/failover.sh's drain: adds to the prober's JSON handover_gap_ms, the gap of the drain's own hand-over
(the probe gap that spans the drained node's first vip-release logged after the fault, or the largest that starts
within 20 ms after it; 0 if no echo was 2 ms late then; -1 if the log has no release), and release_unix.
Usage: handover-gap.py PROBE_JSON DRAINED_NODE_LOG"""
import json, sys
from nodelog import stamp

probe = json.loads(sys.argv[1])
release = None
for line in open(sys.argv[2], errors="replace"):
    t, parts = stamp(line)
    if t is not None and len(parts) > 1 and parts[1] == "vip-release" and t >= probe.get("fault_unix", 0):
        release = t
        break
gaps = probe.get("fault_gaps", [])
if release is None:
    probe["handover_gap_ms"] = -1
else:
    around = [g for g in gaps if g[0] <= release <= g[1] or release <= g[0] <= release + 0.02]
    probe["handover_gap_ms"] = max((g[2] for g in around), default=0.0)
probe["release_unix"] = round(release, 4) if release else -1
print(json.dumps(probe))
