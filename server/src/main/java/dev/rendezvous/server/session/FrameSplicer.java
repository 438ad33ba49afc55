package dev.rendezvous.server.session;

import io.netty.buffer.ByteBuf;

/**
 * Builds the frame a relay delivers from the bytes of the last scan of a {@link FrameScanner}: every
 * top-level member is copied byte for byte except {@code to} and {@code from} (and {@code username} when
 * the server knows the sender's name: its name replaces the client's), and the sender's stamp is
 * appended — the payload reaches the receiver exactly as it was sent, and the sender cannot forge
 * {@code from}.
 *
 * <p>Stateless; the buffer comes from the caller (the transport's, with room for the frame header in
 * front: {@link Transport#frameBuffer}).
 */
final class FrameSplicer {
    private FrameSplicer() {}

    /** The most bytes {@link #writeStamped} writes for the last scan of {@code scan} and a stamp of {@code stampLength}. */
    static int maxLength(FrameScanner scan, int stampLength) {
        return scan.length() + stampLength + 2;
    }

    /**
     * Writes the scanned object with its top-level {@code to} and {@code from} members removed (and
     * {@code username} too when {@code stampHasUsername}), and {@code stamp} (comma-free JSON members)
     * appended. Consecutive kept members are copied as one run, blanks between them included.
     */
    static void writeStamped(FrameScanner scan, ByteBuf out, byte[] stamp, boolean stampHasUsername) {
        byte[] data = scan.bytes();
        out.writeByte('{');
        boolean any = false;
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0, n = scan.memberCount(); i < n; i++) {
            if (scan.isEnvelope(i) || (stampHasUsername && scan.isUsername(i))) {
                if (runStart >= 0) {
                    any = writeRun(out, data, runStart, runEnd, any);
                    runStart = -1;
                }
                continue;
            }
            if (runStart < 0) {
                runStart = scan.memberStart(i);
            }
            runEnd = scan.memberEnd(i);
        }
        if (runStart >= 0) {
            any = writeRun(out, data, runStart, runEnd, any);
        }
        if (any) {
            out.writeByte(',');
        }
        out.writeBytes(stamp);
        out.writeByte('}');
    }

    private static boolean writeRun(ByteBuf out, byte[] data, int start, int end, boolean afterAnother) {
        if (afterAnother) {
            out.writeByte(',');
        }
        out.writeBytes(data, start, end - start);
        return true;
    }
}
