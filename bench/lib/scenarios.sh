# shellcheck shell=bash
# The six scenarios of bench/run. Each runs its tools in alternation (run 1 of every tool, then run 2...), so a
# burst of noise from other work on the machine hits every tool alike.

# Tools whose commands exist; prints the names to run.
available_file_tools() {
  local t
  for t in "$@"; do
    case $t in
      nc) command -v nc >/dev/null && echo nc ;;
      socat | socatcubic) command -v socat >/dev/null && echo "$t" ;;
      javatcp | kwik) [[ -f "$BENCH_JAR" ]] && echo "$t" ;;
      udpix | plain) [[ -n "$UDPIX_OK" ]] && echo "$t" ;;
      srt) command -v srt-file-transmit >/dev/null && echo srt ;;
      tftp1468 | tftp65464) command -v atftp >/dev/null && [[ -x /usr/sbin/atftpd ]] && echo "$t" ;;
    esac
  done
}

# Table labels of the tools.
tool_label() {
  case $1 in
    nc) echo "TCP (nc)" ;;
    socat) echo "TCP (socat)" ;;
    socatcubic) echo "TCP (socat, CUBIC per socket)" ;;
    javatcp) echo "TCP (Java socket copy)" ;;
    udpix) echo "udpix${UDPIX_DRIVER:+ (--driver $UDPIX_DRIVER)}" ;;
    plain) echo "udpix --plain (tutorial stop-and-wait, 1 KB)" ;;
    srt) echo "SRT file mode (srt-file-transmit)" ;;
    tftp1468) echo "TFTP atftp blksize 1468 windowsize ${TFTP_WINDOW_1468:-64}" ;;
    tftp65464) echo "TFTP atftp blksize 65464 windowsize ${TFTP_WINDOW_65464:-16}" ;;
    kwik) echo "QUIC (kwik, 16 MiB windows)" ;;
  esac
}

# Raises net.core.rmem_default for atftp's large windows while $1 (a command) runs; restored after.
with_tftp_buffers() {
  if [[ $EUID -eq 0 ]]; then
    sysctl -q -w net.core.rmem_default=4194304
    "$@"
    sysctl -q -w net.core.rmem_default="$SAVED_RMEM_DEFAULT"
  else
    # Without root the default 208 KiB buffer holds only 2 blocks of 64 KiB.
    TFTP_WINDOW_65464=2 "$@"
  fi
}

# run_file_tools SCENARIO FILE TIMEOUT TOOLS...: alternating runs of every tool on FILE.
run_file_tools() {
  local scenario=$1 file=$2 timeout=$3
  shift 3
  local sha run tool
  declare -A shas=()
  for run in $(seq 1 "$RUNS"); do
    for tool in "$@"; do
      # A slow peer may get a smaller file (SLOW_FILE[tool]); its goodput is still comparable.
      local f=${SLOW_FILE[$tool]:-$file}
      [[ -n "${shas[$f]:-}" ]] || shas[$f]=$(sha256_of "$f")
      sha=${shas[$f]}
      case $tool in
        tftp*) with_tftp_buffers measure_transfer "$scenario" "$tool" "$(tool_label "$tool")" "$run" "$f" "$sha" "$timeout" ;;
        *) measure_transfer "$scenario" "$tool" "$(tool_label "$tool")" "$run" "$f" "$sha" "$timeout" ;;
      esac
    done
  done
}

# kwik moves about 7-15 MB/s here: it gets a smaller file so three runs of it fit in minutes, not a quarter hour.
declare -A SLOW_FILE=()
slow_files() {
  if [[ $KWIK_MIB -lt $BIG_MIB ]]; then
    make_file "$WORK/file-${KWIK_MIB}m.bin" "$KWIK_MIB"
    SLOW_FILE[kwik]="$WORK/file-${KWIK_MIB}m.bin"
  fi
}

# ---------------------------------------------------------------- 1. loopback
scenario_1() {
  log "scenario 1: loopback, ${BIG_MIB} MiB file"
  SERVER_NS="" CLIENT_NS="" SERVER_IP=127.0.0.1
  local file="$WORK/file-${BIG_MIB}m.bin"
  make_file "$file" "$BIG_MIB"
  slow_files
  mapfile -t tools < <(available_file_tools nc socat socatcubic javatcp udpix srt tftp1468 tftp65464 kwik)
  run_file_tools 1 "$file" "$BIG_TIMEOUT_S" "${tools[@]}"
  # The tutorial's stop-and-wait pays a round trip per KB: a smaller file, scaled in the report.
  if [[ -n "$UDPIX_OK" ]]; then
    local small="$WORK/file-${PLAIN_MIB}m.bin"
    make_file "$small" "$PLAIN_MIB"
    run_file_tools 1 "$small" 900 plain
  else
    record 1 "$(tool_label plain)" 1 "" 0 "SKIP" "the udpix command does not work yet (./udpix --help failed)"
  fi
  missing_tools_note 1 nc socat socatcubic javatcp udpix srt tftp1468 tftp65464 kwik
}

missing_tools_note() {
  local scenario=$1 t
  shift
  local have
  have=" $(available_file_tools "$@" | tr '\n' ' ') "
  for t in "$@"; do
    [[ "$have" == *" $t "* ]] || record "$scenario" "$(tool_label "$t")" 1 "" 0 "SKIP" "not installed or not built"
  done
}

# ---------------------------------------------------------------- 2. veth pair, MTU 1500
scenario_2() {
  if [[ $EUID -ne 0 ]]; then
    log "scenario 2 skipped: network namespaces need root"
    record 2 "all tools" 1 "" 0 "SKIP" "needs root (network namespaces); run bench/run as root"
    return 0
  fi
  log "scenario 2: veth pair between two namespaces, MTU 1500, ${BIG_MIB} MiB file"
  veth_up || { record 2 "all tools" 1 "" 0 "FAIL" "could not create the veth pair"; return 0; }
  SERVER_NS=$NS_VETH_B CLIENT_NS=$NS_VETH_A SERVER_IP=$VETH_IP_B
  local file="$WORK/file-${BIG_MIB}m.bin"
  make_file "$file" "$BIG_MIB"
  slow_files
  mapfile -t tools < <(available_file_tools nc socat socatcubic javatcp udpix srt tftp1468 tftp65464 kwik)
  # udpix on a real NIC path uses the epoll driver (GSO batches of datagrams) when it is there.
  UDPIX_DRIVER=${UDPIX_VETH_DRIVER:-epoll} run_file_tools 2 "$file" "$BIG_TIMEOUT_S" "${tools[@]}"
  missing_tools_note 2 nc socat socatcubic javatcp udpix srt tftp1468 tftp65464 kwik
  veth_down
}

# ---------------------------------------------------------------- 3. emulated wide-area link
# set_tcp_cc NAME: congestion control of TCP in both namespaces (the host default here is bbr; the scenario asks
# for the kernel's CUBIC, which a namespace may only pick once the host allows it).
set_tcp_cc() {
  local cc=$1 ns
  for ns in "$NS_WAN_A" "$NS_WAN_B"; do
    ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_congestion_control="$cc" ||
      log "could not select TCP $cc in $ns"
  done
}

scenario_3() {
  if [[ $EUID -ne 0 ]]; then
    log "scenario 3 skipped: network namespaces and TUN devices need root"
    record 3 "all tools" 1 "" 0 "SKIP" "needs root (namespaces, TUN); run bench/run as root"
    return 0
  fi
  [[ -x "$LINKEMU" ]] || { record 3 "all tools" 1 "" 0 "FAIL" "bench/linkemu did not build (gcc missing?)"; return 0; }
  SAVED_TCP_ALLOWED=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
  sysctl -q -w net.ipv4.tcp_allowed_congestion_control="$SAVED_TCP_ALLOWED cubic"
  # Loss-based TCP (CUBIC) and SRT file mode move a few Mbit/s at these loss rates (Mathis et al.: rate ~
  # MSS/RTT x 1.22/sqrt(p), about 2 Mbit/s at 50 ms and 2%): they get a smaller file so a run takes seconds, not
  # a quarter hour. Goodput is comparable across sizes once past the first round trips.
  local file="$WORK/file-${WAN_MIB}m.bin" slowfile="$WORK/file-${WAN_SLOW_MIB}m.bin"
  make_file "$file" "$WAN_MIB"
  make_file "$slowfile" "$WAN_SLOW_MIB"
  local sha slowsha
  sha=$(sha256_of "$file")
  slowsha=$(sha256_of "$slowfile")
  local cond
  for cond in "100 25 2" "100 50 5"; do
    local rate delay loss
    read -r rate delay loss <<<"$cond"
    local tag="3: ${rate} Mbit/s, $((delay * 2)) ms RTT, ${loss}% loss"
    log "scenario $tag"
    wan_up "$rate" "$delay" "$loss" "$SEED" || { record "$tag" "all tools" 1 "" 0 "FAIL" "emulated link did not come up"; continue; }
    wan_check "$tag" "$rate" "$delay"
    SERVER_NS=$NS_WAN_B CLIENT_NS=$NS_WAN_A SERVER_IP=$WAN_IP_B
    local run
    for run in $(seq 1 "$RUNS"); do
      set_tcp_cc cubic
      measure_transfer "$tag" javatcp "TCP CUBIC (Java socket copy, ${WAN_SLOW_MIB} MiB file)" "$run" "$slowfile" "$slowsha" "$WAN_TIMEOUT_S"
      [[ -n "$UDPIX_OK" ]] && measure_transfer "$tag" udpix "udpix" "$run" "$file" "$sha" "$WAN_TIMEOUT_S"
      command -v srt-file-transmit >/dev/null &&
        measure_transfer "$tag" srt "SRT file mode (${WAN_SLOW_MIB} MiB file)" "$run" "$slowfile" "$slowsha" "$WAN_TIMEOUT_S"
      set_tcp_cc bbr
      measure_transfer "$tag" javatcp "TCP BBR (Java socket copy; this kernel's default)" "$run" "$file" "$sha" "$WAN_TIMEOUT_S"
    done
    [[ -n "$UDPIX_OK" ]] || record "$tag" "udpix" 1 "" 0 "SKIP" "the udpix command does not work yet"
    wan_down
    cat "$WORK/linkemu.log" >>"$WORK/linkemu-all.log"
    : >"$WORK/linkemu.log"
  done
  sysctl -q -w net.ipv4.tcp_allowed_congestion_control="$SAVED_TCP_ALLOWED"
  SAVED_TCP_ALLOWED=""
}

# Checks the emulated link before using it: ping's minimum RTT against the configured one, and a UDP flood at
# 1.5x the link rate (iperf3 -u), whose receiver must see about the link rate and the configured loss plus the
# queue's drops. Both go into the table as their own rows.
wan_check() {
  local tag=$1 rate=$2 delay=$3
  local min_rtt
  min_rtt=$(ip netns exec "$NS_WAN_A" ping -c 10 -i 0.2 -q "$WAN_IP_B" 2>/dev/null | sed -n 's/^rtt [^=]*= \([0-9.]*\)\/.*/\1/p')
  record "$tag" "link check: ping" 1 "" 0 "ok" "min_rtt_ms=${min_rtt:-?};configured_rtt_ms=$((delay * 2))"
  if command -v iperf3 >/dev/null; then
    local port=$((PORT_BASE + 2500))
    ip netns exec "$NS_WAN_B" iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
    local ipid=$!
    bg_track "$ipid"
    sleep 0.5
    local line
    line=$(ip netns exec "$NS_WAN_A" timeout 30 iperf3 -u -c "$WAN_IP_B" -p "$port" -b "$((rate * 3 / 2))M" \
      -l 1400 -t 4 -f m 2>/dev/null | grep 'receiver' | tail -n 1)
    bg_kill "$ipid"
    local mbit lost
    mbit=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") { print $i; exit } }')
    lost=$(echo "$line" | sed -n 's/.*(\([0-9.e+-]*%\)).*/\1/p')
    record "$tag" "link check: iperf3 UDP at $((rate * 3 / 2)) Mbit/s" 1 "" 0 "ok" \
      "received_mbit=${mbit:-?};lost=${lost:-?};configured_mbit=$rate"
  fi
}

# ---------------------------------------------------------------- 4. many small images
scenario_4() {
  log "scenario 4: ${SMALL_ITEMS} JPEGs of ~32 KB from 4 clients"
  local dir="$WORK/images-32k"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" io.udpix.bench.peers.GenImages "$dir" "$SMALL_ITEMS" 400 300 \
    32768 "$SEED" >&2 || { record 4 "all tools" 1 "" 0 "FAIL" "could not make the images"; return 0; }
  local run tool
  for run in $(seq 1 "$RUNS"); do
    for tool in udpix tcp aeron; do
      [[ $tool == udpix && -z "$UDPIX_API_OK" ]] && continue
      item_bench 4 "$tool" "$run" --dir "$dir" --items "$SMALL_ITEMS" --warmup "$SMALL_WARMUP" --clients 4 --window 16
    done
  done
}

# item_bench SCENARIO TOOL RUN ARGS...: one ItemBench run, recorded with its items/s and latencies.
item_bench() {
  local scenario=$1 tool=$2 run=$3
  shift 3
  local port=$((PORT_BASE + 3000 + RANDOM % 1000)) line rc=0 t0 t1 label
  case $tool in
    udpix) label="udpix (Java API)" ;;
    tcp) label="TCP (Java sockets, SHA-256 per item)" ;;
    aeron) label="Aeron (embedded driver, 1408-byte MTU)" ;;
  esac
  t0=$(now_s)
  line=$("$JAVA" -Xmx2g "${AERON_OPENS[@]}" -cp "$BENCH_JAR" io.udpix.bench.peers.ItemBench --tool "$tool" \
    --port "$port" --timeout-seconds "$ITEM_TIMEOUT_S" "$@" 2>"$WORK/itembench.err" | grep '^tool=') || rc=$?
  t1=$(now_s)
  local extra
  extra=$(echo "$line" | tr ' ' '\n' | grep -E '^(itemsPerSecond|p50Ms|p99Ms|maxMs|received|failures|items)=' | paste -sd';')
  if [[ $rc -eq 0 && "$line" == *complete=true* ]]; then
    record "$scenario" "$label" "$run" "$(echo "$line" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')" 0 ok "$extra"
  else
    record "$scenario" "$label" "$run" "$(elapsed_s "$t0" "$t1")" 0 FAIL \
      "${extra:-no result} $(tail -n 2 "$WORK/itembench.err" | tr '\n\t' '  ' | cut -c1-160)"
  fi
}

# ---------------------------------------------------------------- 5. one 1080p JPEG
scenario_5() {
  log "scenario 5: one 1080p JPEG (~800 KB), ${LATENCY_ITEMS} sends one at a time"
  local dir="$WORK/images-1080p"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" io.udpix.bench.peers.GenImages "$dir" 1 1920 1080 819200 \
    "$SEED" >&2 || { record 5 "all tools" 1 "" 0 "FAIL" "could not make the image"; return 0; }
  local run tool
  for run in $(seq 1 "$RUNS"); do
    for tool in udpix tcp; do
      [[ $tool == udpix && -z "$UDPIX_API_OK" ]] && continue
      item_bench 5 "$tool" "$run" --file "$dir/img-000000.jpg" --items "$LATENCY_ITEMS" --warmup "$LATENCY_WARMUP" --clients 1 \
        --window 1
    done
  done
}

# ---------------------------------------------------------------- 6. receiver memory
scenario_6() {
  log "scenario 6: peak RSS of the receiver for a ${HUGE_MIB} MiB file, -Xmx64m"
  SERVER_NS="" CLIENT_NS="" SERVER_IP=127.0.0.1
  local file="$WORK/file-${HUGE_MIB}m.bin"
  make_file "$file" "$HUGE_MIB"
  local sha
  sha=$(sha256_of "$file")
  if [[ -n "$UDPIX_OK" ]]; then
    rss_transfer udpix "udpix serve, JAVA_OPTS=-Xmx64m" "$file" "$sha"
  else
    record 6 "udpix" 1 "" 0 "SKIP" "the udpix command does not work yet"
  fi
  JAVATCP_SERVER_OPTS=-Xmx64m rss_transfer javatcp "TCP (Java socket copy, -Xmx64m), for reference" "$file" "$sha"
  rm -f "$file"
}

# rss_transfer TOOL LABEL FILE SHA: one transfer; records the receiver's peak RSS (VmHWM) beside the time.
rss_transfer() {
  local tool=$1 label=$2 file=$3 sha=$4
  IN_FILE=$file
  TIMEOUT_S=$HUGE_TIMEOUT_S
  OUT_DIR="$WORK/out-$tool"
  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR"
  PORT=$((PORT_BASE + 4000 + RANDOM % 500))
  UDPIX_SERVER_JAVA_OPTS="-Xmx64m" "${tool}_server" || { record 6 "$label" 1 "" 0 FAIL "server did not start"; return 0; }
  local pid=$SERVER_PID t0 t1 rc=0 peak=0 hwm
  # Sample while it runs (the high-water mark is kept by the kernel; the last sample before exit is the peak).
  (
    while kill -0 "$pid" 2>/dev/null; do
      awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null >"$OUT_DIR/hwm.tmp" && mv "$OUT_DIR/hwm.tmp" "$OUT_DIR/hwm"
      sleep 0.2
    done
  ) &
  local sampler=$!
  t0=$(now_s)
  "${tool}_client" >"$OUT_DIR/client.log" 2>&1 || rc=$?
  [[ $rc -eq 0 ]] && { "${tool}_wait" || rc=98; }
  t1=$(now_s)
  hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
  [[ -n "$hwm" ]] || hwm=$(cat "$OUT_DIR/hwm" 2>/dev/null)
  peak=${hwm:-0}
  bg_kill "$pid"
  kill "$sampler" 2>/dev/null
  wait "$sampler" 2>/dev/null
  local out check="not checked"
  out=$("${tool}_output")
  if [[ $rc -eq 0 ]]; then check=$(verify_output "$sha" "$out"); fi
  local status=FAIL
  [[ $rc -eq 0 && "$check" == ok ]] && status=ok
  record 6 "$label" 1 "$(elapsed_s "$t0" "$t1")" "$(stat -c %s "$file")" "$status" \
    "peak_rss_mib=$((peak / 1024));check=${check};exit=$rc"
  rm -rf "$OUT_DIR"
}
