package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API: off without a token, refused without the right one or from another origin, and with it
 * every node, room and session — on one node here, on two nodes on one Redis in cluster-redis (clients
 * then alternate between the nodes, and node 0 must show node 1's sessions too).
 */
class AdminApiTest {
    static final String TOKEN = "admin-token-for-tests-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFER = "{\"type\":\"offer\",\"sdp\":\"v=0\"}";

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.adminToken(TOKEN));

    @Test
    void withoutAnAdminTokenTheAdminApiAndPageDoNotExist() throws Exception {
        try (SignalingServer plain = SignalingServer.start(
                ServerConfig.builder().host("127.0.0.1").port(0).build())) {
            for (String path : List.of("/admin/api/nodes", "/admin/api/rooms", "/admin/api/sessions", "/admin/")) {
                HttpResponse<String> r = getFrom(plain, path, TOKEN);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void aMissingOrWrongTokenIs401AndAnotherOriginIs403WithoutCorsHeaders() throws Exception {
        HttpResponse<String> none = get("/admin/api/nodes", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get("/admin/api/sessions", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(get("/admin/api/rooms", "short").statusCode()).isEqualTo(401);
        HttpResponse<String> basic =
                getWithHeaders(server.httpUri("/admin/api/nodes"), "Authorization", "Basic " + TOKEN);
        assertThat(basic.statusCode()).isEqualTo(401);

        HttpResponse<String> foreign = getWithHeaders(
                server.httpUri("/admin/api/nodes"),
                "Authorization",
                "Bearer " + TOKEN,
                "Origin",
                "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> crossSite = getWithHeaders(
                server.httpUri("/admin/api/rooms"), "Authorization", "Bearer " + TOKEN, "Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);

        HttpResponse<String> ok = get("/admin/api/nodes", TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(ok.headers().firstValue("cache-control")).hasValue("no-store");
    }

    @Test
    void thePageIsServedWithoutTheTokenItAsksForIt() throws Exception {
        HttpResponse<String> page = get("/admin/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("admin.js");
        assertThat(get("/admin/admin.js", null).statusCode()).isEqualTo(200);
    }

    @Test
    void nodesRoomsAndSessionsCoverTheWholeCluster() throws Exception {
        // Clients alternate between the nodes (server.uri): with two nodes alice and carol sit on one, bob on the
        // other.
        WsRecorder alice = server.client(server.uri("/ws/standup?client_id=alice&username=Alice"));
        alice.next(Message.YourId.class);
        WsRecorder bob = server.client(server.uri("/ws/standup?client_id=bob&username=Bob"));
        bob.next(Message.YourId.class);
        WsRecorder carol = server.client(server.uri("/ws?client_id=carol"));
        carol.next(Message.YourId.class);
        alice.await(Message.UserJoined.class);
        bob.sendText(OFFER);
        alice.await(Message.Offer.class);

        int nodeCount = server.nodes().size();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode rooms = json("/admin/api/rooms");
            assertThat(rooms.get("complete").asBoolean()).isTrue();
            assertThat(rooms.get("rooms")).hasSize(1);
            JsonNode standup = rooms.get("rooms").get(0);
            assertThat(standup.get("id").asText()).isEqualTo("standup");
            assertThat(ids(standup.get("members"))).containsExactly("alice", "bob");
            assertThat(standup.get("members").get(0).get("username").asText()).isEqualTo("Alice");

            JsonNode nodes = json("/admin/api/nodes");
            assertThat(nodes.get("nodes")).hasSize(nodeCount);
            assertThat(nodes.get("counts").get("nodes").asInt()).isEqualTo(nodeCount);
            assertThat(nodes.get("counts").get("sessions").asInt()).isEqualTo(3);
            assertThat(nodes.get("counts").get("connections").asInt()).isEqualTo(3);
            assertThat(nodes.get("counts").get("rooms").asInt()).isEqualTo(1);
            assertThat(nodes.get("counts").get("room_members").asInt()).isEqualTo(2);
            for (JsonNode n : nodes.get("nodes")) {
                assertThat(n.get("address").asText()).startsWith("http://127.0.0.1:");
                assertThat(n.get("started").asLong()).isPositive();
            }

            JsonNode sessions = json("/admin/api/sessions").get("sessions");
            assertThat(ids(sessions)).containsExactlyInAnyOrder("alice", "bob", "carol");
            for (JsonNode s : sessions) {
                assertThat(s.get("state").asText()).isEqualTo("admitted");
                assertThat(s.get("remote_address").asText()).startsWith("127.0.0.1:");
                assertThat(s.get("connected_since").asLong()).isPositive();
                assertThat(s.get("frames_out").asLong()).isPositive(); // your_id at least
                if (s.get("id").asText().equals("bob")) {
                    assertThat(s.get("frames_in").asLong()).isEqualTo(1);
                    assertThat(s.get("bytes_in").asLong()).isEqualTo(OFFER.length());
                    assertThat(s.get("room").asText()).isEqualTo("standup");
                }
                if (s.get("id").asText().equals("carol")) {
                    assertThat(s.get("room").isNull()).isTrue();
                }
            }
            if (nodeCount > 1) {
                assertThat(sessions.findValuesAsText("node"))
                        .containsAll(nodes.get("nodes").findValuesAsText("id"));
            }
        });

        bob.close();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                ids(json("/admin/api/rooms").get("rooms").get(0).get("members")))
                        .containsExactly("alice"));
    }

    @Test
    void everyNodeAnswersForTheWholeClusterWithTheTokenAndRefusesWithoutIt() throws Exception {
        WsRecorder alice = server.client(server.uri("/ws?client_id=alice"));
        alice.next(Message.YourId.class);
        WsRecorder bob = server.client(server.uri("/ws?client_id=bob")); // the other node, when there are two
        bob.next(Message.YourId.class);
        List<SignalingServer> nodes = server.nodes();
        for (SignalingServer node : nodes) {
            for (String path : List.of("/admin/api/nodes", "/admin/api/rooms", "/admin/api/sessions")) {
                assertThat(getFrom(node, path, null).statusCode())
                        .as("%s on %s without a token", path, node.httpUri())
                        .isEqualTo(401);
                assertThat(getFrom(node, path, TOKEN + "x").statusCode())
                        .as("%s on %s, wrong token", path, node.httpUri())
                        .isEqualTo(401);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> sessions = getFrom(node, "/admin/api/sessions", TOKEN);
                assertThat(sessions.statusCode()).isEqualTo(200);
                assertThat(ids(JSON.readTree(sessions.body()).get("sessions")))
                        .containsExactlyInAnyOrder("alice", "bob");
                JsonNode counts = JSON.readTree(
                                getFrom(node, "/admin/api/nodes", TOKEN).body())
                        .get("counts");
                assertThat(counts.get("nodes").asInt()).isEqualTo(nodes.size());
                assertThat(counts.get("sessions").asInt()).isEqualTo(2);
            });
        }
    }

    private static HttpResponse<String> getFrom(SignalingServer node, String path, String token) throws Exception {
        return getWithHeaders(node.httpUri().resolve(path), bearer(token));
    }

    @Test
    void peerJsClientsAreListedWithTheirProtocol() throws Exception {
        // With two nodes the PeerJS clients sit on different nodes (server.uri alternates).
        WsRecorder v1 = server.client(server.uri("/ws?client_id=dave"));
        v1.next(Message.YourId.class);
        WsRecorder pj = server.client(server.uri("/peerjs?key=peerjs&id=pj-one&token=t&version=1.5.5"));
        assertThat(pj.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
        WsRecorder pj2 = server.client(server.uri("/peerjs?key=peerjs&id=pj-two&token=t&version=1.5.5"));
        assertThat(pj2.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
        pj.sendText("{\"type\":\"HEARTBEAT\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode nodes = json("/admin/api/nodes");
            assertThat(nodes.get("counts").get("sessions").asInt()).isEqualTo(3);
            assertThat(nodes.get("counts").get("peerjs_sessions").asInt()).isEqualTo(2);
            assertThat(ids(nodes.get("peerjs"))).containsExactlyInAnyOrder("pj-one", "pj-two");
            int perNode = 0;
            for (JsonNode n : nodes.get("nodes")) {
                perNode += n.get("peerjs_sessions").asInt();
            }
            assertThat(perNode).isEqualTo(2);

            JsonNode sessions = json("/admin/api/sessions").get("sessions");
            assertThat(ids(sessions)).containsExactlyInAnyOrder("dave", "pj-one", "pj-two");
            for (JsonNode s : sessions) {
                assertThat(s.get("protocol").asText())
                        .isEqualTo(s.get("id").asText().startsWith("pj-") ? "peerjs" : "v1");
                assertThat(s.get("state").asText()).isEqualTo("admitted");
                assertThat(s.get("remote_address").asText()).startsWith("127.0.0.1:");
                if (s.get("id").asText().equals("pj-one")) {
                    assertThat(s.get("frames_in").asLong()).isEqualTo(1);
                    assertThat(s.get("frames_out").asLong()).isEqualTo(1); // OPEN
                    assertThat(s.get("room").isNull()).isTrue();
                }
            }
        });
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path, TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return getWithHeaders(server.httpUri(path), bearer(token));
    }

    /** The {@code Authorization} header for {@code token}, or none for null. */
    private static String[] bearer(String token) {
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    /** GET {@code uri} with the given headers, as names and values in turn. */
    private static HttpResponse<String> getWithHeaders(URI uri, String... namesAndValues) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.header(namesAndValues[i], namesAndValues[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
