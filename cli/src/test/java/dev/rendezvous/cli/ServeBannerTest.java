package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What {@code serve} tells a first-time user to open, after its listening line. */
class ServeBannerTest {

    @Test
    void namesThePageTheDashboardAndHealth() {
        assertThat(ServeBanner.hints(URI.create("http://127.0.0.1:8765/")))
                .containsExactly(
                        "  Try it: open http://127.0.0.1:8765/ in two browser tabs and pair them.",
                        "  Dashboard: http://127.0.0.1:8765/debug.html   Health: http://127.0.0.1:8765/healthz   Stop: Ctrl-C");
    }

    @Test
    void aServerOnEveryInterfaceIsOpenedAtLoopbackHere() {
        assertThat(ServeBanner.hints(URI.create("http://0.0.0.0:9000/")))
                .containsExactly(
                        "  Try it: open http://127.0.0.1:9000/ in two browser tabs and pair them"
                                + " (from another machine: this machine's address, port 9000).",
                        "  Dashboard: http://127.0.0.1:9000/debug.html   Health: http://127.0.0.1:9000/healthz   Stop: Ctrl-C");
    }

    @Test
    void tlsKeepsItsScheme() {
        assertThat(ServeBanner.hints(URI.create("https://127.0.0.1:8443/")).getFirst())
                .isEqualTo("  Try it: open https://127.0.0.1:8443/ in two browser tabs and pair them.");
    }
}
