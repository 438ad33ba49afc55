package dev.rendezvous.server.hub;

import dev.rendezvous.protocol.CloseCode;
import io.netty.buffer.ByteBuf;

/**
 * The transport end of one client connection, as the hub sees it. Implementations never block and may
 * be called from any thread.
 */
public interface Link {

    /**
     * Queues one text frame holding {@code utf8Json}; takes ownership of the buffer (releases it).
     * A frame whose send happens before another's arrives first: frames sent from one thread arrive in the
     * order sent, and so do frames from two threads whose sends are ordered (a lock, a volatile write seen
     * by the other thread) — a reply the client's own thread sends after seeing a hub change stays behind
     * the notice another thread handed over before making that change ({@link Pairing#end}). A link that
     * is closing, or whose client stopped reading, drops the frame. A link given the only reference to a
     * buffer may use the bytes before its reader index for its own framing (relayed frames leave room there).
     */
    void send(ByteBuf utf8Json);

    /** Sends a close frame with {@code code} and closes the connection; later calls do nothing. */
    void close(CloseCode code, String reason);
}
