#!/usr/bin/env bash
# Defer benchmark: how much latency `sync strict` (SPEC §5.6: the first packet of a new flow waits until every
# other member has acknowledged the flow) adds to a new TCP connection on the real three-node cluster.
#
# Topology: the cluster of bench/failover.sh (bench/lib/cluster.sh) in fresh namespaces (rwd<PID>-*), default
# timers, active/standby. Two rules let client-to-server TCP through: port 7201 with `sync strict`, port 7202
# without (async). The client connects --rounds times to each port in turn (a connect, 2 ms pause, the other
# port), timing connect(): SYN out to SYN-ACK back through the VIP holder. The difference of the medians is what
# defer adds; the VIP holder's defer counters (GET /v1/status) show the SYNs were in fact held and released by
# the peers' acks rather than by the timeout.
#
# Prints progress on stderr and ONE JSON line on stdout:
#   {"bench":"defer","rounds":N,"strict_connect_ms_p50":..,"strict_connect_ms_p90":..,"async_connect_ms_p50":..,
#    "async_connect_ms_p90":..,"defer_added_ms_p50":..,"failed":..,"holder_defer":{"deferred":..,
#    "released_by_ack":..,"released_by_timeout":..,"released_unsynced":..}}
# Root only; everything is removed on exit, also on failure or Ctrl-C.
#
# Usage: bench/defer.sh [--rounds N]   (default 500, at most 20000)
set -euo pipefail

ROUNDS=500
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -ge 1 && "$ROUNDS" -le 20000 ]] || { echo "--rounds must be 1..20000" >&2; exit 64; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$REPO/bench/lib"
P="rwd$$"
CLIENT=10.96.1.10; SERVER=10.96.2.10
WAN_VIP=10.96.1.1; LAN_VIP=10.96.2.1
NET=10.96; BENCH=defer
READY_STEPS=300
TMP="$(mktemp -d /tmp/rwd-defer.XXXXXX)"
source "$LIB/cluster.sh"
bench_setup ip python3
STRICT_PORT=7201; ASYNC_PORT=7202

snapshot_launcher
build_topology ringwall
write_ringwall_config ""
printf 'policy drop\naccept state established,related\naccept in wan out lan proto tcp dport %s sync strict\naccept in wan out lan\naccept proto icmp\n' \
  "$STRICT_PORT" >"$TMP/rules.conf"
for k in $(seq 1 $NODES); do start_node "$k"; done
rw_wait_ready
owner="$(rw_owner)"
log "cluster ready, VIP holder gw$owner; $ROUNDS connects to each port"
ip netns exec "$NS_S" timeout $((ROUNDS / 20 + 120)) python3 "$LIB/defer-listen.py" "$SERVER" $((ROUNDS / 20 + 100)) \
  "$STRICT_PORT" "$ASYNC_PORT" >"$TMP/listen.log" 2>&1 &
OTHER_PIDS+=($!)
sleep 0.5
# a few unmeasured rounds first: ARP, the JIT
ip netns exec "$NS_C" timeout 60 python3 "$LIB/defer-connect.py" "$SERVER" 50 "$STRICT_PORT" "$ASYNC_PORT" >/dev/null
ip netns exec "$NS_C" timeout $((ROUNDS / 10 + 60)) python3 "$LIB/defer-connect.py" "$SERVER" "$ROUNDS" \
  "$STRICT_PORT" "$ASYNC_PORT" >"$TMP/times.json"
ip netns exec "$(ns_of "$owner")" python3 -c '
import json, urllib.request as u
print(json.dumps(json.load(u.urlopen("http://127.0.0.1:7480/v1/status", timeout=5))["defer"]))' >"$TMP/defer.json"
python3 - "$TMP/times.json" "$TMP/defer.json" "$ROUNDS" "$STRICT_PORT" "$ASYNC_PORT" <<'PY'
import json, sys
times, defer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rounds, strict, asy = int(sys.argv[3]), times[sys.argv[4]], times[sys.argv[5]]
def pct(xs, q):  # nearest rank
    xs = sorted(xs)
    return round(xs[max(0, min(len(xs) - 1, int(round(q / 100.0 * len(xs) + 0.5)) - 1))], 3) if xs else None
out = {"bench": "defer", "rounds": rounds,
       "strict_connect_ms_p50": pct(strict, 50), "strict_connect_ms_p90": pct(strict, 90),
       "async_connect_ms_p50": pct(asy, 50), "async_connect_ms_p90": pct(asy, 90),
       "defer_added_ms_p50": round(pct(strict, 50) - pct(asy, 50), 3) if strict and asy else None,
       "failed": times["failed"],
       "holder_defer": {k: defer.get(k) for k in ("deferred", "released_by_ack", "released_by_timeout", "released_unsynced")}}
print(json.dumps(out))
PY
