package dev.rendezvous.client.signaling;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code base}, capped, each drawn uniformly from its upper half
 * ("equal jitter"), so that many clients cut at once do not come back in step yet none waits long.
 *
 * @param base the first delay's upper bound
 * @param cap the largest upper bound
 */
public record Backoff(Duration base, Duration cap) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    /** The delay before attempt {@code attempt} (1 = the first), given a uniform draw in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        long ceiling = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long upper = Math.min(ceiling, cap.toMillis());
        long half = upper / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (upper - half)));
    }
}
