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
     * @param clientId the id the token is bound to, when it carries a string {@code client_id} claim
     *     (protocol "Id bound to a token (v1.1)"); empty: any free id
     */
    record Admitted(String user, Optional<Set<String>> rooms, Optional<String> clientId) implements AuthResult {
        public Admitted {
            rooms = rooms.map(Set::copyOf);
            java.util.Objects.requireNonNull(clientId, "clientId");
        }

        /** A token not bound to an id. */
        public Admitted(String user, Optional<Set<String>> rooms) {
            this(user, rooms, Optional.empty());
        }

        /** Whether this token may take {@code id}: any id unless it is bound to one. */
        public boolean mayTake(String id) {
            return clientId.map(bound -> bound.equals(id)).orElse(true);
        }

        /** Whether this token may join {@code room}. */
        public boolean mayJoin(String room) {
            return rooms.map(allowed -> allowed.contains(room)).orElse(true);
        }
    }

    /** The token is refused; {@code reason} is one human sentence, never containing the token. */
    record Refused(String reason) implements AuthResult {}
}
