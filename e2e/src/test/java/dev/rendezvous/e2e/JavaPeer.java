package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerEventLines;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.signaling.SignalingOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Java SDK peer in loopback ICE mode, with its events recorded as lines ({@code paired <id> true},
 * {@code open <id>}, {@code left <id>}, {@code joined <id>}: the client's {@link PeerEventLines}) and its
 * messages as {@code <from>: <text>};
 * tests wait for them with deadlines.
 */
final class JavaPeer implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final Peer peer;
    private final Recorder recorder;

    private JavaPeer(Peer peer, Recorder recorder) {
        this.peer = peer;
        this.recorder = recorder;
    }

    static JavaPeer lobby(URI lobby, RtcRuntime runtime, String name) throws Exception {
        return connect(options(lobby, runtime, name));
    }

    static JavaPeer room(URI lobby, RtcRuntime runtime, String room, String name) throws Exception {
        return connect(options(lobby, runtime, name).inRoom(room));
    }

    /**
     * A lobby peer with {@code iceTransportPolicy = relay}, using the ICE servers (and the TURN credential
     * minted for its id) that the server announces in {@code your_id}.
     */
    static JavaPeer relayOnly(URI lobby, RtcRuntime runtime, String name) throws Exception {
        PeerOptions options = options(lobby, runtime, name);
        return connect(options.withSession(options.session().withRelayOnly(true)));
    }

    private static PeerOptions options(URI lobby, RtcRuntime runtime, String name) {
        return PeerOptions.lobby(lobby)
                .withSignaling(SignalingOptions.of(lobby).withUsername(name))
                .withLoopback(true)
                .withRuntime(runtime);
    }

    private static JavaPeer connect(PeerOptions options) throws Exception {
        Recorder recorder = new Recorder();
        Peer peer = Peer.connect(options, recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new JavaPeer(peer, recorder);
    }

    String id() {
        return peer.id();
    }

    Peer sdk() {
        return peer;
    }

    void pair(String targetId) throws Exception {
        peer.pair(targetId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@code page} pairs with this peer (the page offers); returns the page's id once both ends have the channel open. */
    String pairedBy(ChatPage page) throws InterruptedException {
        String pageId = page.awaitId();
        page.pairWith(id());
        awaitEvent("paired " + pageId + " false");
        awaitEvent("open " + pageId);
        page.awaitChatState("connected");
        return pageId;
    }

    /** This peer pairs with {@code page} (Java offers); returns the page's id once both ends have the channel open. */
    String pairWith(ChatPage page) throws Exception {
        String pageId = page.awaitId();
        pair(pageId);
        awaitEvent("paired " + pageId + " true");
        awaitEvent("open " + pageId);
        page.awaitChatState("connected");
        return pageId;
    }

    /** This peer sends {@code text}; {@code page} shows it from this peer, exactly once. */
    void says(ChatPage page, String text) {
        send(text);
        page.awaitIncoming(id(), text);
    }

    /** {@code page} (whose id is {@code pageId}) sends {@code text}; it is the next message this peer reads. */
    void hears(ChatPage page, String pageId, String text) throws InterruptedException {
        page.send(text);
        assertThat(nextMessage()).isEqualTo(pageId + ": " + text);
    }

    /** Sends to every connected peer; fails the test if the SDK refused it for anyone. */
    void send(String text) {
        assertThat(peer.send(text).values())
                .as("deliveries of %s", text)
                .isNotEmpty()
                .noneMatch(d -> d.refused());
    }

    /** Waits for the event line {@code expected}, skipping others. */
    void awaitEvent(String expected) throws InterruptedException {
        awaitEvents(List.of(expected));
    }

    /** Waits until every one of {@code expected} has happened, in any order, skipping other events. */
    void awaitEvents(Collection<String> expected) throws InterruptedException {
        Set<String> missing = new LinkedHashSet<>(expected);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (!missing.isEmpty()) {
            long left = deadline - System.nanoTime();
            String next = left > 0 ? recorder.events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) throw new AssertionError("no event " + missing + " within " + WAIT + "; saw " + seen);
            if (!missing.remove(next)) seen.add(next);
        }
    }

    String nextMessage() throws InterruptedException {
        String next = recorder.messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("a message within %s", WAIT).isNotNull();
        return next;
    }

    /** Reads {@code count} messages and counts each distinct "from: text". */
    Map<String, Integer> readMessages(int count) throws InterruptedException {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) seen.merge(nextMessage(), 1, Integer::sum);
        return seen;
    }

    /** Messages that arrived and were not read yet. */
    List<String> unreadMessages() {
        List<String> rest = new ArrayList<>();
        recorder.messages.drainTo(rest);
        return rest;
    }

    @Override
    public void close() {
        peer.close();
    }

    /** Events as {@link PeerEventLines} writes them, and messages as {@code <from>: <text>}. */
    private static final class Recorder extends PeerEventLines {
        final BlockingQueue<String> events;
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

        Recorder() {
            this(new LinkedBlockingQueue<>());
        }

        private Recorder(BlockingQueue<String> events) {
            super(events::add);
            this.events = events;
        }

        @Override
        public void onMessage(String peerId, String text) {
            messages.add(peerId + ": " + text);
        }
    }
}
