package dev.rendezvous.server.auth;

import java.util.Locale;

/**
 * Which client ids a token without a {@code client_id} claim may take (protocol v1.1, "Id bound to a token"):
 * the server's {@code client-id-binding} setting. A token with the claim is bound to that id whatever this is.
 */
public enum ClientIdBinding {
    /** Any free id, as in v1. */
    NONE,
    /** Only the token's subject ({@code sub}), or the subject followed by {@code :} and anything. */
    SUBJECT;

    /** {@code none} or {@code subject} (any case); a clear {@link IllegalArgumentException} otherwise. */
    public static ClientIdBinding parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "subject" -> SUBJECT;
            default -> throw new IllegalArgumentException("must be none or subject, got " + text);
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
