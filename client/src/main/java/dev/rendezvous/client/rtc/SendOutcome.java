package dev.rendezvous.client.rtc;

/**
 * What became of one message handed to {@link PeerSession#send}. Every message ends in exactly one of
 * {@link Sent} or {@link Refused}; {@link Queued} is the interim answer for a message that waits (channel
 * not open yet, or paused by flow control) and is later settled as sent or refused.
 */
public sealed interface SendOutcome {

    /** Handed to the data channel (SCTP now owns delivery). */
    record Sent() implements SendOutcome {}

    /** Waiting in the bounded outbound queue; {@link Delivery#settled()} tells how it ends. */
    record Queued() implements SendOutcome {}

    /** Not sent, and never will be. */
    record Refused(RefusalReason reason) implements SendOutcome {}

    SendOutcome SENT = new Sent();
    SendOutcome QUEUED = new Queued();

    static SendOutcome refused(RefusalReason reason) {
        return new Refused(reason);
    }
}
