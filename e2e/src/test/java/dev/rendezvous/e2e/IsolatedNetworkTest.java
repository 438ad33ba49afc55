package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * Guards the e2e set-up itself: the test JVM (and so the server, Chromium and the Java peers it starts)
 * runs in a network namespace whose only interface is loopback (see {@code src/test/netns/bin/java}), so
 * no packet of these tests can reach anything but 127.0.0.1 / ::1.
 */
class IsolatedNetworkTest {

    /** Whether the wrapper put this JVM in its own network namespace (it says so in the environment). */
    static boolean isolated() {
        return "isolated".equals(System.getenv("RENDEZVOUS_E2E_NETNS"));
    }

    @Test
    void theOnlyNetworkInterfaceIsAnUpLoopback() throws SocketException {
        assumeTrue(isolated(), "no network namespace could be made here: the WebRTC tests skip");
        assertThat(NetworkInterface.networkInterfaces().toList())
                .singleElement()
                .satisfies(lo -> {
                    assertThat(lo.isLoopback()).isTrue();
                    assertThat(lo.isUp()).isTrue();
                });
    }
}
