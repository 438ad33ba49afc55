package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.WsRecorder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code rendezvous serve} as a real process: prints its URL, serves, takes its settings from the
 * environment, and on SIGTERM closes every session with 1001 and exits promptly.
 */
class ServeCommandProcessTest {
    private static final Pattern LISTENING = Pattern.compile("Rendezvous listening on (ws://127\\.0\\.0\\.1:(\\d+)/) \\(http://127\\.0\\.0\\.1:\\d+/\\)");

    @Test
    void servesPrintsItsUrlAndStopsCleanlyOnSigterm() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.rendezvous.cli.Main", "serve", "--port", "0"));
        pb.environment().put("RENDEZVOUS_PING_INTERVAL_MS", "1234");
        pb.environment().put("RENDEZVOUS_PING_TIMEOUT_MS", "5678");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process serve = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isNotNull();
            Matcher m = LISTENING.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            int port = Integer.parseInt(m.group(2));

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            WsRecorder client = WsRecorder.connect(URI.create(m.group(1) + "ws"));
            Message.YourId id = client.next(Message.YourId.class);
            assertThat(id.pingIntervalMs()).as("from RENDEZVOUS_PING_INTERVAL_MS").isEqualTo(1234);
            assertThat(id.pingTimeoutMs()).isEqualTo(5678);

            long start = System.nanoTime();
            serve.destroy(); // SIGTERM
            assertThat(client.awaitClose()).isEqualTo(1001);
            assertThat(serve.waitFor(10, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000);
        } finally {
            if (serve.isAlive()) {
                serve.destroyForcibly();
            }
        }
    }
}
