package dev.rendezvous.client.rtc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answer to one {@code send}: the immediate {@link #outcome()} and the final one, {@link #settled()},
 * which completes with {@link SendOutcome.Sent} or {@link SendOutcome.Refused} (never exceptionally).
 */
public final class Delivery {
    private final SendOutcome outcome;
    private final CompletableFuture<SendOutcome> settled;

    private Delivery(SendOutcome outcome, CompletableFuture<SendOutcome> settled) {
        this.outcome = outcome;
        this.settled = settled;
    }

    /** One shared answer for every message sent at once (immutable), so the hot path allocates nothing for it. */
    private static final Delivery SENT_NOW =
            new Delivery(SendOutcome.SENT, CompletableFuture.completedFuture(SendOutcome.SENT));

    static Delivery settledNow(SendOutcome outcome) {
        return outcome == SendOutcome.SENT
                ? SENT_NOW
                : new Delivery(outcome, CompletableFuture.completedFuture(outcome));
    }

    static Delivery pending(CompletableFuture<SendOutcome> settled) {
        return new Delivery(SendOutcome.QUEUED, settled);
    }

    /** SENT, QUEUED or REFUSED, as known when {@code send} returned. */
    public SendOutcome outcome() {
        return outcome;
    }

    /** Completes once the message is sent or refused; already complete unless {@link #outcome()} is QUEUED. */
    public CompletionStage<SendOutcome> settled() {
        return settled.minimalCompletionStage();
    }

    public boolean refused() {
        return outcome instanceof SendOutcome.Refused;
    }

    @Override
    public String toString() {
        return "Delivery[" + outcome + (settled.isDone() ? " -> " + settled.join() : "") + "]";
    }
}
