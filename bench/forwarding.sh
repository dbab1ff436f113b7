#!/usr/bin/env bash
# Forwarding benchmark: client ns -- gateway ns -- server ns, connected by veths.
# Measures iperf3 TCP throughput (1 and 4 streams) and 64-byte UDP packet rate, first through
# the Linux kernel (ip_forward + nftables with conntrack), then through one Ringwall node, in
# ONE run, and prints one JSON line on stdout (progress on stderr). Needs root, iproute2,
# iperf3, nftables, python3. Cleans up everything it created, also on failure or Ctrl-C.
#
# Usage: bench/forwarding.sh [--kernel-only] [--seconds N]
#   RINGWALL=path/to/ringwall launcher (default: the repo's ./ringwall)
set -euo pipefail

SECONDS_PER_TEST=5
KERNEL_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kernel-only) KERNEL_ONLY=1; shift ;;
    --seconds) SECONDS_PER_TEST="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RINGWALL="${RINGWALL:-$REPO/ringwall}"
NS_C="rwbC$$"; NS_G="rwbG$$"; NS_S="rwbS$$"
CLIENT_IP=10.81.1.2; GW_WAN_IP=10.81.1.1; SERVER_IP=10.81.2.2; GW_LAN_IP=10.81.2.1
PORT=5201
STARTUP_WAIT_STEPS=60        # x 0.5 s: how long the Ringwall node may take to forward
RUN_TIMEOUT=$((SECONDS_PER_TEST + 15))
TMP="$(mktemp -d /tmp/rwb-forwarding.XXXXXX)"
PIDS=()

log() { echo "[forwarding] $*" >&2; }

cleanup() {
  local pid i
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # give them 3 s to stop cleanly (ringwall exits 0 on SIGTERM), then make sure: nothing may outlive the run
  for ((i = 0; i < 30; i++)); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "$NS_C" "$NS_G" "$NS_S"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ $EUID -eq 0 ]] || { echo "run as root (network namespaces)" >&2; exit 1; }
for tool in ip iperf3 nft python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y iproute2 iperf3 nftables python3)" >&2; exit 1; }
done

in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

build_topology() {
  log "building namespaces $NS_C -- $NS_G -- $NS_S"
  for ns in "$NS_C" "$NS_G" "$NS_S"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
  ip link add rwb-c netns "$NS_C" type veth peer name rwb-gw-c netns "$NS_G"
  ip link add rwb-s netns "$NS_S" type veth peer name rwb-gw-s netns "$NS_G"
  ip -n "$NS_C" addr add "$CLIENT_IP/24" dev rwb-c
  ip -n "$NS_S" addr add "$SERVER_IP/24" dev rwb-s
  for dev in rwb-gw-c rwb-gw-s; do
    in_ns "$NS_G" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    ip -n "$NS_G" link set "$dev" up
  done
  ip -n "$NS_C" link set rwb-c up
  ip -n "$NS_S" link set rwb-s up
  ip -n "$NS_C" route add default via "$GW_WAN_IP"
  ip -n "$NS_S" route add default via "$GW_LAN_IP"
  # not through the in_ns function: $! must be the process itself, not a subshell around it
  ip netns exec "$NS_S" iperf3 -s -p "$PORT" >"$TMP/iperf3-server.log" 2>&1 &
  PIDS+=($!)
}

kernel_gateway_on() {
  log "kernel gateway: ip_forward=1, nftables forward chain with conntrack"
  ip -n "$NS_G" addr add "$GW_WAN_IP/24" dev rwb-gw-c
  ip -n "$NS_G" addr add "$GW_LAN_IP/24" dev rwb-gw-s
  in_ns "$NS_G" sysctl -qw net.ipv4.ip_forward=1
  in_ns "$NS_G" nft -f - <<NFT
table inet rwbench {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "rwb-gw-c" oifname "rwb-gw-s" tcp dport $PORT accept
    iifname "rwb-gw-c" oifname "rwb-gw-s" udp dport $PORT accept
    meta l4proto icmp accept
  }
}
NFT
}

kernel_gateway_off() {
  in_ns "$NS_G" nft delete table inet rwbench
  in_ns "$NS_G" sysctl -qw net.ipv4.ip_forward=0
  for dev in rwb-gw-c rwb-gw-s; do
    in_ns "$NS_G" sysctl -qw "net.ipv4.conf.$dev.forwarding=0"
    ip -n "$NS_G" addr flush dev "$dev"
  done
  ip -n "$NS_C" neigh flush all; ip -n "$NS_S" neigh flush all
}

ringwall_gateway_on() {
  log "ringwall gateway: forwarding=0, devices without IPs, node gw1"
  cat >"$TMP/rules.conf" <<RULES
policy drop
accept state established,related
accept in wan out lan proto tcp dport $PORT
accept in wan out lan proto udp dport $PORT
accept proto icmp
RULES
  cat >"$TMP/ringwall.toml" <<TOML
[cluster]
name = "bench"
[[nodes]]
name = "gw1"
[nodes.devices]
wan = "rwb-gw-c"
lan = "rwb-gw-s"
[[interfaces]]
name = "wan"
subnet = "10.81.1.0/24"
vips = ["$GW_WAN_IP"]
[[interfaces]]
name = "lan"
subnet = "10.81.2.0/24"
vips = ["$GW_LAN_IP"]
[filter]
rules = "rules.conf"
TOML
  [[ -x "$RINGWALL" ]] || { log "no Ringwall launcher at $RINGWALL"; return 1; }
  ip netns exec "$NS_G" "$RINGWALL" run --config "$TMP/ringwall.toml" --node gw1 >"$TMP/ringwall.log" 2>&1 &
  RINGWALL_PID=$!
  PIDS+=("$RINGWALL_PID")
}

wait_for_path() {
  local step
  for ((step = 0; step < STARTUP_WAIT_STEPS; step++)); do
    if in_ns "$NS_C" ping -c 1 -W 1 "$SERVER_IP" >/dev/null 2>&1; then return 0; fi
    if [[ -n "${RINGWALL_PID:-}" ]] && ! kill -0 "$RINGWALL_PID" 2>/dev/null; then
      log "ringwall exited early:"; tail -n 20 "$TMP/ringwall.log" >&2 || true; return 1
    fi
    sleep 0.5
  done
  log "no path from client to server"; return 1
}

# iperf3 JSON on stdin -> one number
tcp_gbps() { python3 -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'; }
udp_kpps() {
  python3 -c 'import json,sys
s = json.load(sys.stdin)["end"]["sum"]
print("%.1f" % ((s["packets"] - s["lost_packets"]) / s["seconds"] / 1e3))'
}

measure() {  # $1 = label; prints tcp1 tcp4 udp64
  local tcp1 tcp4 udp
  log "$1: TCP 1 stream, ${SECONDS_PER_TEST}s"
  tcp1=$(in_ns "$NS_C" timeout "$RUN_TIMEOUT" iperf3 -c "$SERVER_IP" -p "$PORT" -t "$SECONDS_PER_TEST" -P 1 -J | tcp_gbps)
  log "$1: TCP 4 streams, ${SECONDS_PER_TEST}s"
  tcp4=$(in_ns "$NS_C" timeout "$RUN_TIMEOUT" iperf3 -c "$SERVER_IP" -p "$PORT" -t "$SECONDS_PER_TEST" -P 4 -J | tcp_gbps)
  log "$1: UDP 64-byte, unlimited rate, ${SECONDS_PER_TEST}s"
  udp=$(in_ns "$NS_C" timeout "$RUN_TIMEOUT" iperf3 -c "$SERVER_IP" -p "$PORT" -t "$SECONDS_PER_TEST" -u -l 64 -b 0 -J | udp_kpps)
  log "$1: tcp1=${tcp1} Gbit/s tcp4=${tcp4} Gbit/s udp64=${udp} kpps"
  echo "$tcp1 $tcp4 $udp"
}

json_result() { [[ -z "$1" ]] && echo null || echo "{\"tcp1_gbps\":$1,\"tcp4_gbps\":$2,\"udp64_kpps\":$3}"; }
ratio() { python3 -c "import sys; k=float(sys.argv[2]); print('%.3f' % (float(sys.argv[1])/k) if k > 0 else 'null')" "$1" "$2"; }

build_topology
kernel_gateway_on
wait_for_path
read -r K1 K4 KU < <(measure kernel)
kernel_gateway_off

R1="" R4="" RU="" STATUS=0
if [[ $KERNEL_ONLY -eq 0 ]]; then
  if ringwall_gateway_on && wait_for_path; then
    read -r R1 R4 RU < <(measure ringwall) || STATUS=1
  else
    STATUS=1
  fi
fi

RATIO=null
if [[ -n "$R1" ]]; then
  RATIO="{\"tcp1_gbps\":$(ratio "$R1" "$K1"),\"tcp4_gbps\":$(ratio "$R4" "$K4"),\"udp64_kpps\":$(ratio "$RU" "$KU")}"
fi
echo "{\"bench\":\"forwarding\",\"seconds_per_test\":$SECONDS_PER_TEST,\"ringwall\":$(json_result "$R1" "$R4" "$RU"),\"kernel\":$(json_result "$K1" "$K4" "$KU"),\"ratio\":$RATIO}"
exit "$STATUS"
