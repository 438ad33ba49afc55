package dev.rendezvous.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address cap and token bucket, on a clock the test drives; the address ranges and X-Forwarded-For. */
class AddressGateTest {
    private final AtomicLong now = new AtomicLong();

    private AddressGate gate(int max, double rate, double burst, String... proxies) {
        return new AddressGate(
                new AddressGate.Limits(
                        max,
                        rate,
                        burst,
                        java.util.Arrays.stream(proxies)
                                .map(AddressRange::parse)
                                .toList()),
                now::get);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: never resolved
    }

    /** The verdicts of opening a connection from each address in turn (none closed in between). */
    private static List<AddressGate.Verdict> open(AddressGate g, String... literals) throws Exception {
        List<AddressGate.Verdict> verdicts = new java.util.ArrayList<>();
        for (String literal : literals) {
            verdicts.add(g.open(ip(literal)));
        }
        return verdicts;
    }

    @Test
    void theCapCountsOpenConnectionsPerAddress() throws Exception {
        AddressGate g = gate(2, 0, 1);
        assertThat(open(g, "10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"))
                .containsExactly(
                        AddressGate.Verdict.OPEN,
                        AddressGate.Verdict.OPEN,
                        AddressGate.Verdict.TOO_MANY,
                        AddressGate.Verdict.OPEN);
        g.close(ip("10.0.0.1"));
        assertThat(open(g, "10.0.0.1")).containsExactly(AddressGate.Verdict.OPEN);
        assertThat(g.openConnections(ip("10.0.0.1"))).isEqualTo(2);
    }

    @Test
    void theRateRefillsWithTimeUpToTheBurst() throws Exception {
        AddressGate g = gate(0, 2, 3);
        InetAddress a = ip("10.0.0.1");
        for (int i = 0; i < 3; i++) {
            assertThat(g.open(a)).isEqualTo(AddressGate.Verdict.OPEN);
            g.close(a);
        }
        assertThat(g.open(a)).isEqualTo(AddressGate.Verdict.TOO_FAST);
        now.addAndGet(500_000_000L); // half a second: one more at 2/s
        assertThat(g.open(a)).isEqualTo(AddressGate.Verdict.OPEN);
        assertThat(g.open(a)).isEqualTo(AddressGate.Verdict.TOO_FAST);
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(g.open(a)).isEqualTo(AddressGate.Verdict.OPEN);
        }
        assertThat(g.open(a)).as("never more than the burst").isEqualTo(AddressGate.Verdict.TOO_FAST);
    }

    @Test
    void aSweepDropsOnlyIdleAddressesWithAFullBucket() throws Exception {
        AddressGate g = gate(10, 1, 2);
        g.open(ip("10.0.0.1"));
        g.open(ip("10.0.0.2"));
        g.close(ip("10.0.0.2"));
        assertThat(g.sweep())
                .as("10.0.0.2's bucket is not full yet: a reconnect loop cannot reset it")
                .isEqualTo(2);
        now.addAndGet(5_000_000_000L);
        assertThat(g.sweep()).isEqualTo(1);
        assertThat(g.openConnections(ip("10.0.0.1"))).isEqualTo(1);
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() throws Exception {
        AddressGate g = gate(1, 0, 1);
        assertThat(open(g, "2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1"))
                .as("the second shares the first's /64; the third is another /64")
                .containsExactly(AddressGate.Verdict.OPEN, AddressGate.Verdict.TOO_MANY, AddressGate.Verdict.OPEN);
    }

    @Test
    void addressRanges() throws Exception {
        assertThat(AddressRange.parse("10.0.0.0/8").contains(ip("10.200.3.4"))).isTrue();
        assertThat(AddressRange.parse("10.0.0.0/8").contains(ip("11.0.0.1"))).isFalse();
        assertThat(AddressRange.parse("192.168.1.128/25").contains(ip("192.168.1.200")))
                .isTrue();
        assertThat(AddressRange.parse("192.168.1.128/25").contains(ip("192.168.1.100")))
                .isFalse();
        assertThat(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
        assertThat(AddressRange.parse("[::1]").contains(ip("::1"))).isTrue();
        assertThat(AddressRange.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> AddressRange.parse("proxy.example.com")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).hasMessageContaining("bad prefix");
    }

    @Test
    void theForwardedAddressIsTheRightmostUntrustedHopAndOnlyFromATrustedPeer() throws Exception {
        AddressGate g = gate(1, 0, 1, "10.0.0.0/24", "127.0.0.1");
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("203.0.113.7"), g)).isEqualTo(ip("203.0.113.7"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("198.51.100.1, 203.0.113.7, 10.0.0.9"), g))
                .isEqualTo(ip("203.0.113.7"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("198.51.100.1", "203.0.113.7"), g))
                .isEqualTo(ip("203.0.113.7"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of(), g))
                .as("no header: the proxy")
                .isEqualTo(ip("10.0.0.5"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("evil, 10.0.0.9"), g))
                .as("garbage stops the walk")
                .isEqualTo(ip("10.0.0.9"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("[2001:db8::1]:4711"), g))
                .isEqualTo(ip("2001:db8::1"));
        assertThat(ClientAddress.of(ip("10.0.0.5"), List.of("203.0.113.7:4711"), g))
                .isEqualTo(ip("203.0.113.7"));
        assertThat(ClientAddress.of(ip("198.51.100.9"), List.of("203.0.113.7"), g))
                .as("untrusted peer")
                .isEqualTo(ip("198.51.100.9"));
    }
}
