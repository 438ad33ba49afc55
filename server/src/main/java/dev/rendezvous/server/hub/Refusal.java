package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.ErrorCode;
import java.util.Objects;

/**
 * A hub's "no": the error the client is sent and, when its session cannot go on, the close code. The hub
 * only decides; the session's {@code Connection} sends the error and closes — no hub closes a link itself.
 *
 * @param code the error code sent to the client
 * @param message what went wrong, for the client
 * @param close the close code when the session must end, or null when it carries on
 */
public record Refusal(ErrorCode code, String message, CloseCode close) implements PairResult, JoinResult {

    public Refusal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** An error after which the session carries on. */
    public static Refusal of(ErrorCode code, String message) {
        return new Refusal(code, message, null);
    }

    /** Whether the session ends with this refusal. */
    public boolean closes() {
        return close != null;
    }
}
