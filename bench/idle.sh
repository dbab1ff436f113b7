#!/usr/bin/env bash
# Idle benchmark: what does a healthy three-node Ringwall cluster cost when no traffic passes?
#
# Topology: the three-node cluster of bench/failover.sh (bench/lib/cluster.sh) in fresh namespaces (rwi<PID>-*).
# For each profile the three nodes are started, the script waits for a full ring with a VIP owner and a path,
# lets the JVMs warm up for --warmup seconds (the JIT compiles the token path), then takes --samples windows of
# --seconds each of gw1's JVM (bench/lib/thread-cpu.py): process CPU from /proc/PID/stat utime+stime (the figure
# bench/failover.sh reports) and per-thread CPU from /proc/PID/task/*/schedstat, plus rx+tx bytes/s of gw1's
# cluster veth. All CPU figures are percent of ONE core; the machine's other load does not count (CPU time,
# not wall-clock), but a busy host still adds some (cache misses, scheduling).
#
# Profiles: default (token_hop_ms 10, token_ack_timeout_ms 30) and fast (2 / 5), both with ringwall run's default
# --loop-priority fifo, as in failover.sh (LOOP_PRIORITY=nice in the environment overrides it).
#
# Prints progress on stderr and ONE JSON line on stdout:
#   {"bench":"idle","warmup_s":..,"seconds":..,"samples":..,"default":{"cpu_pct":MEDIAN,"cpu_pct_samples":[..],
#    "bytes_per_s":MEDIAN,"threads":{name: median pct, ...}},"fast":{...}}
# Root only; everything is removed on exit, also on failure or Ctrl-C.
#
# Usage: bench/idle.sh [--profile default|fast|both] [--warmup S] [--seconds S] [--samples N]
#   defaults: both, warmup 70, seconds 10, samples 3. HOLD_S=N keeps the cluster up N more seconds after the
#   samples (gw1's PID is logged) for strace/perf/jcmd by hand. RINGWALL=path/to/ringwall runs that launcher
#   (e.g. a build of another commit) instead of a snapshot of this checkout's; two runs at once (one per build)
#   share the host's load, which is the fair way to compare builds on a busy machine.
set -euo pipefail

PROFILES="default fast"
WARMUP_S=70
IDLE_S=10
SAMPLES=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) case "$2" in both) PROFILES="default fast" ;; default|fast) PROFILES="$2" ;;
               *) echo "--profile must be default, fast or both" >&2; exit 64 ;; esac; shift 2 ;;
    --warmup) WARMUP_S="$2"; shift 2 ;;
    --seconds) IDLE_S="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
for v in "$WARMUP_S" "$IDLE_S" "$SAMPLES"; do
  [[ "$v" =~ ^[0-9]+$ && "$v" -le 3600 ]] || { echo "--warmup/--seconds/--samples must be 0..3600" >&2; exit 64; }
done
[[ "$IDLE_S" -ge 1 && "$SAMPLES" -ge 1 ]] || { echo "--seconds and --samples must be at least 1" >&2; exit 64; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$REPO/bench/lib"
P="rwi$$"
CLIENT=10.95.1.10; SERVER=10.95.2.10
WAN_VIP=10.95.1.1; LAN_VIP=10.95.2.1
NET=10.95; BENCH=idle
READY_STEPS=300               # x 0.1 s: how long the started cluster may take to be whole
TMP="$(mktemp -d /tmp/rwi-idle.XXXXXX)"
source "$LIB/cluster.sh"
bench_setup ip python3 ping

if [[ -n "${RINGWALL:-}" ]]; then
  LAUNCHER="$RINGWALL"
  log "using $LAUNCHER ($("$LAUNCHER" --version))"
else
  snapshot_launcher
fi

cluster_bytes() {  # rx + tx bytes of gw1's cluster veth
  local rx tx
  read -r rx tx < <(ip netns exec "$(ns_of 1)" sh -c 'cat /sys/class/net/g1c/statistics/rx_bytes /sys/class/net/g1c/statistics/tx_bytes' | paste -sd' ')
  echo $((rx + tx))
}

measure() {  # $1 = profile, $2 = extra [cluster] lines; writes $TMP/idle.$1.json
  local profile="$1" i b0 b1 k
  log "== $profile: starting three nodes"
  build_topology ringwall
  write_ringwall_config "$2"
  NODE_START=()
  for k in $(seq 1 $NODES); do start_node "$k"; done
  rw_wait_ready
  log "  ring whole, VIP owner gw$(rw_owner); warming up ${WARMUP_S}s (gw1 pid ${NODE_PID[1]})"
  sleep "$WARMUP_S" & wait $!  # (in the background, so Ctrl-C / SIGTERM clean up at once)
  : >"$TMP/samples.$profile"
  for ((i = 1; i <= SAMPLES; i++)); do
    b0="$(cluster_bytes)"
    python3 "$LIB/thread-cpu.py" "${NODE_PID[1]}" "$IDLE_S" >"$TMP/sample.json"
    b1="$(cluster_bytes)"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["bytes_per_s"]=round((int(sys.argv[3])-int(sys.argv[2]))/d["seconds"]); print(json.dumps(d))' \
      "$TMP/sample.json" "$b0" "$b1" | tee -a "$TMP/samples.$profile" | sed "s/^/[idle]   $profile sample $i: /" >&2
  done
  rw_full_ring || log "  WARNING: the ring was not whole at the end of the samples"
  if [[ -n "${HOLD_S:-}" ]]; then
    log "  holding the cluster ${HOLD_S}s: gw1 pid ${NODE_PID[1]}, gw2 ${NODE_PID[2]}, gw3 ${NODE_PID[3]}"
    sleep "$HOLD_S" & wait $!
  fi
  python3 - "$TMP/samples.$profile" >"$TMP/idle.$profile.json" <<'EOF'
import json, statistics, sys
samples = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = lambda xs: round(statistics.median(xs), 2)
names = {n for s in samples for n in s["threads"]}
threads = {n: med([s["threads"].get(n, 0.0) for s in samples]) for n in names}
print(json.dumps({"cpu_pct": med([s["cpu_pct"] for s in samples]),
                  "cpu_pct_samples": [s["cpu_pct"] for s in samples],
                  "cpu_pct_threads": med([s["cpu_pct_threads"] for s in samples]),
                  "bytes_per_s": round(statistics.median([s["bytes_per_s"] for s in samples])),
                  "threads": dict(sorted(((n, v) for n, v in threads.items() if v >= 0.05), key=lambda kv: -kv[1]))}))
EOF
  destroy_topology
}

for profile in $PROFILES; do
  case "$profile" in
    default) measure default "" ;;
    fast) measure fast "token_hop_ms = 2\ntoken_ack_timeout_ms = 5" ;;
  esac
done

python3 - "$TMP" "$WARMUP_S" "$IDLE_S" "$SAMPLES" $PROFILES <<'EOF'
import json, sys
tmp, warmup, secs, samples, profiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
out = {"bench": "idle", "warmup_s": warmup, "seconds": secs, "samples": samples}
for p in profiles:
    out[p] = json.load(open(f"{tmp}/idle.{p}.json"))
print(json.dumps(out))
EOF
