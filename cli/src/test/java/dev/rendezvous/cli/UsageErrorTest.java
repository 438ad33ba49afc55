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

    @Test
    void aSwappedLetterInAnOptionSuggestsTheOptionMeant() {
        assertThat(run("serve", "--prot", "9000")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("rendezvous serve: unknown option --prot (did you mean --port?)")
                .contains("Run `rendezvous serve --help` for every option.")
                .doesNotContain("--print-config")
                .doesNotContain("Usage:");
    }

    @Test
    void aMistypedCommandSuggestsTheCommand() {
        assertThat(run("serv")).isEqualTo(2);
        assertThat(err.toString()).startsWith("rendezvous: unknown command serv (did you mean serve?)");
    }

    @Test
    void aBadServerAddressInChatIsOneSentence() {
        assertThat(run("chat", "--server", "ftp://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString())
                .contains("rendezvous chat: Invalid value for option '--server': unsupported scheme \"ftp\"")
                .doesNotContain("Exception")
                .doesNotContain("Usage:");
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
