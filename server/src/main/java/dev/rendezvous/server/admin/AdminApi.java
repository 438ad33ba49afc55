package dev.rendezvous.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import dev.rendezvous.server.http.StaticFiles;
import dev.rendezvous.server.hub.Hub;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The admin endpoints, all GET, served only when an admin token is configured:
 * <ul>
 *   <li>{@code /admin/api/nodes}: every node (id, address, started, connections, sessions, peerjs_sessions), the
 *       counts, and the admitted PeerJS clients ({@code peerjs}: each as in {@code sessions});
 *   <li>{@code /admin/api/rooms}: every room with its members (id, username, node);
 *   <li>{@code /admin/api/sessions}: every session (id, username, room, peer, state, connected since,
 *       frames and bytes in and out, remote address, node);
 *   <li>{@code /admin/} and {@code /admin/admin.js}: the live page, which asks for the token itself.
 * </ul>
 * An API request needs {@code Authorization: Bearer <token>} (else 401) and must not come from a page of
 * another origin (else 403): no CORS header is ever sent, so a foreign page can neither send the token
 * header (its preflight fails) nor read an answer. Thread-safe; never blocks.
 */
public final class AdminApi {
    public static final String PAGE = "/admin/";
    public static final String NODES = "/admin/api/nodes";
    public static final String ROOMS = "/admin/api/rooms";
    public static final String SESSIONS = "/admin/api/sessions";

    private final AdminToken token;
    private final LocalNode local;
    private final Hub hub;
    private final StaticFiles page;

    /** @param loader where the page's files are ({@code rendezvous-admin/}) */
    public AdminApi(AdminToken token, LocalNode local, Hub hub, ClassLoader loader) {
        this.token = token;
        this.local = local;
        this.hub = hub;
        this.page = new StaticFiles("rendezvous-admin", loader);
    }

    /** Every admin endpoint by exact path, to add to the server's HTTP endpoints. */
    public Map<String, HttpEndpoint> endpoints() {
        Map<String, HttpEndpoint> m = new LinkedHashMap<>();
        m.put("/admin", request -> redirect());
        m.put(PAGE, request -> pageFile("/index.html"));
        m.put("/admin/admin.js", request -> pageFile("/admin.js"));
        m.put("/admin/admin.css", request -> pageFile("/admin.css"));
        m.put(NODES, api(this::nodes));
        m.put(ROOMS, api(this::rooms));
        m.put(SESSIONS, api(this::sessions));
        return m;
    }

    /** This node's own view, as published to the cluster. */
    public CompletionStage<String> localView() {
        return local.view().thenApply(NodeView::write);
    }

    // ---- the three answers, from the merged views -----------------------------------------------------

    private ObjectNode nodes(Cluster c) {
        ObjectNode out = NodeView.JSON.createObjectNode();
        ArrayNode nodes = out.putArray("nodes");
        int connections = 0;
        int admitted = 0;
        int peerJs = 0;
        ArrayNode peerJsClients = NodeView.JSON.createArrayNode();
        for (ObjectNode v : c.views) {
            nodes.add(v.get("node"));
            connections += v.get("node").path("connections").asInt();
            admitted += v.get("node").path("sessions").asInt();
            peerJs += v.get("node").path("peerjs_sessions").asInt();
            for (JsonNode s : v.get("sessions")) {
                if (SessionSnapshot.PEERJS.equals(s.path("protocol").asText())
                        && "admitted".equals(s.path("state").asText())) {
                    peerJsClients.add(s);
                }
            }
        }
        Map<String, List<JsonNode>> rooms = roomsOf(c);
        ObjectNode counts = out.putObject("counts");
        counts.put("nodes", c.views.size());
        counts.put("connections", connections);
        counts.put("sessions", admitted);
        counts.put("peerjs_sessions", peerJs);
        counts.put("rooms", rooms.size());
        counts.put("room_members", rooms.values().stream().mapToInt(List::size).sum());
        out.set("peerjs", peerJsClients);
        out.put("complete", c.complete);
        return out;
    }

    private ObjectNode rooms(Cluster c) {
        ObjectNode out = NodeView.JSON.createObjectNode();
        ArrayNode rooms = out.putArray("rooms");
        roomsOf(c).forEach((name, members) -> {
            ObjectNode r = rooms.addObject();
            r.put("id", name);
            ArrayNode list = r.putArray("members");
            for (JsonNode s : members) {
                ObjectNode m = list.addObject();
                m.set("id", s.get("id"));
                m.set("username", s.get("username"));
                m.set("node", s.get("node"));
            }
        });
        out.put("complete", c.complete);
        return out;
    }

    private ObjectNode sessions(Cluster c) {
        ObjectNode out = NodeView.JSON.createObjectNode();
        ArrayNode list = out.putArray("sessions");
        for (ObjectNode v : c.views) {
            list.addAll((ArrayNode) v.get("sessions"));
        }
        out.put("complete", c.complete);
        return out;
    }

    /** Admitted room sessions grouped by room, rooms and members sorted by name. */
    private static Map<String, List<JsonNode>> roomsOf(Cluster c) {
        Map<String, List<JsonNode>> rooms = new TreeMap<>();
        for (ObjectNode v : c.views) {
            for (JsonNode s : v.get("sessions")) {
                if (s.hasNonNull("room") && "admitted".equals(s.path("state").asText())) {
                    rooms.computeIfAbsent(s.get("room").asText(), r -> new ArrayList<>())
                            .add(s);
                }
            }
        }
        rooms.values()
                .forEach(m -> m.sort(Comparator.comparing(s -> s.path("id").asText())));
        return rooms;
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    /** Every node's view: this one's fresh, the others' as last published; {@code complete} false when they could not be read. */
    private record Cluster(List<ObjectNode> views, boolean complete) {}

    private CompletionStage<Cluster> cluster() {
        CompletionStage<Cluster> merged = local.view()
                .thenCompose(own -> hub.otherViews().handle((others, error) -> {
                    List<ObjectNode> views = new ArrayList<>();
                    views.add(own);
                    String ownId = own.get("node").path("id").asText();
                    if (others != null) {
                        for (String json : others) {
                            ObjectNode v = NodeView.parse(json);
                            if (v != null && !v.get("node").path("id").asText().equals(ownId)) {
                                views.add(v);
                            }
                        }
                    }
                    views.subList(1, views.size())
                            .sort(Comparator.comparing(
                                    v -> v.get("node").path("id").asText()));
                    return new Cluster(views, error == null);
                }));
        return merged;
    }

    private HttpEndpoint api(Function<Cluster, ObjectNode> answer) {
        return new HttpEndpoint() {
            @Override
            public FullHttpResponse respond(FullHttpRequest request) {
                throw new UnsupportedOperationException("answered by respondAsync");
            }

            @Override
            public CompletionStage<FullHttpResponse> respondAsync(FullHttpRequest request) {
                FullHttpResponse refused = refusal(request);
                if (refused != null) {
                    return CompletableFuture.completedFuture(refused);
                }
                return cluster()
                        .thenApply(c ->
                                noStore(HttpResponses.json(HttpResponseStatus.OK, NodeView.write(answer.apply(c)))));
            }
        };
    }

    /** The refusal of a request the API must not answer, or null. */
    private FullHttpResponse refusal(FullHttpRequest request) {
        if (crossOrigin(request)) {
            return noStore(HttpResponses.text(
                    HttpResponseStatus.FORBIDDEN,
                    "the admin API answers no other origin: open /admin/ on this server"));
        }
        if (!token.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = HttpResponses.text(
                    HttpResponseStatus.UNAUTHORIZED,
                    "the admin API needs the admin token: Authorization: Bearer <admin-token>");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"rendezvous-admin\"");
            return noStore(r);
        }
        return null;
    }

    /**
     * Whether a browser sent this from a page of another origin: {@code Sec-Fetch-Site} says so, or the
     * {@code Origin} names another host than {@code Host}. Tools (curl, the CLI) send neither header.
     */
    static boolean crossOrigin(FullHttpRequest request) {
        String site = request.headers().get("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return true;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return false;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        int scheme = origin.indexOf("://");
        return host == null
                || scheme < 0
                || !origin.substring(scheme + 3).toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }

    private FullHttpResponse pageFile(String name) {
        return page.respond(name)
                .map(r -> {
                    r.headers().set("X-Frame-Options", "DENY");
                    r.headers().set("Referrer-Policy", "no-referrer");
                    return r;
                })
                .orElseGet(() ->
                        HttpResponses.text(HttpResponseStatus.NOT_FOUND, "the admin page is missing from this build"));
    }

    private static FullHttpResponse redirect() {
        FullHttpResponse r = HttpResponses.text(HttpResponseStatus.MOVED_PERMANENTLY, "see " + PAGE);
        r.headers().set(HttpHeaderNames.LOCATION, PAGE);
        return r;
    }

    private static FullHttpResponse noStore(FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }
}
