package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.Tokens;
import dev.rendezvous.testing.WsRecorder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code rendezvous serve} as a real process: prints its URL, serves, takes its settings from the
 * environment, and on SIGTERM closes every session with 1001 and exits promptly.
 */
class ServeCommandProcessTest {
    private static final Pattern LISTENING = Pattern.compile(
            "Rendezvous listening on (ws://127\\.0\\.0\\.1:(\\d+)/) \\(http://127\\.0\\.0\\.1:\\d+/\\)");

    private static Process serve(java.util.Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = CliProcess.builder("serve", args);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static Matcher listening(Process serve) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return m;
    }

    @Test
    void jwtSecretFromTheEnvironmentTurnsAuthOn() throws Exception {
        Process serve = serve(
                java.util.Map.of("RENDEZVOUS_JWT_SECRET", "cli-secret-of-at-least-32-bytes-long!"), "--port", "0");
        try {
            Matcher m = listening(serve);
            WsRecorder client = WsRecorder.connect(URI.create(m.group(1) + "ws/room1"));
            client.next(Message.AuthRequired.class);
            client.send(new Message.AuthToken(
                    Tokens.hs256(
                            "cli-secret-of-at-least-32-bytes-long!",
                            Tokens.claims("carol").build()),
                    null));
            assertThat(client.next(Message.AuthSuccess.class).user()).isEqualTo("carol");
            client.next(Message.YourId.class);
            client.next(Message.UsersInRoom.class);
            client.close();
        } finally {
            CliProcess.stop(serve, Duration.ofSeconds(10));
        }
    }

    @Test
    void servesPrintsItsUrlAndStopsCleanlyOnSigterm() throws Exception {
        Process serve = serve(
                java.util.Map.of("RENDEZVOUS_PING_INTERVAL_MS", "1234", "RENDEZVOUS_PING_TIMEOUT_MS", "5678"),
                "--port",
                "0");
        try {
            Matcher m = listening(serve);
            int port = Integer.parseInt(m.group(2));

            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            WsRecorder client = WsRecorder.connect(URI.create(m.group(1) + "ws"));
            Message.YourId id = client.next(Message.YourId.class);
            assertThat(id.pingIntervalMs())
                    .as("from RENDEZVOUS_PING_INTERVAL_MS")
                    .isEqualTo(1234);
            assertThat(id.pingTimeoutMs()).isEqualTo(5678);

            long start = System.nanoTime();
            serve.destroy(); // SIGTERM
            assertThat(client.awaitClose()).isEqualTo(1001);
            assertThat(serve.waitFor(10, TimeUnit.SECONDS))
                    .as("exits after SIGTERM")
                    .isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
        } finally {
            if (serve.isAlive()) {
                serve.destroyForcibly();
            }
        }
    }
}
