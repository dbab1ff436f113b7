#!/usr/bin/env bash
# Flow replication benchmark, in one process: three GatewayNodes joined by an in-memory wire that counts the
# sealed UDP payload of every cluster packet (SyncBenchmark). Prints one JSON line on stdout:
#   {"bench":"sync","creates_per_s":…,"bytes_per_create":…,"bytes_per_update":…,"bulk_1m_s":…, …}
# Every phase is bounded (20 s); a phase that runs out says so on stderr and reports what it reached.
# Active/standby: node 1 holds the VIP group and so owns every flow bucket; backup_count 2 (every other node backs
# up every bucket), so the joining node 3 must receive all 1M flows.
#
# Usage: bench/sync.sh [creates [warmup]]   (defaults 200000 and 100000: flows created and answered before the
# measured phases, so they run compiled code; the bulk phase always fills node 1 to 1M flows, warm-up included)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$REPO/bench/lib/benchmarks-jar.sh"
# three nodes with 2^20-slot active and standby stores each: about 1.2 GB of flow tables
exec timeout 180 "$JAVA_HOME/bin/java" -Xms4g -Xmx6g -XX:+UseParallelGC -cp "$JAR" io.ringwall.bench.SyncBenchmark "${1:-200000}" "${2:-100000}"
