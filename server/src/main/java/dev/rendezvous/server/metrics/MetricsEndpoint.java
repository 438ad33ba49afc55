package dev.rendezvous.server.metrics;

import dev.rendezvous.server.admin.AdminToken;
import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link ServerMetrics}. Rendering walks every
 * meter (a few milliseconds with the JVM meters), so it runs on {@code renderer}, off the event loop.
 * With a token, only a request with {@code Authorization: Bearer <token>} gets them (Prometheus:
 * {@code authorization: {credentials: ...}}); others get 401, checked in constant time.
 *
 * @param token the bearer token a scraper must send, or null: open to every allowed origin
 */
public record MetricsEndpoint(ServerMetrics metrics, Executor renderer, AdminToken token) implements HttpEndpoint {

    public static final String PATH = "/metrics";

    /** Open to every allowed origin (no token). */
    public MetricsEndpoint(ServerMetrics metrics, Executor renderer) {
        this(metrics, renderer, null);
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        if (token != null && !token.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse refused =
                    HttpResponses.text(HttpResponseStatus.UNAUTHORIZED, "send Authorization: Bearer <metrics token>");
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            return refused;
        }
        return HttpResponses.of(
                HttpResponseStatus.OK,
                ServerMetrics.contentType(),
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<FullHttpResponse> respondAsync(FullHttpRequest request) {
        return HttpResponses.offLoop(() -> respond(request), renderer);
    }
}
