package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code status} and {@code rooms} share: the server, the admin token, {@code --json}, the time limit. */
final class AdminOptions {

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "http://127.0.0.1:8765",
            converter = ServerAddress.Converter.class,
            description =
                    "The server: http://host:port, https://…, ws://host:port/ws, wss://… or host:port (default: ${DEFAULT-VALUE}).")
    ServerAddress server;

    @Option(
            names = "--admin-token",
            defaultValue = "${env:RENDEZVOUS_ADMIN_TOKEN}",
            paramLabel = "SECRET",
            description = "The server's admin token (env: RENDEZVOUS_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the admin API's JSON instead of the table.")
    boolean json;

    @Option(
            names = "--timeout",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Time limit of the request (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The client, or null (and a sentence on {@code err}) when no token was given. */
    AdminClient client(PrintWriter err) {
        if (token == null || token.isBlank()) {
            err.println("rendezvous: no admin token: pass --admin-token <secret> or set RENDEZVOUS_ADMIN_TOKEN"
                    + " (the token the server was started with)");
            err.flush();
            return null;
        }
        return new AdminClient(server.http(), token.strip(), timeout);
    }

    /**
     * Reads {@code path} from the admin API and prints it: the JSON with {@code --json}, else {@code text} of it.
     * Exit status 0 when the server answered, 1 when it could not be read, 2 when no token was given.
     */
    int print(PrintWriter out, PrintWriter err, String path, Function<JsonNode, String> text)
            throws InterruptedException {
        AdminClient client = client(err);
        if (client == null) {
            return 2;
        }
        JsonNode answer;
        try {
            answer = client.get(path);
        } catch (AdminClient.AdminException e) {
            err.println("rendezvous: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.print(json ? answer.toPrettyString() + "\n" : text.apply(answer));
        out.flush();
        return 0;
    }
}
