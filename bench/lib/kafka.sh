# shellcheck shell=bash
# Scenario 9 of bench/run: scale-out to Kafka (issue 14). Three `udpix serve` processes on loopback, 1,000 simulated
# clients sending 10 small JPEGs (~4 KB) each from 3 client JVMs (io.udpix.kafka.load.FleetLoad: one UdpixClient
# connection per simulated client, 32 connected at once per JVM, each JVM from 250 loopback source addresses),
# once with the receivers alone ("udpix, 3 receivers") and once with `--kafka` to one broker ("... + Kafka"),
# alternating run by run. Items/s = confirmed items / (first client start to last client end); the latency of an
# item is from its send to its receiver's confirmation, which with --kafka comes only after Kafka acknowledged the
# record (acks=all). After each Kafka run io.udpix.kafka.load.TopicAudit reads the run's topic and checks that every
# confirmed item is there (missing must be 0).
# The broker: Kafka's own scripts when KAFKA_HOME names an installation (KRaft, one node, the quick start of
# https://kafka.apache.org/quickstart), else the in-process KRaft broker of the tests (EmbeddedKafka, through
# io.udpix.kafka.load.BenchBroker in its own JVM).

FLEET_CLIENTS=${FLEET_CLIENTS:-1000}
FLEET_ITEMS=${FLEET_ITEMS:-10}
FLEET_JVMS=${FLEET_JVMS:-3}
FLEET_CONCURRENCY=${FLEET_CONCURRENCY:-32}
FLEET_BYTES=${FLEET_BYTES:-4096}
FLEET_TIMEOUT_S=${FLEET_TIMEOUT_S:-600}
# Extra attempts of an item its receiver refused (FleetLoad --retries; `send --retry N` does the same).
FLEET_RETRIES=${FLEET_RETRIES:-0}

# kafka_broker_start TOPIC_PREFIX COUNT: starts a broker with topics PREFIX-1..COUNT; sets KAFKA_BOOTSTRAP.
kafka_broker_start() {
  local prefix=$1 count=$2 log="$WORK/kafka-broker.log"
  KAFKA_BOOTSTRAP=""
  if [[ -n "${KAFKA_HOME:-}" && -x "$KAFKA_HOME/bin/kafka-server-start.sh" ]]; then
    # Kafka's KRaft quick start, with its logs under the work directory.
    local dir="$WORK/kafka-logs" config="$WORK/kafka-server.properties" port=$((PORT_BASE + 4900)) i
    rm -rf "$dir"
    sed -e "s#^log.dirs=.*#log.dirs=$dir#" \
      -e "s#^listeners=.*#listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))#" \
      -e "s#^advertised.listeners=.*#advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))#" \
      -e "s#^controller.quorum.bootstrap.servers=.*#controller.quorum.bootstrap.servers=127.0.0.1:$((port + 1))#" \
      "$KAFKA_HOME/config/server.properties" >"$config"
    "$KAFKA_HOME/bin/kafka-storage.sh" format --standalone -t "$("$KAFKA_HOME/bin/kafka-storage.sh" random-uuid)" \
      -c "$config" >"$log" 2>&1 || { log "kafka-storage.sh format failed (see $log)"; return 1; }
    server_bg "$log" "$KAFKA_HOME/bin/kafka-server-start.sh" "$config"
    KAFKA_PID=$SERVER_PID
    wait_for_port tcp "$port" 60 || { log "Kafka did not listen on $port (see $log)"; return 1; }
    for i in $(seq 1 "$count"); do
      "$KAFKA_HOME/bin/kafka-topics.sh" --bootstrap-server "127.0.0.1:$port" --create --topic "$prefix-$i" \
        --partitions 3 --replication-factor 1 >>"$log" 2>&1 || { log "could not create $prefix-$i"; return 1; }
    done
    KAFKA_BOOTSTRAP="127.0.0.1:$port"
    return 0
  fi
  log "scenario 9: building the in-process test broker (EmbeddedKafka; set KAFKA_HOME to use an installation)"
  mvn -q -B -f "$ROOT/pom.xml" -Dudpix.target="$BENCH_TARGET" -DskipTests -pl udpix-kafka -am test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/kafka-classpath.txt" \
    >"$WORK/kafka-build.log" 2>&1 || { log "the test broker did not build (see $WORK/kafka-build.log)"; return 1; }
  local cp="$ROOT/udpix-kafka/$BENCH_TARGET/test-classes:$ROOT/udpix-kafka/$BENCH_TARGET/classes:$(cat "$WORK/kafka-classpath.txt")"
  SERVER_NS=""
  server_bg "$log" "$JAVA" -Xmx1g -cp "$cp" io.udpix.kafka.load.BenchBroker "$prefix" "$count"
  KAFKA_PID=$SERVER_PID
  wait_for_line "$log" 120 '^bootstrap=' || { log "the test broker did not start (see $log)"; return 1; }
  KAFKA_BOOTSTRAP=$(sed -n 's/^bootstrap=//p' "$log" | head -n 1)
}

# fleet_run SCENARIO LABEL RUN TOPIC: the three receivers (with --kafka when TOPIC is set), the client JVMs, a
# recorded row.
fleet_run() {
  local scenario=$1 label=$2 run=$3 topic=$4
  local dir="$WORK/out-fleet" r j pids=() ports=() servers="" kafka_args=()
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ -n "$topic" ]] && kafka_args=(--kafka "$KAFKA_BOOTSTRAP" --kafka-topic "$topic")
  local server_pids=()
  for r in 1 2 3; do
    local port=$((PORT_BASE + 4000 + r * 10 + RANDOM % 10))
    SERVER_NS=""
    # shellcheck disable=SC2046
    server_bg "$dir/server-$r.log" env JAVA_OPTS="${UDPIX_SERVER_JAVA_OPTS:-}" UDPIX_TARGET="$UDPIX_TARGET" \
      "$UDPIX" serve --port "$port" --out "$dir/received-$r" "${kafka_args[@]}" $(udpix_driver_args)
    server_pids+=("$SERVER_PID")
    ports+=("$port")
  done
  for r in 0 1 2; do
    if ! wait_for_line "$dir/server-$((r + 1)).log" 60 'listening on'; then
      record "$scenario" "$label" "$run" "" 0 FAIL "receiver $((r + 1)) did not start: $(tail -n 2 \
        "$dir/server-$((r + 1)).log" | tr '\n\t' '  ' | cut -c1-160)"
      for pid in "${server_pids[@]}"; do bg_kill "$pid"; done
      return 0
    fi
    servers+="${servers:+,}127.0.0.1:${ports[$r]}"
  done
  local t0 t1 rc=0
  t0=$(now_s)
  for j in $(seq 0 $((FLEET_JVMS - 1))); do
    local share=$((FLEET_CLIENTS / FLEET_JVMS + (j < FLEET_CLIENTS % FLEET_JVMS ? 1 : 0))) binds a
    binds=$(for a in $(seq 1 250); do printf '127.0.%d.%d\n' $((j + 1)) "$a"; done | paste -sd,)
    timeout "$FLEET_TIMEOUT_S" "$JAVA" -Xmx512m -Djava.awt.headless=true -cp "$UDPIX_JAR" \
      io.udpix.kafka.load.FleetLoad --servers "$servers" --clients "$share" --items "$FLEET_ITEMS" \
      --concurrency "$FLEET_CONCURRENCY" --bytes "$FLEET_BYTES" --seed $((SEED + j)) --prefix "r$run-j$j" \
      --bind "$binds" --retries "$FLEET_RETRIES" --confirmed "$dir/confirmed-$j.tsv" >"$dir/client-$j.log" 2>&1 &
    pids+=($!)
  done
  for j in "${!pids[@]}"; do wait "${pids[$j]}" || rc=$?; done
  t1=$(now_s)
  local seconds confirmed failed stats audit="" missing=0 reasons
  seconds=$(elapsed_s "$t0" "$t1")
  confirmed=$(cat "$dir"/confirmed-*.tsv 2>/dev/null | wc -l)
  failed=$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' "$dir"/client-*.log | awk '{ s += $1 } END { print s + 0 }')
  # Why items were not confirmed (FleetLoad's failures={reason=count,...}), every JVM's.
  reasons=$(grep -ho 'failures={[^ ]*}' "$dir"/client-*.log 2>/dev/null | sed 's/^failures=//' | paste -sd' ')
  # Latency quantiles over every JVM's confirmed items (third column, microseconds; nearest rank).
  stats=$(cut -f3 "$dir"/confirmed-*.tsv 2>/dev/null | sort -n | awk -v secs="$seconds" '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "itemsPerSecond=0"; exit }
      p50 = v[int(0.5 * NR + 0.999999)]; p99 = v[int(0.99 * NR + 0.999999)];
      printf "itemsPerSecond=%.1f;p50Ms=%.2f;p99Ms=%.2f;maxMs=%.2f", NR / secs, p50 / 1000, p99 / 1000, v[NR] / 1000
    }')
  for pid in "${server_pids[@]}"; do bg_kill "$pid"; done
  if [[ -n "$topic" ]]; then
    audit=$("$JAVA" -cp "$UDPIX_JAR" io.udpix.kafka.load.TopicAudit --kafka "$KAFKA_BOOTSTRAP" --kafka-topic "$topic" \
      "$dir"/confirmed-*.tsv 2>"$dir/audit.err" | grep '^audit ') || true
    missing=$(echo "$audit" | sed -n 's/.* missing=\([0-9]*\).*/\1/p')
    audit=";$(echo "${audit#audit }" | tr ' ' ';')"
  fi
  local expected=$((FLEET_CLIENTS * FLEET_ITEMS))
  if [[ $rc -eq 0 && $confirmed -eq $expected && "${missing:-1}" == 0 ]]; then
    record "$scenario" "$label" "$run" "$seconds" 0 ok "$stats;confirmedItems=$confirmed;failed=$failed$audit"
  else
    record "$scenario" "$label" "$run" "$seconds" 0 FAIL \
      "exit $rc, $confirmed/$expected confirmed, $failed failed (${reasons:-no reason printed}), missing \
${missing:-?};$stats$audit"
  fi
  rm -rf "$dir"
}

scenario_9() {
  local label_plain="udpix, 3 receivers" label_kafka="udpix, 3 receivers + Kafka (acks=all, one broker)"
  local s="9: ${FLEET_CLIENTS} clients x ${FLEET_ITEMS} JPEGs of ~$((FLEET_BYTES / 1024)) KB, 3 receivers, loopback"
  [[ -n "$UDPIX_OK" ]] || { record "$s" "all tools" 1 "" 0 SKIP "the udpix command does not work yet"; return 0; }
  UDPIX_JAR="$ROOT/udpix-cli/$UDPIX_TARGET/udpix.jar"
  grep -q -- '--kafka' <("$UDPIX" serve --help 2>&1) ||
    { record "$s" "all tools" 1 "" 0 SKIP "this build's serve has no --kafka"; return 0; }
  kafka_broker_start udpix-fleet "$RUNS" ||
    { record "$s" "$label_kafka" 1 "" 0 FAIL "no Kafka broker (see $WORK/kafka-broker.log)"; bg_kill "${KAFKA_PID:-}"; }
  log "scenario 9: ${s#9: } (broker ${KAFKA_BOOTSTRAP:-none})"
  local run
  for run in $(seq 1 "$RUNS"); do
    fleet_run "$s" "$label_plain" "$run" ""
    [[ -n "$KAFKA_BOOTSTRAP" ]] && fleet_run "$s" "$label_kafka" "$run" "udpix-fleet-$run"
  done
  bg_kill "${KAFKA_PID:-}"
}
