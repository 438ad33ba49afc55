package dev.rendezvous.cli;

import dev.rendezvous.client.PeerOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code send} and {@code receive} share: those of every peer command, how long to wait, how to print. */
final class TransferFlags extends PeerFlags {
    /** Exit statuses of {@code send} and {@code receive} (also in their help and docs/files.md). */
    static final int OK = 0;

    static final int TRANSFER_FAILED = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int NOT_CONNECTED = 3;

    static final String EXIT_CODES =
            "Exit status: 0 every file transferred and verified; 1 a transfer failed or was refused;"
                    + " 2 bad arguments; 3 could not connect or pair (server unreachable, unknown code, timed out).";

    @Option(
            names = "--json",
            description =
                    "One JSON object per line on stdout (code, status, started, progress, done, failed), for scripts.")
    boolean json;

    @Option(names = "--plain", description = "Plain status lines on stderr even in a terminal (as when piped).")
    boolean plain;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Give up if no peer connects within this long (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    /** Files go between peers without a display name. */
    PeerOptions options(String clientId, String room) {
        return options(clientId, null, room);
    }

    /** The flags the other side needs to reach the same server the same way, as typed on a command line. */
    String forOtherSide() {
        List<String> args = new ArrayList<>();
        if (!server.lobby().toString().equals(DEFAULT_SERVER)) {
            args.add("--server " + server.lobby());
        }
        if (iceLoopback) {
            args.add("--ice-loopback");
        }
        return args.isEmpty() ? "" : " " + String.join(" ", args);
    }

    TransferOutput output() {
        return TransferOutput.forConsole(json, plain);
    }
}
