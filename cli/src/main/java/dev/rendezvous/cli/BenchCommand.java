package dev.rendezvous.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rendezvous bench}: not implemented yet. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Load generator for a protocol-v1 server.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rendezvous bench: not implemented yet");
        return 2;
    }
}
