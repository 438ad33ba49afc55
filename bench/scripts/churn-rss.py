#!/usr/bin/env python3
"""Churn RSS: how the server's resident memory behaves after rounds of joins and leaves (issue 16).

Starts `./rendezvous serve` on 127.0.0.1 (per-address limits off: every client comes from 127.0.0.1) with
RENDEZVOUS_JAVA_OPTS from the environment, then ROUNDS times opens CLIENTS WebSockets in rooms of 10
(each reads its your_id), closes them all, and waits until the server holds no session. Prints the server's
RSS (VmRSS) at the start, after each round, and while it sits idle afterwards (every 10 s for IDLE seconds, with
the CPU time the idle server has used since the last round: what its collector and trimming cost).
Everything stays on 127.0.0.1; only the server this script started is stopped (by PID).

  RENDEZVOUS_JAVA_OPTS="-XX:G1PeriodicGCInterval=15000" bench/scripts/churn-rss.py 28911 5 10000 60

CHURN_DIAG=1 also prints, at the start, after the last round and at the end, where the memory is: the heap
(jcmd GC.heap_info), glibc's malloc (jcmd System.native_heap_info: what its arenas hold from the OS and how
much of it is free), and, when RENDEZVOUS_JAVA_OPTS has -XX:NativeMemoryTracking=summary, the JVM's own
accounting by category (jcmd VM.native_memory summary). CHURN_TRIM=1 then asks glibc to give its free
memory back (jcmd System.trim_native_heap) and prints the RSS after it. CHURN_HISTO=1 at last prints the
live objects by class (jcmd GC.class_histogram, which runs a full GC: what the churn left that is still live).
"""
import json, os, re, socket, subprocess, sys, time, urllib.request

from loopback_ws import recv_until, rss_kb, send_upgrade

PORT, ROUNDS, CLIENTS, IDLE = (int(a) for a in sys.argv[1:5])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rss_mb(pid):
    return rss_kb(pid) / 1024


def cpu_ms(pid):
    """The process's CPU time so far (user + system, all threads) in ms, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")


def jcmd(pid, *command):
    java_bin = os.path.dirname(os.readlink(f"/proc/{pid}/exe"))
    return subprocess.run([os.path.join(java_bin, "jcmd"), str(pid), *command],
                          capture_output=True, text=True, timeout=60).stdout


def diag(pid, label):
    """Where the resident memory is (CHURN_DIAG=1): RSS split, heap, glibc arenas, NMT categories."""
    if os.environ.get("CHURN_DIAG") != "1":
        return
    with open(f"/proc/{pid}/status") as f:
        status = {l.split(":")[0]: l.split()[1] for l in f if l.startswith(("VmRSS", "RssAnon", "RssFile"))}
    print(f"  [{label}] rss={int(status['VmRSS']) // 1024} MB (anon {int(status['RssAnon']) // 1024},"
          f" file {int(status['RssFile']) // 1024})")
    heap = jcmd(pid, "GC.heap_info")
    m = re.search(r"committed (\d+)K, used (\d+)K", heap)
    if m:
        print(f"  [{label}] heap committed={int(m.group(1)) // 1024} MB used={int(m.group(2)) // 1024} MB")
    info = jcmd(pid, "System.native_heap_info")
    arenas = len(re.findall(r"<heap nr=", info))
    tail = info[info.rfind("</heap>"):]  # the totals over all arenas follow the last arena
    current = re.search(r'<system type="current" size="(\d+)"', tail)
    free = sum(int(x) for x in re.findall(r'<total type="(?:fast|rest)" count="\d+" size="(\d+)"', tail))
    mmapped = re.search(r'<total type="mmap" count="\d+" size="(\d+)"', tail)
    if current:
        print(f"  [{label}] glibc arenas={arenas} from-OS={int(current.group(1)) >> 20} MB free-inside={free >> 20} MB"
              f" mmapped-blocks={int(mmapped.group(1)) >> 20 if mmapped else 0} MB")
    nmt = jcmd(pid, "VM.native_memory", "summary", "scale=MB")
    total = re.search(r"Total: reserved=\d+MB, committed=(\d+)MB", nmt)
    if total:
        cats = re.findall(r"-\s+([A-Za-z][A-Za-z ]*?) \(reserved=\d+MB, committed=(\d+)MB", nmt)
        print(f"  [{label}] NMT committed={total.group(1)} MB: "
              + ", ".join(f"{n} {c}" for n, c in cats if int(c) > 0))


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
    diag(pid, "start")
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
    diag(pid, "after churn")
    idle_cpu = cpu_ms(pid)
    for t in range(10, IDLE + 1, 10):
        time.sleep(10)
        print(f"idle {t}s rss={rss_mb(pid):.0f} MB cpu={cpu_ms(pid) - idle_cpu} ms")
    diag(pid, "idle end")
    if os.environ.get("CHURN_TRIM") == "1":
        jcmd(pid, "System.trim_native_heap")
        print(f"after jcmd System.trim_native_heap rss={rss_mb(pid):.0f} MB")
        diag(pid, "trimmed")
    if os.environ.get("CHURN_HISTO") == "1":  # the live objects; jcmd's histogram runs a full GC first
        histo = jcmd(pid, "GC.class_histogram").splitlines()
        print(f"after the full GC of jcmd GC.class_histogram rss={rss_mb(pid):.0f} MB; live objects:")
        print("\n".join(histo[:14] + histo[-1:]))
        diag(pid, "full GC")
finally:
    proc.terminate()
    proc.wait(timeout=30)
