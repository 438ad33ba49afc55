package dev.rendezvous.cli.bench;

import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The door of a load run: at most {@code concurrency} WebSocket upgrades in flight, as when many clients
 * arrive at once. {@link #connect} waits for a free place; the scenario gives it back with {@link #release}
 * once the client is admitted (its {@code your_id}) or gone before that (closed, or its connect failed).
 *
 * <p>Threading: {@link #connect} on the thread driving the run; {@link #release} from any thread.
 */
final class Admission {
    private final Semaphore places;

    Admission(int concurrency) {
        this.places = new Semaphore(Math.max(1, concurrency));
    }

    /**
     * Connects a client once a place is free.
     *
     * @param deadline the {@link System#nanoTime} by which a place must come free
     * @return the client, or null when no place came free by {@code deadline}
     */
    WsClient connect(EventLoop loop, URI uri, String localAddress, WsClient.Listener listener, long deadline)
            throws InterruptedException {
        if (!places.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return WsClient.connect(loop, uri, localAddress, listener);
    }

    /** A client's upgrade is over (admitted, or gone before): its place is free again. */
    void release() {
        places.release();
    }
}
