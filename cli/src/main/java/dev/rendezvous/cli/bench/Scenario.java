package dev.rendezvous.cli.bench;

import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * One kind of load run of {@link BenchOptions}: {@link #run} drives it on the caller's thread and returns its
 * figures; {@link #close} then closes the clients it opened, whether the run ended or failed.
 */
abstract sealed class Scenario permits PairScenario, FanoutScenario, CapacityScenario {
    /** The options of this run. */
    final BenchOptions o;
    /** Where the progress line goes (a carriage-return line, redrawn as the run goes). */
    final PrintStream progress;
    /** Clients whose connection ended before the scenario closed them: the server's doing, or a failure. */
    final LongAdder closedEarly = new LongAdder();
    /** Clients whose TCP connect failed. */
    final LongAdder failedConnects = new LongAdder();

    private volatile boolean closingClients;

    Scenario(BenchOptions o, PrintStream progress) {
        this.o = o;
        this.progress = progress;
    }

    /** A client's connection ended (called on its event loop): early, unless the scenario is closing them. */
    final void clientClosed() {
        if (!closingClients) {
            closedEarly.increment();
        }
    }

    /** From now on the scenario closes its clients itself: a connection that ends is no longer early. */
    final void closingClients() {
        closingClients = true;
    }

    /**
     * Listens to clients let in through {@code door}: a connection that ends counts as closed early (unless the
     * scenario is closing its clients), and a failed connect gives its place back and counts as failed.
     */
    abstract class AdmittedClient implements WsClient.Listener {
        private final Admission door;

        AdmittedClient(Admission door) {
            this.door = door;
        }

        /** The client is admitted ({@code your_id}): its place is free for the next upgrade. */
        final void admitted() {
            door.release();
        }

        @Override
        public void onClosed(WsClient c, int code) {
            clientClosed();
        }

        @Override
        public void onConnectFailed(WsClient c, Throwable cause) {
            failedConnects.increment();
            door.release();
        }
    }

    abstract BenchResult run(EventLoopGroup group) throws InterruptedException;

    /** Closes every client still open with a clean close frame. */
    abstract void close();
}
