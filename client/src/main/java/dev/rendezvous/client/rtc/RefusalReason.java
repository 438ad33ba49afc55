package dev.rendezvous.client.rtc;

/** Why a message was refused. */
public enum RefusalReason {
    /** The session or its channel is closed (or closed while the message waited). */
    CLOSED,
    /** The outbound queue already holds its maximum count or bytes. */
    QUEUE_FULL,
    /** The message waited in the queue longer than the policy's expiry. */
    EXPIRED,
    /** The message is larger than a data channel message may be. */
    TOO_LARGE,
    /** libwebrtc rejected the send. */
    SEND_FAILED
}
