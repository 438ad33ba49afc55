package dev.rendezvous.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load generator against a server whose rate limit it exceeds: the refusals are counted as such, not as
 * losses or unexpected frames, the pairs are not closed for it, and the progress line's rate is the
 * summary's.
 */
class RateLimitedBenchTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.rateLimit(200, 20));

    @Test
    void refusalsAreCountedApartFromLosses() throws Exception {
        BenchOptions o = BenchOptions.defaults()
                .withScenario("relay")
                .withPort(server.port())
                .withLoad(4, 64, 0, 1)
                .withTiming(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(2))
                .withServerPid(-1);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchResult r = Bench.run(o, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(r.count("refused_by_server")).as("refused").isPositive();
        assertThat(r.count("received")).as("received").isPositive();
        assertThat(r.count("lost")).as("lost").isZero();
        assertThat(r.count("unexpected_frames")).as("unexpected frames").isZero();
        assertThat(r.count("closed_early")).as("closed early").isZero();
        assertThat(r.count("duplicated")).isZero();
        assertThat(r.count("reordered")).isZero();
        String lines = progress.toString(StandardCharsets.UTF_8);
        assertThat(lines).contains("avg").contains("refused");
    }
}
