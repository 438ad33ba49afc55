package dev.rendezvous.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rendezvous doctor}: not implemented yet. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Diagnoses a Rendezvous deployment.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rendezvous doctor: not implemented yet");
        return 2;
    }
}
