package dev.rendezvous.client.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which socket a candidate stands for, and the kernel receive buffer a real socket and a real libwebrtc
 * session's sockets get (Linux; every packet on 127.0.0.1). The kernel grants twice the request, capped
 * at {@code net.core.rmem_max}; the figures are read back with {@code ss}, independently of the code.
 */
class UdpReceiveBuffersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void linuxWithSs() {
        assumeTrue(Platform.isLinux(), "socket buffers are raised on Linux only");
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "ss"))),
                "ss (iproute2) reads the buffers back");
    }

    @Test
    void aCandidateNamesItsOwnUdpSocket() {
        assertThat(UdpReceiveBuffers.socketPort(
                        "candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0 ufrag x"))
                .isEqualTo(OptionalInt.of(40000));
        assertThat(UdpReceiveBuffers.socketPort("a=candidate:1 1 UDP 2122260223 10.0.0.2 40002 typ host"))
                .isEqualTo(OptionalInt.of(40002));
        // A reflexive candidate's socket is its base: rport.
        assertThat(UdpReceiveBuffers.socketPort(
                        "candidate:2 1 udp 1686052607 203.0.113.9 61000 typ srflx raddr 10.0.0.2 rport 40002"))
                .isEqualTo(OptionalInt.of(40002));
        // TCP is not UDP; a relay candidate's port is on the TURN server; junk is ignored.
        assertThat(UdpReceiveBuffers.socketPort("candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active"))
                .isEmpty();
        assertThat(UdpReceiveBuffers.socketPort(
                        "candidate:4 1 udp 41885439 127.0.0.1 50000 typ relay raddr 127.0.0.1 rport 40002"))
                .isEmpty();
        assertThat(UdpReceiveBuffers.socketPort("candidate:5 1 udp 1 127.0.0.1 notaport typ host"))
                .isEmpty();
        assertThat(UdpReceiveBuffers.socketPort("nonsense")).isEmpty();
    }

    @Test
    void aSocketOfThisProcessGetsTheBufferAskedFor() throws IOException {
        try (DatagramChannel socket = DatagramChannel.open()) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            assertThat(ssReceiveBuffer(port)).isEqualTo(128 * 1024);

            int granted = UdpReceiveBuffers.raise(port, 1 << 20);

            assertThat(granted).isEqualTo(expectedGrant(1 << 20));
            assertThat(ssReceiveBuffer(port)).isEqualTo(granted);
        }
    }

    @Test
    void aLargerBufferIsNeverShrunk() throws IOException {
        assumeTrue(sysctl("rmem_max") >= 2 << 20, "needs net.core.rmem_max >= 2 MiB to make a large buffer");
        try (DatagramChannel socket = DatagramChannel.open()) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 2 << 20);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
            assertThat(ssReceiveBuffer(port)).isEqualTo(4 << 20);

            assertThat(UdpReceiveBuffers.raise(port, 1 << 20)).isEqualTo(4 << 20);
            assertThat(ssReceiveBuffer(port)).isEqualTo(4 << 20);
        }
    }

    @Test
    void noSocketOnThePortIsReportedNotRaised() throws IOException {
        int unused;
        try (DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            unused = ((InetSocketAddress) socket.getLocalAddress()).getPort();
        }
        assertThat(UdpReceiveBuffers.raise(unused, 1 << 20)).isEqualTo(-1);
    }

    @Test
    void aSessionRaisesEverySocketItSignalsAndLeavesThemAloneWhenToldTo() throws Exception {
        RtcRuntime rtc = RtcRuntime.create();
        LocalLink link = new LocalLink();
        SessionConfig config = SessionConfig.loopbackDefaults();
        link.initiator = PeerSession.create(rtc, "b", true, config, link.initiatorSink(), new SessionRecorder(), null);
        link.answerer = PeerSession.create(
                rtc, "a", false, config.withUdpReceiveBufferBytes(0), link.answererSink(), new SessionRecorder(), null);
        try {
            link.initiator.start();
            await().atMost(WAIT)
                    .until(() -> link.initiator.connectionState() == ConnectionState.CONNECTED
                            && link.answerer.connectionState() == ConnectionState.CONNECTED);
            Set<Integer> signalled = ports(link.initiatorCandidates);
            assertThat(signalled).isNotEmpty();

            int expected = expectedGrant(UdpReceiveBuffers.DEFAULT_BYTES);
            // Every socket it signalled, and those it gathered but loopback mode did not signal (IPv6).
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(link.initiator.udpReceiveBuffers())
                            .containsKeys(signalled.toArray(Integer[]::new))
                            .allSatisfy((port, granted) -> assertThat(granted).isEqualTo(expected)));
            for (int port : signalled) { // in use: the connection runs on one of them
                assertThat(ssReceiveBuffer(port)).as("port %d", port).isEqualTo(expected);
            }

            // The answerer was told 0: its sockets keep the system default.
            assertThat(link.answerer.udpReceiveBuffers()).isEmpty();
            int systemDefault = sysctl("rmem_default");
            for (int port : ports(link.answererCandidates)) {
                assertThat(ssReceiveBuffer(port)).as("port %d", port).isEqualTo(systemDefault);
            }
        } finally {
            link.initiator.close();
            link.answerer.close();
            rtc.close();
        }
    }

    /** The kernel's rule: twice the request, the request capped at net.core.rmem_max first. */
    private static int expectedGrant(int requested) throws IOException {
        int max = sysctl("rmem_max");
        return 2 * Math.min(requested, max);
    }

    /**
     * A {@code net.core} setting. Not {@code Files.readString}: it trusts the size {@code /proc/sys} reports
     * and read "4" of "4194304" here.
     */
    private static int sysctl(String name) throws IOException {
        return Integer.parseInt(
                Files.readAllLines(Path.of("/proc/sys/net/core", name)).get(0).trim());
    }

    private static Set<Integer> ports(Iterable<String> candidates) {
        Set<Integer> ports = new HashSet<>();
        for (String candidate : candidates) {
            UdpReceiveBuffers.socketPort(candidate).ifPresent(ports::add);
        }
        return ports;
    }

    /** The socket's receive buffer as {@code ss} reports it ({@code skmem:(…,rbN,…)}). */
    private static int ssReceiveBuffer(int port) throws IOException {
        Process ss = new ProcessBuilder("ss", "-H", "-uamnp", "sport = :" + port)
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        // One record per socket: its line with the owner (pid=…), then skmem:(…,rbN,…) on the next.
        Matcher rb = Pattern.compile("pid=" + ProcessHandle.current().pid() + "\\b[^\\n]*\\n?[^\\n]*?\\brb(\\d+)")
                .matcher(out);
        assertThat(rb.find()).as("ss output for port %d: %s", port, out).isTrue();
        return Integer.parseInt(rb.group(1));
    }
}
