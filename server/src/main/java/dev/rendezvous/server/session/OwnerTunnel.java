package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.Link;
import dev.rendezvous.server.hub.RemoteResume;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The owner's end of a tunnel (v1.1 in a cluster, see {@link RemoteResume}): the transport of a
 * {@link Connection} whose client is connected to another node. Frames the connection sends go to that
 * node ({@link RemoteResume.Downstream}); what the client did there comes in as {@link RemoteResume.Upstream}
 * calls and is fed to the connection on its thread (one event loop, as a socket's would be), in order.
 *
 * <p>Thread-safe: {@link #send} and {@link #close} from any thread; upstream calls from the backplane's
 * thread; the connection itself is confined to {@link #loop}.
 */
final class OwnerTunnel implements Link, Transport, RemoteResume.Upstream {
    private final RemoteResume.Downstream toClient;
    private final EventExecutor loop;
    private final ResumeOwner owner;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once, before the tunnel is handed to anyone. */
    private Connection connection;

    OwnerTunnel(RemoteResume.Downstream toClient, EventExecutor loop, ResumeOwner owner) {
        this.toClient = toClient;
        this.loop = loop;
        this.owner = owner;
    }

    void connection(Connection c) {
        this.connection = c;
    }

    // ---- Link: to the client's node ----

    @Override
    public void send(ByteBuf utf8Json) {
        if (closed.get()) {
            utf8Json.release();
            return;
        }
        toClient.send(utf8Json);
    }

    /** The owner closes (keepalive, limits, shutdown, superseded): the client's node closes the socket with {@code code}. */
    @Override
    public void close(CloseCode code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        owner.closed(this);
        toClient.close(code.code(), reason);
        execute(connection::onClosed); // as a socket's end would, after the close
    }

    // ---- Upstream: from the client's node ----

    @Override
    public void text(byte[] utf8, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(utf8, 0, copy, 0, length);
        execute(() -> connection.onText(copy, length));
    }

    @Override
    public void binary() {
        execute(connection::onBinary);
    }

    @Override
    public void tooLarge(int limit) {
        execute(() -> connection.onTooLarge(limit));
    }

    @Override
    public void ended(boolean detachable) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        owner.closed(this);
        execute(() -> {
            if (!detachable) {
                connection.onCloseFrame();
            }
            connection.onClosed();
        });
    }

    /** Shutdown of the owner: close 1001 on the connection's thread (the session departs, as on a socket). */
    void shutdown() {
        execute(connection::onShutdown);
    }

    // ---- Transport ----

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Runnable schedule(Runnable task, long delayNanos) {
        Future<?> f = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // the event loops stopped: the server is gone, and with it this connection
        }
    }

    @Override
    public ByteBuf frameBuffer(int jsonBytes) {
        return ByteBufAllocator.DEFAULT.heapBuffer(jsonBytes); // copied onto the backplane: no header room needed
    }
}
