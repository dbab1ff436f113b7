#!/usr/bin/env bash
# The three-node cluster of the bench scripts (failover.sh, idle.sh, soak.sh): sourced, not run.
# The caller sets: REPO TMP P (the prefix of its namespaces) NET (e.g. 10.93) CLIENT SERVER WAN_VIP LAN_VIP
# READY_STEPS and BENCH (its name: the log tag, the cluster name and secret), then calls bench_setup TOOLS...
# Set here: LIB (this folder, for the python helpers) unless the caller did, SW NS_C NS_S NODES, the arrays
# NODE_PID NODE_LOG NODE_START and OTHER_PIDS, the nodes' default RINGWALL_JAVA_OPTS, log() and ns_of().
LIB="${LIB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
SW="$P-sw"; NS_C="$P-c"; NS_S="$P-s"
NODES=3
declare -a NODE_PID NODE_LOG NODE_START
OTHER_PIDS=()
export RINGWALL_JAVA_OPTS="${RINGWALL_JAVA_OPTS:--XX:+UseZGC -Xmx1g}"

# The UDP prober and its echo server run SCHED_FIFO 5 (below the Ringwall loop's 10): under load a normal-priority
# prober on this 2-core host was itself descheduled for 5-10 ms, and that showed up as a gap of the cluster (the
# same for keepalived). PROBE_RT=0 runs them at normal priority, as before. -R (reset on fork): the fault command
# the prober starts runs at normal priority. Without it, the `ringwall close` of a drain (a Python HTTP client, tens
# of ms of start-up CPU) ran at FIFO 5 and starved nice -10 loops (then the default profile's) for up to 81 ms: the
# drained owner missed its token acks, was removed, and the drain turned into a 51-281 ms failover.
if [[ "${PROBE_RT:-1}" != 0 ]] && command -v chrt >/dev/null; then PROBE_PRIO=(chrt -f -R 5); else PROBE_PRIO=(); fi

log() { echo "[$BENCH] $*" >&2; }
ns_of() { echo "$P-g$1"; }

# The exit trap (every process in our namespaces killed, the namespaces deleted; TMP kept on failure or with
# KEEP_TMP=1), the check for root and for the tools named.
bench_setup() {
  local tool
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  [[ $EUID -eq 0 ]] || { echo "run as root (network namespaces)" >&2; exit 1; }
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
  done
}

bench_cleanup() {
  local rc=$?
  destroy_topology
  if [[ $rc -ne 0 || -n "${KEEP_TMP:-}" ]]; then echo "[$BENCH] logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
}

snapshot_launcher() {  # a copy of the launcher and the built jars, so no rebuild can start in the middle of a run
  log "building Ringwall once (./ringwall --version)"
  "$REPO/ringwall" --version >&2
  mkdir -p "$TMP/rw/ringwall-app/target"
  cp "$REPO/ringwall" "$TMP/rw/"
  cp -r "$REPO/ringwall-app/target/ringwall-app.jar" "$REPO/ringwall-app/target/lib" "$TMP/rw/ringwall-app/target/"
  touch "$TMP/rw/ringwall-app/target/ringwall-app.jar"
  LAUNCHER="$TMP/rw/ringwall"
}

our_namespaces() { echo "$(ns_of 1) $(ns_of 2) $(ns_of 3) $NS_C $NS_S $SW"; }

destroy_topology() {  # kills every process inside one of OUR namespaces (by pid), then deletes the namespaces
  local ns pid
  for ns in $(our_namespaces); do
    ip netns list 2>/dev/null | grep -qw "$ns" || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  for pid in "${NODE_PID[@]}" "${OTHER_PIDS[@]}"; do [[ -n "$pid" ]] && { wait "$pid"; } 2>/dev/null || true; done
  NODE_PID=(); OTHER_PIDS=()
  for ns in $(our_namespaces); do ip netns del "$ns" 2>/dev/null || true; done
}

build_topology() {  # $1 = kernel (addresses + ip_forward) or ringwall (bare devices)
  local mode="$1" k p dev
  ip netns add "$SW"; ip netns add "$NS_C"; ip netns add "$NS_S"
  for br in brw brl brc; do ip -n "$SW" link add "$br" type bridge; ip -n "$SW" link set "$br" up; done
  # The switch only switches: where br_netfilter is loaded (Docker loads it) every bridged frame also went through
  # iptables and conntrack in the switch's namespace, CPU a real switch does not take from the gateways' host.
  ip netns exec "$SW" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
    net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
  ip link add c0 netns "$NS_C" type veth peer name swc netns "$SW"
  ip link add s0 netns "$NS_S" type veth peer name sws netns "$SW"
  ip -n "$SW" link set swc master brw up; ip -n "$SW" link set sws master brl up
  ip -n "$NS_C" addr add "$CLIENT/24" dev c0; ip -n "$NS_S" addr add "$SERVER/24" dev s0
  for ns in "$NS_C" "$NS_S"; do ip -n "$ns" link set lo up; done
  ip -n "$NS_C" link set c0 up; ip -n "$NS_S" link set s0 up
  ip -n "$NS_C" route add default via "$WAN_VIP"; ip -n "$NS_S" route add default via "$LAN_VIP"
  for k in $(seq 1 $NODES); do
    ip netns add "$(ns_of "$k")"
    ip -n "$(ns_of "$k")" link set lo up
    for p in w:brw l:brl c:brc; do
      dev="g$k${p%%:*}"
      ip link add "$dev" netns "$(ns_of "$k")" type veth peer name "$k${p%%:*}" netns "$SW"
      ip -n "$SW" link set "$k${p%%:*}" master "${p#*:}" up
      ip netns exec "$(ns_of "$k")" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
      ip -n "$(ns_of "$k")" link set "$dev" up
    done
    if [[ "$mode" == kernel ]]; then
      ip netns exec "$(ns_of "$k")" sysctl -qw net.ipv4.ip_forward=1
      ip -n "$(ns_of "$k")" addr add "$NET.1.$((100 + k))/24" dev "g${k}w"
      ip -n "$(ns_of "$k")" addr add "$NET.2.$((100 + k))/24" dev "g${k}l"
      ip -n "$(ns_of "$k")" addr add "$NET.9.$k/24" dev "g${k}c"
    else
      ip netns exec "$(ns_of "$k")" sysctl -qw net.ipv4.ip_forward=0
    fi
  done
  ip netns exec "$NS_S" "${PROBE_PRIO[@]}" python3 "$LIB/failover-echo.py" "$SERVER" 600 >"$TMP/echo.log" 2>&1 &
  OTHER_PIDS+=($!)
}

write_ringwall_config() {  # $1 = extra [cluster] lines
  local k f="$TMP/ringwall.toml"
  printf '[cluster]\nname = "%s"\nsecret_file = "cluster.key"\n%b\n' "$BENCH" "$1" >"$f"
  for k in $(seq 1 $NODES); do
    cat >>"$f" <<EOF
[[nodes]]
name = "gw$k"
[nodes.devices]
wan = "g${k}w"
lan = "g${k}l"
cluster = "g${k}c"
[nodes.addresses]
wan = "$NET.1.$((100 + k))"
lan = "$NET.2.$((100 + k))"
cluster = "$NET.9.$k"

EOF
  done
  cat >>"$f" <<EOF
[[interfaces]]
name = "wan"
subnet = "$NET.1.0/24"
vips = ["$WAN_VIP"]

[[interfaces]]
name = "lan"
subnet = "$NET.2.0/24"
vips = ["$LAN_VIP"]

[[interfaces]]
name = "cluster"
subnet = "$NET.9.0/24"

[filter]
rules = "rules.conf"
EOF
  printf 'policy drop\naccept state established,related\naccept in wan out lan\naccept proto icmp\n' >"$TMP/rules.conf"
  echo "$BENCH-bench-secret-0123456789abcdef" >"$TMP/cluster.key"
}

start_node() {  # $1 = node; LOOP_PRIORITY (nice|fifo, default fifo as in ringwall run) = the nodes' --loop-priority; RINGWALL_RUN_ARGS: more run options (e.g. --warmup-flows 0); each start logs to a fresh file so an old instance's lines never count
  local k="$1"
  NODE_START[k]=$(( ${NODE_START[k]:-0} + 1 ))
  NODE_LOG[k]="$TMP/gw$k.${NODE_START[k]}.log"
  (cd "$TMP" && exec ip netns exec "$(ns_of "$k")" "$LAUNCHER" run --config "$TMP/ringwall.toml" --node "gw$k" \
    --loop-priority "${LOOP_PRIORITY:-fifo}" ${RINGWALL_RUN_ARGS:-}) \
    >"${NODE_LOG[k]}" 2>&1 &
  NODE_PID[k]=$!
}

rw_holders() {  # the nodes whose current log last took VIP $1 over (and did not release it since)
  local k last
  for k in $(seq 1 $NODES); do
    kill -0 "${NODE_PID[k]}" 2>/dev/null || continue
    last="$(grep -oE "vip-(takeover|release) vip=$1\b" "${NODE_LOG[k]}" | tail -1 || true)"
    [[ "$last" == vip-takeover* ]] && echo "$k"
  done
  return 0
}

rw_owner() {  # the single owner of both VIPs; empty while there is none, more than one, or the two VIPs are split
  local w l
  w="$(rw_holders "$WAN_VIP" | paste -sd' ')"; l="$(rw_holders "$LAN_VIP" | paste -sd' ')"
  [[ "$w" =~ ^[0-9]$ && "$w" == "$l" ]] && echo "$w"
  return 0
}

rw_full_ring() {
  local k
  for k in $(seq 1 $NODES); do
    kill -0 "${NODE_PID[k]}" 2>/dev/null || return 1
    grep -E "ring epoch=" "${NODE_LOG[k]}" | tail -1 | grep -q "members=\[gw1, gw2, gw3\] quorum=true" || return 1
  done
}

rw_redundant() {  # every node reports the same bucket map generation with redundant=true (GET /v1/status)
  local k gens=""
  for k in $(seq 1 $NODES); do
    gens+="$(ip netns exec "$(ns_of "$k")" python3 -c '
import json, urllib.request as u
b = json.load(u.urlopen("http://127.0.0.1:7480/v1/status", timeout=2))["buckets"]
print(b["generation"] if b["redundant"] else "no")' 2>/dev/null || echo no) "
  done
  [[ "$gens" != *no* && $(echo "$gens" | tr ' ' '\n' | sort -u | grep -c .) -eq 1 ]]
}

rw_ring_lines() { cat "${NODE_LOG[@]}" 2>/dev/null | grep -cE "ring epoch=|vip-(takeover|release)|buckets generation=" || true; }

# Full ring, one wan VIP owner, a path through the cluster, every bucket backed up again (`redundant`, what an
# operator waits for before taking another node down), and no ring, VIP or bucket change logged for SETTLE_S
# (default 1 s): a fault injected while the previous one is still being repaired is a double failure.
rw_wait_ready() {
  local i quiet=0 lines last=-1 settle_steps=$(( ${SETTLE_S:-1} * 10 ))
  for ((i = 0; i < READY_STEPS; i++)); do
    lines="$(rw_ring_lines)"
    if [[ "$lines" == "$last" ]] && rw_full_ring && [[ -n "$(rw_owner)" ]]; then
      quiet=$((quiet + 1))
    else
      quiet=0
    fi
    last="$lines"
    if ((quiet >= settle_steps)) && rw_redundant && path_works; then return 0; fi
    sleep 0.1
  done
  log "cluster did not become whole (wan VIP holders: $(rw_holders "$WAN_VIP" | paste -sd' '), lan: $(rw_holders "$LAN_VIP" | paste -sd' ')); last log lines:"
  for k in $(seq 1 $NODES); do tail -5 "${NODE_LOG[k]}" | sed "s/^/  gw$k: /" >&2; done
  return 1
}

path_works() { ip netns exec "$NS_C" ping -c 1 -W 1 "$SERVER" >/dev/null 2>&1; }
