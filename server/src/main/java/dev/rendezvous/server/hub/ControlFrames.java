package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Frames the server itself composes (everything but relayed messages), as UTF-8 buffers ready for
 * {@link Link#send}. Off the hot path, so plain {@link MessageCodec} encoding is fine here.
 */
public final class ControlFrames {
    private static final byte[] PING = "{\"type\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "{\"type\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);

    private ControlFrames() {}

    public static ByteBuf of(Message message) {
        return Unpooled.wrappedBuffer(MessageCodec.encodeUtf8(message));
    }

    public static ByteBuf error(ErrorCode code, String message, String ref) {
        return of(new Message.Error(code, message, ref));
    }

    public static ByteBuf ping() {
        return Unpooled.wrappedBuffer(PING);
    }

    public static ByteBuf pong() {
        return Unpooled.wrappedBuffer(PONG);
    }
}
