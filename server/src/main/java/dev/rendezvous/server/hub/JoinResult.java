package dev.rendezvous.server.hub;

/** The outcome of {@link Hub#join}. */
public sealed interface JoinResult permits JoinResult.Joined, Refusal {

    /** The member is in its room; {@code users_in_room} was sent or is on its way, in order. */
    JoinResult JOINED = new Joined();

    /** See {@link #JOINED}. */
    record Joined() implements JoinResult {}
}
