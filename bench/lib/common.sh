# shellcheck shell=bash
# Shared helpers of bench/run: logging, clocks, background processes, SHA-256 checks, result rows.
# Results go to $RESULTS (TSV): scenario, tool, run, seconds, bytes, status, extra (key=value;...).

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

now_s() { date +%s.%N; }
elapsed_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Background processes started by the harness, killed by cleanup (by PID, never by name).
BG_PIDS=()
bg_track() { BG_PIDS+=("$1"); }
bg_kill() {
  local pid=$1
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
bg_kill_all() {
  local pid
  for pid in "${BG_PIDS[@]}"; do bg_kill "$pid"; done
  BG_PIDS=()
}

# Waits up to $2 seconds (default 20) for a line matching regex $3 in file $1.
wait_for_line() {
  local file=$1 timeout=${2:-20} regex=$3 i
  for i in $(seq 1 $((timeout * 10))); do
    grep -Eq "$regex" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Waits up to $3 seconds for a TCP (tcp) or UDP (udp) socket bound to port $2 in namespace $4 (empty: host).
wait_for_port() {
  local proto=$1 port=$2 timeout=${3:-20} ns=${4:-} i flag=-ltn
  [[ "$proto" == udp ]] && flag=-lun
  for i in $(seq 1 $((timeout * 10))); do
    if [[ -n "$ns" ]]; then
      ip netns exec "$ns" ss -H "$flag" "sport = :$port" 2>/dev/null | grep -q . && return 0
    else
      ss -H "$flag" "sport = :$port" 2>/dev/null | grep -q . && return 0
    fi
    sleep 0.1
  done
  return 1
}

# Runs "$@" in namespace $1 (empty: on the host).
ns_run() {
  local ns=$1
  shift
  if [[ -n "$ns" ]]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Makes a file of $2 MiB of incompressible bytes at $1 (kept between runs when the size matches).
make_file() {
  local path=$1 mib=$2
  if [[ -f "$path" && $(stat -c %s "$path") -eq $((mib * 1048576)) ]]; then return 0; fi
  log "making $path ($mib MiB of random bytes)"
  # openssl's CTR stream is far faster than /dev/urandom and just as incompressible.
  if command -v openssl >/dev/null; then
    openssl enc -aes-128-ctr -pass pass:udpix-bench -nosalt -pbkdf2 </dev/zero 2>/dev/null |
      head -c $((mib * 1048576)) >"$path"
  else
    head -c $((mib * 1048576)) /dev/urandom >"$path"
  fi
}

# record SCENARIO TOOL RUN SECONDS BYTES STATUS [EXTRA]
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" >>"$RESULTS"
  log "scenario $1 | $2 | run $3 | ${4}s | $5 bytes | $6 ${7:-}"
}

# Checks $2 against the expected SHA-256 $3; echoes ok, or a reason.
verify_output() {
  local expected=$1 out=$2
  [[ -f "$out" ]] || { echo "no output file"; return 1; }
  local got
  got=$(sha256_of "$out")
  if [[ "$got" == "$expected" ]]; then echo ok; return 0; fi
  echo "sha256 mismatch ($(stat -c %s "$out") bytes)"
  return 1
}

# ---------------------------------------------------------------- CPU time per side (scenarios 1 and 2)
# Each side of a measured transfer runs in a cgroup of its own, made for the run and removed after it, so its CPU
# time is exact for the whole process tree, children that already exited included (a one-shot receiver, `sh -c`,
# `ip netns exec`, `timeout`, every JVM thread): cgroup v1's cpuacct (nanoseconds), else cgroup v2's cpu.stat
# (microseconds). Root only; without it the CPU columns say "-". Kernel work done on a side's behalf in softirq
# (loopback delivers a datagram in the sender's system call) is charged to whoever was running, as for
# /proc/PID/stat.
CPU_CG_BASE=""
CPU_CG_KIND=""
cpu_cg_init() {
  [[ $EUID -eq 0 ]] || return 0
  if [[ -w /sys/fs/cgroup/cpuacct/cgroup.procs ]]; then
    CPU_CG_KIND=v1 CPU_CG_BASE=/sys/fs/cgroup/cpuacct/udpix-bench-$$
  elif [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    CPU_CG_KIND=v2 CPU_CG_BASE=/sys/fs/cgroup/udpix-bench-$$
  else
    log "no cgroup CPU accounting here (neither cpuacct nor cgroup v2): CPU columns will say -"
    return 0
  fi
  mkdir -p "$CPU_CG_BASE" 2>/dev/null || { log "cannot make $CPU_CG_BASE: CPU columns will say -"; CPU_CG_BASE=""; }
}
# cpu_cg_new SIDE: a fresh, empty cgroup for SIDE (send|recv); prints nothing.
cpu_cg_new() {
  [[ -n "$CPU_CG_BASE" ]] || return 0
  rmdir "$CPU_CG_BASE/$1" 2>/dev/null
  mkdir -p "$CPU_CG_BASE/$1" 2>/dev/null || true
}
# cpu_cg_run SIDE CMD...: runs CMD (a command or a function) in SIDE's cgroup, in a subshell.
cpu_cg_run() {
  local side=$1
  shift
  (
    [[ -n "$CPU_CG_BASE" && -d "$CPU_CG_BASE/$side" ]] && echo "$BASHPID" >"$CPU_CG_BASE/$side/cgroup.procs" 2>/dev/null
    "$@"
  )
}
# cpu_cg_seconds SIDE: "user sys" CPU seconds used in SIDE's cgroup so far, or nothing.
cpu_cg_seconds() {
  local d="$CPU_CG_BASE/$1"
  [[ -n "$CPU_CG_BASE" && -d "$d" ]] || return 0
  if [[ $CPU_CG_KIND == v1 ]]; then
    # cpuacct.usage is the scheduler's exact runtime; usage_user/usage_sys split it from tick samples, so the
    # split is scaled to the exact total.
    awk -v total="$(cat "$d/cpuacct.usage")" 'FNR == 1 { v[++n] = $1 }
      END { s = v[1] + v[2]; u = s > 0 ? total * v[1] / s : total; printf "%.3f %.3f", u / 1e9, (total - u) / 1e9 }' \
      "$d/cpuacct.usage_user" "$d/cpuacct.usage_sys"
  else
    awk '$1 == "user_usec" { u = $2 } $1 == "system_usec" { s = $2 } END { printf "%.3f %.3f", u / 1e6, s / 1e6 }' \
      "$d/cpu.stat"
  fi
}
# cpu_extra: the key=value fields of a run's CPU seconds per side (sendCpuS, sendSysS, recvCpuS, recvSysS).
cpu_extra() {
  local side u s out=""
  for side in send recv; do
    read -r u s <<<"$(cpu_cg_seconds "$side")"
    [[ -n "${u:-}" ]] || return 0
    out+="${side}CpuS=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }');${side}SysS=$s;"
  done
  echo "${out%;}"
}
# cpu_cg_drop: removes the sides' cgroups (their processes have exited); also at exit.
cpu_cg_drop() {
  [[ -n "$CPU_CG_BASE" ]] || return 0
  local side
  for side in send recv; do rmdir "$CPU_CG_BASE/$side" 2>/dev/null || true; done
}
cpu_cg_done() {
  [[ -n "$CPU_CG_BASE" ]] || return 0
  cpu_cg_drop
  rmdir "$CPU_CG_BASE" 2>/dev/null || true
}
