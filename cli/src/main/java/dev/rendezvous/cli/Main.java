package dev.rendezvous.cli;

import dev.rendezvous.server.config.Suggestions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
        int code = run(args);
        try {
            NativeExitNoise.silenceStdoutBeforeExit();
        } finally {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return configure(commandLine(args)).execute(args);
    }

    /**
     * The command tree for {@code args}: when they start with a command's name, the root with that command
     * alone. picocli builds every command's model by reflection when the tree is made, and its classes
     * (compiled for Java 5) are verified anew at every start because the AOT cache cannot hold them: with
     * all eleven commands that was the largest part of the JVM's time before {@code serve} listened
     * (docs/benchmarks-history.md, "A fresh server, third pass"). The help command, the root's own options
     * and an unknown name (which gets a suggestion from the list) need the whole tree.
     */
    static CommandLine commandLine(String... args) {
        Class<?> only = args.length == 0 ? null : command(args[0]);
        if (only == null) {
            return new CommandLine(new Main());
        }
        CommandLine root = new CommandLine(CommandSpec.wrapWithoutInspection(new Main())
                .name(Main.class.getAnnotation(Command.class).name())
                .versionProvider(new Version())
                .mixinStandardHelpOptions(true));
        return root.addSubcommand(args[0], new CommandLine(only)); // made here, so that its model transformer runs once
    }

    /** The class of the command named {@code name}, or null for none and for the help command. */
    private static Class<?> command(String name) {
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            if (c.getAnnotation(Command.class).name().equals(name)
                    && !CommandLine.IHelpCommandInitializable2.class.isAssignableFrom(c)) {
                return c;
            }
        }
        return null;
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
