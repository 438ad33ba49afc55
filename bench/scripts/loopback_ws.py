"""What the bench scripts share: a server process's resident memory, and a raw WebSocket upgrade on 127.0.0.1.

Imported by churn-rss.py and first-ws.py (run them from anywhere: Python puts this folder on the path).
"""
import base64
import os


def rss_kb(pid):
    """The process's resident memory (VmRSS) in kB, or -1 if /proc does not say."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def send_upgrade(sock, port, path):
    """Sends the WebSocket upgrade request for `path` on 127.0.0.1:`port` (the reply is the caller's to read)."""
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())


def recv_until(sock, marker, what):
    """Reads until `marker` has arrived; returns all read so far. Raises IOError naming `what` if the peer closes first."""
    data = b""
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise IOError(f"closed {what}")
        data += chunk
    return data
