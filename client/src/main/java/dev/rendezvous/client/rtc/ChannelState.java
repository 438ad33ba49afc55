package dev.rendezvous.client.rtc;

/** The state of one {@link DataChannel}: connecting → open → closing → closed. */
public enum ChannelState {
    /** Not open yet; messages sent now wait in the channel's bounded queue. */
    CONNECTING,
    /** Open: messages go out at once, flow control permitting. */
    OPEN,
    /** Closing: nothing more is sent. */
    CLOSING,
    /** Closed. Final; every message still queued was refused. */
    CLOSED;
}
