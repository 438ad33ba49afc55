package dev.rendezvous.server.peerjs;

import static dev.rendezvous.server.peerjs.PeerJsWire.json;
import static dev.rendezvous.server.peerjs.PeerJsWire.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.testing.ServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PeerJS HTTP API: /id, /peers, /ice-servers, CORS, and what stays v1's. Real sockets. */
class PeerJsHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    class Defaults {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create();

        @Test
        void idIsAFreshIdAsTextWithCors() throws Exception {
            HttpResponse<String> r =
                    get(server.httpUri("/peerjs/id?ts=1&version=1.5.5"), "Origin", "http://localhost:5173");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:5173");
            assertThat(r.body()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(get(server.httpUri("/peerjs/id")).body()).isNotEqualTo(r.body());
            // the server's origin policy covers PeerJS too: a page of a foreign origin is refused until configured
            assertThat(get(server.httpUri("/peerjs/id"), "Origin", "http://app.example")
                            .statusCode())
                    .isEqualTo(403);
        }

        @Test
        void anyKeySegmentGetsAnIdAsPeerjsServerDoes() throws Exception {
            assertThat(get(server.httpUri("/other/id")).statusCode()).isEqualTo(200);
        }

        @Test
        void peersIsRefusedWithoutDiscovery() throws Exception {
            open(server, "a", "t");
            HttpResponse<String> r = get(server.httpUri("/peerjs/peers"));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("Unauthorized");
        }

        @Test
        void preflightAnswersAsCorsOriginTrue() throws Exception {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(server.httpUri("/peerjs/id"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "http://localhost:5173")
                            .header("Access-Control-Request-Method", "GET")
                            .header("Access-Control-Request-Headers", "x-custom")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:5173");
            assertThat(r.headers().firstValue("access-control-allow-methods"))
                    .hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
            assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("x-custom");
        }

        @Test
        void theRootStaysThePageAndTheLobby() throws Exception {
            HttpResponse<String> r = get(server.httpUri("/"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(r.body()).doesNotContain("PeerJS Server");
            server.admittedClient(); // v1 lobby at / and /ws
        }

        @Test
        void thePeerJsSocketPathWithoutUpgradeSays426() throws Exception {
            assertThat(get(server.httpUri("/peerjs")).statusCode()).isEqualTo(426);
        }

        @Test
        void iceServersAreEmptyByDefault() throws Exception {
            HttpResponse<String> r = get(server.httpUri("/peerjs/ice-servers"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[]");
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        }
    }

    @Nested
    class Customised {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.peerJs(
                        PeerJsConfig.DEFAULT.withPath("/myapp").withKey("k1").withAllowDiscovery(true))
                .iceServers(id -> List.of(new IceServer(List.of("turn:127.0.0.1:3478"), "u-" + id, "secret"))));

        @Test
        void pathAndKeyMoveEverything() throws Exception {
            assertThat(get(server.httpUri("/myapp/k1/id")).statusCode()).isEqualTo(200);
            assertThat(get(server.httpUri("/peerjs/id")).statusCode()).isEqualTo(404);
            HttpResponse<String> info = get(server.httpUri("/myapp"));
            assertThat(json(info.body()).path("name").asText()).isEqualTo("PeerJS Server");
            var ws = server.client(server.uri("/myapp/peerjs?key=k1&id=a&token=t"));
            assertThat(ws.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
            var wrong = server.client(server.uri("/myapp/peerjs?key=peerjs&id=b&token=t"));
            assertThat(json(wrong.nextText()).path("payload").path("msg").asText())
                    .isEqualTo("Invalid key provided");
        }

        @Test
        void peersListsConnectedIdsWhenDiscoveryIsAllowed() throws Exception {
            server.client(server.uri("/myapp/peerjs?key=k1&id=a&token=t")).nextText();
            server.client(server.uri("/myapp/peerjs?key=k1&id=b&token=t")).nextText();
            HttpResponse<String> r = get(server.httpUri("/myapp/k1/peers"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r.body())).containsExactlyInAnyOrder(json("\"a\""), json("\"b\""));
        }

        @Test
        void iceServersAreMintedForTheIdAsked() throws Exception {
            HttpResponse<String> r = get(server.httpUri("/myapp/k1/ice-servers?id=alice"));
            assertThat(json(r.body()))
                    .isEqualTo(
                            json(
                                    "[{\"urls\":[\"turn:127.0.0.1:3478\"],\"username\":\"u-alice\",\"credential\":\"secret\"}]"));
        }
    }

    @Nested
    class BesideTheServersOwnEndpoints {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.httpEndpoint(
                "/api/ice-servers",
                request -> dev.rendezvous.server.http.HttpResponses.json(
                        io.netty.handler.codec.http.HttpResponseStatus.OK, "{\"ice_servers\":[]}")));

        @Test
        void anEndpointOfTheServerIsNeverShadowedByAPeerJsKeySegment() throws Exception {
            // With path "/", /api/ice-servers looks like {path}{key}/ice-servers with key "api": the server's own wins.
            assertThat(get(server.httpUri("/api/ice-servers")).body()).isEqualTo("{\"ice_servers\":[]}");
            assertThat(get(server.httpUri("/peerjs/ice-servers")).body()).isEqualTo("[]");
        }
    }

    @Nested
    class Disabled {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.peerJs(PeerJsConfig.DISABLED));

        @Test
        void nothingIsServed() throws Exception {
            assertThat(get(server.httpUri("/peerjs/id")).statusCode()).isEqualTo(404);
            assertThat(dev.rendezvous.testing.WsRecorder.refusedUpgradeStatus(
                            server.uri(PeerJsWire.query("peerjs", "a", "t"))))
                    .isEqualTo(404);
        }
    }
}
