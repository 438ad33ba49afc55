package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;

/** The outcome of {@link Hub#join}. */
public sealed interface JoinResult permits JoinResult.Joined, Refusal {

    /** The member is in its room; {@code users_in_room} was sent or is on its way, in order. */
    JoinResult JOINED = new Joined();

    /** See {@link #JOINED}. */
    record Joined() implements JoinResult {}

    /** The membership store (a cluster backplane) cannot be reached: the session cannot enter its room and ends. */
    static Refusal unavailable() {
        return new Refusal(
                ErrorCode.CLUSTER_UNAVAILABLE,
                "the cluster backplane is unavailable; try again later",
                CloseCode.INTERNAL_ERROR);
    }
}
