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

python3 - "$OUT" <<'EOF'
import re, statistics, sys
out = sys.argv[1]
def rows(name):
    with open(f"{out}/{name}.txt") as f:
        return [l.split() for l in f if l.strip()]
def after(words, key, n=1):
    i = words.index(key)
    return words[i + 1:i + 1 + n]
def med(values):
    v = [float(x) for x in values if x not in ("None", "NaN", "nan")]
    return statistics.median(v) if v else float("nan")
def num(x):
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"
def fmt(values, unit=""):
    return f"{num(med(values))}{unit} ({' / '.join(num(float(x)) if x not in ('None', 'NaN') else x for x in values)})"
table = {}
for w in rows("startup"):
    d = dict(kv.split("=") for kv in w[1:] if "=" in kv)
    t = table.setdefault(w[0], {})
    for k in ("load", "first_ws_ms", "rss_idle_kb"):
        t.setdefault(k, []).append(d.get(k, "NaN"))
for w in rows("latency"):
    t = table.setdefault(w[0], {})
    p50, p99, p999 = after(w, "p50/p99/p99.9", 3)
    t.setdefault("p99", []).append(p99)
    t.setdefault("p999", []).append(p999)
    t.setdefault("lat_load", []).append(w[1].split("=")[1])
for w in rows("capacity"):
    t = table.setdefault(w[0], {})
    t.setdefault("us_conn", []).append(after(w, "us/conn")[0])
    t.setdefault("kb_conn", []).append(after(w, "KB/conn")[0])
    t.setdefault("cap_load", []).append(w[1].split("=")[1])
print("| figure (fresh server, medians; each run in brackets) | with the AOT cache | without (RENDEZVOUS_AOT=off) |")
print("|---|---|---|")
a, b = table.get("ours", {}), table.get("ours-noaot", {})
for label, key, unit in [("launch to first WebSocket", "first_ws_ms", " ms"),
                         ("idle RSS, 5 s after the first WebSocket", "rss_idle_kb", " KB"),
                         ("latency p99 at 5 k msg/s, 1000 pairs", "p99", " ms"),
                         ("latency p99.9", "p999", " ms"),
                         ("server CPU per connection (burst of idle connections)", "us_conn", " µs"),
                         ("RSS per idle connection", "kb_conn", " KB"),
                         ("1-min load before each startup / latency / capacity run", None, "")]:
    if key is None:
        la = lambda t: "/".join(t.get("load", [])) + "; " + "/".join(t.get("lat_load", [])) + "; " + "/".join(t.get("cap_load", []))
        print(f"| {label} | {la(a)} | {la(b)} |")
    else:
        print(f"| {label} | {fmt(a.get(key, []), unit)} | {fmt(b.get(key, []), unit)} |")
EOF
