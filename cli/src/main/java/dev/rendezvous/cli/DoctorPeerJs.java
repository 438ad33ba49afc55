package dev.rendezvous.cli;

import static dev.rendezvous.cli.DoctorTarget.since;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.client.signaling.TextParts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code rendezvous doctor}'s PeerJS check, what an unmodified PeerJS app does first: {@code GET {path}{key}/id}
 * answers a fresh id, and the WebSocket at {@code {path}peerjs?key=&id=&token=} answers {@code OPEN} for it.
 * With {@code --token} the key is the token (auth on) and the id is the token's {@code client_id} when it binds one.
 * A server that does not serve the endpoint there (404) is a warning: v1 clients are unaffected.
 */
record DoctorPeerJs(DoctorTarget target, String path, String key) {
    static final String NAME = "PeerJS endpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param path the PeerJS mount path ({@code --peerjs-path}; a missing trailing {@code /} is added)
     * @param key the PeerJS key with auth off ({@code --peerjs-key}); with a token, the token is the key
     */
    DoctorPeerJs {
        path = path.endsWith("/") ? path : path + "/";
        key = target.token().orElse(key);
    }

    DoctorCheck run() throws InterruptedException {
        long start = System.nanoTime();
        URI idUri = target.base().resolve(path + encode(key) + "/id");
        String id;
        try {
            HttpResponse<String> r = target.http()
                    .send(
                            HttpRequest.newBuilder(idUri)
                                    .timeout(target.timeout())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return DoctorCheck.warn(
                        NAME,
                        "GET " + idUri.getPath() + " is 404: the server does not serve PeerJS at " + path
                                + " (peerjs.enabled is off, or pass --peerjs-path)",
                        since(start));
            }
            if (r.statusCode() != 200 || r.body().isBlank()) {
                return DoctorCheck.fail(
                        NAME,
                        "GET " + idUri.getPath() + " answered HTTP " + r.statusCode() + " (expected 200 and an id)",
                        since(start));
            }
            id = r.body().strip();
        } catch (java.io.IOException e) {
            return DoctorCheck.fail(NAME, target.explain(e), since(start));
        }
        String socketId = boundClientId().orElse(id);
        URI ws = target.webSocketUri(path + "peerjs?key=" + encode(key) + "&id=" + encode(socketId) + "&token="
                + UUID.randomUUID() + "&version=doctor");
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = null;
        try {
            socket = target.http()
                    .newWebSocketBuilder()
                    .connectTimeout(target.timeout())
                    .buildAsync(ws, new FirstText(first))
                    .get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            String answer = first.get(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
            JsonNode m = JSON.readTree(answer);
            String type = m.path("type").asText();
            if (!type.equals("OPEN")) {
                String msg = m.path("payload").path("msg").asText("");
                return DoctorCheck.fail(
                        NAME,
                        "the WebSocket answered " + type + (msg.isEmpty() ? "" : ": " + msg)
                                + (msg.contains("key")
                                        ? target.token().isPresent()
                                                ? " (the token was refused as the key)"
                                                : " (pass --peerjs-key, or --token when auth is on)"
                                        : ""),
                        since(start));
            }
            socket.sendText("{\"type\":\"HEARTBEAT\"}", true);
            return DoctorCheck.pass(
                    NAME,
                    "GET " + idUri.getPath() + " gave an id; OPEN for " + socketId + " at " + ws.getPath(),
                    since(start));
        } catch (ExecutionException e) {
            return DoctorCheck.fail(NAME, target.explain(e.getCause()), since(start));
        } catch (TimeoutException e) {
            return DoctorCheck.fail(
                    NAME,
                    "no OPEN from " + ws.getPath() + " within "
                            + target.timeout().toMillis() + " ms",
                    since(start));
        } catch (java.io.IOException e) {
            return DoctorCheck.fail(NAME, "the WebSocket's first message is not JSON: " + e.getMessage(), since(start));
        } finally {
            if (socket != null) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "doctor done");
                socket.abort();
            }
        }
    }

    /** The {@code client_id} the token binds (read, not verified: the server verifies), if any. */
    private Optional<String> boundClientId() {
        return target.token().flatMap(t -> {
            String[] parts = t.split("\\.");
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
                return claims.path("client_id").isTextual()
                        ? Optional.of(claims.get("client_id").asText())
                        : Optional.empty();
            } catch (java.io.IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Completes with the first whole text message (or the close, as an error). */
    private static final class FirstText implements WebSocket.Listener {
        private final CompletableFuture<String> first;
        private final TextParts parts = new TextParts();

        FirstText(CompletableFuture<String> first) {
            this.first = first;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String text = parts.add(data, last);
            if (text != null) {
                first.complete(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            first.completeExceptionally(
                    new java.io.IOException("closed " + statusCode + " " + reason + " before OPEN"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            first.completeExceptionally(error);
        }
    }
}
