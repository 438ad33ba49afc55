package dev.rendezvous.server.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Strict JSON (RFC 8259) over UTF-8 bytes, as a cursor that skips values without building anything:
 * no comments, no trailing commas, no leading zeros, no control characters in strings, and Jackson's
 * default {@code StreamReadConstraints} as limits. {@link FrameScanner} (v1 frames) and the PeerJS
 * endpoint's scanner walk a frame's top-level object with it ({@link #scanObjectMembers}), each picking out the
 * members it acts on in {@link #member}.
 *
 * <p>A base class rather than a field of the scanner on purpose: the cursor ({@link #pos}) and the bytes
 * are read and written per byte by both, and as fields of one object they cost no indirection on the
 * relay's hot path. Not thread-safe; the bytes must be valid UTF-8 (checked before, once).
 */
public abstract class JsonGrammar {
    /** Deepest nesting of objects and arrays, the top-level object counting as 1 (Jackson's default). */
    static final int MAX_DEPTH = 1000;
    /** Most digits in a number: integer digits, or integer + fraction + exponent digits (Jackson's default). */
    static final int MAX_NUMBER_DIGITS = 1000;
    /** Longest member name, in UTF-8 bytes of the decoded name (Jackson's default). */
    static final int MAX_NAME_BYTES = 50_000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    /** Bytes that may appear as they are inside a JSON string (the scan's inner loop). */
    private static final boolean[] PLAIN_IN_STRING = new boolean[256];

    static {
        for (int c = 0x20; c < 256; c++) {
            PLAIN_IN_STRING[c] = c != '"' && c != '\\';
        }
    }

    /** The bytes of the last scan: the scanner's copy or the caller's array. */
    protected byte[] data;

    protected int length;
    /** The cursor of the scan in progress. */
    protected int pos;
    /** Whether the string last skipped by {@link #skipString} held an escape sequence. */
    protected boolean lastStringEscaped;
    /** Just after the closing quote of the name last skipped by {@link #skipNameAndColon}. */
    protected int lastNameEnd;
    /** The open containers of a nested value being skipped: '{' or '[' per depth. */
    private final byte[] containers = new byte[MAX_DEPTH + 1];

    /** The Java string of the JSON string {@code [start, end)} (quotes included), escapes resolved. */
    protected final String decodeString(int start, int end) {
        int from = start + 1;
        int to = end - 1;
        int backslash = -1;
        for (int i = from; i < to; i++) {
            if (data[i] == '\\') {
                backslash = i;
                break;
            }
        }
        if (backslash < 0) {
            return new String(data, from, to - from, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(to - from);
        int run = from;
        int i = backslash;
        while (i < to) {
            if (data[i] != '\\') {
                i++;
                continue;
            }
            // A run of raw bytes never ends inside a UTF-8 sequence: a backslash is ASCII.
            out.append(new String(data, run, i - run, StandardCharsets.UTF_8));
            byte e = data[i + 1];
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) ((hex(data[i + 2]) << 12)
                            | (hex(data[i + 3]) << 8)
                            | (hex(data[i + 4]) << 4)
                            | hex(data[i + 5])));
                    i += 4;
                }
                default -> out.append((char) e); // '"', '\\', '/': validated by the scan
            }
            i += 2;
            run = i;
        }
        out.append(new String(data, run, to - run, StandardCharsets.UTF_8));
        return out.toString();
    }

    /**
     * Called by {@link #scanObjectMembers} for each top-level member: its name is the JSON string
     * {@code [nameStart, nameEnd)} (quotes included, {@code nameEscaped} when it holds escapes) and its value
     * {@code [valueStart, valueEnd)}. A name repeated in one object comes again: the last one wins, as in
     * Jackson's tree.
     */
    protected abstract void member(int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd);

    /** Whether the member name is {@code ascii}: the decoded name when it had escapes, else the raw bytes. */
    protected final boolean is(String decoded, int from, int len, String ascii) {
        if (decoded != null) {
            return decoded.equals(ascii);
        }
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (data[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** From the top-level '{' at {@link #pos} to just after its '}', telling {@link #member} each member. */
    protected final boolean scanObjectMembers() {
        byte[] b = data;
        pos = skipBlanks(pos + 1);
        if (pos >= length) {
            return false;
        }
        if (b[pos] == '}') {
            pos++;
            return true;
        }
        while (true) {
            int start = pos;
            if (!skipNameAndColon()) {
                return false;
            }
            int nameEnd = lastNameEnd;
            boolean nameEscaped = lastStringEscaped;
            int valueStart = pos;
            if (!skipValue(1)) {
                return false;
            }
            member(start, nameEnd, nameEscaped, valueStart, pos);
            pos = skipBlanks(pos);
            if (pos >= length) {
                return false;
            }
            if (b[pos] == '}') {
                pos++;
                return true;
            }
            if (b[pos] != ',') {
                return false;
            }
            pos = skipBlanks(pos + 1);
            if (pos >= length) {
                return false;
            }
        }
    }

    // ---- the grammar ---------------------------------------------------------------------------------

    /** Skips one value at {@link #pos} (not a blank) inside {@code depth} open containers; false if it is not JSON. */
    protected final boolean skipValue(int depth) {
        if (pos >= length) {
            return false;
        }
        byte c = data[pos];
        return switch (c) {
            case '"' -> skipString();
            case '{', '[' -> skipNested(depth);
            case 't' -> skipLiteral("true");
            case 'f' -> skipLiteral("false");
            case 'n' -> skipLiteral("null");
            default -> skipNumber();
        };
    }

    /**
     * Skips the object or array at {@link #pos} and everything inside it, without recursion (a frame may
     * nest a thousand levels): {@link #containers} holds the open brackets.
     */
    protected final boolean skipNested(int depth) {
        final int floor = depth;
        final byte[] b = data;
        final int end = length;
        while (true) {
            // A value starts at pos.
            byte c = b[pos];
            if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
                containers[depth] = c;
                pos = skipBlanks(pos + 1);
                if (pos >= end) {
                    return false;
                }
                if (b[pos] == (c == '{' ? '}' : ']')) {
                    pos++;
                    depth--;
                } else {
                    if (c == '{' && !skipNameAndColon()) {
                        return false;
                    }
                    continue; // the first element
                }
            } else if (!skipValue(depth)) {
                return false;
            }
            // After a value: close containers, or go on to the next element.
            while (true) {
                if (depth == floor) {
                    return true;
                }
                pos = skipBlanks(pos);
                if (pos >= end) {
                    return false;
                }
                byte d = b[pos];
                byte open = containers[depth];
                if (d == ',') {
                    pos = skipBlanks(pos + 1);
                    if (pos >= end || (open == '{' && !skipNameAndColon())) {
                        return false;
                    }
                    break;
                }
                if (d != (open == '{' ? '}' : ']')) {
                    return false;
                }
                pos++;
                depth--;
            }
        }
    }

    /**
     * A member name within {@link #MAX_NAME_BYTES}, a colon, and blanks up to the value (which must exist);
     * sets {@link #lastNameEnd} and {@link #lastStringEscaped}. A decoded name is never longer than its
     * raw bytes, so only a raw name over the limit needs decoding.
     */
    protected final boolean skipNameAndColon() {
        if (data[pos] != '"') {
            return false;
        }
        int start = pos;
        if (!skipString()) {
            return false;
        }
        lastNameEnd = pos;
        if (pos - start - 2 > MAX_NAME_BYTES
                && (!lastStringEscaped
                        || decodeString(start, pos).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES)) {
            return false;
        }
        pos = skipBlanks(pos);
        if (pos >= length || data[pos] != ':') {
            return false;
        }
        pos = skipBlanks(pos + 1);
        return pos < length;
    }

    /** From the opening quote at {@link #pos} to just after the closing one; sets {@link #lastStringEscaped}. */
    protected final boolean skipString() {
        final byte[] b = data;
        final int end = length;
        int i = pos + 1;
        boolean escaped = false;
        while (true) {
            // Eight bytes at a time while none of them ends the run (a string's bulk: SDP, candidates).
            while (i + 8 <= end && !endsPlainRun((long) LONGS.get(b, i))) {
                i += 8;
            }
            while (i < end && PLAIN_IN_STRING[b[i] & 0xFF]) {
                i++;
            }
            if (i >= end) {
                return false; // unterminated
            }
            byte c = b[i];
            if (c == '"') {
                pos = i + 1;
                lastStringEscaped = escaped;
                return true;
            }
            if (c != '\\') {
                return false; // a control character
            }
            if (i + 1 >= end) {
                return false;
            }
            escaped = true;
            switch (b[i + 1]) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
                case 'u' -> {
                    if (i + 6 > end || (hex(b[i + 2]) | hex(b[i + 3]) | hex(b[i + 4]) | hex(b[i + 5])) < 0) {
                        return false;
                    }
                    i += 6;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /**
     * Whether any of the eight bytes in {@code v} is '"', '\\' or below 0x20 — the bytes that end a run
     * of plain string content (the classic has-zero-byte tests; a byte after a true hit may also test
     * true, never a miss, and bytes >= 0x80, UTF-8 already validated, never test true on their own).
     */
    private static boolean endsPlainRun(long v) {
        long quote = v ^ QUOTES;
        long backslash = v ^ BACKSLASHES;
        return ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((v - SPACES) & ~v)) & HIGH_BITS) != 0;
    }

    /** -1 when {@code c} is not a hex digit. */
    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    final boolean skipLiteral(String literal) {
        int n = literal.length();
        if (pos + n > length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (data[pos + i] != literal.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, within {@link #MAX_NUMBER_DIGITS}. */
    final boolean skipNumber() {
        final byte[] b = data;
        final int end = length;
        int i = pos;
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i >= end || !digit(b[i])) {
            return false;
        }
        if (b[i] == '0') {
            i++;
            if (i < end && digit(b[i])) {
                return false; // leading zeros
            }
        } else {
            i = digitsEnd(b, i, end);
        }
        int integerDigits = i - intStart;
        int digits = integerDigits;
        boolean fraction = false;
        if (i < end && b[i] == '.') {
            int s = i + 1;
            i = digitsEnd(b, s, end);
            if (i == s) {
                return false; // a point needs digits after it
            }
            digits += i - s;
            fraction = true;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int s = i;
            i = digitsEnd(b, s, end);
            if (i == s) {
                return false; // so does an exponent
            }
            digits += i - s;
            fraction = true;
        }
        if ((fraction ? digits : integerDigits) > MAX_NUMBER_DIGITS) {
            return false;
        }
        pos = i;
        return true;
    }

    /** The index after the run of digits that starts at {@code i} (itself when there is none). */
    private static int digitsEnd(byte[] b, int i, int end) {
        while (i < end && digit(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    protected final int skipBlanks(int i) {
        final byte[] b = data;
        while (i < length && isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
