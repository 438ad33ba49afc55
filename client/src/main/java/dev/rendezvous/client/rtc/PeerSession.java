package dev.rendezvous.client.rtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
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
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.rendezvous.protocol.IceServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC peer connection with one data channel, {@code chat}, to one remote peer.
 *
 * <p>Lifecycle: created → (initiator) {@link #start()} creates the channel and the offer; (answerer) it
 * waits for {@link #acceptOffer} and takes the channel in {@code onDataChannel} → connected, channel open →
 * {@link #close()} (idempotent, in the order libwebrtc survives: channel observer off, channel close and
 * dispose, connection close). Remote candidates that arrive before the remote description are queued and
 * added once {@code setRemoteDescription} has completed; candidates inside a remote SDP are honoured by
 * libwebrtc itself.
 *
 * <p>Threading: every webrtc-java callback only posts a task to this session's single-threaded executor;
 * the peer connection is touched only there, and listener methods run there. {@link #send} is safe from
 * any thread and never throws.
 */
public final class PeerSession implements AutoCloseable {
    public static final String CHANNEL_LABEL = "chat";

    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long CLOSE_WAIT_SECONDS = 10;
    private static final long PUMP_OPEN_MILLIS = 1;
    private static final long PUMP_WAITING_MILLIS = 50;

    private final RtcRuntime rtc;
    private final String remoteId;
    private final boolean initiator;
    private final SessionConfig config;
    private final SignalSink signals;
    private final PeerSessionListener listener;
    private final ScheduledExecutorService executor;
    private final OutboundQueue outbound;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicInteger earlyCandidatesApplied = new AtomicInteger();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile Thread executorThread;

    // Confined to the executor.
    private RTCPeerConnection pc;
    private RTCDataChannel channel;
    private boolean remoteDescriptionSet;
    private final List<RTCIceCandidate> earlyCandidates = new ArrayList<>();
    private RTCSdpType awaitingGatheringFor; // non-trickle: which description to send once gathered
    private boolean started;

    private volatile boolean closed;
    private volatile boolean channelOpen;
    private volatile RTCPeerConnectionState connectionState = RTCPeerConnectionState.NEW;
    private volatile RTCIceConnectionState iceConnectionState = RTCIceConnectionState.NEW;

    private PeerSession(
            RtcRuntime rtc,
            String remoteId,
            boolean initiator,
            SessionConfig config,
            SignalSink signals,
            PeerSessionListener listener) {
        this.rtc = rtc;
        this.remoteId = remoteId;
        this.initiator = initiator;
        this.config = config;
        this.signals = signals;
        this.listener = listener;
        String threadName = "rtc-session-" + SEQUENCE.incrementAndGet() + "-" + remoteId;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            executorThread = t;
            return t;
        });
        this.outbound = new OutboundQueue(
                config.sendPolicy(), System::nanoTime, (text, reason) -> post(() -> listener.onUndelivered(this, text, reason)));
    }

    /**
     * Creates a session (and its peer connection, on the session's executor). Nothing is signalled until
     * {@link #start()} (initiator) or {@link #acceptOffer} (answerer).
     */
    public static PeerSession create(
            RtcRuntime rtc,
            String remoteId,
            boolean initiator,
            SessionConfig config,
            SignalSink signals,
            PeerSessionListener listener) {
        PeerSession session = new PeerSession(rtc, remoteId, initiator, config, signals, listener);
        rtc.register(session);
        session.post(session::createPeerConnection);
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

    public boolean isChannelOpen() {
        return channelOpen;
    }

    public boolean isClosed() {
        return closed;
    }

    public RTCPeerConnectionState connectionState() {
        return connectionState;
    }

    public RTCIceConnectionState iceConnectionState() {
        return iceConnectionState;
    }

    /** How many remote candidates arrived before the remote description and were added after it. */
    int earlyCandidatesApplied() {
        return earlyCandidatesApplied.get();
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
        post(this::createChannelAndOffer);
    }

    /** Applies a remote offer, then answers it. */
    public void acceptOffer(String sdp) {
        post(() -> applyRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), true));
    }

    /** Applies the remote answer to our offer. */
    public void acceptAnswer(String sdp) {
        post(() -> applyRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), false));
    }

    /** Adds one remote candidate, or keeps it until the remote description is set. */
    public void acceptCandidate(String candidate, String sdpMid, int sdpMLineIndex) {
        // An empty mid makes libwebrtc go by the m-line index (null would not survive JNI).
        RTCIceCandidate ice = new RTCIceCandidate(sdpMid == null ? "" : sdpMid, sdpMLineIndex, candidate);
        post(() -> {
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

    /**
     * Sends one chat message, or queues it until the channel opens (or flow control resumes), or refuses
     * it. Never throws; the {@link Delivery} always says which, and how a queued message ended.
     */
    public Delivery send(String text) {
        Delivery delivery = outbound.offer(text);
        if (delivery.outcome() instanceof SendOutcome.Queued) {
            schedulePump();
        }
        return delivery;
    }

    /**
     * Closes the channel and the connection in the safe order; refuses whatever is still queued.
     * Idempotent; returns once closed (from a listener method too).
     */
    @Override
    public void close() {
        if (Thread.currentThread() == executorThread) {
            closeNow();
            return;
        }
        try {
            executor.submit(this::closeNow).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException alreadyClosed) {
            // The executor stops only after closeNow ran.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("closing session with {} failed: {}", remoteId, e.toString());
        }
    }

    @Override
    public String toString() {
        return "PeerSession[" + remoteId + (initiator ? ", initiator" : "") + ", " + connectionState
                + (channelOpen ? ", open" : "") + (closed ? ", closed" : "") + "]";
    }

    // ---- on the executor -------------------------------------------------------------------------

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
            pc = rtc.factory().createPeerConnection(rtcConfig, new ConnectionObserver());
        } catch (RuntimeException e) {
            fail("could not create the peer connection: " + e);
        }
    }

    private void createChannelAndOffer() {
        if (closed || pc == null || started) {
            return;
        }
        started = true;
        attachChannel(pc.createDataChannel(CHANNEL_LABEL, new RTCDataChannelInit()));
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), describeInto(offer));
        offer.thenCompose(this::setLocal)
                .whenComplete((desc, error) -> {
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
            }).thenCompose(this::setLocal).thenAccept(desc -> sendLocalDescription(desc.sdpType));
        }
        done.whenComplete((ignored, error) -> {
            if (error != null) {
                fail("applying the remote " + description.sdpType.name().toLowerCase() + " failed: " + rootMessage(error));
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
            listener.onError(this, "remote candidate refused: " + e.getMessage());
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
            signals.offer(outgoing);
        } else {
            signals.answer(outgoing);
        }
    }

    private void localCandidate(RTCIceCandidate candidate) {
        if (closed || !config.trickle()) {
            return;
        }
        Optional<String> line = config.loopback() ? LoopbackCandidates.rewrite(candidate.sdp) : Optional.of(candidate.sdp);
        log.debug("to {}: candidate {}", remoteId, line.orElse("(dropped) " + candidate.sdp));
        line.ifPresent(c -> signals.candidate(c, candidate.sdpMid, candidate.sdpMLineIndex));
    }

    private void gatheringChanged(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE && awaitingGatheringFor != null && !closed) {
            RTCSdpType type = awaitingGatheringFor;
            awaitingGatheringFor = null;
            signalDescription(type, pc.getLocalDescription().sdp);
        }
    }

    private void attachChannel(RTCDataChannel dataChannel) {
        if (channel != null) {
            // One chat channel per session; a second one (a confused peer) is closed at once.
            dataChannel.close();
            dataChannel.dispose();
            return;
        }
        channel = dataChannel;
        channel.registerObserver(new ChannelObserver(dataChannel));
        // The channel may have opened before the observer was registered.
        channelStateChanged(channel.getState());
    }

    private void channelStateChanged(RTCDataChannelState state) {
        if (closed || channel == null) {
            return;
        }
        if (state == RTCDataChannelState.OPEN && !channelOpen) {
            channelOpen = true;
            RTCDataChannel open = channel;
            outbound.opened(new OutboundQueue.Channel() {
                @Override
                public long bufferedAmount() {
                    return open.getBufferedAmount();
                }

                @Override
                public void send(ByteBuffer data) throws Exception {
                    open.send(new RTCDataChannelBuffer(data, false));
                }
            });
            listener.onChannelOpen(this);
            pump();
        } else if ((state == RTCDataChannelState.CLOSING || state == RTCDataChannelState.CLOSED) && channelOpen) {
            channelOpen = false;
            outbound.close();
            listener.onChannelClosed(this);
        }
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            schedule(this::pump, outbound.flushing() ? PUMP_OPEN_MILLIS : PUMP_WAITING_MILLIS);
        }
    }

    private void pump() {
        pumpScheduled.set(false);
        if (closed) {
            return;
        }
        if (outbound.pump()) {
            schedulePump();
        }
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        boolean wasOpen = channelOpen;
        channelOpen = false;
        outbound.close();
        try {
            if (channel != null) {
                channel.unregisterObserver();
                channel.close();
                channel.dispose();
            }
            if (pc != null) {
                pc.close();
            }
        } catch (RuntimeException e) {
            log.warn("closing the connection to {} threw: {}", remoteId, e.toString());
        } finally {
            channel = null;
            pc = null;
            rtc.unregister(this);
        }
        connectionState = RTCPeerConnectionState.CLOSED;
        if (wasOpen) {
            listener.onChannelClosed(this);
        }
        listener.onClosed(this);
        closedFuture.complete(null);
        executor.shutdown();
    }

    private void fail(String message) {
        log.debug("session with {}: {}", remoteId, message);
        if (!closed) {
            listener.onError(this, message);
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /** Runs {@code task} on the executor; a task posted after close is dropped (the session is gone). */
    private void post(Runnable task) {
        try {
            executor.execute(() -> runGuarded(task));
        } catch (RejectedExecutionException afterClose) {
            // Nothing to do: late callbacks of a closed connection.
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(() -> runGuarded(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException afterClose) {
            pumpScheduled.set(false);
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("session with {}: task failed", remoteId, e);
        }
    }

    /** Completes {@code future} on the executor, so what follows it runs there too. */
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

    /** Runs on webrtc-java's thread: only posts. */
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
        public void onSignalingChange(RTCSignalingState state) {
            post(() -> {
                if (!closed) {
                    listener.onSignalingState(PeerSession.this, state);
                }
            });
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            log.debug("with {}: ICE {}", remoteId, state);
            post(() -> {
                if (!closed) {
                    iceConnectionState = state;
                    listener.onIceConnectionState(PeerSession.this, state);
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            post(() -> {
                if (!closed) {
                    connectionState = state;
                    listener.onConnectionState(PeerSession.this, state);
                }
            });
        }

        @Override
        public void onDataChannel(RTCDataChannel dataChannel) {
            post(() -> {
                if (closed) {
                    dataChannel.close();
                    dataChannel.dispose();
                } else {
                    attachChannel(dataChannel);
                }
            });
        }
    }

    /** Runs on webrtc-java's thread: copies what is valid only during the callback, then posts. */
    private final class ChannelObserver implements RTCDataChannelObserver {
        private final RTCDataChannel observed;

        ChannelObserver(RTCDataChannel observed) {
            this.observed = observed;
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
            // Never called in webrtc-java 0.14.0; flow control polls instead.
        }

        @Override
        public void onStateChange() {
            // On webrtc-java's thread the getter is a direct call; unregisterObserver (before dispose)
            // is marshalled to this same thread, so the channel is alive here.
            RTCDataChannelState state = observed.getState();
            post(() -> channelStateChanged(state));
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            ByteBuffer data = buffer.data;
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            post(() -> {
                if (!closed) {
                    listener.onMessage(PeerSession.this, new String(bytes, StandardCharsets.UTF_8));
                }
            });
        }
    }
}
