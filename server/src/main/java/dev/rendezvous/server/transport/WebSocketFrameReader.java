package dev.rendezvous.server.transport;

import static dev.rendezvous.server.transport.WebSocketOpcodes.BINARY;
import static dev.rendezvous.server.transport.WebSocketOpcodes.CLOSE;
import static dev.rendezvous.server.transport.WebSocketOpcodes.CONTINUATION;
import static dev.rendezvous.server.transport.WebSocketOpcodes.PING;
import static dev.rendezvous.server.transport.WebSocketOpcodes.PONG;
import static dev.rendezvous.server.transport.WebSocketOpcodes.TEXT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the client's WebSocket frames (RFC 6455, server side) straight out of the socket's read buffer
 * and hands each complete message to a {@link Sink}: a text message as bytes in a per-thread array, the
 * rest as events. It replaces Netty's frame decoder and frame aggregator on the relay's hot path: those
 * copy every payload into a new buffer, unmask it there byte by byte, and wrap it in a frame object that
 * passes two more pipeline handlers; here a text frame is copied once, into an array reused for every
 * frame of the thread, and unmasked there eight bytes at a time.
 *
 * <p>Checks, each answered as RFC 6455 asks: client frames must be masked, reserved bits clear (no
 * extension is negotiated), opcodes known, control frames final and at most 125 bytes, continuations only
 * inside a fragmented message and data frames only outside one, close payloads well formed — a violation
 * is {@link Sink#onProtocolError} (the session closes 1002) and every later byte is ignored. A message over
 * {@code maxMessageBytes} (one frame, or fragments together) is {@link Sink#onTooLarge}: its bytes are
 * skipped as they arrive, never buffered, and reading goes on so the client's answering close frame is
 * seen. Binary messages are reported once and skipped the same way.
 *
 * <p>Event-loop confined, like every channel handler. The text array handed to the sink is valid only
 * during the call.
 */
public final class WebSocketFrameReader extends ByteToMessageDecoder implements WebSocketFrameDecoder {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** Per event-loop thread: where text frames are unmasked; grows to the largest frame seen. */
    private static final FastThreadLocal<byte[][]> TEXT_BUFFER = new FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
            return new byte[][] {new byte[4096]};
        }
    };

    /** What the reader tells the session. All calls on the channel's event loop. */
    public interface Sink {
        /** A whole text message: {@code utf8[0, length)}, valid only during the call. */
        void onText(byte[] utf8, int length);

        /** A whole binary message (its bytes were skipped). */
        void onBinary();

        /** A ping; {@code payload} (unmasked, at most 125 bytes) is the caller's to release. */
        void onPing(ByteBuf payload);

        void onPong();

        /** The client's close frame; {@code code} is -1 when it carried none. */
        void onClose(int code);

        /** A message over the size limit began; its bytes are being skipped. */
        void onTooLarge();

        /** The client broke RFC 6455; nothing more is read. */
        void onProtocolError(WebSocketCloseStatus status, String why);
    }

    private final Sink sink;
    private final int maxMessageBytes;
    /** A fragmented message must be finished this long after its first frame (pings keep a connection alive, not it). */
    private final long unfinishedMessageNanos;
    /** Armed while a fragmented message is in progress; null otherwise. */
    private ScheduledFuture<?> unfinished;

    private ChannelHandlerContext ctx;

    /** Nothing more is read: after a protocol error or the client's close frame. */
    private boolean done;
    /** Payload bytes still to skip: the rest of a too-large or binary frame. */
    private long skipping;
    /** A fragmented message is in progress (its first frame had FIN clear). */
    private boolean inMessage;
    /** The message in progress is text (else binary, whose bytes are skipped). */
    private boolean messageIsText;
    /** The message in progress went over the limit: its remaining fragments are skipped. */
    private boolean messageTooLarge;
    /** The fragments of a text message so far: {@code fragments[0, fragmentsLength)}; null when none. */
    private byte[] fragments;

    private int fragmentsLength;
    /** Bytes of the message in progress so far, text or binary. */
    private long messageLength;

    WebSocketFrameReader(Sink sink, int maxMessageBytes, long unfinishedMessageNanos) {
        this.sink = sink;
        this.maxMessageBytes = maxMessageBytes;
        this.unfinishedMessageNanos = unfinishedMessageNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (done) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (skipping > 0) {
                int n = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(n);
                skipping -= n;
                continue;
            }
            if (!readFrame(in)) {
                return; // wait for more bytes
            }
        }
    }

    /** Reads one frame at the reader index; false (nothing consumed) when it is not complete yet. */
    private boolean readFrame(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available < 2) {
            return false;
        }
        int b0 = in.getUnsignedByte(start);
        int b1 = in.getUnsignedByte(start + 1);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        long length = b1 & 0x7F;
        int header = 2;
        if (length == 126) {
            if (available < 4) {
                return false;
            }
            length = in.getUnsignedShort(start + 2);
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return false;
            }
            length = in.getLong(start + 2);
            header = 10;
            if (length < 0) {
                return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "frame length over 2^63");
            }
        }
        if ((b0 & 0x70) != 0) {
            return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "reserved bits set without an extension");
        }
        if ((b1 & 0x80) == 0) {
            return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "client frames must be masked");
        }
        if (opcode >= CLOSE) {
            if (opcode > PONG) {
                return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "unknown control opcode " + opcode);
            }
            if (!fin) {
                return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > MAX_CONTROL_PAYLOAD) {
                return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "control frame over 125 bytes");
            }
        } else if (opcode == CONTINUATION) {
            if (!inMessage) {
                return violation(
                        WebSocketCloseStatus.PROTOCOL_ERROR, "continuation frame outside a fragmented message");
            }
        } else if (opcode == TEXT || opcode == BINARY) {
            if (inMessage) {
                return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "new message inside a fragmented one");
            }
        } else {
            return violation(WebSocketCloseStatus.PROTOCOL_ERROR, "unknown data opcode " + opcode);
        }
        header += 4; // the masking key
        if (available < header) {
            return false;
        }
        int mask = in.getInt(start + header - 4);

        if (opcode < CLOSE) {
            return dataFrame(in, start, header, opcode, fin, length, mask);
        }
        if (available < header + length) {
            return false;
        }
        in.readerIndex(start + header + (int) length);
        controlFrame(in, start + header, (int) length, opcode, mask);
        return true;
    }

    /** A text, binary or continuation frame whose header is complete; false when its payload is not. */
    private boolean dataFrame(ByteBuf in, int start, int header, int opcode, boolean fin, long length, int mask) {
        boolean first = opcode != CONTINUATION;
        if (first) {
            messageIsText = opcode == TEXT;
            messageTooLarge = false;
            messageLength = 0;
        }
        if (!messageTooLarge && length > maxMessageBytes - messageLength) { // no overflow: length may be near 2^63
            messageTooLarge = true; // text or binary: the client is told, then closed 1009
            fragments = null;
            fragmentsLength = 0;
            sink.onTooLarge();
        }
        boolean skip = !messageIsText || messageTooLarge;
        if (skip) {
            // Skipped bytes need not be buffered: consume the header now and whatever payload is here.
            in.readerIndex(start + header);
            skipping = length;
            messageLength += length;
            endOfFrame(fin, !messageIsText && !messageTooLarge);
            return true;
        }
        int n = (int) length;
        if (in.readableBytes() < header + n) {
            return false;
        }
        int payload = start + header;
        in.readerIndex(payload + n);
        messageLength += n;
        if (first && fin) { // the common case: one frame, one message
            byte[] text = textBuffer(n);
            in.getBytes(payload, text, 0, n);
            unmask(text, 0, n, mask);
            sink.onText(text, n);
            return true;
        }
        if (fragments == null) {
            fragments = new byte[Math.max(256, n)];
        } else if (fragments.length < fragmentsLength + n) {
            // grows by doubling, never past the limit (fragmentsLength + n is within it)
            fragments = Arrays.copyOf(
                    fragments, Math.max(fragmentsLength + n, Math.min(fragments.length * 2, maxMessageBytes)));
        }
        in.getBytes(payload, fragments, fragmentsLength, n);
        unmask(fragments, fragmentsLength, n, mask);
        fragmentsLength += n;
        inMessage(!fin);
        if (fin) {
            byte[] whole = fragments;
            int wholeLength = fragmentsLength;
            fragments = null; // a fragmented message is rare: do not keep its buffer per connection
            fragmentsLength = 0;
            sink.onText(whole, wholeLength);
        }
        return true;
    }

    /** After a skipped frame: tracks the fragmented message; reports a binary message once, at its end. */
    private void endOfFrame(boolean fin, boolean reportBinary) {
        inMessage(!fin);
        if (fin && reportBinary) {
            sink.onBinary();
        }
    }

    private void controlFrame(ByteBuf in, int payload, int length, int opcode, int mask) {
        byte[] bytes = new byte[length];
        in.getBytes(payload, bytes);
        unmask(bytes, 0, length, mask);
        switch (opcode) {
            case PING -> sink.onPing(Unpooled.wrappedBuffer(bytes));
            case PONG -> sink.onPong();
            default -> closeFrame(bytes);
        }
    }

    private void closeFrame(byte[] payload) {
        if (payload.length == 1) {
            violation(WebSocketCloseStatus.PROTOCOL_ERROR, "close frame with a one-byte payload");
            return;
        }
        int code = -1;
        if (payload.length >= 2) {
            code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (!WebSocketCloseStatus.isValidStatusCode(code)) {
                violation(WebSocketCloseStatus.PROTOCOL_ERROR, "invalid close code " + code);
                return;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload, 2, payload.length - 2));
            } catch (CharacterCodingException e) {
                violation(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
                return;
            }
        }
        done = true; // RFC 6455 §5.5.1: nothing is read after a close frame
        sink.onClose(code);
    }

    /**
     * Whether a fragmented message is in progress after this frame: its first fragment arms the deadline, its
     * last disarms it. Without it, a client could hold a message's buffer (up to the frame limit, 27 times an
     * idle connection's memory at 64 KiB) open for as long as it pings.
     */
    private void inMessage(boolean inProgress) {
        if (inProgress && !inMessage && ctx != null) {
            unfinished = ctx.executor().schedule(this::unfinishedTooLong, unfinishedMessageNanos, TimeUnit.NANOSECONDS);
        } else if (!inProgress) {
            disarm();
        }
        inMessage = inProgress;
    }

    private void unfinishedTooLong() {
        unfinished = null;
        if (inMessage && !done) {
            violation(
                    WebSocketCloseStatus.POLICY_VIOLATION,
                    "a fragmented message stayed unfinished for "
                            + TimeUnit.NANOSECONDS.toMillis(unfinishedMessageNanos) + " ms");
        }
    }

    private void disarm() {
        if (unfinished != null) {
            unfinished.cancel(false);
            unfinished = null;
        }
    }

    private boolean violation(WebSocketCloseStatus status, String why) {
        done = true;
        disarm();
        fragments = null;
        sink.onProtocolError(status, why);
        return true; // consumed: decode() now discards everything
    }

    private static byte[] textBuffer(int length) {
        byte[][] holder = TEXT_BUFFER.get();
        if (holder[0].length < length) {
            holder[0] = new byte[Math.max(length, holder[0].length * 2)];
        }
        return holder[0];
    }

    /** XORs {@code b[off, off + len)} with the 4-byte masking key, the key's first byte at {@code off}. */
    static void unmask(byte[] b, int off, int len, int mask) {
        int key = Integer.reverseBytes(mask); // the key's first wire byte in the lowest bits, as LONGS reads
        long key8 = (key & 0xFFFFFFFFL) | ((long) key << 32);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONGS.set(b, off + i, (long) LONGS.get(b, off + i) ^ key8);
        }
        for (; i < len; i++) {
            b[off + i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
        }
    }
}
