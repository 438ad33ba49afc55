package dev.rendezvous.client.rtc;

/** The state of the connection to one remote peer (the W3C {@code RTCPeerConnectionState}, as Rendezvous's own type). */
public enum ConnectionState {
    /** Created; negotiation has not connected anything yet. */
    NEW,
    /** ICE and DTLS are being established. */
    CONNECTING,
    /** Connected; data channels can open. */
    CONNECTED,
    /** Connectivity lost for a moment; it may come back. */
    DISCONNECTED,
    /** Connectivity is gone for good; the session will not recover. */
    FAILED,
    /** Closed by either side. Final. */
    CLOSED;
}
