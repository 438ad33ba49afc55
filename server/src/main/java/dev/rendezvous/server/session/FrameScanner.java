package dev.rendezvous.server.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one inbound text frame with a streaming parser, without building a tree: it checks that the
 * frame is exactly one JSON object, picks out the top-level fields the server acts on ({@code type},
 * {@code to}, {@code target_id}, {@code token}, {@code clientId}) and records where every top-level
 * member starts and ends. {@link #stamped} then builds a relayed frame by copying the original bytes
 * of every member except {@code to} and {@code from} (and {@code username} when the server knows the
 * sender's name), and splicing in the sender's stamp — so the payload reaches the receiver byte for
 * byte as it was sent.
 *
 * <p>Not thread-safe: one instance per event-loop thread ({@link #forThisThread()}), reused for every
 * frame; the result of a scan is valid until the next one.
 */
final class FrameScanner {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES) // field names come from clients
            .build();
    private static final ThreadLocal<FrameScanner> PER_THREAD = ThreadLocal.withInitial(FrameScanner::new);

    /** Absent, a string, or present with another JSON type. */
    enum Field {
        ABSENT,
        STRING,
        WRONG_TYPE
    }

    private byte[] data = new byte[1024];
    private int length;
    private int[] nameStart = new int[16];
    private int[] valueEnd = new int[16];
    /** Per member: {@link #KEEP}, {@link #DROP} ({@code to}, {@code from}) or {@link #USERNAME}. */
    private byte[] kind = new byte[16];
    private static final byte KEEP = 0;
    private static final byte DROP = 1;
    private static final byte USERNAME = 2;
    private int members;

    // results of the last scan
    ErrorCode error;
    String errorMessage;
    Field typeField;
    String type;
    Field toField;
    String to;
    Field targetIdField;
    String targetId;
    Field tokenField;
    String token;
    Field clientIdField;
    String clientId;

    static FrameScanner forThisThread() {
        return PER_THREAD.get();
    }

    /** Scans the readable bytes of {@code frame} (not consumed). Returns false when {@link #error} is set. */
    boolean scan(ByteBuf frame) {
        int len = frame.readableBytes();
        if (data.length < len) {
            data = new byte[Math.max(len, data.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), data, 0, len);
        return scan(data, len);
    }

    /** Scans {@code bytes[0, len)}; the array is kept until the next scan. */
    boolean scan(byte[] bytes, int len) {
        data = bytes;
        length = len;
        members = 0;
        error = null;
        errorMessage = null;
        typeField = toField = targetIdField = tokenField = clientIdField = Field.ABSENT;
        type = to = targetId = token = clientId = null;
        if (!Utf8.valid(bytes, len)) {
            // Jackson does not check every byte (field names, skipped strings); relayed bytes must be UTF-8.
            return fail(ErrorCode.INVALID_JSON, "the frame is not valid UTF-8");
        }
        try (JsonParser p = JSON.createParser(bytes, 0, len)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return fail(ErrorCode.INVALID_JSON, "the frame is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) {
                    return fail(ErrorCode.INVALID_JSON, "the frame holds more than one JSON value");
                }
                return fail(ErrorCode.INVALID_MESSAGE, "a message must be a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (members > 0) {
                    valueEnd[members - 1] = endOfValueBefore(start);
                }
                String name = p.currentName();
                JsonToken value = p.nextToken();
                byte memberKind = KEEP;
                switch (name) {
                    case "type" -> {
                        typeField = value == JsonToken.VALUE_STRING ? Field.STRING : Field.WRONG_TYPE;
                        type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "to" -> {
                        memberKind = DROP;
                        if (value == JsonToken.VALUE_STRING) {
                            toField = Field.STRING;
                            to = p.getText();
                        } else if (value != JsonToken.VALUE_NULL) {
                            toField = Field.WRONG_TYPE;
                        }
                    }
                    case "from" -> memberKind = DROP;
                    case "username" -> memberKind = USERNAME;
                    case "target_id" -> {
                        targetIdField = value == JsonToken.VALUE_STRING ? Field.STRING : Field.WRONG_TYPE;
                        targetId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "token" -> {
                        tokenField = value == JsonToken.VALUE_STRING ? Field.STRING : Field.WRONG_TYPE;
                        token = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    case "clientId" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            clientIdField = Field.STRING;
                            clientId = p.getText();
                        } else if (value != JsonToken.VALUE_NULL) {
                            clientIdField = Field.WRONG_TYPE;
                        }
                    }
                    default -> {}
                }
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
                addMember(start, memberKind);
            }
            if (t != JsonToken.END_OBJECT) {
                return fail(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
            }
            if (members > 0) {
                valueEnd[members - 1] = endOfValueBefore((int) p.currentTokenLocation().getByteOffset());
            }
            if (p.nextToken() != null) {
                return fail(ErrorCode.INVALID_JSON, "the frame holds more than one JSON value");
            }
        } catch (IOException | RuntimeException e) {
            // JsonParseException, StreamConstraintsException, invalid UTF-8...: all mean "not JSON".
            return fail(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
        }
        if (typeField != Field.STRING) {
            return fail(ErrorCode.INVALID_MESSAGE, "a message needs a string field \"type\"");
        }
        return true;
    }

    /**
     * A new buffer holding the scanned object with its top-level {@code to} and {@code from} members
     * removed (and {@code username} too when {@code stampHasUsername}: the server's name replaces the
     * client's), and {@code stamp} (comma-free JSON members) appended.
     */
    ByteBuf stamped(ByteBufAllocator alloc, byte[] stamp, boolean stampHasUsername) {
        ByteBuf out = alloc.buffer(length + stamp.length + 2);
        out.writeByte('{');
        boolean any = false;
        for (int i = 0; i < members; i++) {
            if (kind[i] == DROP || (kind[i] == USERNAME && stampHasUsername)) {
                continue;
            }
            if (any) {
                out.writeByte(',');
            }
            out.writeBytes(data, nameStart[i], valueEnd[i] - nameStart[i]);
            any = true;
        }
        if (any) {
            out.writeByte(',');
        }
        out.writeBytes(stamp);
        out.writeByte('}');
        return out;
    }

    /** The first byte after the value that ends before {@code nextTokenStart}: skip back over blanks and one comma. */
    private int endOfValueBefore(int nextTokenStart) {
        int i = nextTokenStart;
        while (i > 0 && isBlank(data[i - 1])) {
            i--;
        }
        if (i > 0 && data[i - 1] == ',') {
            i--;
            while (i > 0 && isBlank(data[i - 1])) {
                i--;
            }
        }
        return i;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private void addMember(int start, byte memberKind) {
        if (members == nameStart.length) {
            int n = members * 2;
            nameStart = Arrays.copyOf(nameStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            kind = Arrays.copyOf(kind, n);
        }
        nameStart[members] = start;
        kind[members] = memberKind;
        members++;
    }

    private boolean fail(ErrorCode code, String message) {
        error = code;
        errorMessage = message;
        return false;
    }
}
