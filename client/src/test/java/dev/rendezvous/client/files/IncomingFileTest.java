package dev.rendezvous.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The receiver's state machine driven message by message, on a real directory, without a channel. */
class IncomingFileTest {
    @TempDir
    Path root;

    private Path dir;
    private final List<String> replies = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private int closes;

    private FileReceiver receiver(boolean force) throws IOException {
        dir = Files.createDirectories(root.resolve("in"));
        return new FileReceiver(dir, force, new FileReceiver.Events() {
            @Override
            public void started(String name, long size, long offset) {
                events.add("started " + name + " " + size + " @" + offset);
            }

            @Override
            public void completed(String name, Path path, long size, String sha256) {
                events.add("completed " + name);
            }

            @Override
            public void failed(String name, String reason) {
                events.add("failed " + name + ": " + reason);
            }
        });
    }

    private IncomingFile open(FileReceiver receiver) {
        return receiver.open(new IncomingFile.Link() {
            @Override
            public void send(String text) {
                replies.add(text);
            }

            @Override
            public void close() {
                closes++;
            }
        });
    }

    private static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String meta(String name, long size, String sha) {
        return new FileMessage.Meta(name, size, sha).toJson();
    }

    private static final String END = new FileMessage.End().toJson();

    private String last() {
        return replies.get(replies.size() - 1);
    }

    @Test
    void receivesInChunksVerifiesAndRenames() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 17];
        new Random(1).nextBytes(data);
        IncomingFile in = open(receiver(false));
        in.onText(meta("data.bin", data.length, sha(data)));
        assertThat(replies).containsExactly("{\"type\":\"accept\",\"offset\":0}");
        for (int at = 0; at < data.length; at += 65536) {
            in.onBinary(ByteBuffer.wrap(Arrays.copyOfRange(data, at, Math.min(data.length, at + 65536))));
        }
        assertThat(replies).contains("{\"type\":\"ack\",\"bytes\":1048576}");
        assertThat(Files.exists(dir.resolve("data.bin.part"))).isTrue();
        in.onText(END);
        assertThat(last()).isEqualTo(new FileMessage.Done(sha(data)).toJson());
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(data);
        assertThat(FilesUnder.relativePaths(root)).containsExactly("in/data.bin");
        assertThat(events).containsExactly("started data.bin " + data.length + " @0", "completed data.bin");
    }

    @Test
    void emptyFile() throws Exception {
        IncomingFile in = open(receiver(false));
        in.onText(meta("empty", 0, sha(new byte[0])));
        in.onText(END);
        assertThat(last()).startsWith("{\"type\":\"done\"");
        assertThat(Files.size(dir.resolve("empty"))).isZero();
    }

    @Test
    void resumesFromThePartFile() throws Exception {
        byte[] data = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        FileReceiver receiver = receiver(false);
        Files.write(dir.resolve("r.txt.part"), Arrays.copyOf(data, 10));
        IncomingFile in = open(receiver);
        in.onText(meta("r.txt", data.length, sha(data)));
        assertThat(replies).containsExactly("{\"type\":\"accept\",\"offset\":10}");
        in.onBinary(ByteBuffer.wrap(Arrays.copyOfRange(data, 10, 16)));
        in.onText(END);
        assertThat(last()).startsWith("{\"type\":\"done\"");
        assertThat(Files.readAllBytes(dir.resolve("r.txt"))).isEqualTo(data);
    }

    @Test
    void aCutOffTransferKeepsItsPartFile() throws Exception {
        byte[] data = new byte[100];
        IncomingFile in = open(receiver(false));
        in.onText(meta("cut", 100, sha(data)));
        in.onBinary(ByteBuffer.wrap(new byte[40]));
        in.onClosed();
        assertThat(Files.size(dir.resolve("cut.part"))).isEqualTo(40);
        assertThat(events.get(events.size() - 1)).contains("interrupted at 40 of 100");
    }

    @Test
    void neverOverwritesWithoutForce() throws Exception {
        FileReceiver receiver = receiver(false);
        Files.writeString(dir.resolve("keep.txt"), "mine");
        IncomingFile in = open(receiver);
        in.onText(meta("keep.txt", 1, sha(new byte[1])));
        assertThat(last()).contains("refuse").contains("already exists").contains("--force");
        assertThat(closes).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
        assertThat(FilesUnder.relativePaths(root)).containsExactly("in/keep.txt");
    }

    @Test
    void overwritesWithForce() throws Exception {
        FileReceiver receiver = receiver(true);
        Files.writeString(dir.resolve("keep.txt"), "mine");
        IncomingFile in = open(receiver);
        in.onText(meta("keep.txt", 1, sha(new byte[] {'x'})));
        in.onBinary(ByteBuffer.wrap(new byte[] {'x'}));
        in.onText(END);
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("x");
    }

    @Test
    void refusesPathTricksAndWritesNothing() throws Exception {
        FileReceiver receiver = receiver(true);
        for (String name : List.of("../evil", "/tmp/evil", "..", "CON", "a\u0000b", "", "x".repeat(300))) {
            replies.clear();
            IncomingFile in = open(receiver);
            in.onText(meta(name, 4, sha("evil".getBytes(StandardCharsets.US_ASCII))));
            in.onBinary(ByteBuffer.wrap("evil".getBytes(StandardCharsets.US_ASCII)));
            in.onText(END);
            assertThat(replies).as(name).hasSize(1);
            assertThat(replies.get(0)).as(name).startsWith("{\"type\":\"refuse\"");
        }
        assertThat(FilesUnder.relativePaths(root)).isEmpty();
    }

    static Stream<Arguments> transfersThatEndWrong() throws Exception {
        return Stream.of(
                arguments(
                        "wrong hash",
                        meta("h", 3, sha(new byte[] {1, 2, 3})),
                        new byte[] {1, 2, 4},
                        "SHA-256 mismatch"),
                arguments(
                        "short", meta("short", 10, sha(new byte[10])), new byte[4], "ended at 4 of the announced 10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transfersThatEndWrong")
    void aTransferThatEndsWrongIsRefusedAndThePartDeleted(String what, String meta, byte[] data, String reason)
            throws Exception {
        IncomingFile in = open(receiver(false));
        in.onText(meta);
        in.onBinary(ByteBuffer.wrap(data));
        in.onText(END);
        assertThat(last()).contains(reason);
        assertThat(FilesUnder.relativePaths(root)).isEmpty();
    }

    @Test
    void chunksPastTheSizeAreRefused() throws Exception {
        IncomingFile in = open(receiver(false));
        in.onText(meta("s", 3, sha(new byte[3])));
        in.onBinary(ByteBuffer.wrap(new byte[2]));
        in.onBinary(ByteBuffer.wrap(new byte[2]));
        assertThat(last()).contains("more bytes than the announced size 3");
        in.onBinary(ByteBuffer.wrap(new byte[2])); // ignored after the refusal
        assertThat(replies).hasSize(2);
        assertThat(FilesUnder.relativePaths(root)).isEmpty();
    }

    @Test
    void aSecondMetadataIsRefused() throws Exception {
        IncomingFile in = open(receiver(false));
        in.onText(meta("one", 1, sha(new byte[1])));
        in.onText(meta("two", 1, sha(new byte[1])));
        assertThat(last()).contains("metadata already received");
        assertThat(FilesUnder.relativePaths(root)).isEmpty();
    }

    @Test
    void dataBeforeMetadataAndGarbageAreRefused() throws Exception {
        FileReceiver receiver = receiver(false);
        open(receiver).onBinary(ByteBuffer.wrap(new byte[1]));
        assertThat(last()).contains("data before metadata");
        open(receiver).onText("{not json");
        assertThat(last()).contains("not a JSON message");
        open(receiver).onText("x".repeat(5000));
        assertThat(last()).contains("longer than");
        open(receiver).onText("{\"type\":\"file\",\"name\":\"n\",\"size\":-1,\"sha256\":\"" + "0".repeat(64) + "\"}");
        assertThat(last()).contains("\\\"size\\\"");
    }

    @Test
    void aFloodOfTransfersIsBounded() throws Exception {
        FileReceiver receiver = receiver(false);
        List<IncomingFile> open = new ArrayList<>();
        for (int i = 0; i < FileReceiver.MAX_OPEN; i++) {
            open.add(open(receiver));
        }
        assertThat(replies).isEmpty();
        open(receiver);
        assertThat(last()).contains("too many transfer channels");
        replies.clear();
        for (int i = 0; i < FileReceiver.MAX_ACTIVE + 1; i++) {
            open.get(i).onText(meta("f" + i, 10, sha(new byte[10])));
        }
        assertThat(last()).contains("too many files at once");
        open.get(FileReceiver.MAX_ACTIVE + 1).onText(meta("f0", 10, sha(new byte[10])));
        assertThat(last()).contains("already receiving f0");
        open.get(0).onClosed(); // frees its slots
        open(receiver).onText(meta("f0", 10, sha(new byte[10])));
        assertThat(last()).isEqualTo("{\"type\":\"accept\",\"offset\":0}");
    }

    @Test
    void doesNotFollowALinkedPartFile() throws Exception {
        FileReceiver receiver = receiver(true);
        Path outside = Files.writeString(root.resolve("outside.txt"), "untouched");
        Files.createSymbolicLink(dir.resolve("l.part"), outside);
        IncomingFile in = open(receiver);
        in.onText(meta("l", 1, sha(new byte[1])));
        assertThat(last()).contains("refuse");
        assertThat(Files.readString(outside)).isEqualTo("untouched");
    }
}
