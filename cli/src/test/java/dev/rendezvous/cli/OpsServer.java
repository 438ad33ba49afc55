package dev.rendezvous.cli;

import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.server.config.ConfigLayers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A server started the way {@code rendezvous serve} starts it — from flags resolved by
 * {@link ServeSettings} — on 127.0.0.1 port 0, for tests. Closes the server and its executor.
 */
final class OpsServer implements AutoCloseable {

    private final SignalingServer server;
    private final ServeSettings.Built built;

    private OpsServer(ServeSettings.Built built) throws InterruptedException {
        this.built = built;
        this.server = SignalingServer.start(built.config());
    }

    /** Starts with these flag values (by setting key); host and port default to 127.0.0.1:0. */
    static OpsServer start(Map<String, Object> flags) throws InterruptedException {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(ServeSettings.HOST.key(), "127.0.0.1");
        all.put(ServeSettings.PORT.key(), "0");
        all.putAll(flags);
        ConfigLayers layers = new ConfigLayers(ConfigLayers.flagValues(all), Map.of(), Map.of(), Optional.empty());
        return new OpsServer(ServeSettings.build(layers, Clock.systemUTC()));
    }

    SignalingServer server() {
        return server;
    }

    URI lobbyUri() {
        return server.lobbyUri();
    }

    URI http(String path) {
        return URI.create(server.httpUri().toString().replaceAll("/$", "") + path);
    }

    /** A GET with an optional bearer token, on a fresh client. */
    HttpResponse<String> get(String path, String token) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(5));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Override
    public void close() {
        server.close();
        built.blockingWork().shutdown();
    }
}
