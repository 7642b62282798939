# shellcheck shell=bash
# Scenario 10 of bench/run: whole commands, timed as a user waits for them (issue 13's start-up and many-files
# targets). JVM start-up, handshake and the transfer are all inside the time, as they are for the user.
#   10a one 32 KB image over the emulated 100 Mbit/s, 100 ms RTT, 5% loss link: `udpix send` against the
#       launcher's bare start-up (`udpix --version`) plus three round trips, and nc for reference; 5 runs each;
#   10b a 16 MiB file over the same link: udpix against TCP BBR (the Java socket copy), alternating;
#   10c 2,000 small JPEGs on loopback in one command: `udpix send DIR/*.jpg` against `tar c | nc` into
#       `nc -l | tar x`, every file checked by SHA-256 on arrival.
# 10a and 10b need root (the emulated link); 10c runs anywhere.

COMMAND_RUNS=${COMMAND_RUNS:-5}

scenario_10() {
  if [[ $EUID -eq 0 && -x "${LINKEMU:-}" && -n "$UDPIX_OK" ]]; then
    commands_over_wan
  else
    record "10a: one 32 KB image, 100 Mbit/s, 100 ms RTT, 5% loss" "all tools" 1 "" 0 "SKIP" \
      "needs root, bench/linkemu and the udpix command"
  fi
  if [[ -n "$UDPIX_OK" ]] && command -v nc >/dev/null && command -v tar >/dev/null; then
    many_files_loopback
  else
    record "10c: ${MANY_FILES} small JPEGs in one command, loopback" "all tools" 1 "" 0 "SKIP" "needs udpix, nc and tar"
  fi
}

commands_over_wan() {
  local tag_a="10a: one 32 KB image, 100 Mbit/s, 100 ms RTT, 5% loss"
  local tag_b="10b: 16 MiB, 100 Mbit/s, 100 ms RTT, 5% loss"
  local img="$WORK/images-one-32k" mid="$WORK/file-16m.bin"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" io.udpix.bench.peers.GenImages "$img" 1 400 300 32768 \
    "$SEED" >&2 || { record "$tag_a" "all tools" 1 "" 0 "FAIL" "could not make the image"; return 0; }
  local one="$img/img-000000.jpg"
  make_file "$mid" 16
  local sha_one sha_mid
  sha_one=$(sha256_of "$one")
  sha_mid=$(sha256_of "$mid")
  SAVED_TCP_ALLOWED=$(sysctl -n net.ipv4.tcp_allowed_congestion_control)
  wan_up 100 50 5 "$SEED" || { record "$tag_a" "all tools" 1 "" 0 "FAIL" "emulated link did not come up"; return 0; }
  SERVER_NS=$NS_WAN_B CLIENT_NS=$NS_WAN_A SERVER_IP=$WAN_IP_B
  set_tcp_cc bbr
  # One long-running receiver, as a user's server is, warmed by one send that is not counted; each measured
  # `udpix send` is a fresh command (a cold client JVM), which is what the target is about.
  OUT_DIR="$WORK/out-commands"
  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR/udpix"
  PORT=$((PORT_BASE + 5600 + RANDOM % 200))
  udpix_server || { record "$tag_a" "udpix send (whole command)" 1 "" 0 FAIL "server did not start"; }
  local warm_pid=$SERVER_PID udpix_port=$PORT udpix_out=$OUT_DIR
  IN_FILE=$one TIMEOUT_S=60
  udpix_client >/dev/null 2>&1 || log "the warm-up send failed"
  local run t0 t1 rc
  for run in $(seq 1 "$COMMAND_RUNS"); do
    # The launcher's bare start-up: what a command costs before it does anything.
    t0=$(now_s)
    if ns_run "$CLIENT_NS" env UDPIX_TARGET="$UDPIX_TARGET" "$UDPIX" --version >/dev/null 2>&1; then
      t1=$(now_s)
      record "$tag_a" "udpix --version (bare start-up)" "$run" "$(elapsed_s "$t0" "$t1")" 0 ok
    else
      record "$tag_a" "udpix --version (bare start-up)" "$run" "" 0 FAIL "udpix --version failed"
    fi
    # measure_transfer (nc) sets PORT and OUT_DIR for its own receiver: back to udpix's.
    PORT=$udpix_port OUT_DIR=$udpix_out
    rm -f "$OUT_DIR/udpix"/*
    IN_FILE=$one TIMEOUT_S=60 rc=0
    t0=$(now_s)
    udpix_client >"$OUT_DIR/client.log" 2>&1 || rc=$?
    t1=$(now_s)
    if [[ $rc -eq 0 && "$(verify_output "$sha_one" "$(first_file "$OUT_DIR/udpix")")" == ok ]]; then
      record "$tag_a" "udpix send (whole command; server warm)" "$run" "$(elapsed_s "$t0" "$t1")" "$(stat -c %s "$one")" ok
    else
      record "$tag_a" "udpix send (whole command; server warm)" "$run" "$(elapsed_s "$t0" "$t1")" 0 FAIL \
        "exit $rc: $(tail -n 1 "$OUT_DIR/client.log" | cut -c1-160)"
    fi
    measure_transfer "$tag_a" nc "TCP (nc, whole command)" "$run" "$one" "$sha_one" 60
  done
  bg_kill "$warm_pid"
  rm -rf "$WORK/out-commands"
  for run in $(seq 1 "$RUNS"); do
    measure_transfer "$tag_b" udpix "udpix" "$run" "$mid" "$sha_mid" "$WAN_TIMEOUT_S"
    measure_transfer "$tag_b" javatcp "TCP BBR (Java socket copy)" "$run" "$mid" "$sha_mid" "$WAN_TIMEOUT_S"
  done
  wan_down
  cat "$WORK/linkemu.log" >>"$WORK/linkemu-all.log" 2>/dev/null
  : >"$WORK/linkemu.log"
  sysctl -q -w net.ipv4.tcp_allowed_congestion_control="$SAVED_TCP_ALLOWED"
  SAVED_TCP_ALLOWED=""
}

# ---------------------------------------------------------------- 10c: a folder of small JPEGs in one command
many_files_loopback() {
  local tag="10c: ${MANY_FILES} small JPEGs in one command, loopback"
  local dir="$WORK/images-many"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" io.udpix.bench.peers.GenImages "$dir" "$MANY_FILES" 400 300 \
    32768 "$SEED" >&2 || { record "$tag" "all tools" 1 "" 0 "FAIL" "could not make the images"; return 0; }
  local expected bytes run
  expected=$(cd "$dir" && sha256sum -- *.jpg | sort -k2 | sha256sum | cut -d' ' -f1)
  bytes=$(du -sb "$dir" | cut -f1)
  SERVER_NS="" CLIENT_NS="" SERVER_IP=127.0.0.1
  for run in $(seq 1 "$RUNS"); do
    many_files_run "$tag" udpix "udpix send DIR/*.jpg" "$run" "$dir" "$expected" "$bytes"
    many_files_run "$tag" tarnc "tar c | nc (TCP)" "$run" "$dir" "$expected" "$bytes"
  done
}

# many_files_run TAG TOOL LABEL RUN DIR EXPECTED BYTES: one timed command; the receiver's files must hash to EXPECTED.
many_files_run() {
  local tag=$1 tool=$2 label=$3 run=$4 dir=$5 expected=$6 bytes=$7
  OUT_DIR="$WORK/out-many-$tool"
  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR/recv"
  PORT=$((PORT_BASE + 5000 + RANDOM % 500))
  TIMEOUT_S=300
  case $tool in
    udpix)
      server_bg "$OUT_DIR/server.log" env UDPIX_TARGET="$UDPIX_TARGET" "$UDPIX" serve --port "$PORT" \
        --bind "$SERVER_IP" --out "$OUT_DIR/recv"
      wait_for_line "$OUT_DIR/server.log" 60 'listening on' ||
        { record "$tag" "$label" "$run" "" "$bytes" FAIL "server did not start"; bg_kill "$SERVER_PID"; return 0; }
      ;;
    tarnc)
      server_bg "$OUT_DIR/server.log" sh -c "nc -l -d -N '$SERVER_IP' '$PORT' | tar x -C '$OUT_DIR/recv'"
      wait_for_port tcp "$PORT" 10 ||
        { record "$tag" "$label" "$run" "" "$bytes" FAIL "server did not start"; bg_kill "$SERVER_PID"; return 0; }
      ;;
  esac
  local t0 t1 rc=0
  t0=$(now_s)
  case $tool in
    udpix) timeout "$TIMEOUT_S" env UDPIX_TARGET="$UDPIX_TARGET" "$UDPIX" send "$dir"/*.jpg \
      --to "$SERVER_IP:$PORT" >"$OUT_DIR/client.log" 2>&1 || rc=$? ;;
    tarnc) (cd "$dir" && tar c -- *.jpg | timeout "$TIMEOUT_S" nc -N "$SERVER_IP" "$PORT") \
      >"$OUT_DIR/client.log" 2>&1 || rc=$?
      [[ $rc -eq 0 ]] && { wait_server_exit_fast || rc=98; } ;;
  esac
  t1=$(now_s)
  bg_kill "$SERVER_PID"
  local got status=ok extra=""
  got=$(cd "$OUT_DIR/recv" && sha256sum -- *.jpg 2>/dev/null | sort -k2 | sha256sum | cut -d' ' -f1)
  if [[ $rc -ne 0 ]]; then
    status=FAIL extra="exit $rc: $(tail -n 2 "$OUT_DIR/client.log" | tr '\n\t' '  ' | cut -c1-160)"
  elif [[ "$got" != "$expected" ]]; then
    status=FAIL extra="received files differ ($(find "$OUT_DIR/recv" -name '*.jpg' | wc -l) files)"
  fi
  record "$tag" "$label" "$run" "$(elapsed_s "$t0" "$t1")" "$bytes" "$status" "$extra"
  rm -rf "$OUT_DIR"
}
