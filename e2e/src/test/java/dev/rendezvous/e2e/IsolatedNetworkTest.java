package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.testing.browser.BrowserExtension;
import java.net.NetworkInterface;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * Guards the e2e set-up itself: the test JVM (and so the server, Chromium and the Java peers it starts)
 * runs in a network namespace whose only interface is loopback (see {@code src/test/netns/bin/java}), so
 * no packet of these tests can reach anything but 127.0.0.1 / ::1.
 */
class IsolatedNetworkTest {

    @Test
    void theOnlyNetworkInterfaceIsAnUpLoopback() throws SocketException {
        assumeTrue(BrowserExtension.isolated(), "no network namespace could be made here: the WebRTC tests skip");
        assertThat(NetworkInterface.networkInterfaces().toList())
                .singleElement()
                .satisfies(lo -> {
                    assertThat(lo.isLoopback()).isTrue();
                    assertThat(lo.isUp()).isTrue();
                });
    }
}
