package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.protocol.MessageCodec;
import dev.rendezvous.testing.tls.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-cert/--tls-key serve https and wss on the one port, with a certificate the test generates. */
class TlsServeTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsAndWssOnTheSamePort() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir);
        try (OpsServer server = tlsServer(cert);
                HttpClient client = HttpClient.newBuilder()
                        .sslContext(cert.clientContext())
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            int port = server.server().port();
            assertThat(server.server().lobbyUri().getScheme()).isEqualTo("wss");

            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");

            CompletableFuture<String> firstFrame = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            firstFrame.complete(data.toString());
                            return null;
                        }
                    })
                    .get(5, TimeUnit.SECONDS);
            try {
                assertThat(MessageCodec.decode(firstFrame.get(5, TimeUnit.SECONDS)))
                        .isInstanceOf(Message.YourId.class);
            } finally {
                ws.abort();
            }
        }
    }

    @Test
    void plainHttpAndUntrustingClientsAreRefused() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir);
        try (OpsServer server = tlsServer(cert);
                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            int port = server.server().port();
            HttpRequest overHttp = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            HttpRequest overHttps = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(5))
                    .build();

            assertThatThrownBy(() -> plain.send(overHttp, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            // The JDK's default trust store does not know the test certificate.
            assertThatThrownBy(() -> plain.send(overHttps, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void doctorExplainsAnUntrustedCertificate() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir);
        try (OpsServer server = OpsServer.start(Map.of(
                ServeSettings.TLS_CERT.key(), cert.certFile().toString(),
                ServeSettings.TLS_KEY.key(), cert.keyFile().toString()))) {
            java.io.StringWriter out = new java.io.StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new DoctorCommand());
            cli.setOut(new java.io.PrintWriter(out, true));

            int exit = cli.execute("https://127.0.0.1:" + server.server().port(), "--timeout", "3s");

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString())
                    .contains("✗ HTTP reachable")
                    .contains("is not trusted by this JVM (self-signed or a private CA?");
        }
    }

    /** A server on 127.0.0.1 serving https and wss with {@code cert}. */
    private static OpsServer tlsServer(TestCertificate cert) throws InterruptedException {
        return OpsServer.start(Map.of(
                ServeSettings.TLS_CERT.key(), cert.certFile().toString(),
                ServeSettings.TLS_KEY.key(), cert.keyFile().toString()));
    }
}
