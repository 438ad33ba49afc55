package dev.rendezvous.client;

import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ChannelOptions;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.EventThread;
import dev.rendezvous.client.rtc.PeerSession;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.rtc.SignalSink;
import dev.rendezvous.client.signaling.RemoteCandidate;
import dev.rendezvous.client.signaling.SignalingClient;
import dev.rendezvous.client.signaling.SignalingListener;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message.RoomUser;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Why one file of ~580 lines: the façade and the pairing/room rules it applies to signaling events
// (SignalingEvents below) share the event-thread state — the session map, early candidates, the
// signaling client — and the close order. Session events, which only need the map and the listener,
// are in SessionEvents; what remains is one state machine on one thread, read top to bottom.
/**
 * The SDK façade: one signaling connection and one {@link PeerSession} per remote peer, each with a
 * {@code chat} data channel and any further channels either side opens.
 *
 * <p><b>Lobby</b> (1:1): {@link #pair} asks the server; on {@code paired} a fresh session is made (the
 * initiator creates the {@code chat} channel and offers). On {@code peer_disconnected} the session is
 * closed in the safe order and the peer is ready for a new pairing with a fresh connection.
 *
 * <p><b>Room</b> (full mesh): the newcomer offers to every member listed in {@code users_in_room}
 * (addressed with {@code to}); members answer, so offers never cross. {@code user_left} closes that one
 * session. {@link #send} goes to every session.
 *
 * <p>Signaling received from foreign stacks is read liberally (both dialects; see the signaling
 * package); we send the stage dialect, with {@code to} in rooms. If an offer does cross ours (a peer that
 * ignores the initiator flag), the side with the greater id yields and answers.
 *
 * <p><b>Lifecycle.</b> {@link #connect} → (admitted: the future completes, {@link #id()} is set) →
 * pairings or room members come and go, each through NEW → CONNECTING → CONNECTED connection states and
 * its channels' CONNECTING → OPEN → CLOSING → CLOSED → {@link #close()}. A peer whose signaling
 * connection closes ({@link PeerListener#onSignalingClosed}) keeps its open channels until {@code close}.
 *
 * <p><b>Signaling blips (resume, v1.1).</b> The signaling connection is resumable by default: when it is
 * lost without a close, open sessions and channels carry on untouched, signals (offers, answers,
 * candidates of a negotiation under way) wait and go out in order once the session is resumed, and what
 * the server kept for us is replayed; the remote peer hears nothing. The listener is told:
 * {@link PeerListener#onSignalingLost} → {@link PeerListener#onSignalingResuming} per attempt →
 * {@link PeerListener#onSignalingResumed}, or {@link PeerListener#onSignalingResumeFailed} (a fresh
 * session with a new id; the pairing or room membership and its connections are gone).
 *
 * <p><b>Threads.</b> Each peer has exactly one event thread. Everything that happens to it — signaling
 * frames, every webrtc-java callback of every session and channel, flow-control resumes — is handed to
 * that thread, and every {@link PeerListener} and {@link ChannelListener} method runs there, one at a
 * time, in the order things happened: native thread → event thread → your listener, one hop. Public
 * methods are safe from any thread; {@code send} never blocks on the event thread (it hands the message to
 * libwebrtc from the caller's thread when it can), never throws, and never drops a message silently.
 *
 * <p><b>Close.</b> {@link #close()} is final and idempotent: every channel is closed and disposed (what
 * still waits in a queue is refused: {@code onUndelivered}), every connection is closed, the signaling
 * connection is closed, then — if the peer made it — the libwebrtc runtime is disposed, after which the
 * JVM can exit. It returns when that is done (from a listener method too). Bytes already handed to
 * libwebrtc but not yet on the wire are lost by a close: call {@link #flush(Duration)} first when every
 * message must leave (a piped chat does). {@link #leave()} ends the pairing or leaves the room but keeps
 * the peer usable.
 *
 * <pre>{@code
 * PeerOptions options = PeerOptions.lobby(URI.create("ws://127.0.0.1:8765/ws")).withLoopback(true);
 * try (Peer peer = Peer.connect(options, new PeerListener() {
 *         @Override public void onMessage(String from, String text) { System.out.println(from + ": " + text); }
 *     }).join()) {
 *     peer.pair("alice");                                // or wait to be paired
 *     Map<String, Delivery> sent = peer.send("hello");   // SENT, QUEUED (until open) or REFUSED, per peer
 *     peer.flush(Duration.ofSeconds(10));                // wait until it has left
 * }
 * }</pre>
 */
public final class Peer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Peer.class);
    private static final int MAX_EARLY_CANDIDATES = 200;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);
    private static final long FLUSH_POLL_NANOS = 1_000_000;
    private static final long FLUSH_SETTLE_NANOS = 50_000_000;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final PeerOptions options;
    private final PeerListener listener;
    private final RtcRuntime rtc;
    private final boolean ownsRuntime;
    private final EventThread events;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SignalingClient signaling;

    /** Remote id → session. Written only on the event thread; read anywhere. */
    private final Map<String, PeerSession> sessions = new ConcurrentHashMap<>();
    /** Candidates from senders we have no session for yet (event thread only). */
    private final Map<String, List<RemoteCandidate>> earlyCandidates = new HashMap<>();

    private Peer(PeerOptions options, PeerListener listener) {
        this.options = options;
        this.listener = listener;
        this.ownsRuntime = options.runtime() == null;
        this.rtc = ownsRuntime ? RtcRuntime.create() : options.runtime();
        this.events = new EventThread("rendezvous-peer-" + SEQUENCE.incrementAndGet());
    }

    /**
     * Connects to the lobby or room. The future completes once admitted ({@code your_id}); if admission
     * fails (bad token, id taken, server unreachable) it fails and everything is released.
     */
    public static CompletableFuture<Peer> connect(PeerOptions options, PeerListener listener) {
        Peer peer = new Peer(options, listener);
        SignalingOptions signalingOptions = options.signaling();
        SignalingOptions target = signalingOptions.withServer(options.connectUri());
        return SignalingClient.connect(target, peer.new SignalingEvents())
                .thenApply(client -> peer) // peer.signaling was set by onId, before any session could open
                .whenComplete((p, error) -> {
                    if (error != null) {
                        peer.close();
                    }
                });
    }

    /** Our id, as the server gave it. */
    public String id() {
        SignalingClient s = signaling;
        return s == null ? null : s.id();
    }

    /** The room joined, or null in the lobby. */
    public String room() {
        return options.room();
    }

    public boolean inRoom() {
        return options.room() != null;
    }

    /** Lobby: asks the server to pair us with {@code targetId} (refusals arrive as {@link PeerListener#onError}). */
    public CompletableFuture<Void> pair(String targetId) {
        SignalingClient s = signaling;
        return s == null
                ? CompletableFuture.failedFuture(new IllegalStateException("not connected"))
                : s.pairRequest(targetId);
    }

    /** The remote peers we have a session with, in no particular order, and whether each channel is open. */
    public Map<String, Boolean> peers() {
        Map<String, Boolean> view = new LinkedHashMap<>();
        sessions.forEach((id, session) -> view.put(id, session.isChannelOpen()));
        return view;
    }

    /** The session with {@code peerId}, if any (for state queries). */
    public PeerSession session(String peerId) {
        return sessions.get(peerId);
    }

    /** The {@code chat} channel with {@code peerId}, or null if there is no session with that peer. */
    public DataChannel chat(String peerId) {
        PeerSession session = sessions.get(peerId);
        return session == null ? null : session.chat();
    }

    /**
     * Sends one chat line to every peer (queued for those whose channel is not open yet). Never throws;
     * the map says, per peer, what became of it (empty: no peer).
     */
    public Map<String, Delivery> send(String text) {
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        sessions.forEach((id, session) -> deliveries.put(id, session.send(text)));
        return deliveries;
    }

    /** Sends one binary message on the chat channel to every peer; see {@link DataChannel#send(byte[])}. */
    public Map<String, Delivery> send(byte[] data) {
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        sessions.forEach((id, session) -> deliveries.put(id, session.send(data)));
        return deliveries;
    }

    /** Sends one binary message on the chat channel to every peer; see {@link DataChannel#send(ByteBuffer)}. */
    public Map<String, Delivery> send(ByteBuffer data) {
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        sessions.forEach((id, session) -> deliveries.put(id, session.send(data)));
        return deliveries;
    }

    /**
     * Opens another data channel to {@code peerId} (for instance one per file transfer), ordered or not as
     * {@code channelOptions} say; its events go to {@code channelListener} on the event thread. The
     * channel exists at once and queues sends until it opens.
     *
     * @throws IllegalStateException if there is no session with {@code peerId}
     */
    public DataChannel openChannel(
            String peerId, String label, ChannelOptions channelOptions, ChannelListener channelListener) {
        PeerSession session = sessions.get(peerId);
        if (session == null) {
            throw new IllegalStateException("no connection with " + peerId);
        }
        return session.openChannel(label, channelOptions, channelListener);
    }

    /**
     * Waits until every message sent so far on every channel of every session has left: nothing in a
     * channel's queue, nothing in libwebrtc's buffer (or the channel closed, and its queued messages were
     * refused). Returns the channels that still hold bytes when {@code deadline} passes, empty when all
     * drained; {@link DataChannel#bufferedAmount()} says how much. Blocks the caller, polling every
     * millisecond (webrtc-java 0.14.0 reports no buffer event); a zero counts only once it has held for
     * 50 ms, as libwebrtc adds a send to its buffered amount a moment after {@code send} returns. From the
     * event thread it only looks, without waiting.
     *
     * <p>"Left" means handed to the network, not acknowledged by the other side; a graceful
     * {@link DataChannel#close()} after a flush completes only once the other side has received everything
     * (the stream reset waits for every earlier message), which is how {@code rendezvous chat} confirms
     * delivery before it exits.
     */
    public List<DataChannel> flush(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        long drainedSince = 0; // when the first all-zero reading was taken, 0 while something is held
        while (true) {
            List<DataChannel> holding = new ArrayList<>();
            for (PeerSession session : sessions.values()) {
                for (DataChannel channel : session.channels()) {
                    if (channel.bufferedAmount() > 0) {
                        holding.add(channel);
                    }
                }
            }
            long now = System.nanoTime();
            if (!holding.isEmpty()) {
                drainedSince = 0;
            } else if (drainedSince == 0) {
                drainedSince = now;
            }
            // libwebrtc hands a send to its network thread and may count it in the buffered amount a
            // moment later: only a zero that holds for FLUSH_SETTLE_NANOS means drained.
            boolean drained = holding.isEmpty() && now - drainedSince >= FLUSH_SETTLE_NANOS;
            if (drained || events.inThread() || now - end >= 0) {
                return holding;
            }
            LockSupport.parkNanos(FLUSH_POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                return holding;
            }
        }
    }

    /**
     * Lobby: ends the pairing ({@code unpair}) and closes its connection; we stay connected, ready to
     * pair again. Room: closes every connection and leaves the room (the signaling connection closes).
     */
    public void leave() {
        onEvents(() -> {
            if (inRoom()) {
                closeAllSessions();
                SignalingClient s = signaling;
                if (s != null) {
                    s.close();
                }
            } else if (!sessions.isEmpty()) {
                SignalingClient s = signaling;
                if (s != null) {
                    reportFailure(s.unpair(), "unpair");
                }
                closeAllSessions();
            }
        });
    }

    /**
     * Closes every connection in the safe order, the signaling connection, and (if the peer owns it) the
     * libwebrtc runtime, exactly once. Idempotent; returns when done.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onEvents(() -> {
            closeAllSessions();
            SignalingClient s = signaling;
            if (s != null) {
                s.close();
            }
        });
        if (ownsRuntime) {
            rtc.close();
        }
        events.shutdown();
    }

    // ---- on the event thread ---------------------------------------------------------------------

    /** Runs {@code task} on the event thread and waits for it (inline if already there). */
    private void onEvents(Runnable task) {
        if (!events.runAndWait(task, CLOSE_WAIT)) {
            log.warn("{}: a peer task did not finish within {} (or the peer is closed)", id(), CLOSE_WAIT);
        }
    }

    /** Hands {@code task} to the event thread; late events after close are dropped. */
    private void post(Runnable task) {
        events.execute(task);
    }

    private PeerSession openSession(String remoteId, boolean initiator) {
        return openSession(remoteId, initiator, false);
    }

    /**
     * Opens a fresh session with {@code remoteId}, closing any previous one first. With {@code
     * carryCandidates} (crossing offers: the previous session is replaced by an answerer), the remote
     * candidates the previous session received but never applied go to the new one: they belong to the
     * remote's offer that the new session is about to answer.
     */
    private PeerSession openSession(String remoteId, boolean initiator, boolean carryCandidates) {
        PeerSession previous = sessions.remove(remoteId);
        List<RemoteCandidate> carried = List.of();
        if (previous != null) {
            previous.close();
            if (carryCandidates) {
                carried = previous.unappliedRemoteCandidates();
            }
        }
        SessionConfig config = options.session();
        if (!options.keepIceServers()) {
            List<IceServer> fromServer = signaling == null ? List.of() : signaling.iceServers();
            config = config.withIceServers(fromServer);
        }
        PeerSession session = PeerSession.create(
                rtc, remoteId, initiator, config, sinkFor(remoteId), new SessionEvents(sessions, listener), events);
        sessions.put(remoteId, session);
        carried.forEach(c -> session.acceptCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        List<RemoteCandidate> early = earlyCandidates.remove(remoteId);
        if (early != null) {
            early.forEach(c -> session.acceptCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
        }
        if (initiator) {
            session.start();
        }
        return session;
    }

    private void closeSession(String remoteId) {
        PeerSession session = sessions.remove(remoteId);
        earlyCandidates.remove(remoteId);
        if (session != null) {
            session.close();
        }
    }

    private void closeAllSessions() {
        for (String remoteId : new ArrayList<>(sessions.keySet())) {
            closeSession(remoteId);
        }
        earlyCandidates.clear();
    }

    /**
     * Lobby messages carry no {@code to}: the server routes them to the paired peer. A send that fails
     * (connection gone, backlog full because the server stopped reading) is reported as an
     * {@link PeerListener#onError} with code {@code "signaling"}, never dropped silently.
     */
    private SignalSink sinkFor(String remoteId) {
        String to = inRoom() ? remoteId : null;
        return new SignalSink() {
            @Override
            public void offer(String sdp) {
                signal("offer", remoteId, s -> s.sendOffer(to, sdp));
            }

            @Override
            public void answer(String sdp) {
                signal("answer", remoteId, s -> s.sendAnswer(to, sdp));
            }

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
                signal("candidate", remoteId, s -> s.sendCandidate(to, candidate, sdpMid, sdpMLineIndex));
            }
        };
    }

    private void signal(String what, String remoteId, Function<SignalingClient, CompletableFuture<Void>> send) {
        SignalingClient s = signaling;
        CompletableFuture<Void> sent = s == null
                ? CompletableFuture.failedFuture(new IllegalStateException("no signaling connection"))
                : send.apply(s);
        reportFailure(sent, what + " to " + remoteId);
    }

    private void reportFailure(CompletableFuture<Void> sent, String what) {
        sent.whenComplete((ignored, error) -> {
            if (error != null) {
                String reason = rootMessage(error);
                log.debug("{}: could not send {}: {}", id(), what, reason);
                post(() -> listener.onError("signaling", "could not send " + what + ": " + reason));
            }
        });
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * The session a relayed message from {@code from} belongs to. In the lobby a missing {@code from}
     * (a server that does not stamp) means the paired peer; a stale sender is ignored.
     */
    private PeerSession sessionFor(String from) {
        if (from != null) {
            return sessions.get(from);
        }
        return inRoom() || sessions.size() != 1
                ? null
                : sessions.values().iterator().next();
    }

    private void offerReceived(String from, String sdp) {
        PeerSession session = sessionFor(from);
        log.debug("{}: offer from {} (session {})", id(), from, session);
        String remoteId = session != null ? session.remoteId() : from;
        if (remoteId == null) {
            log.debug("offer from an unknown sender ignored");
            return;
        }
        if (session == null) {
            if (!inRoom()) {
                log.debug("lobby offer from {} who is not our peer: ignored", from);
                return;
            }
            session = openSession(remoteId, false);
        } else if (session.initiator()) {
            // Offers crossed: the greater id yields and answers; the smaller keeps its own offer.
            String ourId = id();
            if (session.isChannelOpen() || ourId == null || ourId.compareTo(remoteId) < 0) {
                log.debug("crossing offer from {} ignored: ours stands", remoteId);
                return;
            }
            session = openSession(remoteId, false, true);
        }
        session.acceptOffer(sdp);
    }

    private final class SignalingEvents implements SignalingListener {
        @Override
        public void onId(SignalingClient client, String id, List<IceServer> iceServers) {
            // Set here, on the dispatch thread, before any later frame (users_in_room, paired, an offer)
            // is handled: a field set when connect's future completes could come too late, leaving the
            // first session without ICE servers and its offer with nowhere to go.
            signaling = client;
        }

        @Override
        public void onPaired(SignalingClient client, String peerId, boolean initiator) {
            post(() -> {
                closeAllSessions(); // a new pairing always starts from a fresh connection
                openSession(peerId, initiator);
                listener.onPaired(peerId, initiator);
            });
        }

        @Override
        public void onPeerDisconnected(SignalingClient client, String peerId) {
            post(() -> {
                if (peerId == null || sessions.containsKey(peerId)) {
                    closeAllSessions();
                }
                listener.onPeerLeft(peerId);
            });
        }

        @Override
        public void onUsersInRoom(SignalingClient client, List<RoomUser> users) {
            post(() -> {
                List<String> ids = users.stream().map(RoomUser::clientId).toList();
                listener.onRoomMembers(ids);
                for (String member : ids) {
                    if (!member.equals(id())) {
                        openSession(member, true);
                    }
                }
            });
        }

        @Override
        public void onUserJoined(SignalingClient client, RoomUser user) {
            post(() -> listener.onPeerJoined(user.clientId(), user.username()));
        }

        @Override
        public void onUserLeft(SignalingClient client, RoomUser user) {
            post(() -> {
                closeSession(user.clientId());
                listener.onPeerLeft(user.clientId());
            });
        }

        @Override
        public void onOffer(SignalingClient client, String from, String sdp) {
            post(() -> offerReceived(from, sdp));
        }

        @Override
        public void onAnswer(SignalingClient client, String from, String sdp) {
            post(() -> {
                PeerSession session = sessionFor(from);
                log.debug("{}: answer from {} (session {})", id(), from, session);
                if (session != null && session.initiator()) {
                    session.acceptAnswer(sdp);
                }
            });
        }

        @Override
        public void onCandidate(SignalingClient client, String from, RemoteCandidate candidate) {
            post(() -> {
                PeerSession session = sessionFor(from);
                log.debug("{}: candidate from {} (session {})", id(), from, session);
                if (session != null) {
                    session.acceptCandidate(candidate.candidate(), candidate.sdpMid(), candidate.sdpMLineIndex());
                } else if (from != null && inRoom()) {
                    List<RemoteCandidate> early = earlyCandidates.computeIfAbsent(from, k -> new ArrayList<>());
                    if (early.size() < MAX_EARLY_CANDIDATES) {
                        early.add(candidate);
                    }
                }
            });
        }

        @Override
        public void onError(SignalingClient client, String code, String message, String ref) {
            post(() -> listener.onError(code, message));
        }

        @Override
        public void onClosed(SignalingClient client, int code, String reason) {
            post(() -> listener.onSignalingClosed(code, reason));
        }

        // Resume: sessions and channels are left alone while signaling is away; what they send meanwhile
        // waits in the signaling client's queue and goes out after resumed.
        @Override
        public void onSignalingLost(SignalingClient client, int code, String reason) {
            post(() -> listener.onSignalingLost(reason));
        }

        @Override
        public void onResuming(SignalingClient client, int attempt) {
            post(() -> listener.onSignalingResuming(attempt));
        }

        @Override
        public void onResumed(SignalingClient client, int replayed, int resent) {
            post(() -> listener.onSignalingResumed(replayed, resent));
        }

        @Override
        public void onResumeFailed(SignalingClient client, String newId, String reason) {
            post(() -> {
                // A fresh session: the server has forgotten our pairing or membership, so the peers will
                // hear we left; close our side. Open channels would outlive a pairing nobody can renegotiate.
                List<String> lost = new ArrayList<>(sessions.keySet());
                closeAllSessions();
                listener.onSignalingResumeFailed(newId, lost, reason);
            });
        }
    }
}
