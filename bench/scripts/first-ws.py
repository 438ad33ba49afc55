#!/usr/bin/env python3
"""Time from launching `./rendezvous serve` to the first accepted WebSocket.

Starts `./rendezvous serve --host 127.0.0.1 --port 0` (any extra arguments are passed on), reads the
port from its "Rendezvous listening on" line, opens one WebSocket to /ws on 127.0.0.1 and waits for the
server's first frame (`your_id`). Prints one line: `first_ws_ms=<launch to your_id> listening_ms=<launch
to the listening line> cpu_first_ws_ms=<CPU the server process (and the launcher's commands) used until
then: the figure that holds on a loaded machine> rss_first_ws_kb=<server RSS then> rss_idle_kb=<RSS 5 s later, idle>`, then stops the server it started (by PID:
SIGTERM, SIGKILL after 10 s) and exits. The environment is passed through (RENDEZVOUS_AOT=off for the
run without the AOT cache). Only loopback; only the process it started is stopped.

`first-ws.py --peerjs` measures the PeerJS server 1.0.2 the same way, for the speed check's side-by-side
(bench/scripts/speed-check.sh): `node node_modules/peer/dist/bin/peerjs.js` in $BENCH_DIR (the shared harness,
default /tmp/bench) on 127.0.0.1:$PEERJS_PORT (default 29050), polled until it accepts a connection
(`listening_ms`), then one WebSocket on /peerjs until its first frame (`OPEN`).
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time

from loopback_ws import recv_until, rss_kb, send_upgrade

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IDLE_SECONDS = 5
LISTENING = re.compile(r"Rendezvous listening on ws://127\.0\.0\.1:(\d+)/")


def cpu_ms(pid):
    """CPU time of the process and its reaped children (the launcher's own commands before it execs java)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) * 1000 // os.sysconf("SC_CLK_TCK")


def first_frame(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        send_upgrade(s, port, path)
        buf = recv_until(s, b"\r\n\r\n", "during the upgrade")
        head, rest = buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(head.decode(errors="replace"))
        while len(rest) < 2:
            rest += s.recv(4096)
        length = rest[1] & 0x7F
        need = 2 + (2 if length == 126 else 0) + (length if length < 126 else 0)
        while len(rest) < need:
            rest += s.recv(4096)
        return rest


def ours(args):
    """Launches ./rendezvous serve on a free port; returns the process and the port it printed (None if it did not start)."""
    server = subprocess.Popen([os.path.join(ROOT, "rendezvous"), "serve", "--host", "127.0.0.1", "--port", "0", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in server.stdout:
        m = LISTENING.search(line)
        if m:
            return server, int(m.group(1))
    return server, None


def peerjs():
    """Launches the PeerJS server on PEERJS_PORT; returns the process and the port once it accepts (None if never)."""
    port = int(os.environ.get("PEERJS_PORT", "29050"))
    server = subprocess.Popen(["node", "node_modules/peer/dist/bin/peerjs.js", "--port", str(port), "-H", "127.0.0.1"],
                              cwd=os.environ.get("BENCH_DIR", "/tmp/bench"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.005)  # polling a port that is not open yet: nothing to wait on but the clock
    return server, None


def main():
    t0 = time.monotonic()
    is_peerjs = sys.argv[1:2] == ["--peerjs"]
    server, port = peerjs() if is_peerjs else ours(sys.argv[1:])
    try:
        if port is None:
            print("first_ws_ms=NaN (the server did not start)")
            return 1
        t_listen = time.monotonic()
        first_frame(port, f"/peerjs?key=peerjs&id=first{os.getpid()}&token=t" if is_peerjs else "/ws")
        t_ws = time.monotonic()
        cpu_first = cpu_ms(server.pid)
        rss_first = rss_kb(server.pid)  # the launcher execs java (and node is started directly): its PID is the server's
        time.sleep(IDLE_SECONDS)
        print(f"first_ws_ms={(t_ws - t0) * 1000:.0f} listening_ms={(t_listen - t0) * 1000:.0f} cpu_first_ws_ms={cpu_first} "
              f"rss_first_ws_kb={rss_first} rss_idle_kb={rss_kb(server.pid)}", flush=True)
        return 0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
