package dev.rendezvous.server.peerjs;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * PeerJS ids: the {@code peerjs} client's own rule ({@code util.validateId}: letters and digits, single
 * spaces, dashes or underscores between them), at most 64 characters here. Fresh ids are random UUIDs,
 * as peerjs-server hands out; they fit the rule.
 */
final class PeerJsIds {
    static final int MAX_LENGTH = 64;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*");

    private PeerJsIds() {}

    static boolean valid(String id) {
        return id != null
                && !id.isEmpty()
                && id.length() <= MAX_LENGTH
                && RULE.matcher(id).matches();
    }

    static String fresh() {
        return UUID.randomUUID().toString();
    }
}
