package dev.rendezvous.server.peerjs;

import dev.rendezvous.server.session.JsonGrammar;
import dev.rendezvous.server.session.Utf8;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads one PeerJS frame in a single pass over its bytes, without building a tree (the relay's hot path):
 * whether it is exactly one JSON object with a string {@code type} (strict RFC 8259 and Jackson's default
 * limits, by the v1 relay's {@link JsonGrammar}), which {@link PeerJsType} it names, and where the values of
 * {@code dst}, {@code src} and {@code payload} lie; then splices the relayed frame from those bytes
 * ({@link #writeRelayed}), the payload exactly as sent. A name given twice counts once, the last, as in
 * Jackson's tree; a name with escapes is decoded first.
 *
 * <p>A frame that is not UTF-8 is read as Java decodes it (each bad sequence a U+FFFD), as the endpoint
 * always read it: the relayed bytes are valid UTF-8 either way.
 *
 * <p>Not thread-safe: one instance per thread ({@link #forThisThread()}), reused for every frame; what a
 * scan found is valid until the next scan on that thread.
 */
final class PeerJsScanner extends JsonGrammar {
    private static final ThreadLocal<PeerJsScanner> PER_THREAD = ThreadLocal.withInitial(PeerJsScanner::new);

    // the fixed parts of a relayed frame, around the type, the sender, dst and payload
    private static final byte[] TYPE = ascii("{\"type\":\"");
    private static final byte[] SRC = ascii("\",\"src\":");
    private static final byte[] DST = ascii(",\"dst\":");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");

    /** The type of the last scan; null when its {@code type} is absent or not a string. */
    private PeerJsType type;
    /** The JSON string value of {@code type}, quotes included. */
    private int typeStart;

    private int typeEnd;
    /** The JSON string value of {@code dst}, quotes included; -1 when absent or not a string. */
    private int dstStart;

    private int dstEnd;
    /** The JSON string value of {@code src}, quotes included; -1 when absent or not a string. */
    private int srcStart;

    private int srcEnd;
    /** The value of {@code payload}, any JSON; -1 when absent. */
    private int payloadStart;

    private int payloadEnd;

    static PeerJsScanner forThisThread() {
        return PER_THREAD.get();
    }

    /** Scans {@code utf8[0, len)} (kept, not copied, until the next scan); false unless one object with a string type. */
    boolean scan(byte[] utf8, int len) {
        if (!Utf8.valid(utf8, len)) {
            utf8 = new String(utf8, 0, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            len = utf8.length;
        }
        data = utf8;
        length = len;
        type = null;
        dstStart = srcStart = payloadStart = -1;
        pos = skipBlanks(0);
        return pos < len && utf8[pos] == '{' && scanObjectMembers() && skipBlanks(pos) == len && type != null;
    }

    @Override
    protected void member(int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
        String name = nameEscaped ? decodeString(nameStart, nameEnd) : null; // decoded only when it holds escapes
        int from = nameStart + 1;
        int len = nameEnd - 1 - from;
        boolean isString = data[valueStart] == '"';
        if (is(name, from, len, "type")) {
            typeStart = valueStart;
            typeEnd = valueEnd;
            type = !isString
                    ? null
                    : lastStringEscaped
                            ? PeerJsType.of(decodeString(valueStart, valueEnd))
                            : PeerJsType.of(data, valueStart + 1, valueEnd - 1);
        } else if (is(name, from, len, "dst")) {
            dstStart = isString ? valueStart : -1;
            dstEnd = valueEnd;
        } else if (is(name, from, len, "src")) {
            srcStart = isString ? valueStart : -1;
            srcEnd = valueEnd;
        } else if (is(name, from, len, "payload")) {
            payloadStart = valueStart;
            payloadEnd = valueEnd;
        }
    }

    /** The type of the last (valid) scan. */
    PeerJsType type() {
        return type;
    }

    /** The {@code type} string of the last scan as sent (for a log line about an unknown type). */
    String typeText() {
        return decodeString(typeStart, typeEnd);
    }

    /** {@code dst} when it is a string, else null. */
    String dst() {
        return dstStart < 0 ? null : decodeString(dstStart, dstEnd);
    }

    /** {@code src} when it is a string, else null (read back from frames this server wrote). */
    String src() {
        return srcStart < 0 ? null : decodeString(srcStart, srcEnd);
    }

    /** How many bytes {@link #writeRelayed} writes for this scan (its frame has a string {@code dst}). */
    int relayedLength(byte[] src) {
        int payload = payloadStart >= 0 ? PAYLOAD.length + payloadEnd - payloadStart : 0;
        return TYPE.length
                + type.ascii().length
                + SRC.length
                + src.length
                + DST.length
                + dstEnd
                - dstStart
                + payload
                + 1;
    }

    /**
     * Writes the relayed frame of this scan, {@code {"type":…,"src":<src>,"dst":…[,"payload":…]}} in
     * peerjs-server's order, {@code dst} and {@code payload} copied byte for byte from the client's frame:
     * whatever {@code src} the client wrote is not kept, and the payload reaches the receiver exactly as sent.
     *
     * @param src the sender's id as a JSON string ({@link PeerJsMessages#srcValue})
     */
    void writeRelayed(byte[] src, ByteBuf out) {
        out.writeBytes(TYPE)
                .writeBytes(type.ascii())
                .writeBytes(SRC)
                .writeBytes(src)
                .writeBytes(DST);
        out.writeBytes(data, dstStart, dstEnd - dstStart);
        if (payloadStart >= 0) {
            out.writeBytes(PAYLOAD).writeBytes(data, payloadStart, payloadEnd - payloadStart);
        }
        out.writeByte('}');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
