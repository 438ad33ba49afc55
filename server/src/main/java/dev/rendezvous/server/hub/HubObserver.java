package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;

/**
 * Events of the hub and its connections, for metrics. Every method has a do-nothing default;
 * implementations must be thread-safe, fast and never block (they run on event loops).
 */
public interface HubObserver {

    /** Observes nothing. */
    HubObserver NONE = new HubObserver() {};

    /** A WebSocket connection was upgraded. */
    default void connectionOpened() {}

    /** A WebSocket connection ended (after {@link #clientLeft} if it had been admitted). */
    default void connectionClosed() {}

    /** A client was admitted under {@code clientId}; {@code room} is null in the lobby. */
    default void clientAdmitted(String clientId, String room) {}

    /** An admitted client left; {@code room} is null in the lobby. */
    default void clientLeft(String clientId, String room) {}

    /** A room got its first member. */
    default void roomCreated(String room) {}

    /** A room lost its last member. */
    default void roomRemoved(String room) {}

    /** Two lobby clients were paired. */
    default void paired(String initiatorId, String peerId) {}

    /** A pairing ended (unpair or departure). */
    default void unpaired(String clientId, String peerId) {}

    /** A relayed message was handed to the transport for every receiver, {@code nanos} after its frame arrived. */
    default void relayed(MessageType type, long nanos) {}

    /** An {@code error} was sent to a client. */
    default void errorSent(ErrorCode code) {}

    /** Admission failed: {@code auth_failed}, {@code auth_timeout} or {@code room_forbidden}. */
    default void authFailed(ErrorCode code) {}

    /** A client was closed for silence (4008). */
    default void keepaliveTimedOut(String clientId) {}

    /** A client was closed for sending too fast or not reading (4029). */
    default void throttled(String clientId) {}

    /** The cluster backplane ({@code kind}, e.g. {@code redis}) became reachable ({@code up}) or not. */
    default void backplaneChanged(String kind, boolean up) {}

    /** A resumable session came back on a new connection, {@code replayed} frames sent again (v1.1). */
    default void resumeSucceeded(int replayed) {}

    /** A {@code resume} failed; {@code reason} is one of {@code unknown_id}, {@code bad_token}, {@code expired}, {@code cannot_replay}, {@code not_a_resume}, {@code owner_unreachable} (a cluster node that holds it did not answer). */
    default void resumeFailed(String reason) {}

    /** Detached sessions changed by {@code delta} (+1 detached, -1 resumed or gone). */
    default void detachedChanged(int delta) {}

    /** A detached session was not resumed within the grace and departed. */
    default void graceExpired() {}

    /**
     * A connection was refused by the per-address limits before it sent anything: {@code reason} is
     * {@code too_many} (the address's connection cap) or {@code too_fast} (its connection rate).
     */
    default void connectionRefused(String reason) {}
}
