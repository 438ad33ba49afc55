package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code rendezvous serve} run in this JVM with a given environment (so {@code --help}, {@code --print-config}
 * and configuration errors, which return before listening), keeping all it printed for the test to read.
 */
final class ServeRun {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** @return the exit status */
    int serve(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new ServeCommand(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /**
     * Serve refuses this configuration: exit status 2, and stderr (so far) contains {@code error}, which names
     * the offending key.
     */
    void assertRefused(String error, Map<String, String> env, String... args) {
        assertThat(serve(env, args)).as("exit status; stderr: %s", err).isEqualTo(2);
        assertThat(err()).contains(error);
    }

    /**
     * Serve prints its configuration ({@code args} then {@code --print-config}): exit status 0.
     *
     * @return everything printed on stdout so far
     */
    String printConfig(Map<String, String> env, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--print-config";
        assertThat(serve(env, all)).as("exit status; stderr: %s", err).isZero();
        return out();
    }

    /** Everything printed on stdout so far. */
    String out() {
        return out.toString();
    }

    /** Everything printed on stderr so far. */
    String err() {
        return err.toString();
    }
}
