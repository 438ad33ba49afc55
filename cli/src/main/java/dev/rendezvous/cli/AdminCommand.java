package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that reads one path of the admin API and prints it ({@code status}, {@code rooms}): the server,
 * the admin token, {@code --json} and the time limit are this class's options; a subclass names the path and
 * how its JSON reads as text.
 */
abstract class AdminCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServerArgument server;

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
    private AdminClient client(PrintWriter err) {
        if (token == null || token.isBlank()) {
            err.println("rendezvous: no admin token: pass --admin-token <secret> or set RENDEZVOUS_ADMIN_TOKEN"
                    + " (the token the server was started with)");
            err.flush();
            return null;
        }
        return new AdminClient(server.http(), token.strip(), timeout);
    }

    private final String path;

    /** @param path what the command reads, e.g. {@code /admin/api/nodes} */
    AdminCommand(String path) {
        this.path = path;
    }

    /** The admin API's answer as the table the command prints without {@code --json}. */
    abstract String text(JsonNode answer);

    /**
     * Reads the path from the admin API and prints it: the JSON with {@code --json}, else {@link #text} of it.
     * Exit status 0 when the server answered, 1 when it could not be read, 2 when no token was given.
     */
    @Override
    public final Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
        out.print(json ? answer.toPrettyString() + "\n" : text(answer));
        out.flush();
        return 0;
    }
}
