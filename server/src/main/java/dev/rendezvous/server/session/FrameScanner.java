package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads one inbound text frame in a single pass over its bytes, without building a tree: it checks that
 * the frame is exactly one JSON object (RFC 8259, strict: no comments, no trailing commas, no leading
 * zeros, no control characters in strings), picks out the top-level fields the server acts on
 * ({@code type}, {@code to}, {@code target_id}, {@code token}, {@code clientId}) and answers with the
 * {@link Inbound} kind of the frame. It also records where every top-level member starts and ends, for
 * {@link FrameSplicer} to build a relayed frame from the original bytes.
 *
 * <p>Written by hand because it is the relay's hot path: a general streaming parser (Jackson, before)
 * tokenises and canonicalises every nested name and number of an opaque SDP or candidate payload that the
 * server only has to skip. The limits are Jackson's default {@code StreamReadConstraints}, and a fuzz test
 * holds the verdicts to Jackson's as the reference ({@code FrameScannerFuzzTest}).
 *
 * <p>Not thread-safe: one instance per event-loop thread ({@link #forThisThread()}), reused for every
 * frame; the member layout of a scan is valid until the next one.
 *
 * <p>Longer than this codebase's usual file: the JSON grammar below is one tight loop over shared cursor
 * state ({@link #pos}, {@link #data}); split across classes it would pay a field indirection per byte.
 */
final class FrameScanner {
    /** Deepest nesting of objects and arrays, the top-level object counting as 1 (Jackson's default). */
    static final int MAX_DEPTH = 1000;
    /** Most digits in a number: integer digits, or integer + fraction + exponent digits (Jackson's default). */
    static final int MAX_NUMBER_DIGITS = 1000;
    /** Longest member name, in UTF-8 bytes of the decoded name (Jackson's default). */
    static final int MAX_NAME_BYTES = 50_000;

    private static final ThreadLocal<FrameScanner> PER_THREAD = ThreadLocal.withInitial(FrameScanner::new);

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

    /** The wire names of every message type, to recognise {@code type} without allocating a string. */
    private static final MessageType[] TYPES = MessageType.values();
    private static final byte[][] TYPE_NAMES = new byte[TYPES.length][];

    static {
        for (int i = 0; i < TYPES.length; i++) {
            TYPE_NAMES[i] = TYPES[i].wireName().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Absent, a string, or present with another JSON type. */
    private enum Field {
        ABSENT,
        STRING,
        WRONG_TYPE
    }

    /** The bytes of the last scan: {@link #copyBuffer} or the caller's array. */
    private byte[] data;
    private int length;
    /** Where {@link #scan(ByteBuf)} copies a frame to; never a caller's array. */
    private byte[] copyBuffer = new byte[1024];
    /** The cursor of the scan in progress. */
    private int pos;
    /** Whether the string last skipped by {@link #skipString} held an escape sequence. */
    private boolean lastStringEscaped;
    /** Just after the closing quote of the name last skipped by {@link #skipNameAndColon}. */
    private int lastNameEnd;
    /** The open containers of a nested value being skipped: '{' or '[' per depth. */
    private final byte[] containers = new byte[MAX_DEPTH + 1];

    private int[] nameStart = new int[16];
    private int[] valueEnd = new int[16];
    /** Per member: {@link #KEEP}, {@link #DROP} ({@code to}, {@code from}) or {@link #USERNAME}. */
    private byte[] kind = new byte[16];
    private static final byte KEEP = 0;
    private static final byte DROP = 1;
    private static final byte USERNAME = 2;
    private int members;
    /** The one addressed-relay kind of this scanner, refilled per scan (see {@link Inbound.RelayTo}). */
    private final Inbound.RelayTo relayTo = new Inbound.RelayTo();

    // the fields of the scan in progress, turned into an Inbound at its end
    private Field typeField;
    private String type;
    /** The message type named by {@link #type}, or null when the name is not a protocol type. */
    private MessageType messageType;
    private Field toField;
    private String to;
    private Field targetIdField;
    private String targetId;
    private Field tokenField;
    private String token;
    private Field clientIdField;
    private String clientId;

    static FrameScanner forThisThread() {
        return PER_THREAD.get();
    }

    /** Scans the readable bytes of {@code frame} (not consumed). */
    Inbound scan(ByteBuf frame) {
        int len = frame.readableBytes();
        if (copyBuffer.length < len) {
            copyBuffer = new byte[Math.max(len, copyBuffer.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), copyBuffer, 0, len);
        return scan(copyBuffer, len);
    }

    /** Scans {@code bytes[0, len)}; the array is kept (not copied) until the next scan. */
    Inbound scan(byte[] bytes, int len) {
        data = bytes;
        length = len;
        members = 0;
        typeField = toField = targetIdField = tokenField = clientIdField = Field.ABSENT;
        type = to = targetId = token = clientId = null;
        messageType = null;
        Inbound.Invalid invalid = check();
        return invalid != null ? invalid : classify();
    }

    /** The grammar of the whole frame; null when it is one object with a string {@code type}. */
    private Inbound.Invalid check() {
        byte[] bytes = data;
        int len = length;
        if (!Utf8.valid(bytes, len)) {
            // Relayed bytes must be UTF-8 (a browser fails its WebSocket on a bad text frame); checked once
            // up front, so the scan below treats every byte >= 0x80 as part of a valid sequence.
            return new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame is not valid UTF-8");
        }
        pos = skipBlanks(0);
        if (pos == len) {
            return new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame is empty");
        }
        if (bytes[pos] != '{') {
            if (!skipValue(0)) {
                return new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
            }
            return skipBlanks(pos) == len
                    ? new Inbound.Invalid(ErrorCode.INVALID_MESSAGE, "a message must be a JSON object")
                    : new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame holds more than one JSON value");
        }
        if (!scanTopLevelObject()) {
            return new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
        }
        if (skipBlanks(pos) != len) {
            return new Inbound.Invalid(ErrorCode.INVALID_JSON, "the frame holds more than one JSON value");
        }
        if (typeField != Field.STRING) {
            return new Inbound.Invalid(ErrorCode.INVALID_MESSAGE, "a message needs a string field \"type\"");
        }
        return null;
    }

    /**
     * The kind of a well-formed frame, from the fields its type has (the others are ignored). Every
     * message type is named: a new one does not compile until it is sorted here.
     */
    private Inbound classify() {
        MessageType t = messageType;
        if (t == null) {
            return new Inbound.Unknown(type);
        }
        return switch (t) {
            case OFFER, ANSWER, CANDIDATE, ICE_CANDIDATE -> toField == Field.WRONG_TYPE
                    ? new Inbound.Malformed(t, "field \"to\" of " + type + " must be a string")
                    : to == null ? Inbound.Relay.of(t) : relayTo.set(t, to);
            case PAIR_REQUEST -> targetIdField != Field.STRING
                    ? new Inbound.Malformed(t, "field \"target_id\" of pair_request must be a string")
                    : new Inbound.PairRequest(targetId);
            case UNPAIR -> Inbound.Unpair.INSTANCE;
            case PING -> Inbound.Ping.INSTANCE;
            case PONG -> Inbound.Pong.INSTANCE;
            case AUTH_TOKEN -> authToken();
            case AUTH_REQUIRED, AUTH_SUCCESS, YOUR_ID, PAIRED, PEER_DISCONNECTED, USERS_IN_ROOM, USER_JOINED, USER_LEFT,
                    ERROR -> new Inbound.Unknown(type); // only the server sends these
        };
    }

    private Inbound authToken() {
        if (tokenField != Field.STRING) {
            return new Inbound.Malformed(MessageType.AUTH_TOKEN, "field \"token\" of auth_token must be a string");
        }
        if (clientIdField == Field.WRONG_TYPE || (clientId != null && !Connection.NAME.matcher(clientId).matches())) {
            return new Inbound.Malformed(MessageType.AUTH_TOKEN, "field \"clientId\" must be 1-64 characters of [A-Za-z0-9._-]");
        }
        return new Inbound.AuthToken(token, Optional.ofNullable(clientId));
    }

    // ---- the member layout of the last scan, for FrameSplicer -----------------------------------------

    /** The bytes of the last scan; the frame is {@code [0, length())}. */
    byte[] bytes() {
        return data;
    }

    int length() {
        return length;
    }

    /** Top-level members of the last (valid) scan. */
    int memberCount() {
        return members;
    }

    /** Where member {@code i} starts: its name's opening quote. */
    int memberStart(int i) {
        return nameStart[i];
    }

    /** Just after member {@code i}'s value. */
    int memberEnd(int i) {
        return valueEnd[i];
    }

    /** Whether member {@code i} is {@code to} or {@code from}, which a relayed frame never keeps. */
    boolean isEnvelope(int i) {
        return kind[i] == DROP;
    }

    /** Whether member {@code i} is {@code username}, which the server's stamp replaces when it knows the name. */
    boolean isUsername(int i) {
        return kind[i] == USERNAME;
    }

    /** From the top-level '{' at {@link #pos} to just after its '}': records members and known fields. */
    private boolean scanTopLevelObject() {
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

    /**
     * Records the top-level member whose name is the string {@code [nameStart, nameEnd)} (quotes included,
     * length already checked) and whose value is {@code [valueStart, valueEnd)}; picks out the fields the server acts on. A name
     * repeated in one object: the last one wins, as in Jackson's tree.
     */
    private void member(int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
        String name = nameEscaped ? decodeString(nameStart, nameEnd) : null; // decoded only when it holds escapes
        int from = nameStart + 1;
        int len = nameEnd - 1 - from;
        byte memberKind = KEEP;
        byte first = data[valueStart];
        boolean isString = first == '"';
        boolean isNull = first == 'n';
        if (is(name, from, len, "type")) {
            typeField = isString ? Field.STRING : Field.WRONG_TYPE;
            messageType = isString ? typeOf(valueStart, valueEnd) : null;
            type = !isString ? null : messageType != null ? messageType.wireName() : decodeString(valueStart, valueEnd);
        } else if (is(name, from, len, "to")) {
            memberKind = DROP;
            toField = isString ? Field.STRING : isNull ? Field.ABSENT : Field.WRONG_TYPE;
            to = isString ? decodeString(valueStart, valueEnd) : null;
        } else if (is(name, from, len, "from")) {
            memberKind = DROP;
        } else if (is(name, from, len, "username")) {
            memberKind = USERNAME;
        } else if (is(name, from, len, "target_id")) {
            targetIdField = isString ? Field.STRING : Field.WRONG_TYPE;
            targetId = isString ? decodeString(valueStart, valueEnd) : null;
        } else if (is(name, from, len, "token")) {
            tokenField = isString ? Field.STRING : Field.WRONG_TYPE;
            token = isString ? decodeString(valueStart, valueEnd) : null;
        } else if (is(name, from, len, "clientId")) {
            clientIdField = isString ? Field.STRING : isNull ? Field.ABSENT : Field.WRONG_TYPE;
            clientId = isString ? decodeString(valueStart, valueEnd) : null;
        }
        addMember(nameStart, valueEnd, memberKind);
    }

    /** Whether the member name is {@code ascii}: the decoded name when it had escapes, else the raw bytes. */
    private boolean is(String decoded, int from, int len, String ascii) {
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

    /** The protocol type the JSON string {@code [valueStart, valueEnd)} names, or null. */
    private MessageType typeOf(int valueStart, int valueEnd) {
        int from = valueStart + 1;
        int len = valueEnd - 1 - from;
        outer:
        for (int t = 0; t < TYPE_NAMES.length; t++) {
            byte[] name = TYPE_NAMES[t];
            if (name.length != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                if (data[from + i] != name[i]) {
                    continue outer;
                }
            }
            return TYPES[t];
        }
        if (hasByte(from, len, (byte) '\\')) {
            return MessageType.fromWire(decodeString(valueStart, valueEnd)); // an escaped type name: rare
        }
        return null;
    }

    private boolean hasByte(int from, int len, byte wanted) {
        for (int i = from; i < from + len; i++) {
            if (data[i] == wanted) {
                return true;
            }
        }
        return false;
    }

    /** The Java string of the JSON string {@code [start, end)} (quotes included), escapes resolved. */
    private String decodeString(int start, int end) {
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
                    out.append((char) ((hex(data[i + 2]) << 12) | (hex(data[i + 3]) << 8) | (hex(data[i + 4]) << 4) | hex(data[i + 5])));
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

    // ---- the grammar ---------------------------------------------------------------------------------

    /** Skips one value at {@link #pos} (not a blank) inside {@code depth} open containers; false if it is not JSON. */
    private boolean skipValue(int depth) {
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
    private boolean skipNested(int depth) {
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
    private boolean skipNameAndColon() {
        if (data[pos] != '"') {
            return false;
        }
        int start = pos;
        if (!skipString()) {
            return false;
        }
        lastNameEnd = pos;
        if (pos - start - 2 > MAX_NAME_BYTES
                && (!lastStringEscaped || decodeString(start, pos).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES)) {
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
    private boolean skipString() {
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

    private boolean skipLiteral(String literal) {
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
    private boolean skipNumber() {
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
            while (i < end && digit(b[i])) {
                i++;
            }
        }
        int integerDigits = i - intStart;
        int digits = integerDigits;
        boolean fraction = false;
        if (i < end && b[i] == '.') {
            int s = ++i;
            while (i < end && digit(b[i])) {
                i++;
            }
            if (i == s) {
                return false;
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
            while (i < end && digit(b[i])) {
                i++;
            }
            if (i == s) {
                return false;
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

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private int skipBlanks(int i) {
        final byte[] b = data;
        while (i < length && isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void addMember(int start, int end, byte memberKind) {
        if (members == nameStart.length) {
            int n = members * 2;
            nameStart = Arrays.copyOf(nameStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            kind = Arrays.copyOf(kind, n);
        }
        nameStart[members] = start;
        valueEnd[members] = end;
        kind[members] = memberKind;
        members++;
    }
}
