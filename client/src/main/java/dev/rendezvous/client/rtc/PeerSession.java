package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.rendezvous.client.signaling.RemoteCandidate;
import dev.rendezvous.protocol.IceServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why one file of ~650 lines: it is the lifecycle of one RTCPeerConnection — create, negotiate, queue
// early candidates, take remote channels, close in the order libwebrtc survives — and every step runs on
// the event thread against the same connection, channel list and closing flag. The channel itself
// (DataChannel), its send queue (OutboundQueue), the event thread and the runtime are already apart.
/**
 * One WebRTC peer connection to one remote peer, with its {@code chat} data channel and any further
 * channels either side opens ({@link #openChannel}).
 *
 * <p>Lifecycle: created → (initiator) {@link #start()} creates the {@code chat} channel and the offer;
 * (answerer) it waits for {@link #acceptOffer} and takes the channel in {@code onDataChannel} → connected,
 * channel open → {@link #close()} (idempotent; every channel is unhooked, closed and disposed, then the
 * connection is closed: the order libwebrtc survives). Remote candidates that arrive before the remote
 * description are queued and added once {@code setRemoteDescription} has completed; candidates inside a
 * remote SDP are honoured by libwebrtc itself.
 *
 * <p>Threading: every webrtc-java callback only hands a task to the session's {@link EventThread} (its
 * peer's, shared by all of that peer's sessions, or its own when standalone); the peer connection and its
 * channels are touched only there, and listener methods run there. {@code send} is safe from any thread
 * and never throws.
 */
public final class PeerSession implements AutoCloseable {
    public static final String CHANNEL_LABEL = "chat";

    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Wiring wiring;
    private final String remoteId;
    private final boolean initiator;
    private final SessionConfig config;
    private final EventThread events;
    private final boolean ownsEvents;
    private final DataChannel chat;
    /** Every channel, the chat channel first; added on the event thread, read anywhere. */
    private final List<DataChannel> channels = new CopyOnWriteArrayList<>();

    private final AtomicInteger earlyCandidatesApplied = new AtomicInteger();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final ConnectionObserver observer = new ConnectionObserver();
    private final UdpReceiveBuffers udpBuffers;
    private volatile List<RemoteCandidate> unappliedRemoteCandidates = List.of(); // set by closeNow

    // Confined to the event thread.
    private RTCPeerConnection pc;
    private boolean remoteDescriptionSet;
    private final List<RTCIceCandidate> earlyCandidates = new ArrayList<>();
    private RTCSdpType awaitingGatheringFor; // non-trickle: which description to send once gathered
    private boolean started;

    private volatile boolean closed;
    private volatile ConnectionState connectionState = ConnectionState.NEW;
    private volatile IceState iceState = IceState.NEW;

    /**
     * What a session works with, the same for its whole life: the runtime that makes its connection, the
     * signaling side its descriptions and candidates go out through, and the listener its events go to.
     */
    private record Wiring(RtcRuntime rtc, SignalSink signals, PeerSessionListener listener) {}

    private PeerSession(Wiring wiring, String remoteId, boolean initiator, SessionConfig config, EventThread shared) {
        this.wiring = wiring;
        this.remoteId = remoteId;
        this.initiator = initiator;
        this.config = config;
        this.udpBuffers = new UdpReceiveBuffers(config.udpReceiveBufferBytes());
        this.ownsEvents = shared == null;
        this.events =
                shared != null ? shared : new EventThread("rtc-session-" + SEQUENCE.incrementAndGet() + "-" + remoteId);
        this.chat = new DataChannel(this, CHANNEL_LABEL, ChannelOptions.RELIABLE, wiring.listener());
        channels.add(chat);
    }

    /**
     * A session living on {@code events}, which the caller owns (a peer's sessions share one thread), or,
     * where {@code events} is null, a standalone session with its own event thread (ended at close). Nothing
     * is signalled until {@link #start()} (initiator) or {@link #acceptOffer} (answerer).
     */
    public static PeerSession create(
            RtcRuntime rtc,
            String remoteId,
            boolean initiator,
            SessionConfig config,
            SignalSink signals,
            PeerSessionListener listener,
            EventThread events) {
        PeerSession session = new PeerSession(new Wiring(rtc, signals, listener), remoteId, initiator, config, events);
        rtc.register(session);
        session.onEvents(session::createPeerConnection);
        return session;
    }

    public String remoteId() {
        return remoteId;
    }

    public boolean initiator() {
        return initiator;
    }

    /** The settings this session was made with (ICE servers from {@code your_id}, loopback mode...). */
    public SessionConfig config() {
        return config;
    }

    /** The {@code chat} channel (it exists from the start; sends wait until it opens). */
    public DataChannel chat() {
        return chat;
    }

    /** Every channel of this session, the {@code chat} channel first, closed ones included. */
    public List<DataChannel> channels() {
        return List.copyOf(channels);
    }

    public boolean isChannelOpen() {
        return chat.isOpen();
    }

    public boolean isClosed() {
        return closed;
    }

    public ConnectionState connectionState() {
        return connectionState;
    }

    public IceState iceState() {
        return iceState;
    }

    /** The kernel receive buffer each of this session's UDP sockets got, by local port (see {@link UdpReceiveBuffers}). */
    Map<Integer, Integer> udpReceiveBuffers() {
        return udpBuffers.granted();
    }

    /** What libwebrtc calls back on (for tests that play libwebrtc's part). */
    PeerConnectionObserver connectionObserver() {
        return observer;
    }

    /** How many remote candidates arrived before the remote description and were added after it. */
    int earlyCandidatesApplied() {
        return earlyCandidatesApplied.get();
    }

    /**
     * Once closed: the remote candidates that arrived but were never added, because no remote description
     * was ever set (empty before close). When crossing offers replace this session, they belong to the
     * remote's new offer and go to the replacement.
     */
    public List<RemoteCandidate> unappliedRemoteCandidates() {
        return unappliedRemoteCandidates;
    }

    /** Completes when the session has closed. */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture.copy();
    }

    /** Initiator only: creates the {@code chat} channel, then the offer. Idempotent. */
    public void start() {
        if (!initiator) {
            throw new IllegalStateException("only the initiator starts; the answerer waits for an offer");
        }
        onEvents(this::createChannelAndOffer);
    }

    /** Applies a remote offer, then answers it. */
    public void acceptOffer(String sdp) {
        onEvents(() -> applyRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), true));
    }

    /** Applies the remote answer to our offer. */
    public void acceptAnswer(String sdp) {
        onEvents(() -> applyRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), false));
    }

    /** Adds one remote candidate, or keeps it until the remote description is set. */
    public void acceptCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
        // An empty mid makes libwebrtc go by the m-line index (null would not survive JNI).
        RTCIceCandidate ice = new RTCIceCandidate(sdpMid == null ? "" : sdpMid, sdpMLineIndex, candidate);
        onEvents(() -> {
            if (pc == null) {
                return;
            }
            if (remoteDescriptionSet) {
                addCandidate(ice);
            } else {
                earlyCandidates.add(ice);
            }
        });
    }

    /** Sends one text message on the {@code chat} channel (see {@link DataChannel#send(String)}). */
    public Delivery send(String text) {
        return chat.send(text);
    }

    /** Sends one binary message on the {@code chat} channel (see {@link DataChannel#send(byte[])}). */
    public Delivery send(byte[] data) {
        return chat.send(data);
    }

    /** Sends one binary message on the {@code chat} channel (see {@link DataChannel#send(ByteBuffer)}). */
    public Delivery send(ByteBuffer data) {
        return chat.send(data);
    }

    /**
     * Opens another channel to the remote peer; its events go to {@code channelListener}. The channel
     * exists at once (sends wait until it opens); on a closed session it is closed at once.
     */
    public DataChannel openChannel(String label, ChannelOptions options, ChannelListener channelListener) {
        DataChannel channel = new DataChannel(this, label, options, channelListener);
        channels.add(channel);
        if (!onEvents(() -> createChannel(channel))) {
            channel.close();
        }
        return channel;
    }

    /**
     * Closes every channel and the connection in the safe order; refuses whatever is still queued.
     * Idempotent; returns once closed (from a listener method too).
     */
    @Override
    public void close() {
        close(CLOSE_WAIT);
    }

    /**
     * {@link #close()}, waiting at most {@code wait}; if the event thread is stuck (a listener that
     * blocks) the close still happens once it frees up. Returns whether the session is closed.
     */
    boolean close(Duration wait) {
        if (!events.runAndWait(this::closeNow, wait) && !closedFuture.isDone()) {
            log.warn(
                    "closing session with {} did not finish within {}; it will close when its thread frees up",
                    remoteId,
                    wait);
        }
        return closedFuture.isDone();
    }

    @Override
    public String toString() {
        return "PeerSession[" + remoteId + (initiator ? ", initiator" : "") + ", " + connectionState
                + (chat.isOpen() ? ", open" : "") + (closed ? ", closed" : "") + "]";
    }

    // ---- on the event thread -----------------------------------------------------------------------

    private void createPeerConnection() {
        if (closed) {
            return;
        }
        RTCConfiguration rtcConfig = new RTCConfiguration();
        for (IceServer spec : config.iceServers()) {
            RTCIceServer server = new RTCIceServer();
            server.urls = new ArrayList<>(spec.urls());
            if (spec.username() != null) {
                server.username = spec.username();
            }
            if (spec.credential() != null) {
                server.password = spec.credential();
            }
            rtcConfig.iceServers.add(server);
        }
        if (config.relayOnly()) {
            rtcConfig.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
        }
        if (config.loopback()) {
            if (rtcConfig.portAllocatorConfig == null) {
                rtcConfig.portAllocatorConfig = new PortAllocatorConfig();
            }
            rtcConfig.portAllocatorConfig.flags |= PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION
                    | PortAllocatorConfig.PORTALLOCATOR_DISABLE_TCP;
        }
        try {
            pc = wiring.rtc().createPeerConnection(rtcConfig, observer);
        } catch (RuntimeException e) {
            fail("could not create the peer connection: " + e);
        }
    }

    private static RTCDataChannelInit init(ChannelOptions options) {
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = options.ordered();
        if (!options.reliable()) {
            init.maxRetransmits = options.maxRetransmits();
        }
        return init;
    }

    private void createChannel(DataChannel channel) {
        if (closed || pc == null) {
            channel.release();
            return;
        }
        try {
            channel.bind(pc.createDataChannel(channel.label(), init(channel.options())));
        } catch (RuntimeException e) {
            wiring.listener().onError(this, "could not open channel " + channel.label() + ": " + e.getMessage());
            channel.release();
        }
    }

    private void createChannelAndOffer() {
        if (closed || pc == null || started) {
            return;
        }
        started = true;
        chat.bind(pc.createDataChannel(CHANNEL_LABEL, init(ChannelOptions.RELIABLE)));
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), describeInto(offer));
        offer.thenCompose(this::setLocal).whenComplete((desc, error) -> {
            if (error != null) {
                fail("creating the offer failed: " + rootMessage(error));
            } else {
                sendLocalDescription(desc.sdpType);
            }
        });
    }

    private void applyRemoteDescription(RTCSessionDescription description, boolean answerIt) {
        if (closed || pc == null) {
            return;
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        pc.setRemoteDescription(description, whenSet(applied));
        CompletableFuture<?> done = applied.thenRun(this::remoteDescriptionApplied);
        if (answerIt) {
            done = done.thenCompose(ignored -> {
                        CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
                        pc.createAnswer(new RTCAnswerOptions(), describeInto(answer));
                        return answer;
                    })
                    .thenCompose(this::setLocal)
                    .thenAccept(desc -> sendLocalDescription(desc.sdpType));
        }
        done.whenComplete((ignored, error) -> {
            if (error != null) {
                fail("applying the remote " + description.sdpType.name().toLowerCase() + " failed: "
                        + rootMessage(error));
            }
        });
    }

    private void remoteDescriptionApplied() {
        remoteDescriptionSet = true;
        for (RTCIceCandidate early : earlyCandidates) {
            addCandidate(early);
            earlyCandidatesApplied.incrementAndGet();
        }
        earlyCandidates.clear();
    }

    private void addCandidate(RTCIceCandidate candidate) {
        try {
            pc.addIceCandidate(candidate);
        } catch (RuntimeException e) {
            wiring.listener().onError(this, "remote candidate refused: " + e.getMessage());
        }
    }

    private CompletableFuture<RTCSessionDescription> setLocal(RTCSessionDescription description) {
        CompletableFuture<Void> set = new CompletableFuture<>();
        pc.setLocalDescription(description, whenSet(set));
        return set.thenApply(ignored -> description);
    }

    /** Trickle: the description goes now (it has no candidates yet). Otherwise once gathering is complete. */
    private void sendLocalDescription(RTCSdpType type) {
        if (closed) {
            return;
        }
        if (config.trickle() || pc.getIceGatheringState() == RTCIceGatheringState.COMPLETE) {
            signalDescription(type, pc.getLocalDescription().sdp);
        } else {
            awaitingGatheringFor = type;
        }
    }

    private void signalDescription(RTCSdpType type, String sdp) {
        log.debug("to {}: {}", remoteId, type);
        String outgoing = config.loopback() ? LoopbackCandidates.rewriteSdp(sdp) : sdp;
        if (type == RTCSdpType.OFFER) {
            wiring.signals().offer(outgoing);
        } else {
            wiring.signals().answer(outgoing);
        }
    }

    private void localCandidate(RTCIceCandidate candidate) {
        if (closed) {
            return;
        }
        udpBuffers.localCandidate(candidate.sdp); // every candidate, trickled or not: its socket is bound now
        if (!config.trickle()) {
            return;
        }
        Optional<String> line =
                config.loopback() ? LoopbackCandidates.rewrite(candidate.sdp) : Optional.of(candidate.sdp);
        log.debug("to {}: candidate {}", remoteId, line.orElse("(dropped) " + candidate.sdp));
        line.ifPresent(c -> wiring.signals().candidate(c, candidate.sdpMid, candidate.sdpMLineIndex));
    }

    private void gatheringChanged(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE && awaitingGatheringFor != null && !closed) {
            RTCSdpType type = awaitingGatheringFor;
            awaitingGatheringFor = null;
            signalDescription(type, pc.getLocalDescription().sdp);
        }
    }

    private void iceChanged(IceState state) {
        log.debug("with {}: ICE {}", remoteId, state);
        if (!closed) {
            iceState = state;
            wiring.listener().onIceState(this, state);
        }
    }

    private void connectionChanged(ConnectionState state) {
        if (!closed) {
            connectionState = state;
            wiring.listener().onConnectionState(this, state);
        }
    }

    /** A channel the remote peer opened: the {@code chat} channel, or another one the listener may take. */
    private void remoteChannel(RTCDataChannel dataChannel) {
        if (closed) {
            DataChannel.release(dataChannel);
            return;
        }
        String label = dataChannel.getLabel();
        if (CHANNEL_LABEL.equals(label)) {
            if (chat.bound()) {
                // One chat channel per session; a second one (a confused peer) is closed at once.
                DataChannel.release(dataChannel);
            } else {
                chat.bind(dataChannel);
            }
            return;
        }
        ChannelOptions options = new ChannelOptions(
                dataChannel.isOrdered(), dataChannel.isReliable() ? -1 : Math.max(0, dataChannel.getMaxRetransmits()));
        DataChannel channel = new DataChannel(this, label, options, new ChannelListener() {});
        ChannelListener taker;
        try {
            taker = wiring.listener().onRemoteChannel(this, channel);
        } catch (RuntimeException e) {
            log.warn("onRemoteChannel threw; channel {} refused", label, e);
            taker = null;
        }
        if (taker == null) {
            DataChannel.release(dataChannel);
            return;
        }
        channel.listener(taker);
        channels.add(channel);
        channel.bind(dataChannel);
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        unappliedRemoteCandidates = earlyCandidates.stream()
                .map(c -> new RemoteCandidate(c.sdp, c.sdpMid, c.sdpMLineIndex))
                .toList();
        try {
            // Channels first (each reports onClosed), then the connection: the order libwebrtc survives.
            for (DataChannel channel : channels) {
                channel.release();
            }
            if (pc != null) {
                pc.close();
            }
        } catch (RuntimeException e) {
            log.warn("closing the connection to {} threw: {}", remoteId, e.toString());
        } finally {
            pc = null;
            wiring.rtc().unregister(this);
        }
        connectionState = ConnectionState.CLOSED;
        try {
            // A listener that throws must not keep the session half-closed: the future is always
            // completed and an owned thread always ended (else close() hangs and the thread leaks).
            try {
                wiring.listener().onClosed(this);
            } catch (RuntimeException e) {
                log.warn("session with {}: onClosed threw", remoteId, e);
            }
        } finally {
            closedFuture.complete(null);
            if (ownsEvents) {
                events.shutdown();
            }
        }
    }

    private void fail(String message) {
        log.debug("session with {}: {}", remoteId, message);
        if (!closed) {
            wiring.listener().onError(this, message);
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /** The thread this session lives on (its channels too). */
    EventThread events() {
        return events;
    }

    /**
     * Runs {@code task} now if the caller is on the event thread (the peer driving its sessions: later
     * steps must see this one done, not find it queued behind them), else hands it over like {@link #post}.
     */
    private boolean onEvents(Runnable task) {
        if (events.inThread()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("session with {}: task failed", remoteId, e);
            }
            return true;
        }
        return post(task);
    }

    /**
     * Runs {@code task} on the event thread; false if that thread is gone (the session's, or its peer's,
     * closed), for the one callback that still owns something to release.
     */
    private boolean post(Runnable task) {
        return events.execute(task);
    }

    /** Completes {@code future} on the event thread, so what follows it runs there too. */
    private CreateSessionDescriptionObserver describeInto(CompletableFuture<RTCSessionDescription> future) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                post(() -> future.complete(description));
            }

            @Override
            public void onFailure(String error) {
                post(() -> future.completeExceptionally(new IllegalStateException(error)));
            }
        };
    }

    private SetSessionDescriptionObserver whenSet(CompletableFuture<Void> future) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                post(() -> future.complete(null));
            }

            @Override
            public void onFailure(String error) {
                post(() -> future.completeExceptionally(new IllegalStateException(error)));
            }
        };
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Runs on webrtc-java's thread: only hands over. */
    private final class ConnectionObserver implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            post(() -> localCandidate(candidate));
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            post(() -> gatheringChanged(state));
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            post(() -> iceChanged(EngineStates.of(state)));
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            post(() -> connectionChanged(EngineStates.of(state)));
        }

        @Override
        public void onDataChannel(RTCDataChannel dataChannel) {
            if (!post(() -> remoteChannel(dataChannel))) {
                // The event thread is gone and nobody else will ever see this channel. Releasing it here,
                // on webrtc-java's thread, is safe: close and dispose do not wait on this thread.
                DataChannel.release(dataChannel);
            }
        }
    }
}
