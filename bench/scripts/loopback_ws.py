"""What the Python bench scripts share: a raw WebSocket upgrade to a server on 127.0.0.1, reading a socket up
to a marker, and a process's resident memory. Loopback only; nothing here starts or stops a process."""
import base64
import os


def upgrade_request(port, path):
    """The bytes of a WebSocket upgrade for `path` on 127.0.0.1:`port`, with a fresh random key."""
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def recv_until(sock, marker, what):
    """Reads `sock` until `marker` has arrived; returns all that was read. Raises ConnectionError (an OSError)
    naming `what` when the server closes first."""
    data = b""
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before {what}")
        data += chunk
    return data


def rss_kb(pid):
    """The resident memory (VmRSS) of process `pid` in kB, or -1 when its status has none."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1
