package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.barrier;
import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.WsRecorder;
import java.time.Duration;

/**
 * PeerJS scenarios that this module's one-server tests and cluster-redis's two-node tests both run, each
 * with its clients placed its own way. Test-thread only.
 */
public final class PeerJsScenarios {
    private PeerJsScenarios() {}

    /**
     * {@code sender} sends 3.9 KB CANDIDATEs to {@code dst}, a socket that does not read, with a HEARTBEAT
     * and a short look for an answer every 40, until the server answers LEAVE for the failed delivery
     * (bounded: at most 2 000, ~8 MB, far past the 1 MiB outbound bound).
     *
     * @return whether LEAVE came
     */
    public static boolean floodUntilLeave(WsRecorder sender, String dst) {
        String big = "{\"type\":\"CANDIDATE\",\"dst\":\"" + dst + "\",\"payload\":\"" + "y".repeat(3_900) + "\"}";
        boolean leave = false;
        for (int i = 0; i < 2_000 && !leave; i++) {
            sender.sendText(big);
            if (i % 40 == 39) {
                sender.sendText("{\"type\":\"HEARTBEAT\"}");
                try {
                    WsRecorder.Event e = sender.nextEvent(Duration.ofMillis(100));
                    leave = e instanceof WsRecorder.Event.Text t
                            && json(t.text()).path("type").asText().equals("LEAVE");
                } catch (AssertionError nothingYet) {
                    // no answer within the pause: keep sending
                }
            }
        }
        return leave;
    }

    /**
     * The clients open as ids {@code a} and {@code b} send to an id that never comes ({@code a} an OFFER and a
     * CANDIDATE, {@code b} an OFFER): each hears one EXPIRE, {@code a} no sooner than {@code atLeast} after
     * sending, and nothing more before a barrier.
     */
    public static void assertExpireOncePerSender(WsRecorder a, WsRecorder b, Duration atLeast) {
        long start = System.nanoTime();
        a.sendText("{\"type\":\"OFFER\",\"dst\":\"ghost\",\"payload\":{}}");
        a.sendText("{\"type\":\"CANDIDATE\",\"dst\":\"ghost\",\"payload\":{}}");
        b.sendText("{\"type\":\"OFFER\",\"dst\":\"ghost\",\"payload\":{}}");
        assertThat(json(a.nextText())).isEqualTo(json("{\"type\":\"EXPIRE\",\"src\":\"ghost\",\"dst\":\"a\"}"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(atLeast);
        assertThat(json(b.nextText())).isEqualTo(json("{\"type\":\"EXPIRE\",\"src\":\"ghost\",\"dst\":\"b\"}"));
        barrier(a, "a"); // one EXPIRE for a's two messages
    }
}
