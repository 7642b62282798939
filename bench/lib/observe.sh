# shellcheck shell=bash
# Scenario 8: what observability costs. The same transfers with the dashboard, Prometheus scrapes and --stats
# off ("udpix") and on ("udpix, observed": serve --http and --stats 1s, send --stats 1s, one browser-like SSE
# client on /api/events, /metrics and /api/stats fetched every second), alternating run by run.

# udpixobs_server: udpix_server with the dashboard on PORT+1, --stats 1s, and the watchers started.
udpixobs_server() {
  mkdir -p "$OUT_DIR/udpix"
  local http=$((PORT + 1))
  # shellcheck disable=SC2046
  server_bg "$OUT_DIR/server.log" env JAVA_OPTS="${UDPIX_SERVER_JAVA_OPTS:-}" UDPIX_TARGET="$UDPIX_TARGET" \
    "$UDPIX" serve --port "$PORT" --bind "$SERVER_IP" --out "$OUT_DIR/udpix" --max-size 64GiB \
    --http "127.0.0.1:$http" --stats 1s $(udpix_driver_args)
  wait_for_line "$OUT_DIR/server.log" 60 'listening on' || return 1
  obs_watchers "$http" "$SERVER_PID"
}
udpixobs_client() {
  # shellcheck disable=SC2046
  ns_run "$CLIENT_NS" env JAVA_OPTS="${UDPIX_CLIENT_JAVA_OPTS:-}" UDPIX_TARGET="$UDPIX_TARGET" \
    timeout "$TIMEOUT_S" "$UDPIX" send "$IN_FILE" --to "$SERVER_IP:$PORT" --stats 1s $(udpix_driver_args)
}
udpixobs_wait() { return 0; }
udpixobs_output() { first_file "$OUT_DIR/udpix"; }

# obs_watchers HTTP_PORT SERVER_PID: an SSE client, and a scraper of /metrics and /api/stats every second, both
# ending with the server.
obs_watchers() {
  local http=$1 pid=$2
  curl -sN "http://127.0.0.1:$http/api/events" >/dev/null 2>&1 &
  (while kill -0 "$pid" 2>/dev/null; do
     curl -s "http://127.0.0.1:$http/metrics" >/dev/null 2>&1
     curl -s "http://127.0.0.1:$http/api/stats" >/dev/null 2>&1
     sleep 1
   done) &
}

# obs_items SCENARIO TOOL RUN DIR COUNT: `udpix send DIR/*.jpg` as one command to a server, timed whole; ok when
# COUNT files arrived.
obs_items() {
  local scenario=$1 tool=$2 run=$3 dir=$4 count=$5
  OUT_DIR="$WORK/out-$tool"
  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR"
  PORT=$((PORT_BASE + RANDOM % 2000))
  TIMEOUT_S=$ITEM_TIMEOUT_S
  local label bytes extra=()
  label=$(obs_label "$tool")
  bytes=$(du -cb "$dir"/*.jpg | tail -n 1 | cut -f1)
  [[ $tool == udpixobs ]] && extra=(--stats 1s)
  "${tool}_server" || { record "$scenario" "$label" "$run" "" "$bytes" FAIL "server did not start"; bg_kill "$SERVER_PID"; return 0; }
  local t0 t1 rc=0
  t0=$(now_s)
  # shellcheck disable=SC2046
  env UDPIX_TARGET="$UDPIX_TARGET" timeout "$TIMEOUT_S" "$UDPIX" send "$dir"/*.jpg --to "127.0.0.1:$PORT" \
    "${extra[@]}" $(udpix_driver_args) >"$OUT_DIR/client.log" 2>&1 || rc=$?
  t1=$(now_s)
  local got
  got=$(find "$OUT_DIR/udpix" -maxdepth 1 -type f -name '*.jpg' | wc -l)
  if [[ $rc -eq 0 && $got -eq $count ]]; then
    record "$scenario" "$label" "$run" "$(elapsed_s "$t0" "$t1")" "$bytes" ok \
      "itemsPerSecond=$(python3 -c "print(round($count/$(elapsed_s "$t0" "$t1"),1))")"
  else
    record "$scenario" "$label" "$run" "$(elapsed_s "$t0" "$t1")" "$bytes" FAIL \
      "exit $rc, $got/$count files: $(failure_reason "$OUT_DIR/client.log")"
  fi
  bg_kill "$SERVER_PID"
  rm -rf "$OUT_DIR"
}

obs_label() {
  case $1 in
    udpix) echo "udpix" ;;
    udpixobs) echo "udpix, observed (--http, SSE client, /metrics 1/s, --stats 1s)" ;;
  esac
}

scenario_8() {
  [[ -n "$UDPIX_OK" ]] || { record 8 "all tools" 1 "" 0 SKIP "the udpix command does not work yet"; return 0; }
  command -v curl >/dev/null || { record 8 "all tools" 1 "" 0 SKIP "curl is missing"; return 0; }
  SERVER_NS="" CLIENT_NS="" SERVER_IP=127.0.0.1
  local file="$WORK/file-${BIG_MIB}m.bin" sha run tool
  make_file "$file" "$BIG_MIB"
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  log "scenario 8: observability overhead, ${BIG_MIB} MiB over loopback"
  for run in $(seq 1 "$OBS_RUNS"); do
    for tool in udpix udpixobs; do
      measure_transfer "8: loopback ${BIG_MIB} MiB file" "$tool" "$(obs_label "$tool")" "$run" "$file" "$sha" \
        "$BIG_TIMEOUT_S"
    done
  done
  local dir="$WORK/images-obs"
  "$JAVA" -Djava.awt.headless=true -cp "$BENCH_JAR" io.udpix.bench.peers.GenImages "$dir" "$OBS_ITEMS" 400 300 \
    32768 "$SEED" >&2 || { record 8 "all tools" 1 "" 0 FAIL "could not make the images"; return 0; }
  log "scenario 8: observability overhead, ${OBS_ITEMS} x 32 KB JPEGs in one send command"
  for run in $(seq 1 "$OBS_RUNS"); do
    for tool in udpix udpixobs; do
      obs_items "8: ${OBS_ITEMS} x 32 KB JPEGs, one udpix send command" "$tool" "$run" "$dir" "$OBS_ITEMS"
    done
  done
}
