package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A command line that names its command gets a tree of that command alone, and behaves as the whole tree does. */
class MainCommandLineTest {

    static Stream<String> commands() {
        return Arrays.stream(Main.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name())
                .filter(name -> !name.equals("help"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aNamedCommandIsTheOnlyOneModelledAndItsHelpIsTheSame(String name) {
        CommandLine single = Main.commandLine(name, "--help");
        assertThat(single.getSubcommands()).containsOnlyKeys(name);
        assertThat(run(single, name, "--help")).isEqualTo(run(new CommandLine(new Main()), name, "--help"));
    }

    @Test
    void aUsageErrorReadsTheSameFromTheSingleCommandTree() {
        String[] args = {"serve", "--prot", "9000"};
        assertThat(run(Main.commandLine(args), args))
                .isEqualTo(run(new CommandLine(new Main()), args))
                .startsWith("2 rendezvous serve: unknown option --prot (did you mean --port?)");
    }

    @Test
    void theHelpCommandTheRootsOptionsAndAnUnknownNameGetEveryCommand() {
        int all = new CommandLine(new Main()).getSubcommands().size();
        for (String[] args : new String[][] {{}, {"help"}, {"help", "serve"}, {"--version"}, {"serv"}}) {
            assertThat(Main.commandLine(args).getSubcommands())
                    .as(String.join(" ", args))
                    .hasSize(all);
        }
        assertThat(run(Main.commandLine("serv"), "serv"))
                .startsWith("2 rendezvous: unknown command serv (did you mean serve?)");
    }

    /** Exit status, then what went to stdout and stderr. */
    private static String run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        Main.configure(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args) + " " + out;
    }
}
