#!/usr/bin/env python3
"""Time from launching `./rendezvous serve` to the first accepted WebSocket.

Starts `./rendezvous serve --host 127.0.0.1 --port 0` (any extra arguments are passed on), reads the
port from its "Rendezvous listening on" line, opens one WebSocket to /ws on 127.0.0.1 and waits for the
server's first frame (`your_id`). Prints one line: `first_ws_ms=<launch to your_id> listening_ms=<launch
to the listening line> rss_first_ws_kb=<server RSS then> rss_idle_kb=<RSS 5 s later, idle>`, then stops the server it started (by PID:
SIGTERM, SIGKILL after 10 s) and exits. The environment is passed through (RENDEZVOUS_AOT=off for the
run without the AOT cache). Only loopback; only the process it started is stopped.
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


def first_frame(port):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        send_upgrade(s, port, "/ws")
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


def main():
    t0 = time.monotonic()
    server = subprocess.Popen([os.path.join(ROOT, "rendezvous"), "serve", "--host", "127.0.0.1", "--port", "0", *sys.argv[1:]],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            m = LISTENING.search(line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            print("first_ws_ms=NaN (the server did not start)")
            return 1
        t_listen = time.monotonic()
        first_frame(port)
        t_ws = time.monotonic()
        rss_first = rss_kb(server.pid)  # the launcher execs java: its PID is the server's
        time.sleep(IDLE_SECONDS)
        print(f"first_ws_ms={(t_ws - t0) * 1000:.0f} listening_ms={(t_listen - t0) * 1000:.0f} "
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
