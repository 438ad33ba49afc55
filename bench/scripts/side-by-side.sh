#!/bin/bash
# Runs one scenario of the shared harness (../shared/bench, copied to $BENCH_DIR and `npm ci`-ed) RUNS
# times against our server (./rendezvous serve, default settings) and the PeerJS server 1.0.2, alternating,
# a fresh server for every run, and prints one line per run (the harness's JSON lines go to side.jsonl).
#   bench/scripts/side-by-side.sh 3 --scenario throughput --pairs 1000 --window 64 --duration 10
#   bench/scripts/side-by-side.sh 3 --scenario latency --pairs 1000 --rate 5000 --duration 10 --workers 2
#   bench/scripts/side-by-side.sh 1 --scenario capacity --conns 19500 --src-addrs 4
# SIDES picks what alternates (default "ours peerjs"); "ours-noaot" is ours without the AOT cache
# (RENDEZVOUS_AOT=off), e.g. SIDES="ours ours-noaot" for the cache's A/B (bench/scripts/warmstart.sh);
# "ours-peerjs" is our server driven through its PeerJS endpoint (the harness's --adapter peerjs, path /,
# key peerjs), e.g. SIDES="ours-peerjs peerjs" for our PeerJS endpoint beside peerjs-server 1.0.2.
# Our server runs with the per-address limits off (--max-connections-per-address 0 --connection-rate 0): the
# harness opens thousands of connections from one to four loopback addresses in a burst (19 500 + 2 000 warm-up
# from 4 addresses; 2 000 relaying from one), which the production defaults (1 000 per address, 100/s in bursts
# of 1 000) refuse by design. PeerJS has no such limits.
# (A side whose checkout predates those flags is started without them.)
# "ours@NAME" is ours with RENDEZVOUS_JAVA_OPTS set to $OPTS_NAME (an A/B of JVM options; its AOT cache,
# keyed by those options where they matter, is made before the first run), e.g.
#   OPTS_z="-XX:+UseZGC" SIDES="ours ours@z" bench/scripts/side-by-side.sh 3 --scenario latency ...
# With ROOT_NAME set too, ours@NAME is the checkout there (a code A/B: e.g. main's tree from `git archive`);
# "ours-peerjs@NAME" is the same through the PeerJS endpoint, e.g. ROOT_main=/tmp/main
# SIDES="ours-peerjs@main ours-peerjs peerjs" for a PeerJS relay change beside main and peerjs-server.
# Each run's server output is kept in $BENCH_DIR/side-<side>-<run>.log (a -Xlog:gc line lands there).
# Everything stays on 127.0.0.1; only the servers this script started are stopped (by PID).
# Pick OURS_PORT/PEERJS_PORT below Linux's ephemeral range (32768-60999): there, the harness's own client
# sockets (or another benchmark's) may hold the port, and the next server cannot bind it.
set -u
RUNS=$1; shift
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/bench}"
OURS_PORT="${OURS_PORT:-28850}"
PEERJS_PORT="${PEERJS_PORT:-29050}"
side_opts() { # the RENDEZVOUS_JAVA_OPTS of side $1
  case "$1" in ours*@*) local v="OPTS_${1#*@}"; echo "${!v:-}" ;; *) echo "${RENDEZVOUS_JAVA_OPTS:-}" ;; esac
}
side_root() { # the checkout of side $1
  case "$1" in ours*@*) local v="ROOT_${1#*@}"; echo "${!v:-$ROOT}" ;; *) echo "$ROOT" ;; esac
}
# Build, and make each side's AOT cache, before the first run, so that no run pays for either.
for side in ${SIDES:-ours peerjs}; do
  case "$side" in
    ours|ours@*|ours-peerjs|ours-peerjs@*) (cd "$(side_root "$side")" && RENDEZVOUS_JAVA_OPTS="$(side_opts "$side")" ./rendezvous serve --print-config > /dev/null) ;;
  esac
done
for run in $(seq 1 "$RUNS"); do
  for side in ${SIDES:-ours peerjs}; do
    if [ "$side" != peerjs ]; then
      PORT=$OURS_PORT; ADAPTER=(--adapter v1 --path /ws)
      # ours@NAME on the next port: the side before it may leave TIME_WAIT connections on OURS_PORT
      case "$side" in *@*) PORT=$((OURS_PORT + 1)) ;; esac
      case "$side" in ours-peerjs*) ADAPTER=(--adapter peerjs) ;; esac
      AOT=auto; [ "$side" = ours-noaot ] && AOT=off
      LIMITS=(--max-connections-per-address 0 --connection-rate 0)
      grep -q max-connections-per-address "$(side_root "$side")/cli/src/main/java/dev/rendezvous/cli/ServeSettings.java" 2>/dev/null || LIMITS=()
      (cd "$(side_root "$side")" && RENDEZVOUS_AOT=$AOT RENDEZVOUS_JAVA_OPTS="$(side_opts "$side")" \
          exec ./rendezvous serve --host 127.0.0.1 --port "$PORT" "${LIMITS[@]}" > "$BENCH_DIR/side-$side-$run.log" 2>&1) &
    else
      PORT=$PEERJS_PORT; ADAPTER=(--adapter peerjs)
      (cd "$BENCH_DIR" && exec node node_modules/peer/dist/bin/peerjs.js --port "$PORT" -H 127.0.0.1 \
          --concurrent_limit 30000 > "$BENCH_DIR/side-peerjs.log" 2>&1) &
    fi
    SERVER=$!
    for _ in $(seq 1 150); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    LINE=$(cd "$BENCH_DIR" && node relay.js "${ADAPTER[@]}" --port "$PORT" "$@" --json-out "$BENCH_DIR/side.jsonl" 2>&1 | grep '^{' | tail -1)
    echo "$side load=$LOAD $(echo "$LINE" | python3 -c 'import json, sys
d = json.load(sys.stdin); lat = d.get("lat_ms", {})
print("msg/s", d.get("delivered_per_s"), "us/msg", d.get("server_cpu_us_per_msg"),
      "p50/p99/p99.9", lat.get("p50"), lat.get("p99"), lat.get("p999"),
      "loss/reorder/gaps", d.get("loss"), d.get("out_of_order"), d.get("seq_gaps"),
      "us/conn", d.get("server_cpu_us_per_conn"), "KB/conn", d.get("server_rss_kb_per_conn"), d.get("server_rss_kb_per_conn_held"))')"
    kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null
    while [ "$(ss -tan state time-wait | wc -l)" -gt 2000 ]; do sleep 1; done  # let TIME_WAIT drain
  done
done
