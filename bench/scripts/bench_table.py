#!/usr/bin/env python3
"""Tables of medians from the lines the bench scripts print, for warmstart.sh and speed-check.sh.

    bench_table.py warmstart OUT   # ours with the AOT cache against RENDEZVOUS_AOT=off
    bench_table.py targets OUT     # issue 15's targets: ours fresh against the PeerJS server 1.0.2

OUT holds startup.txt (first-ws.py lines, each prefixed with the side and `load=`) and the side-by-side.sh
output of each scenario run (latency.txt, capacity.txt and, for `targets`, throughput.txt). Every cell is
the median of the runs with each run in brackets.
"""
import statistics
import sys


def rows(out, name):
    try:
        with open(f"{out}/{name}.txt") as f:
            return [line.split() for line in f if line.strip()]
    except FileNotFoundError:
        return []


def after(words, key, n=1):
    i = words.index(key)
    return words[i + 1:i + 1 + n]


def med(values):
    v = [float(x) for x in values if x not in ("None", "NaN", "nan")]
    return statistics.median(v) if v else float("nan")


def num(x):
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"


def fmt(values, unit=""):
    runs = " / ".join(num(float(x)) if x not in ("None", "NaN", "nan") else x for x in values)
    return f"{num(med(values))}{unit} ({runs})"


def collect(out):
    """side -> figure -> the runs' values, in run order."""
    table = {}

    def add(side, key, value):
        table.setdefault(side, {}).setdefault(key, []).append(value)

    for w in rows(out, "startup"):
        d = dict(kv.split("=", 1) for kv in w[1:] if "=" in kv)
        for k in ("load", "first_ws_ms", "rss_idle_kb"):
            add(w[0], k, d.get(k, "NaN"))
    for w in rows(out, "throughput"):
        add(w[0], "msg_s", after(w, "msg/s")[0])
        add(w[0], "us_msg", after(w, "us/msg")[0])
        add(w[0], "loss", "+".join(after(w, "loss/reorder/gaps", 3)))
        add(w[0], "thr_load", w[1].split("=")[1])
    for w in rows(out, "latency"):
        _, p99, p999 = after(w, "p50/p99/p99.9", 3)
        add(w[0], "p99", p99)
        add(w[0], "p999", p999)
        add(w[0], "lat_load", w[1].split("=")[1])
    for w in rows(out, "capacity"):
        add(w[0], "us_conn", after(w, "us/conn")[0])
        add(w[0], "kb_conn", after(w, "KB/conn")[0])
        add(w[0], "cap_load", w[1].split("=")[1])
    return table


def loads(t, keys):
    return "; ".join("/".join(t.get(k, [])) for k in keys)


def warmstart(table):
    print("| figure (fresh server, medians; each run in brackets) | with the AOT cache | without (RENDEZVOUS_AOT=off) |")
    print("|---|---|---|")
    a, b = table.get("ours", {}), table.get("ours-noaot", {})
    for label, key, unit in [("launch to first WebSocket", "first_ws_ms", " ms"),
                             ("idle RSS, 5 s after the first WebSocket", "rss_idle_kb", " KB"),
                             ("latency p99 at 5 k msg/s, 1000 pairs", "p99", " ms"),
                             ("latency p99.9", "p999", " ms"),
                             ("server CPU per connection (burst of idle connections)", "us_conn", " µs"),
                             ("RSS per idle connection", "kb_conn", " KB")]:
        print(f"| {label} | {fmt(a.get(key, []), unit)} | {fmt(b.get(key, []), unit)} |")
    keys = ("load", "lat_load", "cap_load")
    print(f"| 1-min load before each startup / latency / capacity run | {loads(a, keys)} | {loads(b, keys)} |")


def targets(table):
    a, b = table.get("ours", {}), table.get("peerjs", {})

    def m(t, key):
        return med(t.get(key, []))

    def yes(ok):
        return "**yes**" if ok else "no"

    ratio = m(a, "msg_s") / m(b, "msg_s") if m(b, "msg_s") else float("nan")
    lost = [x for x in a.get("loss", []) + b.get("loss", []) if x != "0+0+0"]
    rows_ = [
        ("relay throughput ≥ 2.5× PeerJS (1000 pairs, window 64)", "msg_s", " msg/s",
         f"{yes(ratio >= 2.5)}, {ratio:.2f}×"),
        ("server CPU ≤ 3 µs per relayed message", "us_msg", " µs", yes(m(a, "us_msg") <= 3)),
        ("latency at 5 k msg/s, 1000 pairs: p99 ≤ 1 ms, below PeerJS", "p99", " ms",
         yes(m(a, "p99") <= 1 and m(a, "p99") < m(b, "p99"))),
        ("latency p99.9 ≤ 3 ms, below PeerJS", "p999", " ms", yes(m(a, "p999") <= 3 and m(a, "p999") < m(b, "p999"))),
        ("server CPU per connection ≤ 100 µs, below PeerJS (burst of idle connections)", "us_conn", " µs",
         yes(m(a, "us_conn") <= 100 and m(a, "us_conn") < m(b, "us_conn"))),
        ("RSS per idle connection ≤ 4 KB", "kb_conn", " KB", yes(m(a, "kb_conn") <= 4)),
        ("launch to the first accepted WebSocket", "first_ws_ms", " ms", "— (halved: against a build from before)"),
        ("idle RSS, 5 s after the first WebSocket", "rss_idle_kb", " KB", "—"),
    ]
    print("| target (fresh server per run, medians; each run in brackets) | ours | PeerJS 1.0.2 | met? |")
    print("|---|---|---|---|")
    for label, key, unit, met in rows_:
        print(f"| {label} | {fmt(a.get(key, []), unit)} | {fmt(b.get(key, []), unit)} | {met} |")
    print(f"| 0 lost / reordered / gapped (throughput runs) | | | {yes(not lost)} |")
    keys = ("load", "thr_load", "lat_load", "cap_load")
    print(f"| 1-min load before each startup / throughput / latency / capacity run | {loads(a, keys)} | {loads(b, keys)} | |")


if __name__ == "__main__":
    mode, out = sys.argv[1], sys.argv[2]
    {"warmstart": warmstart, "targets": targets}[mode](collect(out))
