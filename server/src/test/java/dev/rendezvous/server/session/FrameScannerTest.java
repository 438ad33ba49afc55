package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;

/** The streaming scanner and the byte-splicing relay stamp. */
class FrameScannerTest {
    private static final byte[] STAMP = "\"from\":\"me\"".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrameScanner scanner = new FrameScanner();

    private boolean scan(String text) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            return scanner.scan(buf);
        } finally {
            buf.release();
        }
    }

    private String stamped(String text) {
        assertThat(scan(text)).as(text).isTrue();
        ByteBuf out = scanner.stamped(UnpooledByteBufAllocator.DEFAULT, STAMP, true);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    static Stream<Arguments> splices() {
        return Stream.of(
                Arguments.of("{\"type\":\"offer\",\"sdp\":\"x\"}", "{\"type\":\"offer\",\"sdp\":\"x\",\"from\":\"me\"}"),
                Arguments.of("{\"to\":\"b\",\"type\":\"offer\"}", "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"to\":\"b\"}", "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"to\":\"b\",\"sdp\":\"x\"}", "{\"type\":\"offer\",\"sdp\":\"x\",\"from\":\"me\"}"),
                Arguments.of("{\"from\":\"liar\",\"username\":\"spoof\",\"type\":\"offer\",\"to\":null}", "{\"type\":\"offer\",\"from\":\"me\"}"),
                Arguments.of("{ \"type\" : \"offer\" ,\n\t\"a\" : [ 1 , 2 ] , \"to\" : \"b\" }", "{\"type\" : \"offer\" ,\n\t\"a\" : [ 1 , 2 ],\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"o\":{\"to\":\"nested stays\",\"from\":\"nested\"}}", "{\"type\":\"offer\",\"o\":{\"to\":\"nested stays\",\"from\":\"nested\"},\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"n\":-1.5e10,\"t\":true,\"f\":false,\"z\":null}", "{\"type\":\"offer\",\"n\":-1.5e10,\"t\":true,\"f\":false,\"z\":null,\"from\":\"me\"}"),
                Arguments.of("{\"type\":\"offer\",\"s\":\"\\\"quoted\\\", {commas}\",\"to\":\"b\"}", "{\"type\":\"offer\",\"s\":\"\\\"quoted\\\", {commas}\",\"from\":\"me\"}"));
    }

    @ParameterizedTest
    @MethodSource("splices")
    void stampRemovesEnvelopeMembersAndCopiesTheRestByteForByte(String in, String out) {
        assertThat(stamped(in)).isEqualTo(out);
    }

    @Test
    void aClientUsernameStaysWhenTheServerKnowsNoName() {
        assertThat(scan("{\"type\":\"offer\",\"username\":\"mine\",\"from\":\"x\"}")).isTrue();
        ByteBuf out = scanner.stamped(UnpooledByteBufAllocator.DEFAULT, STAMP, false);
        try {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"offer\",\"username\":\"mine\",\"from\":\"me\"}");
        } finally {
            out.release();
        }
    }

    @Test
    void capturesTheFieldsTheServerActsOn() {
        assertThat(scan("{\"type\":\"pair_request\",\"target_id\":\"bob\",\"to\":\"x\",\"token\":\"t\",\"clientId\":\"c\"}")).isTrue();
        assertThat(scanner.type).isEqualTo("pair_request");
        assertThat(scanner.targetId).isEqualTo("bob");
        assertThat(scanner.to).isEqualTo("x");
        assertThat(scanner.token).isEqualTo("t");
        assertThat(scanner.clientId).isEqualTo("c");
        assertThat(scan("{\"type\":\"offer\",\"to\":5,\"target_id\":[1]}")).isTrue();
        assertThat(scanner.toField).isEqualTo(FrameScanner.Field.WRONG_TYPE);
        assertThat(scanner.targetIdField).isEqualTo(FrameScanner.Field.WRONG_TYPE);
        assertThat(scan("{\"t\\u0079pe\":\"ping\"}")).as("escaped names are names").isTrue();
        assertThat(scanner.type).isEqualTo("ping");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
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
        assertThat(scanner.error).isEqualTo(code);
    }

    @Test
    void emptyBlankAndAbsurdlyDeepFramesAreInvalidJson() {
        assertThat(scan("")).isFalse();
        assertThat(scanner.error).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(scan(" \n ")).isFalse();
        assertThat(scanner.error).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")).isFalse();
        assertThat(scanner.error).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void invalidUtf8IsInvalidJsonEvenInsideSkippedStrings() {
        byte[] bad = "{\"type\":\"offer\",\"sdp\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf buf = Unpooled.wrappedBuffer(bad);
        assertThat(scanner.scan(buf)).isFalse();
        assertThat(scanner.error).isEqualTo(ErrorCode.INVALID_JSON);
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
    @ValueSource(strings = {
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
        boolean referenceAccepts = reference != null && reference.isObject() && reference.path("type").isTextual();
        assertThat(scanner.scan(bytes.clone(), bytes.length)).as("%s (%s)", in, scanner.errorMessage).isEqualTo(referenceAccepts);
        if (referenceAccepts) {
            assertThat(scanner.type).isEqualTo(reference.get("type").asText());
        } else {
            assertThat(scanner.error).isEqualTo(reference == null ? ErrorCode.INVALID_JSON : ErrorCode.INVALID_MESSAGE);
        }
    }

    @Test
    void nestingDepthAndNumberLengthStopWhereJacksonStops() {
        for (int depth : new int[] {998, 999, 1000, 1001}) { // the top-level object is depth 1
            String text = "{\"type\":\"offer\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean reference = FrameScannerFuzzTest.referenceParse(bytes) != null;
            assertThat(scanner.scan(bytes, bytes.length)).as("nesting %d", depth + 1).isEqualTo(reference);
        }
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(999) + "]".repeat(999) + "}")).isTrue();
        assertThat(scan("{\"type\":\"offer\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}")).isFalse();
        for (String number : new String[] {
                "1".repeat(1000), "1".repeat(1001), "-" + "1".repeat(1000), "1".repeat(500) + "." + "1".repeat(500),
                "1".repeat(500) + "." + "1".repeat(501), "1".repeat(999) + "e1", "1".repeat(999) + "e12"}) {
            byte[] bytes = ("{\"type\":\"offer\",\"n\":" + number + "}").getBytes(StandardCharsets.UTF_8);
            boolean reference = FrameScannerFuzzTest.referenceParse(bytes) != null;
            assertThat(scanner.scan(bytes, bytes.length)).as("number of %d chars", number.length()).isEqualTo(reference);
        }
    }

    @Test
    void knownTypesAreRecognisedWithoutDecodingAndUnknownOnesKeepTheirName() {
        assertThat(scan("{\"type\":\"candidate\"}")).isTrue();
        assertThat(scanner.messageType).isEqualTo(dev.rendezvous.protocol.MessageType.CANDIDATE);
        assertThat(scanner.type).isSameAs(dev.rendezvous.protocol.MessageType.CANDIDATE.wireName());
        assertThat(scan("{\"type\":\"c\\u0061ndidate\"}")).isTrue();
        assertThat(scanner.messageType).isEqualTo(dev.rendezvous.protocol.MessageType.CANDIDATE);
        assertThat(scan("{\"type\":\"nonsense\u00e9\"}")).isTrue();
        assertThat(scanner.messageType).isNull();
        assertThat(scanner.type).isEqualTo("nonsense\u00e9");
        assertThat(scan("{\"type\":\"ping\",\"to\":\"a\",\"to\":null,\"clientId\":\"c\",\"clientId\":null}")).isTrue();
        assertThat(scanner.toField).as("the last of a repeated name wins").isEqualTo(FrameScanner.Field.ABSENT);
        assertThat(scanner.clientIdField).isEqualTo(FrameScanner.Field.ABSENT);
    }

    /** The string scan reads eight bytes at a time: every special byte must be seen at every offset. */
    @Test
    void quotesEscapesAndControlCharactersAreFoundAtEveryOffsetOfAWord() {
        for (int at = 0; at < 24; at++) {
            String before = "a".repeat(at);
            String after = "\u00e9b".repeat(3);
            assertThat(scan("{\"type\":\"ping\",\"s\":\"" + before + "\\\"" + after + "\"}")).as("escaped quote at %d", at).isTrue();
            assertThat(scan("{\"type\":\"ping\",\"s\":\"" + before + "\\\\" + after + "\"}")).as("escaped backslash at %d", at).isTrue();
            assertThat(scan("{\"type\":\"ping\",\"s\":\"" + before + "\u0001" + after + "\"}")).as("control at %d", at).isFalse();
            assertThat(scan("{\"type\":\"ping\",\"s\":\"" + before + "\u001f" + after + "\"}")).as("0x1F at %d", at).isFalse();
            assertThat(scan("{\"type\":\"ping\",\"s\":\"" + before + " !#" + after + "\"}")).as("0x20.. at %d", at).isTrue();
            assertThat(scan("{\"type\":\"" + before + "\"}")).as("end quote at %d", at).isTrue();
            assertThat(scanner.type).isEqualTo(before);
        }
    }
}
