package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.Outage;
import dev.rendezvous.testing.ServerFixture;
import dev.rendezvous.testing.TcpProxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code rendezvous chat} through a signaling cut: it says so, resumes, and the chat never stops. */
class ChatResumeProcessTest {

    @Test
    void theChatSaysSignalingWasLostAndResumedWhileLinesKeepFlowing() throws Exception {
        try (ServerFixture server = ServerFixture.start();
                TcpProxy proxy = TcpProxy.to(server.lobby().getPort());
                ChatProcess alice = ChatProcess.start(
                        "--server", proxy.uri("/ws").toString(), "--id", "cr-alice", "--ice-loopback", "--plain");
                ChatProcess bob = ChatProcess.start(
                        "--server", server.lobby().toString(), "--id", "cr-bob", "--ice-loopback", "--plain")) {
            alice.awaitStatus("your id: cr-alice");
            bob.awaitStatus("your id: cr-bob");
            alice.type("/pair cr-bob");
            alice.awaitStatus("cr-bob: channel open");
            bob.awaitStatus("cr-alice: channel open");

            Outage outage = Outage.begin(proxy);
            alice.awaitStatus("signaling lost — resuming…");
            alice.type("typed while signaling is cut");
            assertThat(bob.nextMessage()).isEqualTo("typed while signaling is cut");
            assertThat(outage.isOver()).isFalse();
            outage.endAfter(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            assertThat(alice.awaitStatus("resumed (")).matches("\\* resumed \\(\\d+ signals? replayed\\)");

            alice.type("after the resume");
            assertThat(bob.nextMessage()).isEqualTo("after the resume");
            bob.type("/quit");
            assertThat(bob.awaitExit()).isZero();
            alice.awaitStatus("cr-bob left");
            alice.endInput();
            assertThat(alice.awaitExit()).isZero();
        }
    }
}
