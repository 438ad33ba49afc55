package dev.rendezvous.cli;

import dev.rendezvous.server.config.Suggestions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code rendezvous} command: one subcommand per tool. */
@Command(
        name = "rendezvous",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "WebRTC signaling server and peer toolkit.",
        subcommands = {
            ServeCommand.class,
            ChatCommand.class,
            SendCommand.class,
            ReceiveCommand.class,
            DoctorCommand.class,
            StatusCommand.class,
            RoomsCommand.class,
            TokenCommand.class,
            BenchCommand.class,
            TrainCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return configure(new CommandLine(new Main())).execute(args);
    }

    /** The command line's shared behaviour: usage errors as one sentence with a fix, not the usage text. */
    static CommandLine configure(CommandLine cli) {
        return cli.setCaseInsensitiveEnumValuesAllowed(true).setParameterExceptionHandler(Main::usageError);
    }

    /**
     * A usage error as a person should read it: {@code rendezvous serve: unknown option --prot (did you mean
     * --port?)} and where to find every option. picocli's own handler prints the whole usage text and
     * suggests by prefix, which sends {@code --prot} to {@code --print-config}.
     */
    static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String arg : unmatched.getUnmatched()) {
                parts.add(describeUnknown(cmd, arg));
            }
            message = String.join("; ", parts);
        }
        err.println(name + ": " + message);
        err.println("Run `" + name + " --help` for every option.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String describeUnknown(CommandLine cmd, String arg) {
        if (arg.startsWith("-")) {
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            return "unknown option " + option
                    + Suggestions.closest(
                                    option, cmd.getCommandSpec().optionsMap().keySet())
                            .map(k -> " (did you mean " + k + "?)")
                            .orElse("");
        }
        if (!cmd.getSubcommands().isEmpty()) {
            return "unknown command " + arg
                    + Suggestions.closest(arg, cmd.getSubcommands().keySet())
                            .map(k -> " (did you mean " + k + "?)")
                            .orElse("");
        }
        return "unexpected argument " + arg;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rendezvous " + (v == null ? "dev" : v)};
        }
    }
}
