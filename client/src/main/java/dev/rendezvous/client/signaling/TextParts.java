package dev.rendezvous.client.signaling;

/**
 * Joins the parts in which {@link java.net.http.WebSocket.Listener#onText} delivers one text message.
 * Not thread-safe: one per listener (java.net.http calls a listener one part at a time).
 */
public final class TextParts {
    private final StringBuilder partial = new StringBuilder();

    /** Adds one part; returns the whole message after its last part, else null. */
    public String add(CharSequence part, boolean last) {
        if (!last) {
            partial.append(part);
            return null;
        }
        if (partial.isEmpty()) {
            return part.toString(); // the usual case, a message in one part: not copied through the builder
        }
        String text = partial.append(part).toString();
        partial.setLength(0);
        return text;
    }
}
