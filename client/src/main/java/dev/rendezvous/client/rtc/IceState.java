package dev.rendezvous.client.rtc;

/** The ICE state of the connection to one remote peer (the W3C {@code RTCIceConnectionState}, as Rendezvous's own type). */
public enum IceState {
    NEW,
    /** Candidate pairs are being checked. */
    CHECKING,
    /** A working pair was found; checks may go on. */
    CONNECTED,
    /** Checks are done; a pair is selected. */
    COMPLETED,
    /** Connectivity lost for a moment. */
    DISCONNECTED,
    /** No pair works. */
    FAILED,
    CLOSED;
}
