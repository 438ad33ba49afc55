#!/usr/bin/env python3
"""Churn RSS: how the server's resident memory behaves after rounds of joins and leaves (issue 16).

Starts `./rendezvous serve` on 127.0.0.1 (per-address limits off: every client comes from 127.0.0.1) with
RENDEZVOUS_JAVA_OPTS from the environment, then ROUNDS times opens CLIENTS WebSockets in rooms of 10
(each reads its your_id), closes them all, and waits until the server holds no session. Prints the server's
RSS (VmRSS) at the start, after each round, and while it sits idle afterwards (every 10 s for IDLE seconds).
Everything stays on 127.0.0.1; only the server this script started is stopped (by PID).

  RENDEZVOUS_JAVA_OPTS="-XX:G1PeriodicGCInterval=15000" bench/scripts/churn-rss.py 28911 5 10000 60
"""
import json, os, socket, subprocess, sys, time, urllib.request

from loopback_ws import recv_until, rss_kb, send_upgrade

PORT, ROUNDS, CLIENTS, IDLE = (int(a) for a in sys.argv[1:5])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rss_mb(pid):
    return rss_kb(pid) / 1024


def server_pid():
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{PORT}"], capture_output=True, text=True).stdout
    return int(out.split("pid=")[1].split(",")[0])


def sessions():
    body = urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=5).read().decode()
    for line in body.splitlines():
        if line.startswith("rendezvous_sessions "):
            return float(line.split()[1])
    return -1


def connect(i):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=60)
    send_upgrade(s, PORT, f"/ws?room=churn-{i // 10}")
    return s


def admitted(s):
    recv_until(s, b"your_id", "before your_id")
    return s


proc = subprocess.Popen([os.path.join(ROOT, "rendezvous"), "serve", "--host", "127.0.0.1", "--port", str(PORT),
                         "--max-connections-per-address", "0", "--connection-rate", "0"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(1500):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise SystemExit("the server did not start within 300 s")
    pid = server_pid()
    time.sleep(3)
    print(f"opts={os.environ.get('RENDEZVOUS_JAVA_OPTS', '')!r} load={os.getloadavg()[0]:.1f}")
    print(f"start rss={rss_mb(pid):.0f} MB")
    for r in range(1, ROUNDS + 1):
        socks = []
        for start in range(0, CLIENTS, 500):  # 500 upgrades in flight, then their your_id
            batch = [connect(i) for i in range(start, min(CLIENTS, start + 500))]
            socks += [admitted(s) for s in batch]
        held = rss_mb(pid)
        for s in socks:
            s.close()
        for _ in range(600):
            if sessions() == 0:
                break
            time.sleep(0.1)
        time.sleep(2)
        print(f"round {r}: held {held:.0f} MB, after leaving rss={rss_mb(pid):.0f} MB")
    for t in range(10, IDLE + 1, 10):
        time.sleep(10)
        print(f"idle {t}s rss={rss_mb(pid):.0f} MB")
finally:
    proc.terminate()
    proc.wait(timeout=30)
