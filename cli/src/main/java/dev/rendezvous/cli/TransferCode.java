package dev.rendezvous.cli;

import java.security.SecureRandom;
import java.util.List;

/**
 * The short code {@code rendezvous send} prints, e.g. {@code 7-amber-otter}: a number and two words,
 * easy to read out. It is used as the sender's requested id in the lobby, so the receiver simply pairs
 * with it; it fits the server's id rule ([A-Za-z0-9._-], 1–64). About 400 000 codes: enough to avoid a
 * clash among the senders waiting on one server at once (a taken id is retried with a new code).
 */
final class TransferCode {
    private static final List<String> WORDS = List.of(
            "amber", "apple", "arrow", "atlas", "basil", "beacon", "birch", "breeze", "cedar", "cobalt", "comet",
            "coral", "crane", "delta", "ember", "falcon", "fern", "fjord", "flint", "galaxy", "garnet", "harbor",
            "hazel", "heron", "indigo", "iris", "jade", "jasper", "juniper", "kayak", "kernel", "lagoon", "lemon",
            "lilac", "lotus", "maple", "marble", "meadow", "mint", "nectar", "nova", "oasis", "olive", "onyx", "orbit",
            "otter", "pebble", "pepper", "pine", "plum", "quartz", "quill", "raven", "river", "saffron", "sage",
            "sierra", "tango", "thistle", "tulip", "velvet", "violet", "willow", "zephyr");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TransferCode() {}

    static String next() {
        return RANDOM.nextInt(100) + "-" + WORDS.get(RANDOM.nextInt(WORDS.size())) + "-"
                + WORDS.get(RANDOM.nextInt(WORDS.size()));
    }
}
