package dev.rendezvous.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code rendezvous} command: one subcommand per tool. */
@Command(
        name = "rendezvous",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "WebRTC signaling server and peer toolkit.",
        subcommands = {
            ServeCommand.class,
            ChatCommand.class,
            DoctorCommand.class,
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
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
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
