package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming scanner ({@link FrameScanner}: verdicts and {@link Inbound} kinds) and the byte-splicing relay stamp ({@link FrameSplicer}). */
class FrameScannerTest {
    private static final byte[] STAMP = "\"from\":\"me\"".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrameScanner scanner = new FrameScanner();

    /** The last scan's verdict: an {@link Inbound.Invalid} or not. */
    private Inbound last;

    private boolean scan(String text) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            last = scanner.scan(buf);
            return !(last instanceof Inbound.Invalid);
        } finally {
            buf.release();
        }
    }

    private boolean scan(byte[] bytes, int length) {
        last = scanner.scan(bytes, length);
        return !(last instanceof Inbound.Invalid);
    }

    private ErrorCode error() {
        return ((Inbound.Invalid) last).code();
    }

    private String reason() {
        return last instanceof Inbound.Invalid i ? i.reason() : null;
    }

    private String stamped(String text) {
        assertThat(scan(text)).as(text).isTrue();
        return splice(STAMP, true);
    }

    private String splice(byte[] stamp, boolean stampHasUsername) {
        ByteBuf out = UnpooledByteBufAllocator.DEFAULT.buffer(FrameSplicer.maxLength(scanner, stamp.length));
        try {
            FrameSplicer.writeStamped(scanner, out, stamp, stampHasUsername);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    static Stream<Arguments> splices() {
        return Stream.of(
                Arguments.of(
                        "{\"type\":\"offer\",\"sdp\":\"x\"}", "{\"type\":\"offer\",\"sdp\":\"x\",\"from\":\"me\"}"),
                Arguments.of("{\"to\":\"b\",\"type\":\"offer\"}", "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"to\":\"b\"}", "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of(
                        "{\"type\":\"offer\",\"to\":\"b\",\"sdp\":\"x\"}",
                        "{\"type\":\"offer\",\"sdp\":\"x\",\"from\":\"me\"}"),
                Arguments.of(
                        "{\"from\":\"liar\",\"username\":\"spoof\",\"type\":\"offer\",\"to\":null}",
                        "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of(
                        "{ \"type\" : \"offer\" ,\n\t\"a\" : [ 1 , 2 ] , \"to\" : \"b\" }",
                        "{\"type\" : \"offer\" ,\n\t\"a\" : [ 1 , 2 ],\"from\":\"me\"}"),
                Arguments.of(
                        "{\"type\":\"offer\",\"o\":{\"to\":\"nested stays\",\"from\":\"nested\"}}",
                        "{\"type\":\"offer\",\"o\":{\"to\":\"nested stays\",\"from\":\"nested\"},\"from\":\"me\"}"),
                Arguments.of(
                        "{\"type\":\"offer\",\"n\":-1.5e10,\"t\":true,\"f\":false,\"z\":null}",
                        "{\"type\":\"offer\",\"n\":-1.5e10,\"t\":true,\"f\":false,\"z\":null,\"from\":\"me\"}"),
                Arguments.of(
                        "{\"type\":\"offer\",\"s\":\"\\\"quoted\\\", {commas}\",\"to\":\"b\"}",
                        "{\"type\":\"offer\",\"s\":\"\\\"quoted\\\", {commas}\",\"from\":\"me\"}"));
    }

    @ParameterizedTest
    @MethodSource("splices")
    void stampRemovesEnvelopeMembersAndCopiesTheRestByteForByte(String in, String out) {
        assertThat(stamped(in)).isEqualTo(out);
    }

    @Test
    void aClientUsernameStaysWhenTheServerKnowsNoName() {
        assertThat(scan("{\"type\":\"offer\",\"username\":\"mine\",\"from\":\"x\"}"))
                .isTrue();
        assertThat(splice(STAMP, false)).isEqualTo("{\"type\":\"offer\",\"username\":\"mine\",\"from\":\"me\"}");
    }

    @Test
    void capturesTheFieldsTheServerActsOn() {
        String all = "\"target_id\":\"bob\",\"to\":\"x\",\"token\":\"t\",\"clientId\":\"c\"}";
        assertThat(kind("{\"type\":\"pair_request\"," + all)).isEqualTo(new Inbound.PairRequest("bob"));
        assertThat(kind("{\"type\":\"offer\"," + all)).isInstanceOfSatisfying(Inbound.RelayTo.class, r -> {
            assertThat(r.type()).isEqualTo(MessageType.OFFER);
            assertThat(r.to()).isEqualTo("x");
        });
        assertThat(kind("{\"type\":\"auth_token\"," + all)).isEqualTo(new Inbound.AuthToken("t", Optional.of("c")));
        assertThat(kind("{\"type\":\"auth_token\",\"token\":\"t\"}"))
                .isEqualTo(new Inbound.AuthToken("t", Optional.empty()));
        assertThat(kind("{\"type\":\"candidate\",\"candidate\":{}}")).isSameAs(Inbound.Relay.of(MessageType.CANDIDATE));
        assertThat(kind("{\"type\":\"ping\",\"to\":\"x\"}")).isSameAs(Inbound.Ping.INSTANCE);
        assertThat(kind("{\"type\":\"pong\"}")).isSameAs(Inbound.Pong.INSTANCE);
        assertThat(kind("{\"type\":\"unpair\"}")).isSameAs(Inbound.Unpair.INSTANCE);
        assertThat(kind("{\"t\\u0079pe\":\"ping\"}"))
                .as("escaped names are names")
                .isSameAs(Inbound.Ping.INSTANCE);
    }

    private void assertMalformed(String json, MessageType type, String reason) {
        assertThat(kind(json)).isEqualTo(new Inbound.Malformed(type, reason));
    }

    @Test
    void aFieldOfTheWrongTypeIsMalformedForTheTypesThatHaveIt() {
        assertMalformed(
                "{\"type\":\"offer\",\"to\":5,\"target_id\":[1]}",
                MessageType.OFFER,
                "field \"to\" of offer must be a string");
        assertMalformed(
                "{\"type\":\"pair_request\",\"to\":5,\"target_id\":[1]}",
                MessageType.PAIR_REQUEST,
                "field \"target_id\" of pair_request must be a string");
        assertMalformed(
                "{\"type\":\"pair_request\"}",
                MessageType.PAIR_REQUEST,
                "field \"target_id\" of pair_request must be a string");
        assertMalformed(
                "{\"type\":\"auth_token\",\"token\":null}",
                MessageType.AUTH_TOKEN,
                "field \"token\" of auth_token must be a string");
        assertMalformed(
                "{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":7}",
                MessageType.AUTH_TOKEN,
                "field \"clientId\" must be 1-64 characters of [A-Za-z0-9._-]");
        assertMalformed(
                "{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":\"no spaces\"}",
                MessageType.AUTH_TOKEN,
                "field \"clientId\" must be 1-64 characters of [A-Za-z0-9._-]");
        assertThat(kind("{\"type\":\"offer\",\"to\":null}"))
                .as("a null to is no to")
                .isSameAs(Inbound.Relay.of(MessageType.OFFER));
    }

    @Test
    void typesOnlyTheServerSendsAreUnknownFromAClient() {
        for (MessageType t : MessageType.values()) {
            Inbound frame = kind("{\"type\":\"" + t.wireName() + "\",\"token\":\"t\",\"target_id\":\"b\"}");
            assertThat(frame instanceof Inbound.Unknown).as(t.wireName()).isEqualTo(!t.sentByClient());
            assertThat(Inbound.ref(frame)).isEqualTo(t.wireName());
        }
    }

    /** What the scanner makes of {@code text}. */
    private Inbound kind(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return scanner.scan(b, b.length);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"type\":\"ping\"} x|INVALID_JSON",
                "{\"type\":\"ping\"} {}|INVALID_JSON",
                "{\"type\":\"ping\"|INVALID_JSON",
                "{\"type\":\"ping\",}|INVALID_JSON",
                "{'type':'ping'}|INVALID_JSON",
                "[1] [2]|INVALID_JSON",
                "[1]|INVALID_MESSAGE",
                "1|INVALID_MESSAGE",
                "\"s\"|INVALID_MESSAGE",
                "true|INVALID_MESSAGE",
                "{}|INVALID_MESSAGE",
                "{\"type\":1}|INVALID_MESSAGE",
                "{\"type\":[\"ping\"]}|INVALID_MESSAGE",
            })
    void validityRules(String in, ErrorCode code) {
        assertThat(scan(in)).isFalse();
        assertThat(error()).isEqualTo(code);
    }

    @Test
    void emptyBlankAndAbsurdlyDeepFramesAreInvalidJson() {
        assertThat(scan("")).isFalse();
        assertThat(error()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(scan(" \n ")).isFalse();
        assertThat(error()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))
                .isFalse();
        assertThat(error()).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void invalidUtf8IsInvalidJsonEvenInsideSkippedStrings() {
        byte[] bad = "{\"type\":\"offer\",\"sdp\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = Unpooled.wrappedBuffer(bad);
        last = scanner.scan(buf);
        assertThat(last).isInstanceOf(Inbound.Invalid.class);
        assertThat(error()).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void randomObjectsSurviveTheSpliceSemantically() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            ObjectNode o = JSON.createObjectNode();
            int fields = random.nextInt(8);
            int typeAt = random.nextInt(fields + 1);
            for (int f = 0; f <= fields; f++) {
                if (f == typeAt) {
                    o.put("type", "candidate");
                }
                switch (random.nextInt(6)) {
                    case 0 -> o.put("to", "x" + f);
                    case 1 -> o.put("from", "forged");
                    case 2 -> o.put("k" + f, "v\"\\\u00e9\u2028" + f);
                    case 3 -> o.putArray("a" + f).add(f).add("s").addObject().put("to", "inner");
                    case 4 -> o.put("n" + f, random.nextDouble());
                    default -> o.putNull("z" + f);
                }
            }
            String text = random.nextBoolean() ? o.toString() : o.toPrettyString();
            JsonNode got = JSON.readTree(stamped(text));
            ObjectNode expected = o.deepCopy();
            expected.remove("to");
            expected.remove("username");
            expected.put("from", "me");
            assertThat(got).as(text).isEqualTo(expected);
        }
    }

    @Test
    void theScannerIsReusableAcrossSizes() {
        String big = "{\"type\":\"offer\",\"sdp\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(stamped(big)).hasSize(big.length() + ",\"from\":\"me\"".length());
        assertThat(stamped("{\"type\":\"offer\"}")).isEqualTo("{\"type\":\"offer\",\"from\":\"me\"}");
    }

    /** Grammar corners where a hand-written scanner could drift from the reference: verdicts must agree. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"ping\",\"n\":01}",
                "{\"type\":\"ping\",\"n\":-0}",
                "{\"type\":\"ping\",\"n\":-}",
                "{\"type\":\"ping\",\"n\":1.}",
                "{\"type\":\"ping\",\"n\":.5}",
                "{\"type\":\"ping\",\"n\":1e}",
                "{\"type\":\"ping\",\"n\":1E+5}",
                "{\"type\":\"ping\",\"n\":+1}",
                "{\"type\":\"ping\",\"n\":0.5e-3}",
                "{\"type\":\"ping\",\"n\":NaN}",
                "{\"type\":\"ping\",\"b\":truex}",
                "{\"type\":\"ping\",\"b\":nul}",
                "{\"type\":\"ping\",\"s\":\"\\x\"}",
                "{\"type\":\"ping\",\"s\":\"\\u12G4\"}",
                "{\"type\":\"ping\",\"s\":\"\\uD800\"}",
                "{\"type\":\"ping\",\"s\":\"\\/\\b\\f\\n\\r\\t\"}",
                "{\"type\":\"ping\",\"a\":[1,]}",
                "{\"type\":\"ping\",\"a\":[,1]}",
                "{\"type\":\"ping\",\"o\":{\"k\":1,}}",
                "{\"type\":\"ping\",\"o\":{\"k\"}}",
                "{\"type\":\"ping\",\"o\":{1:2}}",
                "{\"type\":\"ping\",\"o\":{\"k\":[{\"x\":[]}]}}",
                "{\"type\":\"ping\",\"o\":[}",
                "{\"type\":\"ping\"}}",
                "{\"type\":\"ping\"}]",
                "{\"type\":\"ping\",\"type\":1}",
                "{\"type\":1,\"type\":\"ping\"}",
                "{\"ty\\u0070e\":\"p\\u0069ng\"}",
                "{\"type\":\"ping\" /* comment */}",
                "{\"type\":\"ping\",}",
                "{,\"type\":\"ping\"}",
                "{\"type\"\"ping\"}",
                "\uFEFF{\"type\":\"ping\"}",
                "{\"type\":\"ping\"}\u0000",
                "{\"type\":\"ping\",\"s\":\"a\u0001b\"}",
                "{\"type\":\"ping\",\"s\":\"\u00e9\u2028\uD83D\uDE00\"}",
                "\t{\"type\":\"ping\"}\r\n",
                "{\"type\":\"ping\"\u000b}",
                "[]",
                "null",
                "-",
                "\"\"",
            })
    void verdictsAgreeWithJackson(String in) {
        byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
        JsonNode reference = FrameScannerFuzzTest.referenceParse(bytes);
        boolean referenceAccepts = reference != null
                && reference.isObject()
                && reference.path("type").isTextual();
        assertThat(scan(bytes.clone(), bytes.length))
                .as("%s (%s)", in, reason())
                .isEqualTo(referenceAccepts);
        if (referenceAccepts) {
            assertThat(Inbound.ref(last)).isEqualTo(reference.get("type").asText());
        } else {
            assertThat(error()).isEqualTo(reference == null ? ErrorCode.INVALID_JSON : ErrorCode.INVALID_MESSAGE);
        }
    }

    @Test
    void nestingDepthAndNumberLengthStopWhereJacksonStops() {
        for (int depth : new int[] {998, 999, 1000, 1001}) { // the top-level object is depth 1
            String text = "{\"type\":\"offer\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean reference = FrameScannerFuzzTest.referenceParse(bytes) != null;
            assertThat(scan(bytes, bytes.length)).as("nesting %d", depth + 1).isEqualTo(reference);
        }
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(999) + "]".repeat(999) + "}"))
                .isTrue();
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"))
                .isFalse();
        for (String number : new String[] {
            "1".repeat(1000),
            "1".repeat(1001),
            "-" + "1".repeat(1000),
            "1".repeat(500) + "." + "1".repeat(500),
            "1".repeat(500) + "." + "1".repeat(501),
            "1".repeat(999) + "e1",
            "1".repeat(999) + "e12"
        }) {
            byte[] bytes = ("{\"type\":\"offer\",\"n\":" + number + "}").getBytes(StandardCharsets.UTF_8);
            boolean reference = FrameScannerFuzzTest.referenceParse(bytes) != null;
            assertThat(scan(bytes, bytes.length))
                    .as("number of %d chars", number.length())
                    .isEqualTo(reference);
        }
    }

    @Test
    void knownTypesAreRecognisedWithoutDecodingAndUnknownOnesKeepTheirName() {
        assertThat(kind("{\"type\":\"candidate\"}")).isSameAs(Inbound.Relay.of(MessageType.CANDIDATE));
        assertThat(Inbound.ref(last = kind("{\"type\":\"candidate\"}"))).isSameAs(MessageType.CANDIDATE.wireName());
        assertThat(kind("{\"type\":\"c\\u0061ndidate\"}")).isSameAs(Inbound.Relay.of(MessageType.CANDIDATE));
        assertThat(kind("{\"type\":\"nonsense\u00e9\"}")).isEqualTo(new Inbound.Unknown("nonsense\u00e9"));
        assertThat(kind("{\"type\":\"offer\",\"to\":\"a\",\"to\":null}"))
                .as("the last of a repeated name wins")
                .isSameAs(Inbound.Relay.of(MessageType.OFFER));
        assertThat(kind("{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":\"c\",\"clientId\":null}"))
                .isEqualTo(new Inbound.AuthToken("t", Optional.empty()));
    }

    /** Scans a ping whose string field holds {@code before + middle + after}. */
    private boolean scanString(String before, String middle, String after) {
        return scan("{\"type\":\"ping\",\"s\":\"" + before + middle + after + "\"}");
    }

    /** The string scan reads eight bytes at a time: every special byte must be seen at every offset. */
    @Test
    void quotesEscapesAndControlCharactersAreFoundAtEveryOffsetOfAWord() {
        for (int at = 0; at < 24; at++) {
            String before = "a".repeat(at);
            String after = "\u00e9b".repeat(3);
            assertThat(scanString(before, "\\\"", after))
                    .as("escaped quote at %d", at)
                    .isTrue();
            assertThat(scanString(before, "\\\\", after))
                    .as("escaped backslash at %d", at)
                    .isTrue();
            assertThat(scanString(before, "\u0001", after))
                    .as("control at %d", at)
                    .isFalse();
            assertThat(scanString(before, "\u001f", after)).as("0x1F at %d", at).isFalse();
            assertThat(scanString(before, " !#", after)).as("0x20.. at %d", at).isTrue();
            assertThat(scan("{\"type\":\"" + before + "\"}"))
                    .as("end quote at %d", at)
                    .isTrue();
            assertThat(Inbound.ref(last)).isEqualTo(before);
        }
    }
}
