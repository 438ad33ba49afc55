package dev.rendezvous.client.rtc;

/**
 * How a {@link DataChannel} delivers.
 *
 * @param ordered messages arrive in the order sent (false: as they come, no head-of-line blocking)
 * @param maxRetransmits for a partially reliable channel, how often a message is retransmitted before it
 *     is given up; negative means fully reliable
 */
public record ChannelOptions(boolean ordered, int maxRetransmits) {
    /** Ordered and reliable: what the {@code chat} channel uses. */
    public static final ChannelOptions RELIABLE = new ChannelOptions(true, -1);

    /** Reliable but unordered. */
    public static final ChannelOptions UNORDERED = new ChannelOptions(false, -1);

    public boolean reliable() {
        return maxRetransmits < 0;
    }
}
