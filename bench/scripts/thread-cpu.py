#!/usr/bin/env python3
"""Where a server's CPU goes during a burst of connections, by JVM thread group.

Waits for a JVM started with `--port PORT` (as side-by-side.sh starts ours), then samples every thread's CPU time
(/proc/<pid>/task/*/stat, utime + stime) and the process's open file descriptors every INTERVAL seconds
until the process exits, RUNS times (one line per server: a fresh server per run, as side-by-side.sh
starts them). The burst is found from the descriptor count: from the last sample before it rose towards
its peak to the first sample at (98 % of) the peak; the harness's capacity scenario warms up with 2 000
connections that it closes again, so the burst is the last rise. Per run it prints the burst's CPU by
group (C2 and C1 compiler threads, GC, the Netty event loops, the VM thread, the rest), in ms and in µs per
connection (peak descriptors minus those before the burst), and the same for the whole life of the server.
Threads that exit between two samples lose at most one interval; the "exited" figure is the process's
total minus the threads seen, so the groups always add up.

    bench/scripts/thread-cpu.py --port 42100 --runs 2 &
    OURS_PORT=42100 SIDES=ours bench/scripts/side-by-side.sh 2 --scenario capacity --conns 19500 --src-addrs 4

Reads /proc only; starts and stops nothing.
"""
import argparse
import os
import time

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
GROUPS = ["C2", "C1", "GC", "event loops", "VM thread", "other", "exited"]


def group(name):
    if name.startswith("C2 Compiler"):
        return "C2"
    if name.startswith("C1 Compiler"):
        return "C1"
    if name.startswith(("GC Thread", "G1 ")):
        return "GC"
    if "EventLoop" in name or "IoEv" in name or name.startswith(("epoll", "nioEventLoop")):
        return "event loops"
    if name == "VM Thread":
        return "VM thread"
    return "other"


def stat_fields(path):
    with open(path) as f:
        s = f.read()
    name = s[s.index("(") + 1:s.rindex(")")]
    rest = s[s.rindex(")") + 2:].split()
    return name, int(rest[11]) + int(rest[12])  # utime + stime, fields 14 and 15


def sample(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            threads[tid] = stat_fields(f"/proc/{pid}/task/{tid}/stat")
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    total = stat_fields(f"/proc/{pid}/stat")[1]
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return time.monotonic(), fds, total, threads


def server(port, not_pid=None):
    """The PID of a process started with `--port PORT` (as side-by-side.sh starts servers), or None."""
    want = f"\0--port\0{port}\0".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if want in cmd + b"\0" and cmd.startswith(b"/") and b"java" in cmd.split(b"\0")[0] and int(pid) != not_pid:
            return int(pid)
    return None


def by_group(a, b):
    """CPU ms by group between samples a and b."""
    out = dict.fromkeys(GROUPS, 0.0)
    for tid, (name, ticks) in b[3].items():
        before = a[3].get(tid, (name, 0))[1]
        out[group(name)] += (ticks - before) * TICK_MS
    out["exited"] = (b[2] - a[2]) * TICK_MS - sum(out.values())
    return out


def report(label, a, b, conns):
    g = by_group(a, b)
    total = sum(g.values())
    parts = "  ".join(
        f"{k} {v:.0f} ms ({100 * v / total if total else 0:.0f}%" + (f", {1000 * v / conns:.0f} µs/conn)" if conns else ")")
        for k, v in g.items() if abs(v) >= 0.5)
    per = f" = {1000 * total / conns:.0f} µs/conn over {conns} conns" if conns else ""
    print(f"{label}: {b[0] - a[0]:.1f} s, CPU {total:.0f} ms{per}: {parts}", flush=True)


def one_run(run, port, interval, not_pid):
    pid = None
    while pid is None:
        pid = server(port, not_pid)
        if pid is None:
            time.sleep(0.1)
    samples = []
    try:
        while True:
            samples.append(sample(pid))
            time.sleep(interval)
    except OSError:  # the server exited
        pass
    samples = [s for s in samples if s[1] > 0]
    fds = [s[1] for s in samples]
    peak = max(fds)
    end = next(i for i, f in enumerate(fds) if f >= 0.98 * peak)
    low = min(fds[:end + 1])
    start = max(i for i in range(end + 1) if fds[i] <= low + 0.05 * (peak - low))
    print(f"run {run}: pid {pid}, {len(samples)} samples every {interval} s, descriptors {low} -> {peak}", flush=True)
    report(f"run {run} burst", samples[start], samples[end], peak - fds[start])
    report(f"run {run} whole life", samples[0], samples[-1], 0)
    return pid


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--interval", type=float, default=0.2)
    a = p.parse_args()
    pid = None
    for run in range(1, a.runs + 1):
        pid = one_run(run, a.port, a.interval, pid)


if __name__ == "__main__":
    main()
