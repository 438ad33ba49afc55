package dev.rendezvous.server.auth;

import java.time.Instant;
import java.util.Objects;
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
     *     (protocol "Id bound to a token (v1.1)"); empty: see {@code subject}
     * @param subject present when the server binds ids to subjects ({@link ClientIdBinding#SUBJECT}) and the
     *     token has no {@code client_id} claim: the token's {@code sub}; empty: any free id
     * @param expiresAt the token's {@code exp}, when it has one: what the server gives the client on the
     *     strength of it (TURN credentials) lasts no longer
     */
    record Admitted(
            String user,
            Optional<Set<String>> rooms,
            Optional<String> clientId,
            Optional<String> subject,
            Optional<Instant> expiresAt)
            implements AuthResult {
        public Admitted {
            Objects.requireNonNull(user, "user");
            rooms = rooms.map(Set::copyOf);
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** A token bound to {@code clientId} (when present), without expiry. */
        public Admitted(String user, Optional<Set<String>> rooms, Optional<String> clientId) {
            this(user, rooms, clientId, Optional.empty(), Optional.empty());
        }

        /** A token not bound to an id. */
        public Admitted(String user, Optional<Set<String>> rooms) {
            this(user, rooms, Optional.empty());
        }

        /**
         * Whether this token may take {@code id} — the one rule of protocol v1.1 "Id bound to a token", for every
         * endpoint (v1 and PeerJS): the {@code client_id} claim's id only; else, under subject binding, the
         * subject itself or {@code subject:anything}; else any id.
         */
        public boolean mayTake(String id) {
            if (clientId.isPresent()) {
                return clientId.get().equals(id);
            }
            return subject.map(s -> id.equals(s) || id.startsWith(s + ":")).orElse(true);
        }

        /** The id a client that asks for none takes: the bound id, else the subject under subject binding. */
        public Optional<String> boundId() {
            return clientId.or(() -> subject);
        }

        /** Whether this token may join {@code room}. */
        public boolean mayJoin(String room) {
            return rooms.map(allowed -> allowed.contains(room)).orElse(true);
        }
    }

    /** The token is refused; {@code reason} is one human sentence, never containing the token. */
    record Refused(String reason) implements AuthResult {}
}
