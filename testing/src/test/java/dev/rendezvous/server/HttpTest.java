package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain HTTP on the WebSocket port: health, static files, refusals. */
class HttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void healthzReportsStatusUptimeAndConnections() throws Exception {
        server.admittedClient();
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode health = new ObjectMapper().readTree(r.body());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("uptime").isNumber()).isTrue();
        assertThat(health.get("connections").asInt()).isEqualTo(1);
    }

    @Test
    void staticFilesComeFromTheClasspathWebFolder() throws Exception {
        HttpResponse<String> r = get("/rendezvous-static-test.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("static file for HttpTest\n");
        HttpResponse<String> root = get("/");
        boolean hasIndex = getClass().getClassLoader().getResource("web/index.html") != null;
        assertThat(root.statusCode()).isEqualTo(hasIndex ? 200 : 404);
        if (hasIndex) {
            assertThat(root.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        }
    }

    @Test
    void unknownAndSneakyPathsAre404() throws Exception {
        assertThat(get("/nope.html").statusCode()).isEqualTo(404);
        assertThat(get("/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/%2e%2e/pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/.hidden").statusCode()).isEqualTo(404);
    }

    @Test
    void webSocketPathsWithoutUpgradeAre426AndOtherMethods405() throws Exception {
        assertThat(get("/ws").statusCode()).isEqualTo(426);
        assertThat(get("/ws/room").statusCode()).isEqualTo(426);
        HttpResponse<String> post = HTTP.send(
                HttpRequest.newBuilder(server.httpUri("/healthz"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void upgradeOnAnUnknownPathIs404() {
        assertThat(WsRecorder.refusedUpgradeStatus(server.uri("/elsewhere"))).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
