# shellcheck shell=bash
# The file-transfer peers of scenarios 1-3. Each tool T has:
#   T_server   start the receiver in the background (namespace $SERVER_NS, address $SERVER_IP, port $PORT,
#              writing under $OUT_DIR) and wait until it is ready; sets SERVER_PID
#   T_client   send $IN_FILE from namespace $CLIENT_NS (foreground, timed, under `timeout $TIMEOUT_S`)
#   T_wait     wait until the receiver holds the whole file (one-shot receivers exit; others are done already)
#   T_output   print the path of the received file
# The harness times T_client plus T_wait, then checks the output's SHA-256 and stops the server.

JAVA=${JAVA:-java}
AERON_OPENS=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED)

server_bg() {
  # server_bg LOG CMD...: runs CMD in $SERVER_NS in the background, logging to LOG. A simple command put in the
  # background is exec'd by the forked shell, so SERVER_PID is the receiver itself (its /proc status is read
  # for scenario 6).
  local logf=$1
  shift
  # Inside a measured transfer the receiver joins the run's "recv" cgroup (common.sh) before it execs.
  local pre=()
  [[ -n "$CPU_CG_BASE" && -d "$CPU_CG_BASE/recv" ]] &&
    pre=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CPU_CG_BASE/recv")
  if [[ -n "$SERVER_NS" ]]; then
    "${pre[@]}" ip netns exec "$SERVER_NS" "$@" >"$logf" 2>&1 &
  else
    "${pre[@]}" "$@" >"$logf" 2>&1 &
  fi
  SERVER_PID=$!
  bg_track "$SERVER_PID"
}

# Waits for a one-shot receiver to exit by itself (it saw the end of the stream and closed the file).
wait_server_exit() {
  local i
  for i in $(seq 1 $((TIMEOUT_S * 10))); do
    kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" 2>/dev/null; return 0; }
    sleep 0.1
  done
  return 1
}

# Waits for a one-shot receiver, in 10 ms steps (short transfers: the wait is part of the measured time).
wait_server_exit_fast() {
  local i
  for i in $(seq 1 $((TIMEOUT_S * 100))); do
    kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" 2>/dev/null; return 0; }
    sleep 0.01
  done
  return 1
}

# ---------------------------------------------------------------- TCP: netcat (OpenBSD)
nc_server() {
  server_bg "$OUT_DIR/server.log" sh -c "exec nc -l -d -N '$SERVER_IP' '$PORT' > '$OUT_DIR/nc.out'"
  wait_for_port tcp "$PORT" 10 "$SERVER_NS"
}
nc_client() { ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" nc -N "$SERVER_IP" "$PORT" <"$IN_FILE"; }
nc_wait() { wait_server_exit_fast; }
nc_output() { echo "$OUT_DIR/nc.out"; }

# ---------------------------------------------------------------- TCP: socat
socat_server() {
  server_bg "$OUT_DIR/server.log" socat -u "TCP-LISTEN:$PORT,bind=$SERVER_IP,reuseaddr" \
    "OPEN:$OUT_DIR/socat.out,creat,trunc"
  wait_for_port tcp "$PORT" 10 "$SERVER_NS"
}
socat_client() { ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" socat -u "OPEN:$IN_FILE" "TCP:$SERVER_IP:$PORT"; }
socat_wait() { wait_server_exit_fast; }
socat_output() { echo "$OUT_DIR/socat.out"; }

# ---------------------------------------------------------------- TCP: socat with CUBIC on its sockets
# This kernel's default congestion control is BBR, whose pacing costs throughput on loopback; setsockopt
# TCP_CONGESTION (IPPROTO_TCP=6, option 13) gives the same copy with CUBIC, so "TCP" is not judged by one setting.
socatcubic_server() {
  server_bg "$OUT_DIR/server.log" socat -u "TCP-LISTEN:$PORT,bind=$SERVER_IP,reuseaddr,setsockopt-string=6:13:cubic" \
    "OPEN:$OUT_DIR/socat.out,creat,trunc"
  wait_for_port tcp "$PORT" 10 "$SERVER_NS"
}
socatcubic_client() {
  ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" socat -u "OPEN:$IN_FILE" "TCP:$SERVER_IP:$PORT,setsockopt-string=6:13:cubic"
}
socatcubic_wait() { wait_server_exit_fast; }
socatcubic_output() { echo "$OUT_DIR/socat.out"; }

# ---------------------------------------------------------------- TCP: plain Java socket copy
javatcp_server() {
  # shellcheck disable=SC2086
  server_bg "$OUT_DIR/server.log" "$JAVA" ${JAVATCP_SERVER_OPTS:-} -cp "$BENCH_JAR" io.udpix.bench.peers.TcpCopy serve "$SERVER_IP" \
    "$PORT" "$OUT_DIR/javatcp.out"
  wait_for_line "$OUT_DIR/server.log" 20 '^listening on'
}
javatcp_client() {
  ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" "$JAVA" -cp "$BENCH_JAR" io.udpix.bench.peers.TcpCopy send \
    "$SERVER_IP" "$PORT" "$IN_FILE"
}
javatcp_wait() { wait_server_exit_fast; }
javatcp_output() { echo "$OUT_DIR/javatcp.out"; }

# ---------------------------------------------------------------- udpix (./udpix serve / send)
# UDPIX_DRIVER (nio|epoll|auto, empty: the CLI's default) picks the I/O driver on both sides.
udpix_driver_args() { [[ -n "${UDPIX_DRIVER:-}" ]] && echo "--driver $UDPIX_DRIVER"; }
# serve refuses items over 1 GiB by default: --max-size lets scenario 6's 4 GiB file in.
udpix_server() {
  mkdir -p "$OUT_DIR/udpix"
  # shellcheck disable=SC2046
  server_bg "$OUT_DIR/server.log" env JAVA_OPTS="${UDPIX_SERVER_JAVA_OPTS:-}" UDPIX_TARGET="$UDPIX_TARGET" \
    "$UDPIX" serve --port "$PORT" --bind "$SERVER_IP" --out "$OUT_DIR/udpix" --max-size 64GiB $(udpix_driver_args)
  wait_for_line "$OUT_DIR/server.log" 60 'listening on'
}
udpix_client() {
  # shellcheck disable=SC2046
  ns_run "$CLIENT_NS" env JAVA_OPTS="${UDPIX_CLIENT_JAVA_OPTS:-}" UDPIX_TARGET="$UDPIX_TARGET" \
    timeout "$TIMEOUT_S" "$UDPIX" send "$IN_FILE" --to "$SERVER_IP:$PORT" $(udpix_driver_args)
}
udpix_wait() { return 0; } # send exits 0 only after the receiver confirmed the SHA-256
udpix_output() { first_file "$OUT_DIR/udpix"; }

# The received file in $1: the one named like the input, else the only regular file there.
first_file() {
  local dir=$1 name
  name=$(basename "$IN_FILE")
  if [[ -f "$dir/$name" ]]; then echo "$dir/$name"; return; fi
  find "$dir" -maxdepth 1 -type f ! -name '*.jsonl' ! -name '.*' | head -n 1
}

# ---------------------------------------------------------------- udpix plain mode (the tutorial's stop-and-wait)
plain_server() {
  mkdir -p "$OUT_DIR/plain"
  server_bg "$OUT_DIR/server.log" env UDPIX_TARGET="$UDPIX_TARGET" "$UDPIX" serve --plain --port "$PORT" \
    --bind "$SERVER_IP" --out "$OUT_DIR/plain"
  wait_for_line "$OUT_DIR/server.log" 60 'listening on'
}
plain_client() {
  ns_run "$CLIENT_NS" env UDPIX_TARGET="$UDPIX_TARGET" timeout "$TIMEOUT_S" "$UDPIX" send --plain "$IN_FILE" \
    --to "$SERVER_IP:$PORT" --chunk 1024 --wait-each
}
plain_wait() {
  # Plain mode has no confirmation of the whole item: wait until the receiver has written all of it.
  local i size
  size=$(stat -c %s "$IN_FILE")
  for i in $(seq 1 $((TIMEOUT_S * 100))); do
    local f
    f=$(first_file "$OUT_DIR/plain")
    [[ -n "$f" && $(stat -c %s "$f" 2>/dev/null || echo 0) -ge $size ]] && return 0
    sleep 0.01
  done
  return 1
}
plain_output() { first_file "$OUT_DIR/plain"; }

# ---------------------------------------------------------------- SRT file mode (srt-tools)
# transtype=file selects SRT's file congestion control (FileCC) and message-less stream mode, as the SRT docs
# advise for file transfer; buffers stay at their defaults (8 MiB receive buffer, 25,600-packet flight window).
srt_server() {
  mkdir -p "$OUT_DIR/srt"
  server_bg "$OUT_DIR/server.log" srt-file-transmit -q "srt://$SERVER_IP:$PORT?mode=listener&transtype=file" \
    "file://$OUT_DIR/srt/"
  wait_for_port udp "$PORT" 10 "$SERVER_NS"
}
srt_client() {
  ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" srt-file-transmit -q "file://$IN_FILE" \
    "srt://$SERVER_IP:$PORT?mode=caller&transtype=file&streamid=$(basename "$IN_FILE")"
}
srt_wait() { wait_server_exit_fast; }
srt_output() { first_file "$OUT_DIR/srt"; }

# ---------------------------------------------------------------- TFTP (atftp client, atftpd server)
# RFC 2348 blksize and RFC 7440 windowsize. Large windows of 64 KiB blocks overflow the default 208 KiB UDP
# receive buffer, and atftp has no option to raise it: TFTP_RMEM_DEFAULT (set by the harness as root, restored
# afterwards) raises net.core.rmem_default while TFTP runs.
tftp_server_common() {
  mkdir -p "$OUT_DIR/tftp"
  chmod 777 "$OUT_DIR/tftp"
  server_bg "$OUT_DIR/server.log" /usr/sbin/atftpd --daemon --no-fork --port "$PORT" --bind-address "$SERVER_IP" \
    --user root --group root --logfile - "$OUT_DIR/tftp"
  wait_for_port udp "$PORT" 10 "$SERVER_NS"
}
tftp_client_common() {
  local blksize=$1 window=$2
  ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" atftp --put -l "$IN_FILE" -r "$(basename "$IN_FILE")" \
    --option "blksize $blksize" --option "windowsize $window" "$SERVER_IP" "$PORT" 2>&1 |
    grep -v '^Option ' >&2
  return "${PIPESTATUS[0]}"
}
tftp1468_server() { tftp_server_common; }
tftp1468_client() { tftp_client_common 1468 "${TFTP_WINDOW_1468:-64}"; }
tftp1468_wait() { return 0; } # the client's last block was acknowledged: the server has written it
tftp1468_output() { first_file "$OUT_DIR/tftp"; }
tftp65464_server() { tftp_server_common; }
tftp65464_client() { tftp_client_common 65464 "${TFTP_WINDOW_65464:-16}"; }
tftp65464_wait() { return 0; }
tftp65464_output() { first_file "$OUT_DIR/tftp"; }

# ---------------------------------------------------------------- QUIC: kwik (tech.kwik:kwik)
kwik_server() {
  server_bg "$OUT_DIR/server.log" "$JAVA" -Dkwik.window=$((16 << 20)) -cp "$BENCH_JAR" \
    io.udpix.bench.peers.KwikCopy serve "$SERVER_IP" "$PORT" "$OUT_DIR/kwik.out" "$KWIK_KEYSTORE" udpix-bench
  wait_for_line "$OUT_DIR/server.log" 30 '^listening on'
}
kwik_client() {
  ns_run "$CLIENT_NS" timeout "$TIMEOUT_S" "$JAVA" -Dkwik.window=$((16 << 20)) -cp "$BENCH_JAR" \
    io.udpix.bench.peers.KwikCopy send "$SERVER_IP" "$PORT" "$IN_FILE"
}
kwik_wait() { wait_server_exit_fast; }
kwik_output() { echo "$OUT_DIR/kwik.out"; }

# Makes the self-signed key pair kwik's server needs (once per work directory).
kwik_keystore() {
  KWIK_KEYSTORE="$WORK/kwik.p12"
  [[ -f "$KWIK_KEYSTORE" ]] && return 0
  keytool -genkeypair -alias kwik -keyalg RSA -keysize 2048 -validity 30 -dname CN=localhost \
    -storetype PKCS12 -keystore "$KWIK_KEYSTORE" -storepass udpix-bench -keypass udpix-bench >/dev/null 2>&1 ||
    die "keytool could not make $KWIK_KEYSTORE; is a JDK (keytool) installed?"
}

# The first line of a log that looks like the cause (an exception, an error), else its last two lines.
failure_reason() {
  local line
  line=$(grep -m 1 -E 'Exception|Error|error|failed|refused' "$1" 2>/dev/null)
  [[ -n "$line" ]] || line=$(tail -n 2 "$1" 2>/dev/null)
  echo "$line" | tr '\n\t' '  ' | cut -c1-200
}

# ---------------------------------------------------------------- one measured transfer
# measure_transfer SCENARIO TOOL LABEL RUN IN_FILE EXPECTED_SHA TIMEOUT_S
# Records seconds (client start to receiver holding the file) or the failure, and each side's CPU seconds
# (sendCpuS, recvCpuS: user + system of the whole process tree; *SysS: the system part). The receiver's CPU counts
# from its start (JVM start-up and idle wait included, as the sender's does), to the moment it holds the file.
measure_transfer() {
  local scenario=$1 tool=$2 label=$3 run=$4
  IN_FILE=$5
  local expected=$6
  TIMEOUT_S=$7
  OUT_DIR="$WORK/out-$tool"
  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR"
  PORT=$((PORT_BASE + RANDOM % 2000))
  local bytes
  bytes=$(stat -c %s "$IN_FILE")
  cpu_cg_new send
  cpu_cg_new recv
  if ! "${tool}_server"; then
    record "$scenario" "$label" "$run" "" "$bytes" "FAIL" "server did not start: $(tail -n 2 "$OUT_DIR/server.log" | tr '\n\t' '  ')"
    bg_kill "$SERVER_PID"
    cpu_cg_drop
    return 0
  fi
  local t0 t1 rc=0 cpu
  t0=$(now_s)
  cpu_cg_run send "${tool}_client" >"$OUT_DIR/client.log" 2>&1 || rc=$?
  if [[ $rc -eq 0 ]]; then "${tool}_wait" || rc=98; fi
  t1=$(now_s)
  cpu=$(cpu_extra)
  local seconds
  seconds=$(elapsed_s "$t0" "$t1")
  local out status
  out=$("${tool}_output")
  if [[ $rc -eq 124 ]]; then
    status="FAIL"
    local got=0
    [[ -n "$out" && -f "$out" ]] && got=$(stat -c %s "$out")
    record "$scenario" "$label" "$run" "$seconds" "$bytes" "$status" "timeout after ${TIMEOUT_S}s with $got bytes received"
  elif [[ $rc -ne 0 ]]; then
    record "$scenario" "$label" "$run" "$seconds" "$bytes" "FAIL" "exit $rc: $(failure_reason "$OUT_DIR/client.log")"
  else
    local check
    check=$(verify_output "$expected" "$out")
    if [[ "$check" == ok ]]; then
      record "$scenario" "$label" "$run" "$seconds" "$bytes" "ok" "$cpu"
    else
      record "$scenario" "$label" "$run" "$seconds" "$bytes" "FAIL" "$check"
    fi
  fi
  bg_kill "$SERVER_PID"
  cpu_cg_drop
  rm -rf "$OUT_DIR"
}
