#!/bin/bash
# Issue 15's speed check in one command: ours fresh (a new `./rendezvous serve` per run, the launcher's
# defaults, its AOT cache) against the PeerJS server 1.0.2, alternating run by run, RUNS of each (default 3),
# then one table of medians with each target and whether it is met:
#   - launch to the first accepted WebSocket and the idle RSS 5 s later (bench/scripts/first-ws.py, both servers);
#   - relay throughput and server CPU per message (1000 pairs, window 64, 10 s);
#   - latency at 5 k msg/s over 1000 pairs (p99, p99.9);
#   - server CPU and RSS per connection for a burst of CONNS idle connections (default 19500, from 4 addresses).
#   BENCH_DIR=/tmp/bench bench/scripts/speed-check.sh 3
# Needs the shared harness copied out and installed (docs/benchmarks.md). Takes ~25 min for 3 runs on 2 cores.
# Loopback only; only the servers this script (and the scripts it calls) started are stopped, by PID.
set -u
RUNS="${1:-3}"
CONNS="${CONNS:-19500}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export BENCH_DIR="${BENCH_DIR:-/tmp/bench}"
OUT="$BENCH_DIR/speed-check-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$OUT"
echo "machine: $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null); results in $OUT" >&2

# Build and train first, so that no run below pays for either.
(cd "$ROOT" && ./rendezvous serve --print-config > /dev/null)

for _ in $(seq 1 "$RUNS"); do
  for side in ours peerjs; do
    ARGS=(); [ "$side" = peerjs ] && ARGS=(--peerjs)
    echo "$side load=$(cut -d' ' -f1 /proc/loadavg) $(python3 "$ROOT/bench/scripts/first-ws.py" "${ARGS[@]}")" \
      | tee -a "$OUT/startup.txt" >&2
  done
done
run() { # name, then the harness's arguments
  local name=$1; shift
  SIDES="ours peerjs" "$ROOT/bench/scripts/side-by-side.sh" "$RUNS" "$@" | tee "$OUT/$name.txt" >&2
}
run throughput --scenario throughput --pairs 1000 --window 64 --duration 10
run latency --scenario latency --pairs 1000 --rate 5000 --duration 10 --workers 2
run capacity --scenario capacity --conns "$CONNS" --src-addrs 4
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 "$ROOT/bench/scripts/bench_table.py" targets "$OUT"
