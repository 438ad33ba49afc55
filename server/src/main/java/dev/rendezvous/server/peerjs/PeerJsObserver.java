package dev.rendezvous.server.peerjs;

/**
 * Events of the PeerJS endpoint, for metrics (labelled {@code protocol="peerjs"}). Connection counts,
 * keepalive timeouts, throttling and admissions go to the server's {@link dev.rendezvous.server.hub.HubObserver}
 * as for v1 clients (PeerJS clients are admitted under {@link PeerJsConfig#HUB_SCOPE}). Every method has a
 * do-nothing default; implementations are thread-safe, fast and never block (they run on event loops).
 */
public interface PeerJsObserver {

    /** Observes nothing. */
    PeerJsObserver NONE = new PeerJsObserver() {};

    /** A message of {@code type} (OFFER, ANSWER, CANDIDATE, LEAVE, EXPIRE) was handed to its receiver's socket. */
    default void relayed(String type) {}

    /** A message waits for an id that is not connected. */
    default void queued() {}

    /** The server answered {@code EXPIRE} to a sender (its messages' time ran out, or the queue was full). */
    default void expired() {}

    /** A connection was refused: {@code missing_parameters}, {@code invalid_key}, {@code invalid_id}, {@code id_taken}, {@code limit}. */
    default void refused(String reason) {}

    /** A frame was ignored (not JSON, an unknown type, binary, no dst). */
    default void ignored() {}
}
