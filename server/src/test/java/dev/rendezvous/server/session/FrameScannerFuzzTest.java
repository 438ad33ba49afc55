package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the streaming scanner ({@link FrameScanner}) and the byte splice of relayed frames ({@link FrameSplicer}) against a reference: Jackson's
 * tree parser. For any bytes: no exception escapes; a frame is accepted exactly when it is one JSON
 * object with a string {@code type}; a refusal names {@code invalid_json} or {@code invalid_message};
 * an accepted frame splices into valid UTF-8 JSON equal to the input minus {@code to} and {@code from}
 * (and {@code username} when the server knows the sender's name), plus the stamp.
 *
 * <p>In the test suite this runs the seed corpus ({@code src/test/resources/.../FrameScannerFuzzTestInputs})
 * once. Fuzz for real with {@code JAZZER_FUZZ=1 mvn -B -pl server -am test -Dtest=FrameScannerFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; a crash is written to the inputs directory and from then on
 * replayed as a regression test.
 */
class FrameScannerFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] STAMP = "\"from\":\"me\",\"username\":\"Ann\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STAMP_FROM_ONLY = "\"from\":\"me\"".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "2m")
    void scanAgreesWithJacksonAndSplicesValidJson(byte[] input) throws IOException {
        FrameScanner scanner = new FrameScanner();
        Inbound frame = scanner.scan(input.clone(), input.length);
        JsonNode reference = referenceParse(input);
        if (frame instanceof Inbound.Invalid invalid) {
            assertThat(invalid.code()).isIn(ErrorCode.INVALID_JSON, ErrorCode.INVALID_MESSAGE);
            assertThat(invalid.reason()).isNotBlank();
            boolean referenceAccepts = reference != null
                    && reference.isObject()
                    && reference.path("type").isTextual();
            assertThat(referenceAccepts)
                    .as("scanner refused what Jackson accepts: %s", invalid.reason())
                    .isFalse();
            return;
        }
        assertThat(reference).as("scanner accepted what Jackson refuses").isNotNull();
        assertThat(reference.isObject()).isTrue();
        assertThat(Inbound.ref(frame)).isEqualTo(reference.get("type").asText());
        checkSplice(scanner, (ObjectNode) reference, true);
        checkSplice(scanner, (ObjectNode) reference, false);
    }

    /** With a server-known name the client's {@code username} is replaced; without one it is kept as sent. */
    private static void checkSplice(FrameScanner scanner, ObjectNode reference, boolean serverKnowsName) {
        byte[] stamp = serverKnowsName ? STAMP : STAMP_FROM_ONLY;
        ByteBuf out = UnpooledByteBufAllocator.DEFAULT.buffer(FrameSplicer.maxLength(scanner, stamp.length));
        FrameSplicer.writeStamped(scanner, out, stamp, serverKnowsName);
        try {
            assertThat(out.readableBytes())
                    .as("within the announced length")
                    .isLessThanOrEqualTo(FrameSplicer.maxLength(scanner, stamp.length));
            byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), bytes);
            JsonNode spliced = referenceParse(bytes);
            assertThat(spliced)
                    .as("spliced frame is not JSON: %s", new String(bytes, StandardCharsets.UTF_8))
                    .isNotNull();
            ObjectNode expected = reference.deepCopy();
            expected.remove("to");
            expected.remove("from");
            expected.put("from", "me");
            if (serverKnowsName) {
                expected.remove("username");
                expected.put("username", "Ann");
            }
            assertThat(spliced).isEqualTo(expected);
        } finally {
            out.release();
        }
    }

    /**
     * Jackson's verdict: the single JSON value the bytes hold, or null. Jackson's UTF-8 byte parser, with
     * its encoding detection kept out: given a NUL in the first two bytes Jackson would read the frame as
     * UTF-16 or UTF-32, and it skips a BOM — but a text frame is UTF-8 (RFC 6455), where a BOM is not JSON
     * text (RFC 8259 §8.1) and no JSON text starts with NUL. (Not the char-based parser: it takes
     * {@code \\u0e7\u0265} as a valid escape, reading U+0265 as the hex digit 'e' — found by this fuzz test.)
     */
    static JsonNode referenceParse(byte[] bytes) {
        if (!strictUtf8(bytes)
                || (bytes.length >= 1 && bytes[0] == 0)
                || (bytes.length >= 2 && bytes[1] == 0)
                || (bytes.length >= 3
                        && (bytes[0] & 0xFF) == 0xEF
                        && (bytes[1] & 0xFF) == 0xBB
                        && (bytes[2] & 0xFF) == 0xBF)) {
            return null;
        }
        try (JsonParser p = JSON.getFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode node = JSON.readTree(p);
            if (p.nextToken() != null) {
                return null;
            }
            return node;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code bytes} are well-formed UTF-8 (a text frame must be). */
    static boolean strictUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
