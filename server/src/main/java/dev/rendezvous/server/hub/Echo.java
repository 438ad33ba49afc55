package dev.rendezvous.server.hub;

/**
 * The part of a client's input an {@code error} may echo back (in {@code ref} or its message): at most
 * {@value #MAX_CHARS} characters, then {@code …}. A reply never costs more than a bounded multiple of a
 * fixed size, so a burst of errors over a 5 KB {@code target_id} cannot make the server queue megabytes
 * for its own client (and close that fast reader as a slow consumer).
 */
public final class Echo {
    /** Characters of a client string an error echoes. */
    public static final int MAX_CHARS = 64;

    private Echo() {}

    /** {@code input} itself when short enough, else its first {@value #MAX_CHARS} characters and {@code …}; null stays null. */
    public static String prefix(String input) {
        if (input == null || input.length() <= MAX_CHARS) {
            return input;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(input.charAt(end - 1))) {
            end--; // never split a surrogate pair: the JSON encoder would write a lone surrogate
        }
        return input.substring(0, end) + "…";
    }
}
