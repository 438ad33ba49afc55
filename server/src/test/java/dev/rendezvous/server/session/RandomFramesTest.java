package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.hub.LocalHub;
import dev.rendezvous.server.hub.RecordingLink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated frames into a connection pair: no exception escapes, every frame ends in
 * a valid effect (a decodable reply or relay, or nothing), and the pair survives. A bounded stand-in
 * for the fuzzing of issue 7.
 */
class RandomFramesTest {
    private static final String[] SEEDS = {
        "{\"type\":\"offer\",\"sdp\":\"v=0\"}",
        "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"to\":\"b\"}",
        "{\"type\":\"pair_request\",\"target_id\":\"b\"}",
        "{\"type\":\"unpair\"}",
        "{\"type\":\"ping\"}",
        "{\"type\":\"ice_candidate\",\"candidate\":{},\"from\":\"x\",\"username\":\"y\"}",
        "{\"type\":\"auth_token\",\"token\":\"t\",\"clientId\":\"c\"}",
        "[1,{\"a\":[true,null,-1.5e3]}]",
    };
    private static final String ALPHABET = "{}[]\":,.-+eE0123456789 \\/tfnulrsa\u00e9\u2028\t\n";

    @Test
    void randomFramesNeverBreakTheConnectionOrItsPeer() {
        ManualTransport clock = new ManualTransport();
        LocalHub hub = new LocalHub();
        ConnectionSettings settings = new ConnectionSettings(
                hub,
                HubObserver.NONE,
                Duration.ofSeconds(30),
                Duration.ofSeconds(45),
                null,
                Duration.ofSeconds(10),
                Runnable::run,
                id -> List.of(),
                0,
                0,
                0,
                0,
                Duration.ZERO,
                new ResumeDirectory());
        RecordingLink linkA = new RecordingLink();
        RecordingLink linkB = new RecordingLink();
        Connection a = new Connection(settings, linkA, clock, ConnectRequest.v1(null, "a", null, "a"));
        Connection b = new Connection(settings, linkB, clock, ConnectRequest.v1(null, "b", null, "b"));
        a.open();
        b.open();
        Random random = new Random(20261122);
        for (int i = 0; i < 5_000; i++) {
            String frame = mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            ByteBuf buf = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
            if (random.nextInt(50) == 0) {
                buf.setByte(random.nextInt(Math.max(1, buf.readableBytes())), 0xff); // invalid UTF-8 too
            }
            try {
                a.onText(buf);
            } finally {
                buf.release();
            }
            for (String out : linkA.drain()) {
                assertDecodes(out);
            }
            for (String out : linkB.drain()) {
                assertDecodes(out); // relays and pairing news reaching the peer are valid JSON
            }
            assertThat(linkA.closedWith()).as("after %s", frame).isNull();
        }
        ByteBuf ping = Unpooled.copiedBuffer("{\"type\":\"ping\"}", StandardCharsets.UTF_8);
        a.onText(ping);
        ping.release();
        assertThat(linkA.drainMessages()).containsExactly(new Message.Pong());
        a.onClosed();
        b.onClosed();
        assertThat(hub.state().empty()).isTrue();
    }

    private static void assertDecodes(String out) {
        try {
            MessageCodec.decode(out);
        } catch (Exception e) {
            throw new AssertionError("the server emitted an invalid frame: " + out, e);
        }
    }

    private static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return s.toString();
    }
}
