package dev.rendezvous.client.rtc;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives libwebrtc's UDP sockets a larger kernel receive buffer. libwebrtc leaves them at the system
 * default ({@code net.core.rmem_default}, 208 KiB on Linux): at ~100 MiB/s that is ~1 ms of packets, so
 * whenever the receiving process's network thread waits that long for a core, the kernel drops what
 * arrives and SCTP's congestion control halves its window. A 1 GiB transfer between two processes on 2
 * cores lost 9 400-12 900 packets that way; with a 4 MiB buffer (8 MiB granted) a few hundred, and its
 * rate went from 67 to 96 MiB/s (medians of 3; docs/benchmarks.md, "`rendezvous send` of 1 GiB between two
 * processes"). webrtc-java has no socket options, so the socket is found the way {@code ss} finds it (its
 * local port in {@code /proc/net/udp}, its inode among this process's descriptors) and set with
 * {@code setsockopt} through JNA.
 *
 * <p>The kernel caps the request at {@code net.core.rmem_max} (208 KiB on many distributions); the first
 * capped socket is logged once with the sysctl that lifts the cap. Never {@code SO_RCVBUFFORCE}: an
 * administrator's limit stays a limit. Linux only; elsewhere, or if anything fails, sockets keep their
 * default and the session works as before.
 *
 * <p>Threading: reads {@code /proc}; call it off the event thread and off webrtc-java's threads.
 */
final class UdpReceiveBuffers {
    /** What a session asks for unless configured otherwise ({@link SessionConfig#udpReceiveBufferBytes()}). */
    static final int DEFAULT_BYTES = 4 << 20;

    private static final Logger log = LoggerFactory.getLogger(UdpReceiveBuffers.class);
    private static final int SOL_SOCKET = 1; // Linux
    private static final int SO_RCVBUF = 8; // Linux
    private static final List<Path> UDP_TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    private static final AtomicBoolean cappedReported = new AtomicBoolean();

    /** The two calls this needs from the C library. */
    interface LibC extends Library {
        int setsockopt(int fd, int level, int name, IntByReference value, int length);

        int getsockopt(int fd, int level, int name, IntByReference value, IntByReference length);
    }

    /** Loaded on first use, so a platform without it (or without JNA's native part) only loses the tuning. */
    private static final class C {
        static final LibC LIB = load();

        private static LibC load() {
            if (!Platform.isLinux()) {
                return null;
            }
            try {
                return Native.load("c", LibC.class);
            } catch (LinkageError | RuntimeException e) { // JNA's native part missing, or not for this platform
                log.debug("no setsockopt through JNA: {}", e.toString());
                return null;
            }
        }
    }

    private final int bytes;
    // Port -> what the kernel granted (-1: not possible). Written by the raising threads, read anywhere.
    private final Map<Integer, Integer> granted = new ConcurrentHashMap<>();

    /** One session's sockets; {@code bytes} 0 leaves them alone. */
    UdpReceiveBuffers(int bytes) {
        this.bytes = bytes;
    }

    /**
     * A local candidate was gathered (its socket is bound): raises that socket's buffer on a virtual
     * thread, once per port. Cheap and non-blocking; safe on any thread.
     */
    void localCandidate(String candidate) {
        if (bytes == 0) {
            return;
        }
        socketPort(candidate).ifPresent(port -> {
            if (granted.putIfAbsent(port, 0) == null) {
                Thread.ofVirtual().name("rendezvous-udp-buffer").start(() -> granted.put(port, raiseQuietly(port)));
            }
        });
    }

    /** {@link #raise}, with any failure (a platform JNA cannot serve, say) meaning "not possible": -1. */
    private int raiseQuietly(int port) {
        try {
            return raise(port, bytes);
        } catch (LinkageError | RuntimeException e) {
            log.debug("cannot raise the receive buffer of UDP port {}: {}", port, e.toString());
            return -1;
        }
    }

    /** What each raised socket got so far, by local port (0: still being raised; -1: not possible). */
    Map<Integer, Integer> granted() {
        return Map.copyOf(granted);
    }

    /**
     * The local UDP port of the socket a local candidate stands for: a host candidate's own port, a
     * reflexive one's base ({@code rport}); empty for TCP, relay (its socket is the host candidate's) and
     * lines it does not understand.
     */
    static OptionalInt socketPort(String candidate) {
        String line = candidate.trim();
        if (line.startsWith("a=")) {
            line = line.substring(2);
        }
        String[] fields = line.split(" ");
        if (fields.length < 8 || !"typ".equals(fields[6]) || !"udp".equalsIgnoreCase(fields[2])) {
            return OptionalInt.empty();
        }
        return switch (fields[7]) {
            case "host" -> port(fields[5]);
            case "srflx", "prflx" -> {
                for (int i = 8; i + 1 < fields.length; i += 2) {
                    if ("rport".equals(fields[i])) {
                        yield port(fields[i + 1]);
                    }
                }
                yield OptionalInt.empty();
            }
            default -> OptionalInt.empty();
        };
    }

    /**
     * Asks for a receive buffer of {@code bytes} on this process's UDP socket(s) bound to {@code port}.
     * Matched by port alone, on any address: in a peer process libwebrtc's sockets are the only UDP ones,
     * and two sockets of one process on one port number are rare. A descriptor closed and reused between
     * the scan and {@code setsockopt} would get the setting instead; that takes microseconds of bad luck,
     * and a larger receive buffer harms no socket.
     *
     * @return the buffer the kernel now gives the socket (as {@code getsockopt} reports it: twice what it
     *     grants, the other half being its bookkeeping), the smallest if several share the port; -1 if no
     *     such socket was found or the platform cannot do it
     */
    static int raise(int port, int bytes) {
        LibC lib = C.LIB;
        if (lib == null) {
            return -1;
        }
        Set<String> sockets;
        try {
            sockets = socketsOnPort(port);
        } catch (IOException e) {
            log.debug("cannot read the UDP socket table: {}", e.toString());
            return -1;
        }
        int smallest = -1;
        for (int fd : descriptorsOf(sockets)) {
            int now = receiveBuffer(lib, fd);
            // Never shrink one: a host whose default is larger than the request keeps its default.
            if (now >= 0
                    && now < 2L * bytes
                    && lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new IntByReference(bytes), Integer.BYTES) == 0) {
                now = receiveBuffer(lib, fd);
            }
            if (now >= 0) {
                smallest = smallest < 0 ? now : Math.min(smallest, now);
            }
        }
        if (smallest >= 0 && smallest < 2L * bytes && cappedReported.compareAndSet(false, true)) {
            log.info(
                    "the kernel caps UDP receive buffers at {} KiB (net.core.rmem_max), below the {} KiB asked for:"
                            + " fast data channels may lose packets on a busy machine; `sysctl -w net.core.rmem_max={}`"
                            + " lifts the cap (docs/operations.md, \"Data channel throughput\")",
                    smallest / 2 / 1024,
                    bytes / 1024,
                    bytes);
        }
        return smallest;
    }

    /** The socket's receive buffer as the kernel reports it (twice what it grants), or -1 (closed meanwhile). */
    private static int receiveBuffer(LibC lib, int fd) {
        IntByReference value = new IntByReference();
        return lib.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, new IntByReference(Integer.BYTES)) == 0
                ? value.getValue()
                : -1;
    }

    /** Inodes of the UDP sockets (IPv4 and IPv6, any process) bound to {@code port} on any address. */
    private static Set<String> socketsOnPort(int port) throws IOException {
        String suffix = String.format(":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (Path table : UDP_TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String row : Files.readAllLines(table)) {
                String[] fields = row.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                if (fields.length > 9 && fields[1].endsWith(suffix)) {
                    inodes.add(fields[9]);
                }
            }
        }
        return inodes;
    }

    /** This process's file descriptors that are one of {@code sockets}. */
    private static List<Integer> descriptorsOf(Set<String> sockets) {
        if (sockets.isEmpty()) {
            return List.of();
        }
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString(); // socket:[inode]
                    if (target.startsWith("socket:[") && sockets.contains(target.substring(8, target.length() - 1))) {
                        found.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException closedMeanwhile) {
                    // A descriptor closed while listing: not one of ours any more.
                }
            }
        } catch (IOException e) {
            log.debug("cannot list this process's descriptors: {}", e.toString());
        }
        return found;
    }

    private static OptionalInt port(String field) {
        try {
            int port = Integer.parseInt(field);
            return port > 0 && port < 65536 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
