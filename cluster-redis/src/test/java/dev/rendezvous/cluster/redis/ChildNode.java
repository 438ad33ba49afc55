package dev.rendezvous.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster node in a child JVM ({@link NodeMain}) on the shared Redis, for tests that kill a node with
 * SIGKILL. Its output lines are read on a daemon thread (a child whose pipe fills would stall). Register it
 * as an extension: after each test the process is killed, whatever happened.
 */
final class ChildNode implements AfterEachCallback {
    /** How soon survivors notice a dead node: expiry of its key (TTL) + their next heartbeat (TTL/3) + slack. */
    static final Duration DEATH_NOTICED =
            TwoNodesOnRedis.NODE_TTL.plus(TwoNodesOnRedis.NODE_TTL.dividedBy(3)).plusMillis(1500);

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private Process process;

    /**
     * Starts node {@code nodeId}, with {@code extra} arguments of {@link NodeMain} ({@code print-detached});
     * returns its port once it listens.
     */
    int start(String nodeId, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                SharedRedis.get().uri(),
                nodeId,
                Long.toString(TwoNodesOnRedis.NODE_TTL.toMillis())));
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String l; (l = out.readLine()) != null; ) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        // the child died: nothing more to read
                    }
                },
                "child-node-output");
        reader.setDaemon(true);
        reader.start();
        String port = line("port=", Duration.ofSeconds(30));
        return Integer.parseInt(port.substring("port=".length()));
    }

    /** The child's next output line starting with {@code prefix}, skipping others; fails after {@code within}. */
    String line(String prefix, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(l).as("a child line starting with %s", prefix).isNotNull();
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    /** SIGKILL: no goodbye from the node. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
