package dev.rendezvous.server.logging;

/**
 * A client-supplied string made safe for one log line: control characters, line and paragraph separators,
 * quotes and backslashes escaped ({@code \n}, {@code \r}, {@code \t}, {@code \"}, {@code \\}, else
 * {@code \}{@code uXXXX}), and cut to {@value #MAX_CHARS} characters plus {@code …}. A newline in a
 * message type or a JWT {@code sub} can then never start a forged line, and 3 KB of it never fills one.
 */
public final class LogText {
    /** Characters of the original kept in a log line. */
    public static final int MAX_CHARS = 64;

    private LogText() {}

    /** {@code text} escaped and capped; null stays null (the log line then says {@code null}, as before). */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int n = Math.min(text.length(), MAX_CHARS);
        if (n == text.length() && isPlain(text)) {
            return text; // the common case (ids, names, known types): no copy
        }
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (needsEscape(ch)) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        if (n < text.length()) {
            out.append('…');
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"' || ch == '\\' || needsEscape(ch) || ch == '\n' || ch == '\r' || ch == '\t') {
                return false;
            }
        }
        return true;
    }

    /** C0 and C1 controls, DEL, the Unicode line/paragraph separators, bidi overrides and lone surrogates. */
    private static boolean needsEscape(char ch) {
        return ch < 0x20
                || (ch >= 0x7f && ch <= 0x9f)
                || ch == 0x2028
                || ch == 0x2029
                || (ch >= 0x202a && ch <= 0x202e)
                || (ch >= 0x2066 && ch <= 0x2069)
                || Character.isSurrogate(ch);
    }
}
