package dev.rendezvous.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The 101 response of a WebSocket upgrade (RFC 6455 §4.2.2), as the bytes to write: a constant head and
 * the {@code Sec-WebSocket-Accept} of the client's key. Written straight to the socket's buffer, it costs
 * no response object, no header map and no pass through the HTTP encoder, and it leaves in the same
 * {@code write(2)} as the session's first frame ({@link ServerInitializer#upgrade}).
 *
 * <p>Stateless; the SHA-1 digest is one per thread.
 */
final class UpgradeResponse {
    private static final byte[] HEAD = ("HTTP/1.1 101 Switching Protocols\r\n"
                    + "upgrade: websocket\r\n"
                    + "connection: upgrade\r\n"
                    + "sec-websocket-accept: ")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** RFC 6455 §1.3: appended to the client's key before hashing. */
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    /** Base64 of a 20-byte SHA-1. */
    private static final int ACCEPT_CHARS = 28;

    private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-1");
        }
    };

    private UpgradeResponse() {}

    /** The whole 101 response for {@code key}, in a new buffer of {@code alloc}. */
    static ByteBuf of(ByteBufAllocator alloc, String key) {
        byte[] accept = acceptBytes(key);
        return alloc.buffer(HEAD.length + ACCEPT_CHARS + END.length)
                .writeBytes(HEAD)
                .writeBytes(accept)
                .writeBytes(END);
    }

    /** The {@code Sec-WebSocket-Accept} value for {@code key} (the request's {@code Sec-WebSocket-Key}, as sent). */
    private static byte[] acceptBytes(String key) {
        MessageDigest sha1 = SHA1.get();
        sha1.update(key.getBytes(StandardCharsets.US_ASCII));
        sha1.update(GUID);
        return Base64.getEncoder().encode(sha1.digest()); // digest() resets it for the next key
    }
}
