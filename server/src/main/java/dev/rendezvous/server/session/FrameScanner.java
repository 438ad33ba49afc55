package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one inbound text frame in a single pass over its bytes, without building a tree: it checks that
 * the frame is valid UTF-8 holding exactly one JSON object ({@link JsonGrammar}: RFC 8259, strict),
 * picks out the top-level fields the server acts on ({@code type}, {@code to}, {@code target_id},
 * {@code token}, {@code clientId}) and answers with the {@link Inbound} kind of the frame. It also records where every top-level member starts and ends, for
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
 * <p>The grammar itself (skipping nested values, strings eight bytes at a time, numbers) is
 * {@link JsonGrammar}'s; this class walks the top level and knows the protocol.
 */
final class FrameScanner extends JsonGrammar {
    private static final ThreadLocal<FrameScanner> PER_THREAD = ThreadLocal.withInitial(FrameScanner::new);

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

    /** Where {@link #scan(ByteBuf)} copies a frame to; never a caller's array. */
    private byte[] copyBuffer = new byte[1024];

    private int[] nameStart = new int[16];
    private int[] valueEnd = new int[16];
    /** Per member: {@link #KEEP}, {@link #DROP} ({@code to}, {@code from}) or {@link #USERNAME}. */
    private byte[] kind = new byte[16];

    private static final byte KEEP = 0;
    private static final byte DROP = 1;
    private static final byte USERNAME = 2;
    private int members;
    /** The addressed-relay kinds of this scanner, one per relayed type (see {@link Inbound.RelayTo}). */
    private final Map<MessageType, Inbound.RelayTo> relayTo = new EnumMap<>(MessageType.class);

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

    FrameScanner() {
        for (MessageType t : TYPES) {
            if (t.relayed()) {
                relayTo.put(t, new Inbound.RelayTo(t, this));
            }
        }
    }

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
        if (!scanObjectMembers()) {
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
            case OFFER, ANSWER, CANDIDATE, ICE_CANDIDATE ->
                toField == Field.WRONG_TYPE
                        ? new Inbound.Malformed(t, "field \"to\" of " + type + " must be a string")
                        : to == null ? Inbound.Relay.of(t) : relayTo.get(t);
            case PAIR_REQUEST ->
                targetIdField != Field.STRING
                        ? new Inbound.Malformed(t, "field \"target_id\" of pair_request must be a string")
                        : new Inbound.PairRequest(targetId);
            case UNPAIR -> Inbound.Unpair.INSTANCE;
            case PING -> Inbound.Ping.INSTANCE;
            case PONG -> Inbound.Pong.INSTANCE;
            case AUTH_TOKEN -> authToken();
            case AUTH_REQUIRED,
                    AUTH_SUCCESS,
                    YOUR_ID,
                    PAIRED,
                    PEER_DISCONNECTED,
                    USERS_IN_ROOM,
                    USER_JOINED,
                    USER_LEFT,
                    ERROR -> new Inbound.Unknown(type); // only the server sends these
        };
    }

    private Inbound authToken() {
        if (tokenField != Field.STRING) {
            return new Inbound.Malformed(MessageType.AUTH_TOKEN, "field \"token\" of auth_token must be a string");
        }
        if (clientIdField == Field.WRONG_TYPE
                || (clientId != null && !Connection.NAME.matcher(clientId).matches())) {
            return new Inbound.Malformed(
                    MessageType.AUTH_TOKEN, "field \"clientId\" must be 1-64 characters of [A-Za-z0-9._-]");
        }
        return new Inbound.AuthToken(token, Optional.ofNullable(clientId));
    }

    /** The {@code to} of the last scan when it was a string, else null (read through {@link Inbound.RelayTo}). */
    String to() {
        return to;
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

    /**
     * Records the top-level member whose name is the string {@code [nameStart, nameEnd)} (quotes included,
     * length already checked) and whose value is {@code [valueStart, valueEnd)}; picks out the fields the server acts on. A name
     * repeated in one object: the last one wins, as in Jackson's tree.
     */
    @Override
    protected void member(int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
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
