package dev.rendezvous.client;

import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.PeerSession;
import dev.rendezvous.client.rtc.PeerSessionListener;
import dev.rendezvous.client.rtc.RefusalReason;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.rtc.SignalSink;
import dev.rendezvous.client.signaling.RemoteCandidate;
import dev.rendezvous.client.signaling.SignalingClient;
import dev.rendezvous.client.signaling.SignalingListener;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message.RoomUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK façade: one signaling connection and one {@link PeerSession} per remote peer.
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
 * <p>Lifecycle: {@link #connect} → admitted → ... → {@link #close()} (sessions, signaling, then the
 * libwebrtc runtime if the peer owns it; after that the JVM can exit).
 *
 * <pre>{@code
 * PeerOptions options = PeerOptions.lobby(URI.create("ws://127.0.0.1:8765/ws")).withLoopback(true);
 * try (Peer peer = Peer.connect(options, new PeerListener() {
 *         @Override public void onMessage(String from, String text) { System.out.println(from + ": " + text); }
 *     }).join()) {
 *     peer.pair("alice");                                // or wait to be paired
 *     Map<String, Delivery> sent = peer.send("hello");   // SENT, QUEUED (until open) or REFUSED, per peer
 * }
 * }</pre>
 */
public final class Peer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Peer.class);
    private static final int MAX_EARLY_CANDIDATES = 200;
    private static final long CLOSE_WAIT_SECONDS = 15;

    private final PeerOptions options;
    private final PeerListener listener;
    private final RtcRuntime rtc;
    private final boolean ownsRuntime;
    private final ExecutorService events;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread eventThread;
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
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rendezvous-peer-events");
            t.setDaemon(true);
            eventThread = t;
            return t;
        });
    }

    /**
     * Connects to the lobby or room. The future completes once admitted ({@code your_id}); if admission
     * fails (bad token, id taken, server unreachable) it fails and everything is released.
     */
    public static CompletableFuture<Peer> connect(PeerOptions options, PeerListener listener) {
        Peer peer = new Peer(options, listener);
        SignalingOptions signalingOptions = options.signaling();
        SignalingOptions target = new SignalingOptions(
                options.connectUri(), signalingOptions.token(), signalingOptions.clientId(),
                signalingOptions.username(), signalingOptions.connectTimeout());
        return SignalingClient.connect(target, peer.new SignalingEvents())
                .thenApply(client -> {
                    peer.signaling = client;
                    return peer;
                })
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
        return s == null ? CompletableFuture.failedFuture(new IllegalStateException("not connected")) : s.pairRequest(targetId);
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

    /**
     * Sends one chat line to every peer (queued for those whose channel is not open yet). Never throws;
     * the map says, per peer, what became of it (empty: no peer).
     */
    public Map<String, Delivery> send(String text) {
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        sessions.forEach((id, session) -> deliveries.put(id, session.send(text)));
        return deliveries;
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
                    s.unpair();
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
        if (Thread.currentThread() == eventThread) {
            task.run();
            return;
        }
        try {
            events.submit(task).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException afterClose) {
            // Already closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("peer task failed: {}", e.toString());
        }
    }

    private void post(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("peer event handling failed", e);
                }
            });
        } catch (RejectedExecutionException afterClose) {
            // Late events after close are dropped.
        }
    }

    private PeerSession openSession(String remoteId, boolean initiator) {
        PeerSession previous = sessions.remove(remoteId);
        if (previous != null) {
            previous.close();
        }
        SessionConfig config = options.session();
        if (!options.keepIceServers()) {
            List<IceServer> fromServer = signaling == null ? List.of() : signaling.iceServers();
            config = config.withIceServers(fromServer);
        }
        PeerSession session = PeerSession.create(rtc, remoteId, initiator, config, sinkFor(remoteId), new SessionEvents());
        sessions.put(remoteId, session);
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

    /** Lobby messages carry no {@code to}: the server routes them to the paired peer. */
    private SignalSink sinkFor(String remoteId) {
        String to = inRoom() ? remoteId : null;
        return new SignalSink() {
            @Override
            public void offer(String sdp) {
                SignalingClient s = signaling;
                if (s != null) {
                    s.sendOffer(to, sdp);
                }
            }

            @Override
            public void answer(String sdp) {
                SignalingClient s = signaling;
                if (s != null) {
                    s.sendAnswer(to, sdp);
                }
            }

            @Override
            public void candidate(String candidate, String sdpMid, int sdpMLineIndex) {
                SignalingClient s = signaling;
                if (s != null) {
                    s.sendCandidate(to, candidate, sdpMid, sdpMLineIndex);
                }
            }
        };
    }

    /**
     * The session a relayed message from {@code from} belongs to. In the lobby a missing {@code from}
     * (a server that does not stamp) means the paired peer; a stale sender is ignored.
     */
    private PeerSession sessionFor(String from) {
        if (from != null) {
            return sessions.get(from);
        }
        return inRoom() || sessions.size() != 1 ? null : sessions.values().iterator().next();
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
            session = openSession(remoteId, false);
        }
        session.acceptOffer(sdp);
    }

    private final class SignalingEvents implements SignalingListener {
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
    }

    /** Session events arrive on each session's executor: hand them to the event thread. */
    private final class SessionEvents implements PeerSessionListener {
        private boolean current(PeerSession session) {
            return sessions.get(session.remoteId()) == session;
        }

        @Override
        public void onConnectionState(PeerSession session, RTCPeerConnectionState state) {
            post(() -> {
                if (current(session)) {
                    listener.onConnectionState(session.remoteId(), state);
                }
            });
        }

        @Override
        public void onIceConnectionState(PeerSession session, RTCIceConnectionState state) {
            post(() -> {
                if (current(session)) {
                    listener.onIceConnectionState(session.remoteId(), state);
                }
            });
        }

        @Override
        public void onChannelOpen(PeerSession session) {
            post(() -> {
                if (current(session)) {
                    listener.onChannelOpen(session.remoteId());
                }
            });
        }

        @Override
        public void onChannelClosed(PeerSession session) {
            post(() -> listener.onChannelClosed(session.remoteId()));
        }

        @Override
        public void onMessage(PeerSession session, String text) {
            post(() -> listener.onMessage(session.remoteId(), text));
        }

        @Override
        public void onUndelivered(PeerSession session, String text, RefusalReason reason) {
            post(() -> listener.onUndelivered(session.remoteId(), text, reason));
        }

        @Override
        public void onError(PeerSession session, String message) {
            post(() -> listener.onError("webrtc", session.remoteId() + ": " + message));
        }
    }
}
