#!/bin/bash
# The AOT cache's A/B on fresh servers: ours with the cache (the launcher's default) vs without
# (RENDEZVOUS_AOT=off), alternating run by run, RUNS of each (default 3), then one table of medians:
#   - time from launching `./rendezvous serve` to the first accepted WebSocket, and the idle server's RSS
#     (bench/scripts/first-ws.py);
#   - latency at 5 k msg/s over 1000 pairs (shared harness, --workers 2);
#   - server CPU and RSS per connection for a burst of CONNS idle connections (default 19500).
#   BENCH_DIR=/tmp/bench bench/scripts/warmstart.sh 3
# Needs the shared harness copied out and installed (docs/benchmarks.md, "Commands"). Loopback only;
# only the servers this script (and the scripts it calls) started are stopped, by PID.
set -u
RUNS="${1:-3}"
CONNS="${CONNS:-19500}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/bench}"
OUT="$BENCH_DIR/warmstart-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$OUT"
echo "machine: $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT" >&2

# Build and train first, so that no run below pays for either.
(cd "$ROOT" && ./rendezvous serve --print-config > /dev/null)

for _ in $(seq 1 "$RUNS"); do
  for side in ours ours-noaot; do
    AOT=auto; [ "$side" = ours-noaot ] && AOT=off
    echo "$side load=$(cut -d' ' -f1 /proc/loadavg) $(RENDEZVOUS_AOT=$AOT python3 "$ROOT/bench/scripts/first-ws.py")" \
      | tee -a "$OUT/startup.txt" >&2
  done
done
SIDES="ours ours-noaot" BENCH_DIR="$BENCH_DIR" "$ROOT/bench/scripts/side-by-side.sh" "$RUNS" \
  --scenario latency --pairs 1000 --rate 5000 --duration 10 --workers 2 | tee "$OUT/latency.txt" >&2
SIDES="ours ours-noaot" BENCH_DIR="$BENCH_DIR" "$ROOT/bench/scripts/side-by-side.sh" "$RUNS" \
  --scenario capacity --conns "$CONNS" --src-addrs 4 | tee "$OUT/capacity.txt" >&2
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 "$ROOT/bench/scripts/bench_table.py" warmstart "$OUT"
