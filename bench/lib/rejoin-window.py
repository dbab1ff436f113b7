#!/usr/bin/env python3
"""For bench/failover.sh's rejoin: adds to the prober's JSON when the restarted node started its loop (join_unix, from
its `node-start` log line), whether that fell inside the probe window after the fault moment and at least 3 s before
its end (join_in_window: the run measured the join; false if the node's warm-ups ran longer or shorter than the
script guessed), the ring changes and
VIP releases all nodes logged in the 3 s after it (ring_changes_after_join, vip_releases_after_join), and the largest
probe gap that began after it (join_gap_ms; 0 if no echo was 2 ms late).
Usage: rejoin-window.py PROBE_JSON WINDOW_S JOINER_LOG ALL_CURRENT_NODE_LOGS..."""
import json, sys
from nodelog import stamp

probe = json.loads(sys.argv[1])
window_s = float(sys.argv[2])
join = None
for line in open(sys.argv[3], errors="replace"):
    t, parts = stamp(line)
    if t is not None and len(parts) > 1 and parts[1] == "node-start":
        join = t
        break
fault = probe.get("fault_unix", 0)
start = fault - float(probe.get("fault_at_s", 1.0))
probe["join_unix"] = round(join, 4) if join else -1
probe["join_in_window"] = bool(join and fault <= join <= start + window_s - 3.0)
changes = releases = 0
if join:
    for path in sys.argv[4:]:
        for line in open(path, errors="replace"):
            t, parts = stamp(line)
            if t is None or not join <= t <= join + 3 or len(parts) < 2:
                continue
            changes += parts[1] == "ring"
            releases += parts[1] == "vip-release"
probe["ring_changes_after_join"] = changes
probe["vip_releases_after_join"] = releases
probe["join_gap_ms"] = max((g[2] for g in probe.get("fault_gaps", []) if join and g[1] >= join), default=0.0)
print(json.dumps(probe))
