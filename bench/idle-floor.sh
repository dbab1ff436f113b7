#!/usr/bin/env bash
# The floor under bench/idle.sh: three IdleFloorNode JVMs in network namespaces pass a token frame around a ring with
# the default timers' pattern (10 ms hop, ack at once, resend after 10 ms) over the real LinuxDriver, doing none of a
# node's work. What they cost is what the kernel, the emulated switch, the JVM and the driver charge for the token
# ring's wake-ups; bench/idle.sh's figure minus this one is the node code's share. Root only.
# Prints one JSON line on stdout:
#   {"bench":"idle-floor","warmup_s":..,"seconds":..,"loop_cpu_pct":..,"process_cpu_pct":..,"wakeups_per_s":..,
#    "us_per_wakeup":..,"nodes":[{..},{..},{..}]}   (top-level figures: medians over the three nodes)
#
# Usage: sudo bench/idle-floor.sh [warmup_s [measure_s]]   (defaults 90 and 30; FLOOR_JAVA_OPTS: more JVM options)
# Run it at the same time as `bench/idle.sh` (HOLD_S keeps that cluster up) to compare on an equally loaded host.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARMUP="${1:-90}"; SECONDS_MEASURED="${2:-30}"
[[ $EUID -eq 0 ]] || { echo "run as root (network namespaces)" >&2; exit 1; }
[[ "$WARMUP" =~ ^[0-9]+$ && "$SECONDS_MEASURED" =~ ^[0-9]+$ && "$WARMUP" -le 3600 && "$SECONDS_MEASURED" -ge 1 \
   && "$SECONDS_MEASURED" -le 600 ]] || { echo "usage: bench/idle-floor.sh [warmup_s 0..3600 [measure_s 1..600]]" >&2; exit 2; }
source "$REPO/bench/lib/benchmarks-jar.sh"
P="rwf$$"; PIDS=()
log() { echo "[idle-floor] $*" >&2; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for n in sw gw1 gw2 gw3; do ip netns del "$P-$n" 2>/dev/null || true; done
}
trap cleanup EXIT

ip netns add "$P-sw"
ip netns exec "$P-sw" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
  net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
for br in brw brl brc; do ip -n "$P-sw" link add "$br" type bridge; ip -n "$P-sw" link set "$br" up; done
for k in 1 2 3; do
  ip netns add "$P-gw$k"; ip -n "$P-gw$k" link set lo up
  for p in w:brw l:brl c:brc; do
    dev="g$k${p%%:*}"
    ip link add "$dev" netns "$P-gw$k" type veth peer name "$k${p%%:*}" netns "$P-sw"
    ip -n "$P-sw" link set "$k${p%%:*}" master "${p#*:}" up
    ip netns exec "$P-gw$k" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    ip -n "$P-gw$k" link set "$dev" up
  done
done
mac() { ip netns exec "$P-gw$1" cat "/sys/class/net/g$1c/address"; }
MAC=("" "$(mac 1)" "$(mac 2)" "$(mac 3)")
start() {  # $1 node, $2 predecessor, $3 successor, $4 starter
  ip netns exec "$P-gw$1" timeout $((WARMUP + SECONDS_MEASURED + 60)) "$JAVA_HOME/bin/java" \
    --enable-native-access=ALL-UNNAMED -XX:+UseZGC -Xss1m -Xmx1g ${FLOOR_JAVA_OPTS:-} -cp "$JAR" io.ringwall.bench.IdleFloorNode \
    "g$1w" "g$1l" "g$1c" "${MAC[$1]}" "${MAC[$2]}" "${MAC[$3]}" "$4" >"/tmp/$P-gw$1.log" 2>&1 &
  PIDS+=($!)
}
start 1 3 2 true; start 2 1 3 false; start 3 2 1 false
log "three floor nodes started; warming up ${WARMUP}s, then measuring ${SECONDS_MEASURED}s"
sleep "$WARMUP"
python3 - "$SECONDS_MEASURED" "$WARMUP" "${PIDS[@]}" <<'EOF'
import json, os, statistics, sys, time
seconds, warmup, launchers = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
def java_pid(launcher):  # ip netns exec and timeout exec or fork: the JVM is the launcher or its descendant
    todo = [launcher]
    while todo:
        pid = todo.pop()
        if open(f"/proc/{pid}/comm").read().strip() == "java":
            return pid
        for t in os.listdir(f"/proc/{pid}/task"):
            todo += open(f"/proc/{pid}/task/{t}/children").read().split()
    raise SystemExit(f"no JVM under {launcher}")
def loop_tid(pid):  # the driver loop: the thread named "java" (the main thread) that used the most CPU
    tids = [t for t in os.listdir(f"/proc/{pid}/task") if open(f"/proc/{pid}/task/{t}/comm").read().strip() == "java"]
    return max(tids, key=lambda t: int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0]))
def sample(pid, tid):
    run_ns, _, wakes = map(int, open(f"/proc/{pid}/task/{tid}/schedstat").read().split())
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return run_ns, wakes, int(stat[11]) + int(stat[12])  # utime + stime, clock ticks
nodes = [(p, loop_tid(p)) for p in map(java_pid, launchers)]
before = [sample(p, t) for p, t in nodes]
time.sleep(seconds)
after = [sample(p, t) for p, t in nodes]
hz = os.sysconf("SC_CLK_TCK")
out = []
for (b_ns, b_w, b_t), (a_ns, a_w, a_t) in zip(before, after):
    wakes = (a_w - b_w) / seconds
    out.append({"loop_cpu_pct": round((a_ns - b_ns) / seconds / 1e7, 3), "wakeups_per_s": round(wakes, 1),
                "us_per_wakeup": round((a_ns - b_ns) / max(1, a_w - b_w) / 1e3, 1),
                "process_cpu_pct": round((a_t - b_t) / hz / seconds * 100, 2)})
med = lambda k: statistics.median(n[k] for n in out)
print(json.dumps({"bench": "idle-floor", "warmup_s": warmup, "seconds": seconds,
                  **{k: med(k) for k in ("loop_cpu_pct", "process_cpu_pct", "wakeups_per_s", "us_per_wakeup")},
                  "nodes": out}))
EOF
