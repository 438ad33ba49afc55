package dev.rendezvous.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Outbound WebSocket text frames, framed in place when they can be: a buffer from {@link #buffer} keeps
 * {@link #HEADROOM} bytes free in front of its JSON, and {@link #frame} writes the frame header there —
 * no frame object, no second buffer, no copy in Netty's encoder.
 *
 * <p>Stateless; the headroom is this class's to decide, and nobody else's.
 */
final class TextFrames {
    /** The longest header of a server's (unmasked) frame: 2 bytes, + 8 for a 64-bit payload length (RFC 6455 §5.2). */
    static final int HEADROOM = 10;

    private TextFrames() {}

    /** A buffer for up to {@code jsonBytes} of JSON, written from its writer index, with the headroom in front. */
    static ByteBuf buffer(ByteBufAllocator alloc, int jsonBytes) {
        ByteBuf out = alloc.buffer(HEADROOM + jsonBytes);
        return out.writerIndex(HEADROOM).readerIndex(HEADROOM);
    }

    /**
     * The text frame to write for {@code json}: when the caller holds the only reference to a buffer with
     * room before its JSON (one from {@link #buffer}: a relayed frame), the frame header goes into that
     * room and the buffer is written as it is, which lets a plain buffer pass Netty's encoder. Shared
     * buffers (a room broadcast's duplicates) and buffers without room go through the encoder.
     */
    static Object frame(ByteBuf json) {
        int length = json.readableBytes();
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : HEADROOM;
        int at = json.readerIndex() - header;
        if (at < 0 || json.unwrap() != null || json.refCnt() != 1) {
            return new TextWebSocketFrame(json);
        }
        json.setByte(at, 0x81); // FIN + text; servers never mask
        if (header == 2) {
            json.setByte(at + 1, length);
        } else if (header == 4) {
            json.setByte(at + 1, 126);
            json.setShort(at + 2, length);
        } else {
            json.setByte(at + 1, 127);
            json.setLong(at + 2, length);
        }
        return json.readerIndex(at);
    }
}
