#!/usr/bin/env bash
# Idle cost of the node code alone, in one process: three GatewayNodes on an in-memory wire and a virtual clock
# (IdleBenchmark). No kernel, no system calls, no JVM background threads; bench/idle.sh measures the real cluster.
# Prints one JSON line on stdout:
#   {"bench":"idle-core","cold":..,"warmup_s":..,"seconds":..,"default":{"cpu_pct_per_node":..,"cpu_us_per_hop":..,..},"fast":{..}}
#
# Usage: bench/idle-core.sh [--cold] [warmup_s [measure_s]]   (virtual seconds, defaults 300 and 300; about 10 s of
# wall time). --cold evicts the L1/L2 caches between turns, as a real node's ~100 wakeups a second find them.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/bench/lib/benchmarks-jar.sh"
exec timeout 300 "$JAVA_HOME/bin/java" -XX:+UseZGC -cp "$JAR" io.ringwall.bench.IdleBenchmark "$@"
