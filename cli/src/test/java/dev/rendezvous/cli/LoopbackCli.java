package dev.rendezvous.cli;

import dev.rendezvous.testing.ChatProcess;
import dev.rendezvous.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer commands ({@code chat}, {@code send}, {@code receive}) as processes against a test server, peers
 * over loopback ICE: {@code --server <the server> ARGS --ice-loopback} and the output mode.
 */
final class LoopbackCli {

    private LoopbackCli() {}

    /** {@code rendezvous chat --server <server> ARGS --ice-loopback --plain}. */
    static ChatProcess chat(ServerFixture server, String... args) throws IOException {
        return ChatProcess.start(arguments(server, args, "--plain"));
    }

    /** {@code rendezvous SUBCOMMAND --server <server> ARGS --ice-loopback OUTPUT}; OUTPUT is {@code --plain} or {@code --json}. */
    static ChatProcess command(String subcommand, ServerFixture server, String output, String... args)
            throws IOException {
        return ChatProcess.command(subcommand, arguments(server, args, output));
    }

    private static String[] arguments(ServerFixture server, String[] args, String output) {
        List<String> all = new ArrayList<>(List.of("--server", server.lobby().toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--ice-loopback", output));
        return all.toArray(String[]::new);
    }
}
