package dev.rendezvous.server.session;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.server.hub.ControlFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keepalive of an admitted connection: the server pings on the {@link Keepalive} clock's schedule and
 * closes a client silent for the ping timeout with 4008; every inbound frame counts as liveness (the
 * connection tells the clock); an application {@code ping} is answered with {@code pong}.
 *
 * <p>Stateless (the clock is the connection's); runs on the connection's thread, woken by its one timer.
 */
final class KeepaliveHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class); // one logger for a connection's lines

    private KeepaliveHandler() {}

    /** Admission is complete: the silence counts from now. */
    static void start(Connection c) {
        c.keepalive.heard(c.transport.nanoTime());
        scheduleWake(c);
    }

    static void onPing(Connection c) {
        c.link.send(ControlFrames.pong());
    }

    private static void scheduleWake(Connection c) {
        long delay = c.keepalive.nextWakeAt() - c.transport.nanoTime();
        c.schedule(() -> wake(c), Math.max(0, delay));
    }

    private static void wake(Connection c) {
        if (c.phase() != Connection.Phase.ADMITTED) {
            return;
        }
        long now = c.transport.nanoTime();
        switch (c.keepalive.wake(now)) {
            case CLOSE -> {
                log.info("timeout client={} silent_ms={}", c.clientId(), c.keepalive.silentFor(now) / 1_000_000);
                c.settings.observer().keepaliveTimedOut(c.clientId());
                c.closeWith(
                        CloseCode.KEEPALIVE_TIMEOUT,
                        "no frame for " + c.settings.pingTimeout().toMillis() + " ms");
                return;
            }
            case PING -> c.link.send(ControlFrames.ping());
            case NOTHING -> {}
        }
        scheduleWake(c);
    }
}
