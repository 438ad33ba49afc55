package dev.rendezvous.server.hub;

/**
 * The outcome of {@link Hub#pair}: built by {@link Pairing}, so the rules and the refusals' wording have
 * one home whichever hub decided.
 */
public sealed interface PairResult permits PairResult.Paired, PairResult.AlreadyPairedWithTarget, Refusal {

    /** Paired: both sides were sent {@code paired} (the requester as the initiator). */
    record Paired(String peerId) implements PairResult {}

    /** The requester is already paired with this very target (the mutual race): nothing to say. */
    record AlreadyPairedWithTarget(String peerId) implements PairResult {}
}
