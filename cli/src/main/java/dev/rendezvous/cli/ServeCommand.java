package dev.rendezvous.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rendezvous serve}: not implemented yet. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the signaling server.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rendezvous serve: not implemented yet");
        return 2;
    }
}
