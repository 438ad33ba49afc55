package dev.rendezvous.cli;

import java.net.URI;
import picocli.CommandLine.Parameters;

/** The one positional argument of the commands that reach a server over HTTP: {@code doctor}, {@code status}, {@code rooms}. */
final class ServerArgument {

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "http://127.0.0.1:8765",
            converter = ServerAddress.Converter.class,
            description =
                    "The server: http://host:port, https://…, ws://host:port/ws, wss://… or host:port (default: ${DEFAULT-VALUE}).")
    ServerAddress address;

    /** The server's HTTP base URL. */
    URI http() {
        return address.http();
    }
}
