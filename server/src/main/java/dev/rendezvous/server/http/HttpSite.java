package dev.rendezvous.server.http;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the server answers plain HTTP requests with, beside its WebSocket endpoints: the origin policy
 * every request meets first, {@code /healthz}, the extra endpoints by exact path, and the static web client.
 *
 * @param staticFiles the web client, for a GET or HEAD that nothing else answers
 * @param endpoints extra endpoints by exact path (metrics, ICE servers, the admin API)
 * @param health the {@code /healthz} document, built at each request
 * @param origins which {@code Host} and {@code Origin} headers are answered
 */
public record HttpSite(
        StaticFiles staticFiles, Map<String, HttpEndpoint> endpoints, Supplier<String> health, OriginPolicy origins) {

    public HttpSite {
        Objects.requireNonNull(staticFiles, "staticFiles");
        endpoints = Map.copyOf(endpoints);
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(origins, "origins");
    }
}
