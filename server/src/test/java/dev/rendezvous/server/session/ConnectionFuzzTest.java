package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.RecordingLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the protocol state machine: four connections (two lobby, two in one room) against a real
 * {@link LocalHub} with recording links on a manual clock, driven by an arbitrary sequence of frames
 * (raw bytes, near-valid messages with fuzzed fields, binary, control, oversized), clock jumps,
 * abrupt disconnects and reconnects. After every step: nothing was thrown; every frame a client got is
 * a JSON object with a string {@code type}; every error carries a known code; every relayed message
 * came from another client of the receiver's own scope. At the end, with everyone gone, the hub is empty.
 *
 * <p>The suite replays the seed corpus; fuzz for real with {@code JAZZER_FUZZ=1 mvn -B -pl server -am test
 * -Dtest=ConnectionFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConnectionFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] IDS = {"a", "b", "c", "d"};
    private static final String[] ROOMS = {null, null, "r", "r"};
    private static final String[] TYPES = {
        "offer",
        "answer",
        "candidate",
        "ice_candidate",
        "pair_request",
        "unpair",
        "ping",
        "pong",
        "auth_token",
        "your_id",
        "paired",
        "error",
        "nonsense",
        ""
    };
    private static final String[] TARGETS = {
        "\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"zz\"", "null", "1", "{}", "[\"a\"]", "\"\""
    };
    private static final Set<String> RELAYED = Set.of("offer", "answer", "candidate", "ice_candidate");

    @FuzzTest(maxDuration = "2m")
    void everyFrameSequenceEndsInValidEffectsAndAnEmptyHub(FuzzedDataProvider data) throws Exception {
        ManualTransport clock = new ManualTransport();
        LocalHub hub = new LocalHub();
        double rate = data.consumeBoolean() ? 0 : 20;
        ConnectionSettings settings = TestSettings.of(hub, HubObserver.NONE, null, Runnable::run, rate);
        Connection[] conns = new Connection[4];
        RecordingLink[] links = new RecordingLink[4];
        boolean[] closedSeen = new boolean[4];
        for (int i = 0; i < 4; i++) {
            links[i] = new RecordingLink();
            conns[i] = new Connection(settings, links[i], clock, ConnectRequest.v1(ROOMS[i], IDS[i], null, "fuzz"));
            conns[i].open();
        }
        int steps = data.consumeInt(0, 48);
        for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
            int who = data.consumeInt(0, 3);
            Connection c = conns[who];
            switch (data.consumeInt(0, 7)) {
                case 0 -> text(c, data.consumeBytes(data.consumeInt(0, 300)));
                case 1, 2 -> text(c, template(data).getBytes(StandardCharsets.UTF_8));
                case 3 -> c.onBinary();
                case 4 -> c.onControlFrame();
                case 5 -> c.onTooLarge(65_536);
                case 6 -> clock.advanceMillis(data.consumeInt(0, 400));
                default -> {
                    c.onClosed(); // an abrupt disconnect, then the same id comes back
                    closedSeen[who] = true;
                    links[who] = new RecordingLink();
                    conns[who] = new Connection(
                            settings, links[who], clock, ConnectRequest.v1(ROOMS[who], IDS[who], null, "fuzz"));
                    conns[who].open();
                    closedSeen[who] = false;
                }
            }
            clock.runPending();
            for (int i = 0; i < 4; i++) {
                checkFrames(i, links[i]);
                if (links[i].closedWith() != null && !closedSeen[i]) {
                    conns[i].onClosed(); // what the transport does once the close went out
                    closedSeen[i] = true;
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            if (!closedSeen[i]) {
                conns[i].onClosed();
            }
            checkFrames(i, links[i]);
        }
        assertThat(hub.state().empty())
                .as("hub state after everyone left: %s", hub.state())
                .isTrue();
    }

    private static String template(FuzzedDataProvider data) {
        StringBuilder sb =
                new StringBuilder("{\"type\":\"").append(data.pickValue(TYPES)).append('"');
        if (data.consumeBoolean()) {
            sb.append(",\"to\":").append(data.pickValue(TARGETS));
        }
        if (data.consumeBoolean()) {
            sb.append(",\"target_id\":").append(data.pickValue(TARGETS));
        }
        if (data.consumeBoolean()) {
            sb.append(",\"from\":").append(data.pickValue(TARGETS));
        }
        if (data.consumeBoolean()) {
            sb.append(",\"sdp\":")
                    .append(JSON.valueToTree(data.consumeString(40)).toString());
        }
        return sb.append('}').toString();
    }

    private static void text(Connection c, byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            c.onText(b);
        } finally {
            b.release();
        }
    }

    private static void checkFrames(int receiver, RecordingLink link) throws Exception {
        for (String f : link.drain()) {
            JsonNode node = JSON.readTree(f);
            assertThat(node.isObject()).as(f).isTrue();
            assertThat(node.path("type").isTextual()).as(f).isTrue();
            String type = node.get("type").asText();
            if (type.equals("error")) {
                assertThat(ErrorCode.fromWire(node.path("code").asText())).as(f).isPresent();
                assertThat(node.path("message").asText()).as(f).isNotBlank();
            }
            if (RELAYED.contains(type)) {
                String from = node.path("from").asText();
                assertThat(from).as("relayed to itself: %s", f).isNotEqualTo(IDS[receiver]);
                int sender = List.of(IDS).indexOf(from);
                assertThat(sender).as("unknown sender: %s", f).isNotNegative();
                assertThat(ROOMS[sender]).as("relayed across scopes: %s", f).isEqualTo(ROOMS[receiver]);
                assertThat(node.has("to")).as("to left in: %s", f).isFalse();
            }
        }
    }
}
