# shellcheck shell=bash
# Network namespaces for scenarios 2 and 3 (root only). Sourced by bench/run.
#   veth: ubx-va <-> ubx-vb, a veth pair with MTU 1500 (10.201.0.1 <-> 10.201.0.2)
#   wan:  ubx-wa <-> ubx-wb, two TUN devices joined by bench/linkemu (10.202.0.1 <-> 10.202.0.2)
# Addresses are private and exist only inside these namespaces, which the script creates and removes itself.
# BENCH_NS_PREFIX (default ubx) names them, so two runs on one machine can use different ones.

NS_VETH_A=${BENCH_NS_PREFIX:-ubx}-va
NS_VETH_B=${BENCH_NS_PREFIX:-ubx}-vb
VETH_DEV_A=${BENCH_NS_PREFIX:-ubx}-veth-a
VETH_DEV_B=${BENCH_NS_PREFIX:-ubx}-veth-b
VETH_IP_A=10.201.0.1
VETH_IP_B=10.201.0.2
NS_WAN_A=${BENCH_NS_PREFIX:-ubx}-wa
NS_WAN_B=${BENCH_NS_PREFIX:-ubx}-wb
WAN_IP_A=10.202.0.1
WAN_IP_B=10.202.0.2
LINKEMU_PID=""

# Runs a command inside namespace $1.
in_ns() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# Raises socket buffer limits in a namespace to the host's (each namespace has its own copy of some of them).
ns_tune() {
  local ns=$1
  in_ns "$ns" ip link set lo up
  # UDP peers (atftp, SRT, udpix) want multi-MB buffers; rmem_max/wmem_max are global on this kernel, but set
  # them anyway where they are per-namespace.
  in_ns "$ns" sysctl -q -w net.core.rmem_max="$(cat /proc/sys/net/core/rmem_max)" 2>/dev/null || true
  in_ns "$ns" sysctl -q -w net.core.wmem_max="$(cat /proc/sys/net/core/wmem_max)" 2>/dev/null || true
}

veth_up() {
  veth_down
  ip netns add "$NS_VETH_A"
  ip netns add "$NS_VETH_B"
  ip link add "$VETH_DEV_A" type veth peer name "$VETH_DEV_B"
  ip link set "$VETH_DEV_A" netns "$NS_VETH_A"
  ip link set "$VETH_DEV_B" netns "$NS_VETH_B"
  in_ns "$NS_VETH_A" ip addr add "$VETH_IP_A/24" dev "$VETH_DEV_A"
  in_ns "$NS_VETH_B" ip addr add "$VETH_IP_B/24" dev "$VETH_DEV_B"
  in_ns "$NS_VETH_A" ip link set "$VETH_DEV_A" mtu 1500 up
  in_ns "$NS_VETH_B" ip link set "$VETH_DEV_B" mtu 1500 up
  ns_tune "$NS_VETH_A"
  ns_tune "$NS_VETH_B"
  in_ns "$NS_VETH_A" ping -c 1 -W 2 "$VETH_IP_B" >/dev/null ||
    { echo "bench: the veth pair does not pass traffic" >&2; return 1; }
}

veth_down() {
  ip netns del "$NS_VETH_A" 2>/dev/null || true
  ip netns del "$NS_VETH_B" 2>/dev/null || true
}

# wan_up RATE_MBIT ONE_WAY_DELAY_MS LOSS_PERCENT SEED [QUEUE_BYTES]
wan_up() {
  local rate=$1 delay=$2 loss=$3 seed=$4 queue=${5:--1}
  wan_down
  ip netns add "$NS_WAN_A"
  ip netns add "$NS_WAN_B"
  local ready="$WORK/linkemu.ready"
  rm -f "$ready"
  "$LINKEMU" --ns-a "$NS_WAN_A" --ns-b "$NS_WAN_B" --rate-mbit "$rate" --delay-ms "$delay" --loss "$loss" \
    --seed "$seed" --queue-bytes "$queue" --ready-file "$ready" 2>>"$WORK/linkemu.log" &
  LINKEMU_PID=$!
  local i
  for i in $(seq 1 50); do
    [[ -s "$ready" ]] && break
    sleep 0.1
  done
  [[ -s "$ready" ]] || { echo "bench: linkemu did not start (see $WORK/linkemu.log)" >&2; return 1; }
  in_ns "$NS_WAN_A" ip addr add "$WAN_IP_A" peer "$WAN_IP_B" dev tunA
  in_ns "$NS_WAN_B" ip addr add "$WAN_IP_B" peer "$WAN_IP_A" dev tunB
  in_ns "$NS_WAN_A" ip link set tunA mtu 1500 up
  in_ns "$NS_WAN_B" ip link set tunB mtu 1500 up
  # A deep transmit queue on the TUN device would hide the emulator's own drop-tail queue: keep it short.
  in_ns "$NS_WAN_A" ip link set tunA txqueuelen 1000
  in_ns "$NS_WAN_B" ip link set tunB txqueuelen 1000
  ns_tune "$NS_WAN_A"
  ns_tune "$NS_WAN_B"
  # The first ping may be lost to the emulated loss: try a few.
  for i in 1 2 3 4 5; do
    in_ns "$NS_WAN_A" ping -c 1 -W 2 "$WAN_IP_B" >/dev/null && return 0
  done
  echo "bench: the emulated link does not pass traffic (see $WORK/linkemu.log)" >&2
  return 1
}

wan_down() {
  if [[ -n "$LINKEMU_PID" ]]; then
    kill -TERM "$LINKEMU_PID" 2>/dev/null || true
    wait "$LINKEMU_PID" 2>/dev/null || true
    LINKEMU_PID=""
  fi
  ip netns del "$NS_WAN_A" 2>/dev/null || true
  ip netns del "$NS_WAN_B" 2>/dev/null || true
}
