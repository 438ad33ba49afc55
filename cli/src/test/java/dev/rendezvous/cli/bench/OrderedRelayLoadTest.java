package dev.rendezvous.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Load with ordering: one million relayed messages across 400 lobby pairs through a real server with its
 * default limits, each carrying a per-pair sequence number, through the {@code rendezvous bench} load
 * generator. Not a timed test: it asserts only that every message arrived once, in order, from its
 * sender (the generator checks each one).
 */
class OrderedRelayLoadTest {
    private static final int PAIRS = 400;
    private static final long PER_PAIR = 2_500;

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void aMillionRelayedMessagesArriveOnceEachInOrderFromTheirSender() throws Exception {
        BenchOptions o = BenchOptions.defaults()
                .withScenario("relay")
                .withPort(server.port())
                .withLoad(PAIRS, 64, PER_PAIR, 2)
                .withTiming(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO)
                .withServerPid(-1);
        BenchResult r = Bench.run(o, new PrintStream(OutputStream.nullOutputStream()));

        assertThat(r.count("sent")).as(r.summary()).isEqualTo(PAIRS * PER_PAIR).isGreaterThanOrEqualTo(1_000_000);
        assertThat(r.count("received")).as("received").isEqualTo(PAIRS * PER_PAIR);
        assertThat(r.count("lost")).as("lost").isZero();
        assertThat(r.count("duplicated")).as("duplicated").isZero();
        assertThat(r.count("reordered")).as("reordered").isZero();
        assertThat(r.count("gaps")).as("gaps").isZero();
        assertThat(r.count("wrong_sender")).as("wrong sender").isZero();
        assertThat(r.count("unexpected_frames"))
                .as("unexpected frames (errors)")
                .isZero();
        assertThat(r.count("closed_early")).as("connections lost").isZero();
    }
}
