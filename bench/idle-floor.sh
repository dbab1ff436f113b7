#!/usr/bin/env bash
# The floor under bench/idle.sh: three IdleFloorNode JVMs in network namespaces pass a token frame around a ring with
# the default timers' pattern (10 ms hop, ack at once, resend after 10 ms) over the real LinuxDriver, doing none of a
# node's work. What they cost is what the kernel, the emulated switch, the JVM and the driver charge for the token
# ring's wake-ups; bench/idle.sh's figure minus this one is the node code's share. Root only.
# Topology: the three-node cluster of bench/failover.sh (bench/lib/cluster.sh) in fresh namespaces (rwf<PID>-*);
# everything is removed on exit, also on failure or Ctrl-C.
# Prints one JSON line on stdout (bench/lib/loop-cpu.py; top-level figures: medians over the three nodes):
#   {"bench":"idle-floor","warmup_s":..,"seconds":..,"loop_cpu_pct":..,"process_cpu_pct":..,"wakeups_per_s":..,
#    "us_per_wakeup":..,"nodes":[{..},{..},{..}]}
#
# Usage: sudo bench/idle-floor.sh [warmup_s [measure_s]]   (defaults 90 and 30; FLOOR_JAVA_OPTS: more JVM options)
# Run it at the same time as `bench/idle.sh` (HOLD_S keeps that cluster up) to compare on an equally loaded host;
# `python3 bench/lib/loop-cpu.py SECONDS PID...` takes the same figures of any running nodes.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARMUP="${1:-90}"; SECONDS_MEASURED="${2:-30}"
[[ "$WARMUP" =~ ^[0-9]+$ && "$SECONDS_MEASURED" =~ ^[0-9]+$ && "$WARMUP" -le 3600 && "$SECONDS_MEASURED" -ge 1 \
   && "$SECONDS_MEASURED" -le 600 ]] || { echo "usage: bench/idle-floor.sh [warmup_s 0..3600 [measure_s 1..600]]" >&2; exit 2; }
LIB="$REPO/bench/lib"
P="rwf$$"
CLIENT=10.96.1.10; SERVER=10.96.2.10
WAN_VIP=10.96.1.1; LAN_VIP=10.96.2.1
NET=10.96; BENCH=idle-floor
TMP="$(mktemp -d /tmp/rwf-idle-floor.XXXXXX)"
source "$LIB/cluster.sh"
bench_setup ip python3
source "$LIB/benchmarks-jar.sh"

build_topology ringwall
mac() { ip netns exec "$(ns_of "$1")" cat "/sys/class/net/g$1c/address"; }
MAC=("" "$(mac 1)" "$(mac 2)" "$(mac 3)")
FLOOR_PIDS=()
start() {  # $1 node, $2 predecessor, $3 successor, $4 starter
  ip netns exec "$(ns_of "$1")" timeout $((WARMUP + SECONDS_MEASURED + 60)) "$JAVA_HOME/bin/java" \
    --enable-native-access=ALL-UNNAMED -XX:+UseZGC -Xss1m -Xmx1g ${FLOOR_JAVA_OPTS:-} -cp "$JAR" \
    io.ringwall.bench.IdleFloorNode "g$1w" "g$1l" "g$1c" "${MAC[$1]}" "${MAC[$2]}" "${MAC[$3]}" "$4" \
    >"$TMP/gw$1.log" 2>&1 &
  FLOOR_PIDS+=($!)
  OTHER_PIDS+=($!)
}
start 1 3 2 true; start 2 1 3 false; start 3 2 1 false
log "three floor nodes started; warming up ${WARMUP}s, then measuring ${SECONDS_MEASURED}s"
sleep "$WARMUP"
python3 "$LIB/loop-cpu.py" "$SECONDS_MEASURED" "${FLOOR_PIDS[@]}" \
  | sed "s/^{/{\"bench\": \"idle-floor\", \"warmup_s\": $WARMUP, \"seconds\": $SECONDS_MEASURED, /"
