package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.ServerFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every mistake a person can make with {@code rendezvous chat} is one sentence that says what to do: never a
 * stack trace, never {@code null} (issue 17). And a line typed with nobody to send to is refused, as the page
 * refuses it, and named at the end.
 */
class ChatErrorsTest {

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs chat in-process for errors found before any connection (picocli's own checks). */
    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.configure(new CommandLine(new Main()));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute(args)).as("exit status of a usage error").isEqualTo(2);
        return err.toString();
    }

    @Test
    void aStoppedServerIsOneSentenceWithTheFix() throws Exception {
        int port = closedPort();
        try (ChatProcess chat =
                ChatProcess.start("--server", "ws://127.0.0.1:" + port + "/ws", "--ice-loopback", "--plain")) {
            assertThat(chat.awaitStatus("could not join"))
                    .isEqualTo("* could not join ws://127.0.0.1:" + port
                            + "/ws: nothing answers at 127.0.0.1:" + port
                            + "; start the server (`rendezvous serve`) or give its address with --server");
            assertThat(chat.awaitExit()).isEqualTo(1);
        }
    }

    @Test
    void sendAndReceiveSayTheSameOfAStoppedServer(@TempDir Path dir) throws Exception {
        int port = closedPort();
        Path file = Files.writeString(dir.resolve("note.txt"), "hello");
        String expected = "could not join ws://127.0.0.1:" + port + "/ws: nothing answers at 127.0.0.1:" + port
                + "; start the server (`rendezvous serve`) or give its address with --server";
        try (ChatProcess send =
                ChatProcess.command("send", file.toString(), "--server", "127.0.0.1:" + port, "--plain")) {
            assertThat(send.awaitStatus("could not join")).endsWith(expected);
            assertThat(send.awaitExit()).isNotZero();
        }
        try (ChatProcess receive =
                ChatProcess.command("receive", "--dir", dir.toString(), "--server", "127.0.0.1:" + port, "--plain")) {
            assertThat(receive.awaitStatus("could not join")).endsWith(expected);
            assertThat(receive.awaitExit()).isNotZero();
        }
    }

    @Test
    void anInvalidIdIsOneSentenceBeforeAnyConnection() {
        assertThat(usageError("chat", "--server", "127.0.0.1:1", "--id", "bad id!"))
                .startsWith("rendezvous chat: Invalid value for option '--id': \"bad id!\" is not a valid name:"
                        + " use 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'")
                .doesNotContain("null")
                .doesNotContain("Exception")
                .doesNotContain("Usage:");
        assertThat(usageError("chat", "--room", "team/1"))
                .startsWith("rendezvous chat: Invalid value for option '--room': \"team/1\" is not a valid name");
    }

    @Test
    void anHttpAddressNamesTheSameServer() throws Exception {
        try (ServerFixture server = ServerFixture.start()) {
            URI lobby = server.lobby();
            String http = "http://" + lobby.getHost() + ":" + lobby.getPort();
            try (ChatProcess chat =
                    ChatProcess.start("--server", http, "--id", "http-form", "--ice-loopback", "--plain")) {
                assertThat(chat.awaitStatus("your id:")).isEqualTo("* your id: http-form (lobby)");
                chat.type("/quit");
                assertThat(chat.awaitExit()).isZero();
            }
        }
    }

    @Test
    void pairWhileDisconnectedSaysWhatToDo() throws Exception {
        ServerFixture server = ServerFixture.start();
        try (ChatProcess chat = LoopbackCli.chat(server, "--id", "cut-off")) {
            chat.awaitStatus("your id: cut-off");
            server.close(); // the server goes away for good: no resume
            chat.awaitStatus("signaling connection closed");
            chat.type("/pair someone");
            assertThat(chat.awaitStatus("could not ask to pair"))
                    .isEqualTo("* could not ask to pair with someone:"
                            + " the connection to the server is closed; /quit, then start chat again");
            chat.type("/quit");
            chat.awaitExit();
        } finally {
            server.close();
        }
    }

    @Test
    void aLineTypedWithNobodyToSendToIsRefusedAndNamed() throws Exception {
        try (ServerFixture server = ServerFixture.start();
                ChatProcess alone = LoopbackCli.chat(server, "--id", "alone")) {
            alone.awaitStatus("your id: alone");
            alone.type("hello anyone");
            assertThat(alone.awaitStatus("not sent"))
                    .isEqualTo("* not sent: nobody to send to yet; /pair <id> first,"
                            + " then send it again (a line is not kept for whoever pairs next)");
            // Someone pairs afterwards: the refused line is not sent to them.
            try (ChatProcess late = LoopbackCli.chat(server, "--id", "late", "--pair", "alone")) {
                late.awaitStatus("alone: channel open");
                alone.awaitStatus("late: channel open");
                alone.type("this one goes");
                assertThat(late.nextMessage()).isEqualTo("this one goes");
                late.type("/quit");
                assertThat(late.awaitExit()).isZero();
            }
            alone.endInput();
            assertThat(alone.awaitStatus("not delivered"))
                    .isEqualTo("* not delivered to nobody: hello anyone (no peer paired: nobody to send to)");
            assertThat(alone.awaitExit()).isEqualTo(1);
        }
    }
}
