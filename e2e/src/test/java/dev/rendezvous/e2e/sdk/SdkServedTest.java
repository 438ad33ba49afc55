package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testing.ServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server serves the SDK at its stable URL, importable as a module from pages on other origins. */
class SdkServedTest {

    @RegisterExtension
    final ServerExtension server = ServerExtension.create();

    @Test
    void theModuleAndItsSiblingsAreServedWithCors() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String file :
                    new String[] {"rendezvous.js", "connection.js", "negotiation.js", "signaling.js", "rendezvous.d.ts"
                    }) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(server.httpUri("/sdk/" + file))
                                .header("Origin", "http://127.0.0.1:1")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(file).isEqualTo(200);
                assertThat(response.headers().firstValue("access-control-allow-origin"))
                        .as(file)
                        .hasValue("*");
            }
            HttpResponse<String> entry = http.send(
                    HttpRequest.newBuilder(server.httpUri("/sdk/rendezvous.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entry.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
            assertThat(entry.body()).contains("export class Rendezvous");
            // The page itself is not opened up to other origins.
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(server.httpUri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }
}
