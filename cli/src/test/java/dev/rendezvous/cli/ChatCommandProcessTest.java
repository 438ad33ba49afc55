package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.ServerFixture;
import dev.rendezvous.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two {@code rendezvous chat} processes, driven through stdin/stdout, chat through a real server. */
class ChatCommandProcessTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    @Test
    void twoChatProcessesChatThroughStdinAndStdout() throws Exception {
        try (ChatProcess alice = LoopbackCli.chat(server, "--id", "cli-alice");
                ChatProcess bob = LoopbackCli.chat(server, "--id", "cli-bob")) {
            assertThat(alice.awaitStatus("your id: ")).isEqualTo("* your id: cli-alice (lobby)");
            bob.awaitStatus("your id: cli-bob");

            bob.type("/pair cli-alice");
            bob.awaitStatus("paired with cli-alice (we offer)");
            alice.awaitStatus("paired with cli-bob (they offer)");
            alice.awaitStatus("cli-bob: channel open");
            bob.awaitStatus("cli-alice: channel open");

            alice.type("hello bob ✓");
            assertThat(bob.nextMessage()).isEqualTo("hello bob ✓");
            bob.type("hi alice 🎉");
            bob.type("//not a command");
            assertThat(alice.nextMessage()).isEqualTo("hi alice 🎉");
            assertThat(alice.nextMessage()).isEqualTo("/not a command");

            bob.type("/peers");
            bob.awaitStatus("cli-alice: channel open, connected");

            bob.type("/quit");
            assertThat(bob.awaitExit()).isZero();
            alice.awaitStatus("cli-bob left; ready for a new peer");

            alice.endInput(); // EOF: close cleanly, exit 0
            assertThat(alice.awaitExit()).isZero();
            assertThat(alice.unreadMessages()).isEmpty();
        }
    }

    @Test
    void linesTypedBeforeTheChannelOpensAreDeliveredInOrder() throws Exception {
        try (ChatProcess alice = LoopbackCli.chat(server, "--id", "cli-early-a")) {
            alice.awaitStatus("your id: cli-early-a");
            try (ChatProcess bob = LoopbackCli.chat(server, "--id", "cli-early-b", "--pair", "cli-early-a")) {
                bob.type("one");
                bob.type("two");
                bob.type("three");
                assertThat(alice.nextMessage()).isEqualTo("one");
                assertThat(alice.nextMessage()).isEqualTo("two");
                assertThat(alice.nextMessage()).isEqualTo("three");
                bob.endInput();
                assertThat(bob.awaitExit()).isZero();
            }
            alice.type("/quit");
            assertThat(alice.awaitExit()).isZero();
        }
    }

    private static final int TAIL_LINES = 40;

    @Test
    void pipedInputIsDeliveredBeforeExitTwentyRunsInARow() throws Exception {
        // echo "hello" | rendezvous chat --pair alice --ice-loopback, as the README shows it: the line is
        // held until paired, queued until the channel opens, and chat exits only once it has arrived.
        try (ChatProcess alice = LoopbackCli.chat(server, "--id", "pipe-alice")) {
            alice.awaitStatus("your id: pipe-alice");
            for (int run = 1; run <= 20; run++) {
                String bobId = "pipe-bob-" + run;
                try (ChatProcess bob = LoopbackCli.chat(server, "--id", bobId, "--pair", "pipe-alice")) {
                    bob.type("hello " + run + " ✓");
                    // A tail of longer lines: still in libwebrtc's buffer when input ends, unless chat waits.
                    for (int i = 0; i < TAIL_LINES; i++) {
                        bob.type(run + "-" + i + " " + "z".repeat(2000));
                    }
                    bob.endInput();
                    assertThat(bob.awaitExit()).as("run %d exit status", run).isZero();
                    assertThat(alice.nextMessage()).as("run %d", run).isEqualTo("hello " + run + " ✓");
                    for (int i = 0; i < TAIL_LINES; i++) {
                        assertThat(alice.nextMessage())
                                .as("run %d, line %d", run, i)
                                .startsWith(run + "-" + i + " ");
                    }
                }
                alice.awaitStatus(bobId + " left");
            }
            assertThat(alice.unreadMessages()).isEmpty();
            alice.type("/quit");
            assertThat(alice.awaitExit()).isZero();
        }
    }

    @Test
    void pipedInputThatCannotBeDeliveredExitsOneNamingEachLine() throws Exception {
        try (ChatProcess bob =
                LoopbackCli.chat(server, "--id", "pipe-lonely", "--pair", "pipe-nobody", "--deliver-timeout", "1")) {
            bob.type("first line");
            bob.type("second line");
            bob.endInput();
            assertThat(bob.awaitStatus("not delivered to nobody: first line")).contains("no peer paired");
            bob.awaitStatus("not delivered to nobody: second line");
            assertThat(bob.awaitExit()).isEqualTo(1);
        }
    }

    @Test
    void twoChatProcessesInARoom() throws Exception {
        try (ChatProcess first = LoopbackCli.chat(server, "--room", "cli-room", "--id", "room-1")) {
            first.awaitStatus("room is empty");
            try (ChatProcess second = LoopbackCli.chat(server, "--room", "cli-room", "--id", "room-2")) {
                second.awaitStatus("in the room: room-1");
                first.awaitStatus("room-2 joined");
                first.awaitStatus("room-2: channel open");
                second.awaitStatus("room-1: channel open");
                second.type("hello room ✓");
                assertThat(first.nextMessage()).isEqualTo("hello room ✓");
                first.type("welcome 🎉");
                assertThat(second.nextMessage()).isEqualTo("welcome 🎉");
                second.type("/leave");
                second.awaitStatus("left room cli-room");
                first.awaitStatus("room-2 left");
                second.type("/quit");
                assertThat(second.awaitExit()).isZero();
            }
            first.endInput();
            assertThat(first.awaitExit()).isZero();
        }
    }

    @Test
    void withATokenItJoinsAServerWithAuthAndWithABadOneItExitsOne() throws Exception {
        String secret = "chat-test-secret-of-at-least-32-bytes!";
        try (ServerFixture authServer =
                ServerFixture.start(b -> b.authenticator(Tokens.hmacAuthenticator(secret, null, null)))) {
            String lobby = authServer.lobby().toString();
            String token = Tokens.hs256(secret, Tokens.claims("carol").build());
            try (ChatProcess carol = ChatProcess.start(
                    "--server", lobby, "--token", token, "--id", "cli-carol", "--ice-loopback", "--plain")) {
                carol.awaitStatus("your id: cli-carol");
                carol.type("/quit");
                assertThat(carol.awaitExit()).isZero();
            }
            String forged = Tokens.hs256(
                    "some-other-secret-of-at-least-32-bytes",
                    Tokens.claims("mallory").build());
            try (ChatProcess mallory =
                    ChatProcess.start("--server", lobby, "--token", forged, "--ice-loopback", "--plain")) {
                assertThat(mallory.awaitStatus("could not join")).contains("auth_failed");
                assertThat(mallory.awaitExit()).isEqualTo(1);
            }
        }
    }
}
