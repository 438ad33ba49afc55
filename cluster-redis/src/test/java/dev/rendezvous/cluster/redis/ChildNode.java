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

/**
 * A cluster node in a child JVM ({@link NodeMain}) on the shared Redis, for the tests that kill a node
 * outright: {@link #kill()} is SIGKILL, so the node says no goodbye. A daemon thread reads the child's output
 * lines; {@link #line} waits (bounded) for the next one with a prefix. Used from the test thread; closed after
 * the test.
 */
final class ChildNode implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private int port;

    private ChildNode(Process process) {
        this.process = process;
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
    }

    /**
     * Starts node {@code nodeId} with the cluster's node TTL and {@code extraArgs} (e.g. {@code print-detached});
     * returns once it printed its port (within 30 s).
     */
    static ChildNode start(String nodeId, String... extraArgs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                SharedRedis.get().uri(),
                nodeId,
                Long.toString(TwoNodesOnRedis.NODE_TTL.toMillis())));
        command.addAll(List.of(extraArgs));
        ChildNode node = new ChildNode(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
        try {
            node.port =
                    Integer.parseInt(node.line("port=", Duration.ofSeconds(30)).substring("port=".length()));
            return node;
        } catch (Throwable t) {
            node.close();
            throw t;
        }
    }

    int port() {
        return port;
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

    /** SIGKILL: no goodbye from the node; returns once the process is gone (bounded). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
