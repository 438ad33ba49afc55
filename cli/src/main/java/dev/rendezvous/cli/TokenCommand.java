package dev.rendezvous.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rendezvous token}: not implemented yet. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Mints an HS256 token for trying auth.")
final class TokenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rendezvous token: not implemented yet");
        return 2;
    }
}
