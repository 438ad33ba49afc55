package dev.rendezvous.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code rendezvous} command line as a child JVM on this test's class path, and how a test stops one. */
final class CliProcess {

    private CliProcess() {}

    /** {@code java -cp <the test class path> dev.rendezvous.cli.Main SUBCOMMAND ARGS}. */
    static ProcessBuilder builder(String subcommand, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.rendezvous.cli.Main",
                subcommand));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** SIGTERM (a graceful stop), then SIGKILL when it has not exited within {@code grace}. */
    static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }
}
