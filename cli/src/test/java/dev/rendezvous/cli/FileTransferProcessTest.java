package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code rendezvous send} and {@code receive} as processes, through a real server on 127.0.0.1. */
class FileTransferProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ServerFixture server = ServerFixture.perClass();

    @TempDir
    Path root;

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static JsonNode nextEvent(ChatProcess process, String type) throws Exception {
        while (true) {
            JsonNode event = JSON.readTree(process.nextMessage());
            if (event.path("event").asText().equals(type)) {
                return event;
            }
        }
    }

    private static void assertOnlyJsonEvents(List<String> lines) {
        assertThat(lines)
                .allSatisfy(line -> assertThat(JSON.readTree(line).path("event").isTextual())
                        .as("a JSON event: %s", line)
                        .isTrue());
    }

    @Test
    void sendPrintsACodeAndReceiveFetchesEveryFileVerified() throws Exception {
        Path out = Files.createDirectories(root.resolve("out"));
        Path in = root.resolve("in");
        byte[] random = new byte[3 << 20];
        new Random(18).nextBytes(random);
        Path big = Files.write(out.resolve("random.bin"), random);
        Path empty = Files.write(out.resolve("empty"), new byte[0]);
        Path unicode = Files.writeString(out.resolve("naïve ✓.txt"), "bonjour", StandardCharsets.UTF_8);
        String lobby = server.lobby().toString();
        try (ChatProcess send =
                LoopbackCli.command("send", server, "--json", big.toString(), empty.toString(), unicode.toString())) {
            JsonNode code = nextEvent(send, "code");
            assertThat(code.path("code").asText()).matches("\\d{1,2}-[a-z]+-[a-z]+");
            assertThat(code.path("command").asText())
                    .isEqualTo("rendezvous receive " + code.path("code").asText() + " --server "
                            + ServerAddress.parse(lobby).lobby() + " --ice-loopback");
            try (ChatProcess receive = LoopbackCli.command(
                    "receive", server, "--plain", code.path("code").asText(), "--dir", in.toString())) {
                assertThat(receive.awaitStatus("random.bin: done")).contains("SHA-256 " + sha256(big) + " verified");
                receive.awaitStatus("empty: done");
                receive.awaitStatus("naïve ✓.txt: done");
                assertThat(nextEvent(send, "done").path("name").asText()).isEqualTo("random.bin");
                assertThat(send.awaitExit()).isZero();
                assertThat(receive.awaitExit()).isZero();
                // Up to the end of the stream, exit included, --json prints JSON events and nothing else
                // (webrtc-java prints "VM attach current thread failed" to stdout as the JVM exits).
                assertOnlyJsonEvents(send.stdoutAfterExit());
            }
        }
        for (Path file : new Path[] {big, empty, unicode}) {
            assertThat(sha256(in.resolve(file.getFileName().toString()))).isEqualTo(sha256(file));
        }
    }

    @Test
    void receiveWaitsUnderItsOwnCodeForSendPair() throws Exception {
        Path file =
                Files.writeString(Files.createDirectories(root.resolve("out")).resolve("one.txt"), "x");
        Path in = root.resolve("in");
        try (ChatProcess receive = LoopbackCli.command("receive", server, "--json", "--dir", in.toString())) {
            JsonNode code = nextEvent(receive, "code");
            try (ChatProcess send = LoopbackCli.command(
                    "send",
                    server,
                    "--plain",
                    file.toString(),
                    "--pair",
                    code.path("code").asText())) {
                send.awaitStatus("one.txt: done");
                assertThat(send.awaitExit()).isZero();
                assertThat(nextEvent(receive, "done").path("path").asText())
                        .isEqualTo(in.resolve("one.txt").toAbsolutePath().toString());
                assertThat(receive.awaitExit()).isZero();
                assertOnlyJsonEvents(receive.stdoutAfterExit());
            }
        }
        assertThat(Files.readString(in.resolve("one.txt"))).isEqualTo("x");
    }

    @Test
    void anExistingFileIsRefusedWithoutForceAndBothSidesSaySo() throws Exception {
        Path file =
                Files.writeString(Files.createDirectories(root.resolve("out")).resolve("same.txt"), "new");
        Path in = Files.createDirectories(root.resolve("in"));
        Files.writeString(in.resolve("same.txt"), "old");
        try (ChatProcess send = LoopbackCli.command("send", server, "--json", file.toString())) {
            String code = nextEvent(send, "code").path("code").asText();
            try (ChatProcess receive =
                    LoopbackCli.command("receive", server, "--plain", code, "--dir", in.toString())) {
                assertThat(receive.awaitStatus("same.txt: failed"))
                        .contains("already exists")
                        .contains("--force");
                assertThat(nextEvent(send, "failed").path("reason").asText()).contains("already exists");
                assertThat(send.awaitExit()).isEqualTo(1);
                assertThat(receive.awaitExit()).isEqualTo(1);
            }
        }
        assertThat(Files.readString(in.resolve("same.txt"))).isEqualTo("old");
    }

    @Test
    void anUnknownCodeExitsThreeAndABadFileExitsTwo() throws Exception {
        String lobby = server.lobby().toString();
        try (ChatProcess receive =
                LoopbackCli.command("receive", server, "--plain", "1-no-such", "--dir", root.toString())) {
            assertThat(receive.awaitStatus("failed")).contains("no sender is waiting with code 1-no-such");
            assertThat(receive.awaitExit()).isEqualTo(3);
        }
        try (ChatProcess send =
                ChatProcess.command("send", root.resolve("missing").toString(), "--server", lobby, "--plain")) {
            assertThat(send.awaitStatus("failed")).contains("not a readable file");
            assertThat(send.awaitExit()).isEqualTo(2);
        }
    }

    @Test
    void aRoomMemberReceivesWhatTheSenderInTheRoomSends() throws Exception {
        Path file =
                Files.writeString(Files.createDirectories(root.resolve("out")).resolve("room.txt"), "to the room");
        Path in = root.resolve("in");
        try (ChatProcess receive =
                LoopbackCli.command("receive", server, "--plain", "--room", "files-room", "--dir", in.toString())) {
            receive.awaitStatus("in room files-room");
            try (ChatProcess send =
                    LoopbackCli.command("send", server, "--plain", file.toString(), "--room", "files-room")) {
                send.awaitStatus("room.txt: done");
                assertThat(send.awaitExit()).isZero();
                receive.awaitStatus("room.txt: done");
                assertThat(receive.awaitExit()).isZero();
            }
        }
        assertThat(Files.readString(in.resolve("room.txt"))).isEqualTo("to the room");
    }
}
