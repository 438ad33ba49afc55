package dev.rendezvous.client.signaling;

/** Where a {@link SignalingClient}'s connection stands. */
public enum SignalingState {
    /** Opening the first connection, or being admitted after a failed resume. */
    CONNECTING,
    /** Admitted (or resumed): frames flow. */
    OPEN,
    /** The connection was lost without a close; reconnecting to resume the session (v1.1). Sends wait. */
    RESUMING,
    /** Ended for good; called {@link SignalingListener#onClosed} once. */
    CLOSED
}
