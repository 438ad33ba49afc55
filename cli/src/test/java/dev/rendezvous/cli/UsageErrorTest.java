package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A mistyped command line gets one sentence naming what was meant, never the whole usage text. */
class UsageErrorTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.configure(new CommandLine(new Main()));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    /** Runs a command line that must be a usage error (exit status 2), told without the usage text. */
    private String usageError(String... args) {
        assertThat(run(args)).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("Usage:");
        return err.toString();
    }

    @Test
    void aSwappedLetterInAnOptionSuggestsTheOptionMeant() {
        assertThat(usageError("serve", "--prot", "9000"))
                .startsWith("rendezvous serve: unknown option --prot (did you mean --port?)")
                .contains("Run `rendezvous serve --help` for every option.")
                .doesNotContain("--print-config");
    }

    @Test
    void aMistypedCommandSuggestsTheCommand() {
        assertThat(usageError("serv")).startsWith("rendezvous: unknown command serv (did you mean serve?)");
    }

    @Test
    void aBadServerAddressInChatIsOneSentence() {
        assertThat(usageError("chat", "--server", "ftp://127.0.0.1:1"))
                .contains("rendezvous chat: Invalid value for option '--server': unsupported scheme \"ftp\"")
                .doesNotContain("Exception");
    }

    @Test
    void theCommandListGivesEachCommandAWholeSentence() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.configure(new CommandLine(new Main()));
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        String commands = out.toString().substring(out.toString().indexOf("Commands:"));
        // One entry per command; a summary too long for the terminal wraps onto indented lines.
        for (String entry : commands.split("\n  (?=[a-z])")) {
            if (!entry.startsWith("Commands:")) {
                assertThat(entry.strip().replaceAll("\\s+", " "))
                        .as("summary of a command")
                        .endsWith(".");
            }
        }
    }
}
