#!/usr/bin/env bash
# Soak benchmark: does a healthy three-node Ringwall cluster stay put under full forwarding load?
#
# Topology (the same as bench/failover.sh): a "switch" namespace with three bridges (wan, lan, cluster),
# a client on wan, an iperf3 server on lan, and three gateway namespaces gw1..gw3 running `ringwall run`,
# each with one veth into every bridge. Once the ring has all three members and a single node owns both
# VIPs, the client runs `iperf3 -c SERVER -t N -P 4` (TCP) through the VIPs for N seconds.
#
# No fault is injected, so every ring or VIP change logged AFTER the load started is spurious. The node
# logs are cut at the line count they had when the load started; from the rest the script counts
#   spurious_failovers  vip-takeover lines (one per VIP per taking node)
#   vip_moves           vip-takeover + vip-release lines (every VIP ownership event)
#   ring_changes        distinct ring states (epoch, members, quorum) among the `ring ...` lines of all nodes
#                       (every node logs the same change, so lines are de-duplicated by state)
#   stalls              `stall ...` lines (a node that was not run for longer than the quorum window)
#   vips_moved          takeovers by a node other than the VIP's owner before it: the VIP answered elsewhere.
#                       spurious_failovers minus this is the owner itself releasing its VIPs and taking them
#                       back (its quorum window lapsed for a moment and then the token came round again)
#   slow_cycles         loop cycles of 3 ms or more (`driver.slow_cycle` lines and the counts they carry)
#
# Prints progress on stderr and ONE JSON line on stdout. Root only; only its own namespaces (rws<PID>-*)
# carry traffic; everything is removed on exit, also on failure or Ctrl-C.
#
# Usage: bench/soak.sh [--profile default|fast] [--seconds N]
#   --profile  fast (default): token_hop_ms 2, token_ack_timeout_ms 5; default: 10 / 30; both with ringwall run's
#   default --loop-priority fifo (LOOP_PRIORITY=nice|fifo in the environment overrides it)
#   --seconds  load duration, 1..3600 (default 300)
# NETDEV_BUDGET=N in the environment sets the host's net.core.netdev_budget (packets one softirq round may process;
# kernel default 300) for the run and restores the old value on exit. Why: the emulated switch (veth, bridge, the
# receivers' stacks) is processed in softirq context, often inside a gateway's own sendmsg(2), and with 64 KB GSO
# packets 300 of them can hold a SCHED_FIFO loop for several milliseconds (docs/linux-driver.md). The JSON names the
# value used ("netdev_budget").
set -euo pipefail

PROFILE=fast
SECONDS_LOAD=300
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --seconds) SECONDS_LOAD="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[[ "$PROFILE" == fast || "$PROFILE" == default ]] || { echo "--profile must be default or fast" >&2; exit 64; }
[[ "$SECONDS_LOAD" =~ ^[0-9]+$ && "$SECONDS_LOAD" -ge 1 && "$SECONDS_LOAD" -le 3600 ]] ||
  { echo "--seconds must be 1..3600" >&2; exit 64; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
P="rws$$"
CLIENT=10.94.1.10; SERVER=10.94.2.10
WAN_VIP=10.94.1.1; LAN_VIP=10.94.2.1
NET=10.94; BENCH=soak
IPERF_PORT=5201
IPERF_GRACE_S=30              # iperf3 connect + final report on top of --seconds, before timeout kills it
READY_STEPS=300               # x 0.1 s: how long the started cluster may take to be whole
TMP="$(mktemp -d /tmp/rws-soak.XXXXXX)"
# the topology and cluster helpers (shared with failover.sh and idle.sh), its exit trap and tool check
source "$REPO/bench/lib/cluster.sh"
bench_setup ip python3 ping iperf3 timeout sysctl
NETDEV_BUDGET_USED="$(sysctl -n net.core.netdev_budget)"
if [[ -n "${NETDEV_BUDGET:-}" ]]; then
  [[ "$NETDEV_BUDGET" =~ ^[0-9]+$ && "$NETDEV_BUDGET" -ge 1 && "$NETDEV_BUDGET" -le 100000 ]] ||
    { echo "NETDEV_BUDGET must be 1..100000" >&2; exit 64; }
  OLD_NETDEV_BUDGET="$NETDEV_BUDGET_USED"
  trap 'rc=$?; sysctl -qw net.core.netdev_budget="$OLD_NETDEV_BUDGET"; (exit $rc); bench_cleanup' EXIT
  sysctl -qw net.core.netdev_budget="$NETDEV_BUDGET"
  NETDEV_BUDGET_USED="$NETDEV_BUDGET"
  log "net.core.netdev_budget $OLD_NETDEV_BUDGET -> $NETDEV_BUDGET for this run"
fi

# --- snapshot of the launcher ---------------------------------------------------------------------------
snapshot_launcher

# --- main ----------------------------------------------------------------------------------------------
case "$PROFILE" in
  fast) CLUSTER_EXTRA="token_hop_ms = 2\ntoken_ack_timeout_ms = 5"; ;;
  default) CLUSTER_EXTRA="token_hop_ms = 10\ntoken_ack_timeout_ms = 30" ;;
esac
log "profile $PROFILE, load ${SECONDS_LOAD}s; starting three nodes"
build_topology ringwall
write_ringwall_config "$CLUSTER_EXTRA"
for k in $(seq 1 $NODES); do start_node "$k"; done
ip netns exec "$NS_S" iperf3 -s -p "$IPERF_PORT" >"$TMP/iperf3-server.log" 2>&1 &
OTHER_PIDS+=($!)
rw_wait_ready
START_OWNER="$(rw_owner)"
log "ring whole, VIP owner gw$START_OWNER; load starts"

# the load starts here: every node-log line after these counts is spurious
for k in $(seq 1 $NODES); do
  wc -l <"${NODE_LOG[k]}" >"$TMP/gw$k.start-lines"
  echo "${NODE_LOG[k]}" >"$TMP/gw$k.log-path"
done
timeout $((SECONDS_LOAD + IPERF_GRACE_S)) ip netns exec "$NS_C" \
  iperf3 -c "$SERVER" -p "$IPERF_PORT" -t "$SECONDS_LOAD" -P 4 -J >"$TMP/iperf3-client.json" 2>"$TMP/iperf3-client.err" ||
  log "iperf3 client failed (rc $?): $(head -c 300 "$TMP/iperf3-client.err") $(grep -m1 '"error"' "$TMP/iperf3-client.json" || true)"
for k in $(seq 1 $NODES); do
  kill -0 "${NODE_PID[k]}" 2>/dev/null || log "WARNING: gw$k is no longer running; last lines: $(tail -3 "${NODE_LOG[k]}")"
done
log "load done, VIP owner now gw$(rw_owner)"

python3 - "$TMP" "$PROFILE" "$SECONDS_LOAD" "$NODES" "$START_OWNER" "$NETDEV_BUDGET_USED" <<'EOF'
import json, os, re, sys
tmp, profile, seconds, nodes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
netdev_budget = int(sys.argv[6])
start_owner = int(sys.argv[5]) if sys.argv[5].isdigit() else None
try:
    res = json.load(open(os.path.join(tmp, "iperf3-client.json")))
    gbps = round(res["end"]["sum_received"]["bits_per_second"] / 1e9, 3)
except (OSError, ValueError, KeyError):
    gbps = None  # iperf3 failed or was killed: no throughput figure rather than a made-up one
takeovers = releases = stalls = moved = slow = 0
ring_states = set()
ring_re = re.compile(r"\bring (epoch=\d+ members=\[[^\]]*\] quorum=\w+)")
more_re = re.compile(r"; (\d+) more slow cycles")
events = []  # (timestamp, node, line): every node's lines after the load started, merged in time order
for k in range(1, nodes + 1):
    start = int(open(os.path.join(tmp, f"gw{k}.start-lines")).read().strip())
    log_path = open(os.path.join(tmp, f"gw{k}.log-path")).read().strip()
    lines = open(log_path, errors="replace").read().splitlines()[start:]
    events += [(line.split(" ", 1)[0], k, line) for line in lines]
owner = {}  # VIP -> node that took it last (the load starts with START_OWNER holding every VIP)
for _, k, line in sorted(events):
    if " vip-takeover " in line:
        takeovers += 1
        vip = re.search(r"vip=(\S+)", line).group(1)
        if owner.get(vip, start_owner) != k:
            moved += 1
        owner[vip] = k
    elif " vip-release " in line:
        releases += 1
    elif " stall " in line:
        stalls += 1
    elif " driver.slow_cycle " in line:
        m = more_re.search(line)
        slow += 1 + (int(m.group(1)) if m else 0)
    m = ring_re.search(line)
    if m:
        ring_states.add(m.group(1))
print(json.dumps({"bench": "soak", "profile": profile, "seconds": seconds, "throughput_gbps": gbps,
                  "spurious_failovers": takeovers, "ring_changes": len(ring_states),
                  "vip_moves": takeovers + releases, "stalls": stalls, "vips_moved": moved, "slow_cycles": slow,
                  "netdev_budget": netdev_budget}))
EOF
