package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.cluster.redis.BackplaneMessage.Arrived;
import dev.rendezvous.cluster.redis.BackplaneMessage.Broadcast;
import dev.rendezvous.cluster.redis.BackplaneMessage.Direct;
import dev.rendezvous.cluster.redis.BackplaneMessage.Joined;
import dev.rendezvous.cluster.redis.BackplaneMessage.Left;
import dev.rendezvous.cluster.redis.BackplaneMessage.Paired;
import dev.rendezvous.cluster.redis.BackplaneMessage.Relay;
import dev.rendezvous.cluster.redis.BackplaneMessage.Resynced;
import dev.rendezvous.cluster.redis.BackplaneMessage.TakenOver;
import dev.rendezvous.cluster.redis.BackplaneMessage.Unpaired;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backplane format has one definition, {@link BackplaneCodec}: what the Lua scripts publish on a real
 * Redis decodes to the expected record and encodes back to the very same bytes; what Java writes
 * (relayed frames) round-trips too.
 */
class BackplaneCodecTest {
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final String PREFIX = "codec-test:";

    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> commands;
    private StatefulRedisPubSubConnection<String, byte[]> subscription;
    private final BlockingQueue<byte[]> published = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect() {
        SharedRedis.get().flushAll();
        client = RedisClient.create(SharedRedis.get().uri());
        commands = client.connect(CODEC);
        subscription = client.connectPubSub(CODEC);
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                published.add(message);
            }
        });
        subscription.sync().subscribe(PREFIX + "events", PREFIX + "chan:n1", PREFIX + "chan:n2");
    }

    @AfterEach
    void disconnect() {
        subscription.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private Object run(Script script, String... args) {
        byte[][] values = new byte[args.length + 1][];
        values[0] = PREFIX.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < args.length; i++) {
            values[i + 1] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return commands.sync().eval(script.text, script.output, new String[0], values);
    }

    /** The next message a script published, decoded; its encoding must be the very bytes the script wrote. */
    private BackplaneMessage nextPublished() throws InterruptedException {
        byte[] raw = published.poll(5, TimeUnit.SECONDS);
        assertThat(raw).as("a message was published").isNotNull();
        BackplaneMessage decoded = BackplaneCodec.decode(raw);
        assertThat(new String(BackplaneCodec.encode(decoded), StandardCharsets.UTF_8))
                .isEqualTo(new String(raw, StandardCharsets.UTF_8));
        return decoded;
    }

    @Test
    void whatTheLuaScriptsPublishDecodesToItsRecord() throws Exception {
        assertThat(run(Script.REGISTER, "n1", "alice", "", "60000")).isEqualTo(1L);
        assertThat(run(Script.REGISTER, "n2", "bob", "", "60000")).isEqualTo(1L);
        assertThat(BackplaneCodec.string(run(Script.PAIR, "n1", "alice", "bob", "t0k3n")))
                .isEqualTo("P|n2");
        assertThat(nextPublished()).isEqualTo(new Paired("bob", "alice", "n1", "t0k3n"));
        assertThat(BackplaneCodec.string(run(Script.PAIR, "n1", "alice", "carol", "x")))
                .isEqualTo("A|bob");
        assertThat(BackplaneCodec.string(run(Script.PAIR, "n2", "bob", "alice", "x")))
                .isEqualTo("W");

        run(Script.UNPAIR, "alice");
        assertThat(nextPublished()).isEqualTo(new Unpaired("bob", "alice", "t0k3n"));

        assertThat(run(Script.REGISTER, "n2", "rita", "room.1", "60000")).isEqualTo(1L);
        run(Script.JOIN, "n2", "rita", "room.1", "Rita | the one");
        assertThat(nextPublished()).isEqualTo(new Joined(1, "room.1", "rita", "n2", "Rita | the one"));
        assertThat(run(Script.REGISTER, "n1", "sam", "room.1", "60000")).isEqualTo(1L);
        run(Script.JOIN, "n1", "sam", "room.1", "");
        assertThat(nextPublished()).isEqualTo(new Joined(2, "room.1", "sam", "n1", null));

        run(Script.DEPART, "n2", "rita", "room.1");
        assertThat(nextPublished()).isEqualTo(new Left(3, "room.1", "rita", "n2", "Rita | the one"));

        run(Script.RESYNC, "n1", "10000", "60000", "sam", "room.1", "", "");
        assertThat(nextPublished()).isEqualTo(new Resynced(4));
        assertThat(published).isEmpty();
    }

    @Test
    void relayedFramesRoundTripWithTheirBytesUntouched() {
        String frame = "{\"type\":\"offer\",\"sdp\":\"a|b\",\"from\":\"x\"}";
        Relay lobby = new Relay("bob", "alice", null, Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
        byte[] bytes = BackplaneCodec.encode(lobby);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("R|bob|alice||" + frame);
        assertThat(BackplaneCodec.decode(bytes)).isEqualTo(lobby);

        Relay inRoom = new Relay("bob", "alice", "room", Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
        assertThat(BackplaneCodec.decode(BackplaneCodec.encode(inRoom))).isEqualTo(inRoom);

        Broadcast all = new Broadcast("room", "alice", Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
        bytes = BackplaneCodec.encode(all);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("B|room|alice|" + frame);
        assertThat(BackplaneCodec.decode(bytes)).isEqualTo(all);
    }

    @Test
    void deliveryByIdAndArrivalsGoToTheRightNodeInTheCodecsFormat() throws Exception {
        assertThat(run(Script.WATCH, "n1", "late", "peerjs:", "60000")).isEqualTo(0L); // held nowhere: n1 watches
        assertThat(run(Script.DELIVER, "late", "peerjs:", "I|late|peerjs:|{}")).isEqualTo(0L);
        assertThat(run(Script.REGISTER, "n2", "late", "peerjs:", "60000")).isEqualTo(1L);
        assertThat(run(Script.ARRIVE, "n2", "late", "peerjs:")).isEqualTo(1L);
        assertThat(nextPublished()).isEqualTo(new Arrived("late", "peerjs:"));
        assertThat(run(Script.ARRIVE, "n2", "late", "peerjs:")).isEqualTo(0L); // each watcher is told once
        assertThat(run(Script.WATCH, "n1", "late", "peerjs:", "60000")).isEqualTo(1L); // held now: deliver again

        String frame = "{\"type\":\"OFFER\",\"src\":\"a|b\",\"payload\":{\"u\":\"\u00e9\ud83d\ude00\"}}";
        Direct direct = new Direct("late", "peerjs:", Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
        String message = new String(BackplaneCodec.encode(direct), StandardCharsets.UTF_8);
        assertThat(message).isEqualTo("I|late|peerjs:|" + frame);
        assertThat(run(Script.DELIVER, "late", "peerjs:", message)).isEqualTo(1L);
        assertThat(nextPublished()).isEqualTo(direct);

        assertThat(run(Script.REGISTER, "n2", "vee", "", "60000")).isEqualTo(1L);
        assertThat(run(Script.DELIVER, "vee", "peerjs:", message)).isEqualTo(0L); // a v1 id is no receiver
        assertThat(published).isEmpty();
    }

    @Test
    void aSameKeyRegistrationOnAnotherNodeTakesTheIdOverAndTellsTheFormerHolder() throws Exception {
        assertThat(run(Script.REGISTER, "n1", "roamer", "peerjs:", "60000", "k1"))
                .isEqualTo(1L);
        assertThat(run(Script.REGISTER, "n2", "roamer", "peerjs:", "60000", "k2"))
                .isEqualTo(0L); // another key
        assertThat(run(Script.REGISTER, "n2", "roamer", "peerjs:", "60000", "")).isEqualTo(0L); // no key
        assertThat(run(Script.REGISTER, "n2", "roamer", "peerjs:", "60000", "k1"))
                .isEqualTo(2L);
        assertThat(nextPublished()).isEqualTo(new TakenOver("roamer", "peerjs:"));
        assertThat(commands.sync().smembers(PREFIX + "nodeids:n1")).isEmpty();
        assertThat(commands.sync().smembers(PREFIX + "nodeids:n2")).hasSize(1);
        run(Script.DEPART, "n1", "roamer", "peerjs:"); // the former holder leaves: the id stays n2's
        assertThat(run(Script.REGISTER, "n1", "roamer", "peerjs:", "60000", "k2"))
                .isEqualTo(0L);
        run(Script.DEPART, "n2", "roamer", "peerjs:"); // the holder leaves: the key goes with the id
        assertThat(commands.sync().exists(PREFIX + "tk:roamer")).isZero();
        assertThat(run(Script.REGISTER, "n1", "roamer", "peerjs:", "60000", "k2"))
                .isEqualTo(1L);

        assertThat(run(Script.REGISTER, "n1", "vee", "", "60000")).isEqualTo(1L); // a v1 id has no key
        assertThat(run(Script.REGISTER, "n2", "vee", "peerjs:", "60000", "k2")).isEqualTo(0L);
        assertThat(published).isEmpty();
    }

    @Test
    void resumeTunnelMessagesRoundTripWithFramesAndFreeTextLast() {
        String frame = "{\"type\":\"offer\",\"sdp\":\"a|b\"}";
        String token = "tok|en-with_bar"; // a client's token is any string: it comes last
        assertThat(roundTrip(new BackplaneMessage.ResumeAsk("n2:ab:1", "n2", "alice", 42, token)))
                .isEqualTo(new BackplaneMessage.ResumeAsk("n2:ab:1", "n2", "alice", 42, token));
        assertThat(roundTrip(new BackplaneMessage.ResumeAccepted("n2:ab:1", "n1", 7)))
                .isEqualTo(new BackplaneMessage.ResumeAccepted("n2:ab:1", "n1", 7));
        assertThat(roundTrip(new BackplaneMessage.ResumeRefused("n2:ab:1", "bad_token", "wrong | token")))
                .isEqualTo(new BackplaneMessage.ResumeRefused("n2:ab:1", "bad_token", "wrong | token"));
        assertThat(roundTrip(new BackplaneMessage.TunnelClose("t", 4009, "session resumed elsewhere")))
                .isEqualTo(new BackplaneMessage.TunnelClose("t", 4009, "session resumed elsewhere"));
        assertThat(roundTrip(new BackplaneMessage.TunnelBinary("t"))).isEqualTo(new BackplaneMessage.TunnelBinary("t"));
        assertThat(roundTrip(new BackplaneMessage.TunnelTooLarge("t", 65536)))
                .isEqualTo(new BackplaneMessage.TunnelTooLarge("t", 65536));
        assertThat(roundTrip(new BackplaneMessage.TunnelEnded("t", true)))
                .isEqualTo(new BackplaneMessage.TunnelEnded("t", true));
        assertThat(roundTrip(new BackplaneMessage.TunnelEnded("t", false)))
                .isEqualTo(new BackplaneMessage.TunnelEnded("t", false));
        BackplaneMessage down =
                roundTrip(new BackplaneMessage.TunnelDown("t", Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
        assertThat(((BackplaneMessage.TunnelDown) down).frame().toString(StandardCharsets.UTF_8))
                .isEqualTo(frame);
        BackplaneMessage up =
                roundTrip(new BackplaneMessage.TunnelText("t", Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
        assertThat(((BackplaneMessage.TunnelText) up).frame().toString(StandardCharsets.UTF_8))
                .isEqualTo(frame);
        assertThat(new BackplaneMessage.ResumeAsk("t", "n", "alice", 0, "secret").toString())
                .doesNotContain("secret");
    }

    private static BackplaneMessage roundTrip(BackplaneMessage m) {
        byte[] bytes = BackplaneCodec.encode(m);
        BackplaneMessage back = BackplaneCodec.decode(bytes);
        assertThat(BackplaneCodec.encode(back)).isEqualTo(bytes);
        return back;
    }

    @Test
    void malformedMessagesAreRefusedClearly() {
        assertThatThrownBy(() -> BackplaneCodec.decode("X|1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backplane message kind X");
        assertThatThrownBy(() -> BackplaneCodec.decode("P|only".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too few fields");
        assertThatThrownBy(() -> BackplaneCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
