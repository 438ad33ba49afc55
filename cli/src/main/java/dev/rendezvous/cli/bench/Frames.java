package dev.rendezvous.cli.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level reading and writing of the few JSON shapes the load generator handles, without a JSON
 * tree: the server forwards a relayed message's members byte for byte, so the generator finds its own
 * fields by name. Frames the server composes put {@code type} first.
 */
final class Frames {
    private static final byte[] TYPE = bytes("{\"type\":\"");
    private static final byte[] SEQ = bytes("\"seq\":");
    private static final byte[] T = bytes("\"t\":");
    private static final byte[] M = bytes("\"m\":");
    private static final byte[] ID = bytes("\"id\":\"");
    private static final byte[] FROM = bytes("\"from\":\"");

    private Frames() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code type} of a frame whose first member is {@code type}, else null. */
    static String type(ByteBuf f) {
        int r = f.readerIndex();
        if (!startsWith(f, r, TYPE)) {
            int at = indexOf(f, bytes("\"type\":\""), r);
            return at < 0 ? null : stringAt(f, at + 8);
        }
        return stringAt(f, r + TYPE.length);
    }

    private static final byte[] RATE_LIMITED = bytes("\"code\":\"rate_limited\"");

    /** Whether an error frame carries the {@code rate_limited} code. */
    static boolean isRateLimited(ByteBuf f) {
        return indexOf(f, RATE_LIMITED, f.readerIndex()) >= 0;
    }

    static String id(ByteBuf f) {
        int at = indexOf(f, ID, f.readerIndex());
        return at < 0 ? null : stringAt(f, at + ID.length);
    }

    static String from(ByteBuf f) {
        int at = indexOf(f, FROM, f.readerIndex());
        return at < 0 ? null : stringAt(f, at + FROM.length);
    }

    static long seq(ByteBuf f) {
        return longAfter(f, SEQ);
    }

    static long t(ByteBuf f) {
        return longAfter(f, T);
    }

    static long member(ByteBuf f) {
        return longAfter(f, M);
    }

    /** The non-negative integer after {@code key}, or -1. */
    static long longAfter(ByteBuf f, byte[] key) {
        int at = indexOf(f, key, f.readerIndex());
        if (at < 0) {
            return -1;
        }
        int i = at + key.length;
        int end = f.writerIndex();
        long v = 0;
        int digits = 0;
        while (i < end) {
            byte b = f.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
            digits++;
            i++;
        }
        return digits == 0 ? -1 : v;
    }

    private static String stringAt(ByteBuf f, int start) {
        int end = f.writerIndex();
        for (int i = start; i < end; i++) {
            if (f.getByte(i) == '"') {
                return f.toString(start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static boolean startsWith(ByteBuf f, int at, byte[] needle) {
        if (f.writerIndex() - at < needle.length) {
            return false;
        }
        for (int i = 0; i < needle.length; i++) {
            if (f.getByte(at + i) != needle[i]) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code needle} in {@code f} at or after {@code from}, or -1. */
    static int indexOf(ByteBuf f, byte[] needle, int from) {
        int last = f.writerIndex() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (f.getByte(i) != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (f.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Writes {@code v} (≥ 0) in decimal. */
    static void writeLong(ByteBuf out, long v) {
        if (v == 0) {
            out.writeByte('0');
            return;
        }
        int start = out.writerIndex();
        int n = 0;
        for (long x = v; x > 0; x /= 10) {
            n++;
        }
        out.ensureWritable(n);
        for (int i = n - 1; i >= 0; i--) {
            out.setByte(start + i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(start + n);
    }

    /**
     * A candidate-shaped relayed message of about {@code size} bytes before its {@code seq} and {@code t}:
     * the bytes before the sequence number, which {@link #candidate} completes.
     */
    static byte[] candidatePrefix(int size, String extraMembers) {
        String head =
                "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 192.0.2.17 53705 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Xq3v network-cost 999";
        String tail = "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}," + extraMembers + "\"seq\":";
        int pad = Math.max(0, size - head.length() - tail.length() - 30);
        return bytes(head + " ".repeat(0) + "x".repeat(pad) + tail);
    }

    private static final byte[] T_SEP = bytes(",\"t\":");

    /**
     * One candidate-shaped message in a buffer from {@code alloc}: {@code prefix} (see {@link #candidatePrefix}),
     * then {@code seq} and the send time as {@code t} (read back by {@link #seq} and {@link #t}).
     */
    static ByteBuf candidate(ByteBufAllocator alloc, byte[] prefix, long seq) {
        ByteBuf out = alloc.buffer(prefix.length + 40);
        out.writeBytes(prefix);
        writeLong(out, seq);
        out.writeBytes(T_SEP);
        writeLong(out, System.nanoTime());
        out.writeByte('}');
        return out;
    }
}
