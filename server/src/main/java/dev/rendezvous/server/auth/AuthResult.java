package dev.rendezvous.server.auth;

import java.util.Optional;
import java.util.Set;

/** The outcome of {@link Authenticator#authenticate(String)}. */
public sealed interface AuthResult {

    /**
     * The token is valid.
     *
     * @param user display name taken from {@code preferred_username}, {@code name} or {@code sub}
     * @param rooms the rooms the token may join, when it carries a {@code rooms} claim; empty means any room
     */
    record Admitted(String user, Optional<Set<String>> rooms) implements AuthResult {
        public Admitted {
            rooms = rooms.map(Set::copyOf);
        }

        /** Whether this token may join {@code room}. */
        public boolean mayJoin(String room) {
            return rooms.map(allowed -> allowed.contains(room)).orElse(true);
        }
    }

    /** The token is refused; {@code reason} is one human sentence, never containing the token. */
    record Refused(String reason) implements AuthResult {}
}
