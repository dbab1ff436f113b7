#!/usr/bin/env bash
# Failover benchmark: how long does a client's UDP stream through the VIP stop when the VIP owner fails, and
# do established TCP connections survive it?
#
# Topology (rebuilt for every configuration): a "switch" namespace with three bridges (wan, lan,
# cluster), a client on wan, a UDP echo server and a TCP echo server on lan, and three gateway namespaces
# gw1..gw3 with one veth into each bridge. The client sends one probe per ms to the server through the wan VIP;
# the server answers through the lan VIP. The measured figure is the longest gap between two consecutive
# echoes seen by the client in a window around the fault (bench/lib/failover-probe.py).
# Connection survival, in every run: before the fault the client opens CONNS (200) TCP connections to the TCP
# echo server (bench/lib/failover-tcp-echo.py) through the VIP, each sending 16 bytes every 100 ms and reading
# the echo (bench/lib/failover-conns.py, one selector loop), and starts one iperf3 TCP stream (-b 200M so the
# 2-core host keeps up) to an iperf3 server on lan. 0.5 s later the UDP probe window (with the fault) starts;
# the connections run until 1.5 s after it ends, the iperf3 stream until 0.5 s after it. A connection
# survived if it saw no error, RST or close and got an echo in its last second; the stream survived if
# iperf3 exited 0 (within the bound of conn_s + 20 s) and printed its receiver summary.
#
# Configurations:
#   ringwall          ./ringwall run on each gateway, default timers (token_hop_ms 10, token_ack_timeout_ms 30) and
#                     the default --loop-priority fifo (LOOP_PRIORITY=nice in the environment overrides it)
#   ringwall_fast     same with [cluster] token_hop_ms = 2, token_ack_timeout_ms = 5
#   keepalived_100ms  kernel forwarding (ip_forward=1) + keepalived VRRPv3, advert_int 0.1, gw1 master; no firewall
#   keepalived_10ms   same with advert_int 0.01
#   keepalived_conntrackd     kernel forwarding + nftables forward chain equivalent to Ringwall's rules (policy
#                     drop; ct state established,related accept; wan->lan ct state new accept; icmp accept;
#                     nf_conntrack_tcp_loose=0 because Ringwall creates TCP flows only from a SYN,
#                     nf_conntrack_tcp_be_liberal=0) + keepalived VRRPv3 advert_int $KA_CT_ADVERT (0.1) +
#                     conntrackd (conntrack-tools) FTFW over multicast on the cluster bridge, TCP entries only,
#                     TCPWindowTracking Off; keepalived's sync group runs conntrack-tools' primary-backup.sh
#                     (/usr/share/doc/conntrackd/examples/sync/, pointed at the node's config) on
#                     master/backup/fault: the new master commits its external cache into the kernel table
#   keepalived_conntrackd_wt  same with TCPWindowTracking On
# Faults: links_down (all three veths of the owner down at once) and, for Ringwall, kill9 (SIGKILL of the
# owner's JVM) and drain (`ringwall close` of the owner: POST /v1/nodes/gwN/close to another node's management
# listener, as the CLI sends it; reopened after the run). kill -9 of keepalived is NOT measured: the dead master keeps the VIPs on its interfaces and
# the kernel keeps forwarding, so the client sees no gap at all; links_down is the crash equivalent.
# rejoin (Ringwall): the kill9 victim's restart, measured: the probe and the load span its join into the ring (a
# restarted node must not disturb the traffic of the others); its JSON adds vip_releases_max and ring_changes_max (the
# most VIP releases / ring changes any node logged in the 3 s after the join, over the runs), runs_join_outside_window.
# Runs only together with kill9.
# FAULTS="drain" (or any of links_down kill9 drain rejoin) runs only those faults for Ringwall, for experiments.
# After each run the cluster is restored (links up / node restarted) and the script waits for a full ring
# (Ringwall: every node logs "members=[gw1, gw2, gw3] quorum=true", one VIP owner, every node's bucket map
# `redundant` in GET /v1/status and no ring/VIP/bucket change for SETTLE_S, default 1 s) or gw1 master again
# (keepalived; with
# conntrackd also until every node's notify script has finished and gw1's last one was "primary").
# Idle overhead (Ringwall profiles): after IDLE_WARMUP_S (default 70 s), CPU of gw1's JVM over 10 s without traffic (/proc/PID/stat
# utime+stime) and bytes/s on gw1's cluster veth (rx+tx, /sys/class/net statistics) over the same 10 s.
#
# JSON per configuration: gap_ms_p50/p99 (nearest rank over all links_down and kill9 runs; drain has its own
# p50/p99 under "drain"), conns_total (connections opened per run,
# 200), conns_survived (the MINIMUM over all runs and faults), runs_all_conns_survived, bulk_survived (true only
# if every run's iperf3 stream survived), runs_bulk_survived, runs_measured; per fault p50, p99,
# conns_survived (min), bulk_survived and pre_fault_gap_p50 (median of the same probe's longest gap in the
# second before the fault: the noise floor of this host — a starved prober stalls the stream with no fault).
#
# Prints progress on stderr and ONE JSON line on stdout. Root only; only its own namespaces (rwf<PID>-*)
# carry traffic; everything is removed on exit, also on failure or Ctrl-C. Installs keepalived, iperf3 and
# (for the conntrackd peers) conntrackd and nftables with apt-get if missing.
#
# Usage: bench/failover.sh [--runs N] [--quick] [--only CONFIG]
#   CONFIG: ringwall|ringwall_fast|keepalived_100ms|keepalived_10ms|keepalived_conntrackd|keepalived_conntrackd_wt
#   --runs N   runs per fault type and configuration (default 10);  --quick = --runs 3
#   --no-load  the probe alone, as the cluster issue defines the failover gap: no TCP connections, no iperf3
#              (no conns_*/bulk_* keys then; "load" in the JSON says which it was)
set -euo pipefail

RUNS=10
ONLY=""
NO_LOAD=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --quick) RUNS=3; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --no-load) NO_LOAD=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 100 ]] || { echo "--runs must be 1..100" >&2; exit 64; }
case "$ONLY" in
  ""|ringwall|ringwall_fast|keepalived_100ms|keepalived_10ms|keepalived_conntrackd|keepalived_conntrackd_wt) ;;
  *) echo "unknown configuration for --only: $ONLY" >&2; exit 64 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$REPO/bench/lib"
P="rwf$$"
CLIENT=10.93.1.10; SERVER=10.93.2.10
WAN_VIP=10.93.1.1; LAN_VIP=10.93.2.1
NET=10.93; BENCH=failover
RW_PROBE_S=4; KA_PROBE_S=3    # probe window per run; the fault is applied FAULT_AT_S into it
REJOIN_PROBE_S=10             # rejoin: the join comes 3-6 s into the window, then at least 3 s of the joined ring
KA_CT_ADVERT="${KA_CT_ADVERT:-0.1}"  # advert_int of the keepalived + conntrackd peers
FAULT_AT_S=1
READY_STEPS=300               # x 0.1 s: how long a (re)started cluster may take to be whole and settled again
IDLE_S=10
IDLE_WARMUP_S=${IDLE_WARMUP_S:-70}  # idle CPU falls from ~11 % in the first 10 s to 2-3 % after about 70 s
CONNS=200                     # long-lived TCP connections per run
TCP_PORT=9000
BULK_RATE=200M                # iperf3 -b: rate-limited so the 2-core host keeps up
TMP="$(mktemp -d /tmp/rwf-failover.XXXXXX)"
# the topology and cluster helpers (shared with idle.sh and soak.sh), its exit trap and tool check
source "$LIB/cluster.sh"
bench_setup ip python3 ping
for pkg in keepalived:keepalived iperf3:iperf3 conntrackd:conntrackd nft:nftables; do
  case "${pkg%%:*}" in conntrackd|nft) want_ct=1 ;; *) want_ct=0 ;; esac
  [[ $want_ct == 1 && -n "$ONLY" && "$ONLY" != keepalived_conntrackd* ]] && continue
  if ! command -v "${pkg%%:*}" >/dev/null; then
    log "${pkg%%:*} missing: apt-get install -y ${pkg#*:}"
    apt-get install -y "${pkg#*:}" >&2 || { echo "could not install ${pkg#*:}" >&2; exit 1; }
  fi
done

# --- snapshot of the launcher ---------------------------------------------------------------------------
snapshot_launcher


links() {  # $1 = node, $2 = up|down: all three veths of the node at once
  ip -n "$(ns_of "$1")" -batch - <<EOF
link set g$1w $2
link set g$1l $2
link set g$1c $2
EOF
}


# probe_around SECS FAULT_CMD...: runs the prober, which starts the fault FAULT_AT_S into it; prints its JSON
probe_around() {
  local secs="$1"; shift
  timeout $((${secs%.*} + 20)) ip netns exec "$NS_C" "${PROBE_PRIO[@]}" python3 "$LIB/failover-probe.py" "$secs" "$CLIENT" "$SERVER" \
    "$FAULT_AT_S" "$@" 2>&1 || true
}
links_down_cmd() {  # the command the prober runs: all three veths of node $1 down in one ip call
  # At the prober's real-time priority (when it has one): a cut is instantaneous, and a normal-priority ip
  # behind busy SCHED_FIFO gateway loops could take the three links down milliseconds apart.
  printf 'link set g%sw down\nlink set g%sl down\nlink set g%sc down\n' "$1" "$1" "$1" >"$TMP/links-down.$1"
  echo "${PROBE_PRIO[@]}" ip -n "$(ns_of "$1")" -batch "$TMP/links-down.$1"; }

mgmt_cmd() {  # the command the prober runs: POST /v1/nodes/gw$1/$2 (close|open) to node $3's management listener
  printf 'import urllib.request as u\nu.urlopen(u.Request("http://127.0.0.1:7480/v1/nodes/gw%s/%s", data=b"", method="POST"), timeout=10)\n' \
    "$1" "$2" >"$TMP/mgmt.$1.$2.py"
  echo ip netns exec "$(ns_of "$3")" python3 "$TMP/mgmt.$1.$2.py"; }

start_tcp_echo() {  # the TCP echo server of the long-lived connections (exits after 600 s idle)
  ip netns exec "$NS_S" python3 "$LIB/failover-tcp-echo.py" "$SERVER" "$TCP_PORT" 600 >"$TMP/tcp-echo.log" 2>&1 &
  OTHER_PIDS+=($!)
}

# load_around SECS FAULT_CMD...: CONNS long-lived TCP connections and one iperf3 stream through the VIPs, then
# the UDP prober (which applies the fault) inside them; waits until the connections and the stream are done
# and prints the prober's JSON extended with conns_survived, conns (the connection client's own JSON),
# bulk_survived and bulk (iperf3 exit code and receiver line)
# tcp_retransmits NS: TCP segments sent again by the stack of namespace NS since it was made (/proc/net/snmp)
tcp_retransmits() {
  ip netns exec "$1" awk '$1 == "Tcp:" { if (!col) { for (i = 2; i <= NF; i++) if ($i == "RetransSegs") col = i }
    else print $col }' /proc/net/snmp
}

# handover_gap PROBE_JSON DRAINED_NODE_LOG: adds handover_gap_ms, the gap of the drain's own hand-over: the probe
# gap that spans the drained node's first vip-release after the fault, or one that starts within 20 ms after it
# (the largest), else 0 (no echo was late by 2 ms or more); -1 if no release was logged. fault_gap_ms is the
# longest gap anywhere in the window after the close: the two differ when that came later (a new owner's slow frame)
handover_gap() {
  python3 "$LIB/handover-gap.py" "$1" "$2" || echo "$1"
}

load_around() {
  local secs="$1"; shift
  if ((NO_LOAD)); then probe_around "$secs" "$@"; return; fi
  local id i conns_pid iperf_pid srv_pid probe rc conn_s
  id=$(($(cat "$TMP/load.seq" 2>/dev/null || echo 0) + 1)); echo "$id" >"$TMP/load.seq"  # (runs in a subshell)
  conn_s=$((${secs%.*} + 2))   # 0.5 s before the probe window, the window, 1.5 s after it
  local ready="$TMP/conns-ready.$id"
  ip netns exec "$NS_S" timeout $((conn_s + 40)) iperf3 -s -1 -B "$SERVER" >"$TMP/iperf3-server.$id.log" 2>&1 &
  srv_pid=$!
  ip netns exec "$NS_C" timeout $((conn_s + 40)) python3 "$LIB/failover-conns.py" "$SERVER" "$TCP_PORT" "$CONNS" \
    "$conn_s" "$ready" >"$TMP/conns.$id.json" 2>"$TMP/conns.$id.err" &
  conns_pid=$!
  for ((i = 0; i < 200; i++)); do  # at most 20 s (failover-conns.py gives up connecting after 15 s)
    [[ -e "$ready" ]] && break
    kill -0 "$conns_pid" 2>/dev/null || break
    sleep 0.1
  done
  ip netns exec "$NS_C" timeout $((conn_s + 20)) iperf3 -c "$SERVER" -t $((conn_s - 1)) -b "$BULK_RATE" \
    --connect-timeout 3000 >"$TMP/iperf3.$id.log" 2>&1 &
  iperf_pid=$!
  sleep 0.5  # connections (and iperf3's) established and, where there is replication, replicated
  local server_retrans; server_retrans=$(tcp_retransmits "$NS_S")
  probe="$(probe_around "$secs" "$@")"
  rc=0; wait "$iperf_pid" || rc=$?
  wait "$conns_pid" || true
  server_retrans=$(( $(tcp_retransmits "$NS_S") - server_retrans ))
  kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true
  python3 - "$probe" "$TMP/conns.$id.json" "$TMP/iperf3.$id.log" "$rc" "$server_retrans" <<'EOF' || echo "$probe"
import json, sys
probe = json.loads(sys.argv[1])
try:
    conns = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
except (IndexError, ValueError):
    conns = {"error": "no result from failover-conns.py"}
iperf = open(sys.argv[3]).read()
receiver = [l.strip() for l in iperf.splitlines() if l.rstrip().endswith("receiver")]
rc = int(sys.argv[4])
conns["server_retransmits"] = int(sys.argv[5])  # the echo server's and iperf3 server's stack, during the run
probe.update({"conns_survived": conns.get("survived", 0), "conns": conns,
              "bulk_survived": rc == 0 and bool(receiver),
              "bulk": {"exit": rc, "receiver": " ".join(receiver[-1].split()[4:8]) if receiver else None}})
print(json.dumps(probe))
EOF
}

# record CONFIG FAULT PROBE_JSON: appends the gap (or the whole window if the stream never came back), the
# number of surviving connections and whether the bulk stream survived
record() {
  local cfg="$1" fault="$2" json="$3" gap conns bulk pre handover
  # fault_gap_ms: the longest gap ending after the fault started (a stream that never came back counts
  # until the end of the window)
  read -r gap conns bulk pre handover < <(python3 -c 'import json, sys; j = json.loads(sys.argv[1]); print(j["fault_gap_ms"], j.get("conns_survived", 0), int(j.get("bulk_survived", False)), j.get("pre_fault_gap_ms", 0), j.get("handover_gap_ms", "none"))' "$json") ||
    { log "prober failed: $json"; exit 1; }
  [[ -n "$gap" ]] || { log "prober failed: $json"; exit 1; }
  echo "$gap" >>"$TMP/samples.$cfg.$fault"
  echo "$pre" >>"$TMP/pre.$cfg.$fault"
  if ((!NO_LOAD)); then
    echo "$conns" >>"$TMP/conns.$cfg.$fault"
    echo "$bulk" >>"$TMP/bulk.$cfg.$fault"
  fi
  echo "$json" >>"$TMP/runs.$cfg.$fault.jsonl"
  [[ "$handover" == none ]] || echo "$handover" >>"$TMP/handover.$cfg.$fault"  # drains only
  [[ -n "${5:-}" && "$5" != "$6" ]] && echo "$fault" >>"$TMP/arp-mismatch.$cfg"
  log "  $cfg $fault ($4, client ARP -> gw${5:-?}): gap ${gap} ms, $conns/$CONNS connections, bulk $bulk  $json"
}

# --- Ringwall ------------------------------------------------------------------------------------------


# the gateway whose MAC the client's ARP entry for the wan VIP names (where its traffic actually goes)
client_arp_node() {
  local mac k
  mac="$(ip -n "$NS_C" neigh show "$WAN_VIP" | grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | head -1 || true)"
  for k in $(seq 1 $NODES); do
    ip -n "$(ns_of "$k")" link show "g${k}w" | grep -q "link/ether $mac " && { echo "$k"; return 0; }
  done
  echo "?"
}

cluster_bytes() {  # rx + tx bytes of gw1's cluster veth
  local rx tx
  read -r rx tx < <(ip netns exec "$(ns_of 1)" sh -c 'cat /sys/class/net/g1c/statistics/rx_bytes /sys/class/net/g1c/statistics/tx_bytes' | paste -sd' ')
  echo $((rx + tx))
}
idle_overhead() {  # $1 = config name; gw1's JVM CPU and cluster-veth bytes over IDLE_S without traffic
  local pid="${NODE_PID[1]}" hz t0 t1 b0 b1
  hz="$(getconf CLK_TCK)"
  sleep "$IDLE_WARMUP_S"  # a node runs for months: measure after the JIT has compiled the token path
  read -r t0 < <(awk '{print $14 + $15}' "/proc/$pid/stat")
  b0="$(cluster_bytes)"
  sleep "$IDLE_S"
  read -r t1 < <(awk '{print $14 + $15}' "/proc/$pid/stat")
  b1="$(cluster_bytes)"
  python3 -c 'import json,sys; t0,t1,hz,b0,b1,s=map(float,sys.argv[1:]); print(json.dumps({"cpu_pct": round((t1-t0)/hz/s*100, 2), "bytes_per_s": round((b1-b0)/s)}))' \
    "$t0" "$t1" "$hz" "$b0" "$b1" "$IDLE_S" >"$TMP/idle.$1.json"
  log "  idle $1: $(cat "$TMP/idle.$1.json")"
}

run_owner() {  # $1 = config name; prints the VIP owner for the next run, or fails (and counts a skipped run)
  local owner
  owner="$(rw_owner)"
  [[ -n "$owner" ]] || { rw_wait_ready || true; owner="$(rw_owner)"; }
  # a flapping ring (seen with the fast timers on a loaded host) can leave no single owner: skip, count it
  [[ -n "$owner" ]] || { log "  no single VIP owner: run skipped"; echo x >>"$TMP/skipped.$1"; return 1; }
  echo "$owner"
}

wanted() {  # $1 = fault: whether FAULTS (default: all four) names it
  [[ " ${FAULTS:-links_down kill9 drain rejoin} " == *" $1 "* ]]
}

# rejoin_run CONFIG NODE: the probe and the load span NODE's join into the ring, right after its restart (kill9's
# victim; FAULTS="kill9 rejoin"). The join comes when the node's cluster warm-up and the compiler settle end, 3-6 s
# after its "forwarding path warmed up" line, so the window starts at that line; the fault command does nothing. A run
# whose join fell outside the window (not 3 s before its end) is logged and not counted (skipped.CONFIG.rejoin).
rejoin_run() {
  local cfg="$1" k="$2" i json arp owner logs=()
  for ((i = 0; i < 600; i++)); do  # at most 60 s
    grep -q "forwarding path warmed up" "${NODE_LOG[k]}" 2>/dev/null && break
    kill -0 "${NODE_PID[k]}" 2>/dev/null || return 0
    sleep 0.1
  done
  owner="$(rw_owner)"; arp="$(client_arp_node)"
  json="$(FAULT_AT_S=0.3 load_around "$REJOIN_PROBE_S" true)"  # early: the cluster warm-up may be short
  for i in $(seq 1 $NODES); do logs+=("${NODE_LOG[i]}"); done
  json="$(python3 "$LIB/rejoin-window.py" "$json" "$REJOIN_PROBE_S" "${NODE_LOG[k]}" "${logs[@]}" || echo "$json")"
  if [[ "$json" != *'"join_in_window": true'* ]]; then
    log "  $cfg rejoin of gw$k: the join fell outside the probe window, not counted  $json"
    echo x >>"$TMP/skipped.$cfg.rejoin"
    return 0
  fi
  record "$cfg" rejoin "$json" "gw$k joins, owner gw${owner:-?}" "$arp" "$owner"
}

run_ringwall() {  # $1 = config name, $2 = extra [cluster] lines
  local cfg="$1" i owner json arp
  log "== $cfg: starting three nodes"
  build_topology ringwall
  start_tcp_echo
  write_ringwall_config "$2"
  NODE_START=()
  for k in $(seq 1 $NODES); do start_node "$k"; done
  rw_wait_ready
  log "  ring whole, wan VIP owner gw$(rw_owner)"
  idle_overhead "$cfg"
  for ((i = 1; i <= RUNS; i++)); do
    if wanted links_down; then
      owner="$(run_owner "$cfg")" || continue
      arp="$(client_arp_node)"
      json="$(load_around "$RW_PROBE_S" $(links_down_cmd "$owner"))"
      record "$cfg" links_down "$json" "owner gw$owner" "$arp" "$owner"
      links "$owner" up
      sleep 0.2
      rw_wait_ready || true
    fi

    if wanted kill9; then
      owner="$(run_owner "$cfg")" || continue
      arp="$(client_arp_node)"
      json="$(load_around "$RW_PROBE_S" kill -9 "${NODE_PID[owner]}")"
      record "$cfg" kill9 "$json" "owner gw$owner" "$arp" "$owner"
      { wait "${NODE_PID[owner]}"; } 2>/dev/null || true
      start_node "$owner"
      if wanted rejoin; then rejoin_run "$cfg" "$owner"; fi
      rw_wait_ready || true
    fi

    if wanted drain; then
      # drain: `ringwall close` of the owner through another node's management API (what the CLI sends)
      owner="$(run_owner "$cfg")" || continue
      arp="$(client_arp_node)"
      json="$(load_around "$RW_PROBE_S" $(mgmt_cmd "$owner" close $((owner % NODES + 1))))"
      json="$(handover_gap "$json" "${NODE_LOG[owner]}")"
      record "$cfg" drain "$json" "owner gw$owner" "$arp" "$owner"
      $(mgmt_cmd "$owner" open $((owner % NODES + 1))) || log "  reopening gw$owner failed"
      rw_wait_ready || true
    fi
    log "  $cfg run $i/$RUNS done"
  done
  destroy_topology
}

# --- keepalived ----------------------------------------------------------------------------------------
write_keepalived_config() {  # $1 = node, $2 = advert_int, $3 = notify script (primary|backup|fault), optional
  local k="$1" prio=$((250 - 50 * $1)) state=BACKUP notify=""
  [[ "$k" == 1 ]] && state=MASTER
  [[ -n "${3:-}" ]] && notify="$(printf '  notify_master "%s primary"\n  notify_backup "%s backup"\n  notify_fault "%s fault"' "$3" "$3" "$3")"
  cat >"$TMP/keepalived.gw$k.conf" <<EOF
global_defs {
  router_id gw$k
  vrrp_version 3
  script_user root
}
vrrp_sync_group GW {
  group {
    WAN
    LAN
  }
$notify
}
vrrp_instance WAN {
  state $state
  interface g${k}w
  virtual_router_id 51
  priority $prio
  advert_int $2
  virtual_ipaddress {
    $WAN_VIP/24 dev g${k}w
  }
}
vrrp_instance LAN {
  state $state
  interface g${k}l
  virtual_router_id 52
  priority $prio
  advert_int $2
  virtual_ipaddress {
    $LAN_VIP/24 dev g${k}l
  }
}
EOF
}
ka_has_vips() {  # $1 = node
  ip -n "$(ns_of "$1")" -o addr show dev "g$1w" | grep -q " $WAN_VIP/" &&
    ip -n "$(ns_of "$1")" -o addr show dev "g$1l" | grep -q " $LAN_VIP/"
}
ka_wait_gw1_master() {
  local i
  for ((i = 0; i < READY_STEPS; i++)); do
    if ka_has_vips 1 && ! ka_has_vips 2 && ! ka_has_vips 3 && path_works; then sleep 0.5; return 0; fi
    sleep 0.1
  done
  log "gw1 did not become VRRP master again; VIPs on: $(for k in 1 2 3; do ka_has_vips $k && echo -n "gw$k "; done)"
  for k in $(seq 1 $NODES); do tail -4 "$TMP/keepalived.$cfg.gw$k.log" | sed "s/^/  gw$k: /" >&2; done
  path_works || log "no path client -> server"
  return 1
}

# --- keepalived + conntrackd (conntrack-tools, FTFW) -----------------------------------------------------
CT_EXAMPLE="${CT_EXAMPLE:-/usr/share/doc/conntrackd/examples/sync/primary-backup.sh}"  # (override: a control run)
write_firewall() {  # $1 = node: nftables equivalent of the Ringwall rules.conf, no mid-stream pickup
  local k="$1" ns
  ns="$(ns_of "$1")"
  ip netns exec "$ns" nft -f - <<EOF
table inet rwf {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "g${k}w" oifname "g${k}l" ct state new accept
    meta l4proto icmp accept
  }
}
EOF
  # Ringwall creates a TCP flow only from a SYN; the kernel's default (tcp_loose=1) would pick up a
  # mid-stream segment as a new flow and accept it wan->lan, so survival would not need replication at all
  ip netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
  ip netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_be_liberal=0
}
write_conntrackd() {  # $1 = node, $2 = TCPWindowTracking Off|On; config + notify script of node $1
  local k="$1" conf="$TMP/conntrackd.gw$1.conf"
  cat >"$conf" <<EOF
Sync {
  Mode FTFW {
  }
  Multicast {
    IPv4_address 225.0.0.50
    Group 3780
    IPv4_interface $NET.9.$k
    Interface g${k}c
    SndSocketBuffer 1249280
    RcvSocketBuffer 1249280
    Checksum on
  }
  Options {
    TCPWindowTracking $2
  }
}
General {
  HashSize 8192
  HashLimit 65536
  LogFile $TMP/conntrackd.$cfg.gw$k.log
  Syslog off
  LockFile $TMP/conntrackd.gw$k.lock
  UNIX {
    Path $TMP/conntrackd.gw$k.ctl
  }
  NetlinkBufferSize 2097152
  NetlinkBufferSizeMaxGrowth 8388608
  Filter From Userspace {
    Protocol Accept {
      TCP
    }
    Address Ignore {
      IPv4_address 127.0.0.1
      IPv4_address $WAN_VIP
      IPv4_address $LAN_VIP
      IPv4_address $NET.1.$((100 + k))
      IPv4_address $NET.2.$((100 + k))
      IPv4_address $NET.9.$k
    }
  }
}
EOF
  # conntrack-tools' own keepalived notify script, pointed at this node's config and lock file
  if [[ -r "$CT_EXAMPLE" ]]; then
    sed -e "s|^CONNTRACKD_CONFIG=.*|CONNTRACKD_CONFIG=$conf|" -e "s|^CONNTRACKD_LOCK=.*|CONNTRACKD_LOCK=$TMP/conntrackd.gw$k.lock|" \
      "$CT_EXAMPLE" >"$TMP/primary-backup.gw$k.sh"
  else  # the same commands as conntrack-tools' doc/sync/primary-backup.sh
    cat >"$TMP/primary-backup.gw$k.sh" <<EOF
#!/bin/sh
C="conntrackd -C $conf"
case "\$1" in
  primary) \$C -c; \$C -f; \$C -R; \$C -B ;;  # commit external cache, flush caches, resync from kernel, bulk send
  backup) \$C -s >/dev/null || \$C -d; \$C -t; \$C -n ;;  # (start if dead) shorten kernel timers, request resync
  fault) \$C -t ;;
esac
EOF
  fi
  # wrapper: logs when each transition started and finished (ct_wait_settled reads it)
  cat >"$TMP/notify.gw$k.sh" <<EOF
#!/bin/sh
echo "\$(date +%s.%N) \$1 start" >>"$TMP/notify.$cfg.gw$k.log"
sh "$TMP/primary-backup.gw$k.sh" "\$1" >>"$TMP/notify.$cfg.gw$k.log" 2>&1
echo "\$(date +%s.%N) \$1 done \$?" >>"$TMP/notify.$cfg.gw$k.log"
EOF
  chmod +x "$TMP/primary-backup.gw$k.sh" "$TMP/notify.gw$k.sh"
}
ct_wait_settled() {  # every node's last notify script has finished and gw1's last one was "primary"
  local i k ok
  for ((i = 0; i < 100; i++)); do
    ok=1
    for k in $(seq 1 $NODES); do
      [[ -s "$TMP/notify.$cfg.gw$k.log" ]] || { ok=0; break; }
      grep -E '^[0-9.]+ [a-z]+ (start|done)' "$TMP/notify.$cfg.gw$k.log" | tail -1 | grep -q ' done ' || { ok=0; break; }
    done
    [[ $ok == 1 ]] && grep -E '^[0-9.]+ [a-z]+ done' "$TMP/notify.$cfg.gw1.log" | tail -1 | grep -q ' primary ' && return 0
    sleep 0.1
  done
  log "conntrackd notify scripts did not settle:"
  for k in $(seq 1 $NODES); do tail -3 "$TMP/notify.$cfg.gw$k.log" 2>/dev/null | sed "s/^/  gw$k: /" >&2; done
  return 1
}
start_conntrackd() {  # $1 = node
  local k="$1" i
  # the previous configuration's conntrackd was killed with the topology (SIGKILL): its lock file is stale
  rm -f "$TMP/conntrackd.gw$k.lock"
  ip netns exec "$(ns_of "$k")" conntrackd -C "$TMP/conntrackd.gw$k.conf" >"$TMP/conntrackd.$cfg.gw$k.out" 2>&1 &
  OTHER_PIDS+=($!)
  for ((i = 0; i < 50; i++)); do
    ip netns exec "$(ns_of "$k")" conntrackd -C "$TMP/conntrackd.gw$k.conf" -s >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "conntrackd on gw$k did not start:"; tail -n 5 "$TMP/conntrackd.$cfg.gw$k.out" "$TMP/conntrackd.$cfg.gw$k.log" >&2
  return 1
}

run_keepalived() {  # $1 = config name, $2 = advert_int, $3 = empty (plain forwarding) or conntrackd's TCPWindowTracking Off|On
  local cfg="$1" i json k
  if [[ -n "${3:-}" ]]; then
    log "== $cfg: kernel forwarding + nftables + keepalived VRRPv3 advert_int $2 + conntrackd FTFW TCPWindowTracking $3"
  else
    log "== $cfg: kernel forwarding + keepalived VRRPv3 advert_int $2"
  fi
  build_topology kernel
  start_tcp_echo
  if [[ -n "${3:-}" ]]; then
    for k in $(seq 1 $NODES); do write_firewall "$k"; write_conntrackd "$k" "$3"; start_conntrackd "$k"; done
  fi
  for k in $(seq 1 $NODES); do
    write_keepalived_config "$k" "$2" "${3:+$TMP/notify.gw$k.sh}"
    ip netns exec "$(ns_of "$k")" keepalived -n -l -D --vrrp -f "$TMP/keepalived.gw$k.conf" \
      -p "$TMP/ka$cfg.$k.pid" -r "$TMP/ka$cfg.$k.vrrp.pid" >"$TMP/keepalived.$cfg.gw$k.log" 2>&1 &
    OTHER_PIDS+=($!)
  done
  ka_wait_gw1_master
  [[ -z "${3:-}" ]] || ct_wait_settled
  for ((i = 1; i <= RUNS; i++)); do
    json="$(load_around "$KA_PROBE_S" $(links_down_cmd 1))"
    record "$cfg" links_down "$json" "master gw1"
    links 1 up
    sleep 0.2
    ka_wait_gw1_master
    [[ -z "${3:-}" ]] || ct_wait_settled || true
    log "  $cfg run $i/$RUNS done"
  done
  destroy_topology
}

# --- main ----------------------------------------------------------------------------------------------
want() { [[ -z "$ONLY" || "$ONLY" == "$1" ]]; }
want ringwall && run_ringwall ringwall ""
want ringwall_fast && run_ringwall ringwall_fast "token_hop_ms = 2\ntoken_ack_timeout_ms = 5"
want keepalived_100ms && run_keepalived keepalived_100ms 0.1
want keepalived_10ms && run_keepalived keepalived_10ms 0.01
want keepalived_conntrackd && run_keepalived keepalived_conntrackd "$KA_CT_ADVERT" Off
want keepalived_conntrackd_wt && run_keepalived keepalived_conntrackd_wt "$KA_CT_ADVERT" On

python3 - "$TMP" "$RUNS" "$CONNS" "$NO_LOAD" "$BULK_RATE" <<'EOF'
import json, math, os, sys
tmp, runs, conns_total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = "none" if sys.argv[4] == "1" else f"{conns_total} TCP connections + iperf3 {sys.argv[5]}"

def samples(cfg, fault):
    p = os.path.join(tmp, f"samples.{cfg}.{fault}")
    return [float(x) for x in open(p).read().split()] if os.path.exists(p) else []
def samples_raw(cfg, kind, fault):
    p = os.path.join(tmp, f"{kind}.{cfg}.{fault}")
    return open(p).read().split() if os.path.exists(p) else []
def pct(xs, q):  # nearest rank: with fewer than 100 samples p99 is the maximum
    xs = sorted(xs)
    return xs[max(0, math.ceil(q / 100 * len(xs)) - 1)]
out = {"bench": "failover", "runs": runs, "load": load}
CRASH = ("links_down", "kill9")  # gap_ms_p50/p99: failover after a failure; a planned drain is reported on its own
RW_FAULTS = ("links_down", "kill9", "drain", "rejoin")
for cfg, faults in (("ringwall", RW_FAULTS), ("ringwall_fast", RW_FAULTS),
                    ("keepalived_100ms", ("links_down",)), ("keepalived_10ms", ("links_down",)),
                    ("keepalived_conntrackd", ("links_down",)), ("keepalived_conntrackd_wt", ("links_down",))):
    per = {f: samples(cfg, f) for f in faults}
    every = [x for f in faults if f in CRASH for x in per[f]]
    if not any(per.values()):
        continue
    o = {"gap_ms_p50": pct(every, 50), "gap_ms_p99": pct(every, 99)} if every else {}  # FAULTS=drain: none
    conns = {f: [int(x) for x in samples_raw(cfg, "conns", f)] for f in faults}
    bulk = {f: [x == "1" for x in samples_raw(cfg, "bulk", f)] for f in faults}
    all_conns = [x for f in faults for x in conns[f]]
    all_bulk = [x for f in faults for x in bulk[f]]
    if all_conns:  # per run: conns_total opened, conns_survived = the worst run
        o.update({"conns_total": conns_total, "conns_survived": min(all_conns),
                  "runs_all_conns_survived": sum(1 for x in all_conns if x == conns_total),
                  "bulk_survived": all(all_bulk), "runs_bulk_survived": sum(all_bulk), "runs_measured": len(all_conns)})
    for f in faults:
        if per[f]:
            o[f] = {"p50": pct(per[f], 50), "p99": pct(per[f], 99)}
            pre = [float(x) for x in samples_raw(cfg, "pre", f)]
            if pre:  # the same probe's longest gap in the second BEFORE the fault: the host's own jitter
                o[f]["pre_fault_gap_p50"] = pct(pre, 50)
            handover = [float(x) for x in samples_raw(cfg, "handover", f) if float(x) >= 0]
            if handover:  # a drain's own hand-over (handover_gap in bench/failover.sh), apart from later gaps
                o[f].update({"handover_p50": pct(handover, 50), "handover_p99": pct(handover, 99)})
            if conns[f]:
                o[f].update({"conns_survived": min(conns[f]), "bulk_survived": all(bulk[f])})
            if f == "rejoin":  # what the other nodes did while the restarted node joined (rejoin-window.py)
                runs_f = [json.loads(l) for l in open(os.path.join(tmp, f"runs.{cfg}.rejoin.jsonl"))]
                o[f]["vip_releases_max"] = max(r.get("vip_releases_after_join", 0) for r in runs_f)
                o[f]["ring_changes_max"] = max(r.get("ring_changes_after_join", 0) for r in runs_f)
                sk = os.path.join(tmp, f"skipped.{cfg}.rejoin")
                o[f]["runs_join_outside_window"] = len(open(sk).read().split()) if os.path.exists(sk) else 0
    mm = os.path.join(tmp, f"arp-mismatch.{cfg}")
    if cfg.startswith("ringwall"):
        o["runs_client_arp_not_on_owner"] = len(open(mm).read().split()) if os.path.exists(mm) else 0
        sk = os.path.join(tmp, f"skipped.{cfg}")
        o["runs_skipped_no_single_owner"] = len(open(sk).read().split()) if os.path.exists(sk) else 0
    if cfg.startswith("keepalived"):
        o["kill9"] = "not measured: a SIGKILLed keepalived leaves the VIPs on the master and its kernel keeps forwarding; links_down is the crash case"
    out[cfg] = o
idle = {}
for cfg in ("ringwall", "ringwall_fast"):
    p = os.path.join(tmp, f"idle.{cfg}.json")
    if os.path.exists(p):
        idle[cfg] = json.load(open(p))
if idle:
    out["idle"] = idle
print(json.dumps(out))
EOF
