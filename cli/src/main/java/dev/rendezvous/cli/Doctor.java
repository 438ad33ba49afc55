package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.cli.stun.StunProbe;
import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.ice.IceUrl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Runs {@code rendezvous doctor}'s checks against one server, in order, each building on what the
 * previous ones found: HTTP, {@code /healthz}, the ICE servers endpoint, WebSocket admission, the PeerJS
 * endpoint ({@link DoctorPeerJs}), each
 * STUN/TURN server, two in-process peers, round-trip time. A check whose prerequisite failed is
 * reported as not run (and counts as failed). Runs on the caller's thread; blocking.
 */
final class Doctor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RTT_SAMPLES = 5;

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;
    private final PeerCheck peerCheck;
    private final String peerJsPath;
    private final String peerJsKey;
    private final List<DoctorCheck> results = new ArrayList<>();

    /** The two-peer data channel check, separate so the doctor runs (and is tested) without WebRTC. */
    interface PeerCheck {
        DoctorCheck run(URI webSocket, Optional<String> token, Duration timeout);
    }

    /** @param peerJsPath the PeerJS mount path and {@code peerJsKey} its key (auth off), for {@link DoctorPeerJs} */
    Doctor(
            URI base,
            Optional<String> token,
            Duration timeout,
            HttpClient http,
            PeerCheck peerCheck,
            String peerJsPath,
            String peerJsKey) {
        this.peerJsPath = peerJsPath;
        this.peerJsKey = peerJsKey;
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = http;
        this.peerCheck = peerCheck;
    }

    List<DoctorCheck> run() throws InterruptedException {
        boolean reachable = add(httpReachable());
        if (!reachable) {
            String why = "the server is not reachable over HTTP";
            results.add(DoctorCheck.skipped("/healthz", why));
            results.add(DoctorCheck.skipped("ICE servers endpoint", why));
            results.add(DoctorCheck.skipped("WebSocket admission", why));
            results.add(DoctorCheck.skipped(DoctorPeerJs.NAME, why));
            results.add(DoctorCheck.skipped("peers pair and open a data channel", why));
            results.add(DoctorCheck.skipped("round-trip time", why));
            return List.copyOf(results);
        }
        add(healthz());
        Optional<List<IceServer>> fromEndpoint = iceServersEndpoint();
        Admission admission = webSocketAdmission();
        results.add(admission.check());
        results.add(new DoctorPeerJs(base, token, timeout, http, peerJsPath, peerJsKey, this::explain).run());
        List<IceServer> iceServers =
                fromEndpoint.or(() -> admission.iceServers()).orElse(List.of());
        iceServerChecks(
                iceServers, fromEndpoint.isPresent() || admission.iceServers().isPresent());
        if (admission.check().ok()) {
            results.add(peerCheck.run(webSocketUri(), token, timeout.multipliedBy(3)));
            results.add(roundTrip());
        } else {
            results.add(DoctorCheck.skipped("peers pair and open a data channel", "WebSocket admission failed"));
            results.add(DoctorCheck.skipped("round-trip time", "WebSocket admission failed"));
        }
        return List.copyOf(results);
    }

    private boolean add(DoctorCheck check) {
        results.add(check);
        return check.ok();
    }

    // --- HTTP -----------------------------------------------------------------------------------

    private DoctorCheck httpReachable() throws InterruptedException {
        String name = "HTTP reachable";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = get(base.resolve("/"), false);
            return DoctorCheck.pass(name, "HTTP " + response.statusCode() + " from " + base.resolve("/"), since(start));
        } catch (IOException e) {
            return DoctorCheck.fail(name, explain(e), since(start));
        }
    }

    private DoctorCheck healthz() throws InterruptedException {
        String name = "/healthz";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = get(base.resolve("/healthz"), false);
            String body = abbreviate(response.body().strip(), 80);
            return response.statusCode() == 200
                    ? DoctorCheck.pass(name, "200 " + body, since(start))
                    : DoctorCheck.fail(
                            name, "HTTP " + response.statusCode() + " " + body + " (expected 200)", since(start));
        } catch (IOException e) {
            return DoctorCheck.fail(name, explain(e), since(start));
        }
    }

    private Optional<List<IceServer>> iceServersEndpoint() throws InterruptedException {
        String name = "ICE servers endpoint";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = get(base.resolve("/api/ice-servers"), true);
            int status = response.statusCode();
            if (status == 401) {
                results.add(DoctorCheck.fail(
                        name,
                        token.isPresent()
                                ? "401: the server refused the token (expired, wrong secret, issuer or audience?)"
                                : "401: the server requires a token; pass --token (mint one with `rendezvous token`)",
                        since(start)));
                return Optional.empty();
            }
            if (status != 200) {
                results.add(DoctorCheck.fail(
                        name, "HTTP " + status + " from /api/ice-servers (expected 200)", since(start)));
                return Optional.empty();
            }
            List<IceServer> servers =
                    parseIceServers(JSON.readTree(response.body()).path("ice_servers"));
            results.add(
                    servers.isEmpty()
                            ? DoctorCheck.warn(
                                    name,
                                    "no STUN/TURN servers configured: peers only reach each other on the same network"
                                            + " (start the server with --ice-server stun:HOST:PORT, or a TURN server with --turn-secret, for peers on other networks)",
                                    since(start))
                            : DoctorCheck.pass(name, describe(servers), since(start)));
            return Optional.of(servers);
        } catch (IOException | IllegalArgumentException e) {
            results.add(DoctorCheck.fail(name, explain(e), since(start)));
            return Optional.empty();
        }
    }

    static List<IceServer> parseIceServers(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("the answer has no \"ice_servers\" array");
        }
        List<IceServer> servers = new ArrayList<>();
        for (JsonNode entry : array) {
            JsonNode urls = entry.path("urls");
            List<String> list = new ArrayList<>();
            if (urls.isTextual()) {
                list.add(urls.textValue());
            } else {
                urls.forEach(u -> list.add(u.asText()));
            }
            servers.add(new IceServer(list, textOrNull(entry, "username"), textOrNull(entry, "credential")));
        }
        return servers;
    }

    private static String describe(List<IceServer> servers) {
        long stun = servers.stream()
                .flatMap(s -> s.urls().stream())
                .filter(u -> u.startsWith("stun"))
                .count();
        long turn = servers.stream()
                .flatMap(s -> s.urls().stream())
                .filter(u -> u.startsWith("turn"))
                .count();
        return stun + " STUN and " + turn + " TURN URL(s)";
    }

    // --- STUN / TURN ----------------------------------------------------------------------------

    private void iceServerChecks(List<IceServer> servers, boolean known) {
        if (!known) {
            results.add(DoctorCheck.skipped(
                    "STUN/TURN servers", "neither the ICE servers endpoint nor your_id listed them"));
            return;
        }
        for (IceServer server : servers) {
            for (String url : server.urls()) {
                results.add(iceServerCheck(url, server));
            }
        }
    }

    private DoctorCheck iceServerCheck(String url, IceServer server) {
        IceUrl parsed;
        try {
            parsed = IceUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return DoctorCheck.fail("ICE " + url, e.getMessage(), Duration.ZERO);
        }
        if (!parsed.scheme().isTurn()) {
            String name = "STUN " + url;
            return switch (StunProbe.binding(parsed, timeout)) {
                case StunProbe.Result.Bound b ->
                    DoctorCheck.pass(
                            name,
                            "binding answered: we appear as "
                                    + b.mapped().getAddress().getHostAddress() + ":"
                                    + b.mapped().getPort(),
                            b.elapsed());
                case StunProbe.Result.Refused r ->
                    DoctorCheck.fail(name, "binding refused: " + r.code() + " " + r.reason(), r.elapsed());
                case StunProbe.Result.NoAnswer n -> DoctorCheck.fail(name, n.reason(), n.elapsed());
                case StunProbe.Result.Allocated a ->
                    DoctorCheck.fail(name, "unexpected allocation answer", a.elapsed());
            };
        }
        String name = "TURN " + url;
        if (server.username() == null || server.credential() == null) {
            return DoctorCheck.fail(name, "the server hands out this TURN URL without credentials", Duration.ZERO);
        }
        return switch (StunProbe.allocate(parsed, server.username(), server.credential(), timeout)) {
            case StunProbe.Result.Allocated a ->
                DoctorCheck.pass(
                        name,
                        "allocation granted with the handed-out credential: relay "
                                + a.relayed().getAddress().getHostAddress() + ":"
                                + a.relayed().getPort(),
                        a.elapsed());
            case StunProbe.Result.Refused r ->
                DoctorCheck.fail(
                        name,
                        "allocation refused: " + r.code() + " " + r.reason()
                                + (r.code() == 401
                                        ? " (the server's --turn-secret differs from coturn's static-auth-secret, or clocks differ)"
                                        : ""),
                        r.elapsed());
            case StunProbe.Result.NoAnswer n -> DoctorCheck.fail(name, n.reason(), n.elapsed());
            case StunProbe.Result.Bound b -> DoctorCheck.fail(name, "unexpected binding answer", b.elapsed());
        };
    }

    // --- WebSocket ------------------------------------------------------------------------------

    /** The admission check and what {@code your_id} said. */
    private record Admission(DoctorCheck check, Optional<List<IceServer>> iceServers) {}

    private Admission webSocketAdmission() throws InterruptedException {
        String name = "WebSocket admission";
        long start = System.nanoTime();
        URI uri = webSocketUri();
        try (DoctorSocket socket = DoctorSocket.open(http, uri, timeout)) {
            boolean sentToken = false;
            String user = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                DoctorSocket.Event event = socket.next(remaining(deadline));
                switch (event) {
                    case null -> {
                        return new Admission(
                                DoctorCheck.fail(name, "no your_id within " + timeout.toMillis() + " ms", since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Received(Message.AuthRequired ignored) -> {
                        if (token.isEmpty()) {
                            return new Admission(
                                    DoctorCheck.fail(
                                            name,
                                            "the server requires a token (auth_required); pass --token",
                                            since(start)),
                                    Optional.empty());
                        }
                        socket.send(new Message.AuthToken(token.get(), null));
                        sentToken = true;
                    }
                    case DoctorSocket.Event.Received(Message.AuthSuccess success) -> user = success.user();
                    case DoctorSocket.Event.Received(Message.YourId yourId) -> {
                        String how =
                                sentToken ? "token accepted" + (user == null ? "" : " as " + user) + ", " : "no auth, ";
                        return new Admission(
                                DoctorCheck.pass(name, how + "your_id " + yourId.id() + " at " + uri, since(start)),
                                Optional.of(yourId.iceServers()));
                    }
                    case DoctorSocket.Event.Received(Message.Error error) -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "error " + error.code().wireName() + ": " + error.message(),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Received other -> {
                        /* ping and the like: keep waiting */
                    }
                    case DoctorSocket.Event.Undecodable u -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "the server sent a frame that is not protocol v1: " + u.problem(),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Closed closed -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "closed with " + closed.code() + describeClose(closed.code())
                                                + (closed.reason().isEmpty() ? "" : " (" + closed.reason() + ")"),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Failed failed -> {
                        return new Admission(
                                DoctorCheck.fail(name, explain(failed.error()), since(start)), Optional.empty());
                    }
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new Admission(DoctorCheck.fail(name, explain(e), since(start)), Optional.empty());
        }
    }

    /** Signaling round trip: client ping → server pong, {@value #RTT_SAMPLES} times on an admitted session. */
    private DoctorCheck roundTrip() throws InterruptedException {
        String name = "round-trip time";
        long start = System.nanoTime();
        try (DoctorSocket socket = DoctorSocket.open(http, webSocketUri(), timeout)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!awaitAdmitted(socket, deadline)) {
                return DoctorCheck.fail(name, "the second session was not admitted", since(start));
            }
            long[] samples = new long[RTT_SAMPLES];
            for (int i = 0; i < RTT_SAMPLES; i++) {
                long sent = System.nanoTime();
                socket.send(new Message.Ping());
                if (!awaitPong(socket, deadline)) {
                    return DoctorCheck.fail(
                            name,
                            "no pong for ping " + (i + 1) + " within " + timeout.toMillis() + " ms",
                            since(start));
                }
                samples[i] = System.nanoTime() - sent;
            }
            Arrays.sort(samples);
            return DoctorCheck.pass(
                    name,
                    String.format(
                            java.util.Locale.ROOT,
                            "signaling ping→pong median %.2f ms (min %.2f, max %.2f, %d samples)",
                            samples[RTT_SAMPLES / 2] / 1e6,
                            samples[0] / 1e6,
                            samples[RTT_SAMPLES - 1] / 1e6,
                            RTT_SAMPLES),
                    since(start));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return DoctorCheck.fail(name, explain(e), since(start));
        }
    }

    private boolean awaitAdmitted(DoctorSocket socket, long deadline) throws InterruptedException {
        while (true) {
            DoctorSocket.Event event = socket.next(remaining(deadline));
            if (event == null
                    || event instanceof DoctorSocket.Event.Closed
                    || event instanceof DoctorSocket.Event.Failed) {
                return false;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.AuthRequired ignored)) {
                if (token.isEmpty()) {
                    return false;
                }
                socket.send(new Message.AuthToken(token.get(), null));
            } else if (event instanceof DoctorSocket.Event.Received(Message.YourId ignored)) {
                return true;
            }
        }
    }

    private static boolean awaitPong(DoctorSocket socket, long deadline) throws InterruptedException {
        while (true) {
            DoctorSocket.Event event = socket.next(remaining(deadline));
            if (event == null
                    || event instanceof DoctorSocket.Event.Closed
                    || event instanceof DoctorSocket.Event.Failed) {
                return false;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.Pong ignored)) {
                return true;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.Ping ignored)) {
                socket.send(new Message.Pong()); // the server's own keepalive
            }
        }
    }

    URI webSocketUri() {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + base.getRawAuthority() + "/ws");
    }

    // --- helpers --------------------------------------------------------------------------------

    private HttpResponse<String> get(URI uri, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (withToken) {
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String describeClose(int code) {
        return CloseCode.of(code)
                .map(c -> switch (c) {
                    case AUTH_FAILED -> " (auth failed: wrong, expired or missing token)";
                    case ID_TAKEN -> " (id taken)";
                    case KEEPALIVE_TIMEOUT -> " (keepalive timeout)";
                    case RESUMED_ELSEWHERE -> " (session resumed on another connection)";
                    case RATE_LIMITED -> " (rate limited)";
                    case GOING_AWAY -> " (server going away)";
                    case MESSAGE_TOO_LARGE -> " (message too large)";
                    case INTERNAL_ERROR -> " (server error)";
                    case NORMAL -> "";
                })
                .orElse("");
    }

    /** One sentence for a failed connection, naming the likely cause. */
    String explain(Throwable e) {
        Throwable root = e;
        // Unwrap the async layers and plain IOExceptions that only wrap a more precise one; stop at a
        // precise one (the JDK's ConnectException wraps a meaningless ClosedChannelException).
        while (root.getCause() != null
                && root.getCause() != root
                && (root instanceof java.util.concurrent.ExecutionException
                        || root instanceof java.util.concurrent.CompletionException
                        || (root.getClass() == IOException.class && root.getCause() instanceof IOException))) {
            root = root.getCause();
        }
        String where = base.getHost() + ":" + port();
        return switch (root) {
            case HttpConnectTimeoutException t ->
                "connecting to " + where + " timed out after " + timeout.toMillis() + " ms";
            case HttpTimeoutException t -> "no answer from " + where + " within " + timeout.toMillis() + " ms";
            case ConnectException c -> "connection refused at " + where + ": is `rendezvous serve` running there?";
            case UnknownHostException u -> "cannot resolve host " + base.getHost();
            case UnresolvedAddressException u -> "cannot resolve host " + base.getHost();
            case SSLHandshakeException s
            when String.valueOf(s.getMessage()).contains("PKIX path building failed") ->
                "the certificate of " + where + " is not trusted by this JVM (self-signed or a private CA?"
                        + " pass a trust store: -Djavax.net.ssl.trustStore in RENDEZVOUS_JAVA_OPTS)";
            case SSLHandshakeException s -> "TLS handshake with " + where + " failed: " + s.getMessage();
            case SSLException s ->
                "TLS error with " + where + ": " + s.getMessage()
                        + ("http".equals(base.getScheme()) ? "" : " (is the server serving plain http?)");
            case WebSocketHandshakeException w ->
                "WebSocket upgrade refused with HTTP " + w.getResponse().statusCode();
            case java.util.concurrent.TimeoutException t ->
                "no answer from " + where + " within " + timeout.toMillis() + " ms";
            default -> root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        };
    }

    private int port() {
        return base.getPort() != -1 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
