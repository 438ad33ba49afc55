package dev.rendezvous.server.metrics;

import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.HttpResponses;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link ServerMetrics}. Rendering walks every
 * meter (a few milliseconds with the JVM meters), so it runs on {@code renderer}, off the event loop.
 */
public final class MetricsEndpoint implements HttpEndpoint {

    public static final String PATH = "/metrics";

    private final ServerMetrics metrics;
    private final Executor renderer;

    public MetricsEndpoint(ServerMetrics metrics, Executor renderer) {
        this.metrics = metrics;
        this.renderer = renderer;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        return HttpResponses.of(HttpResponseStatus.OK, ServerMetrics.contentType(),
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<FullHttpResponse> respondAsync(FullHttpRequest request) {
        try {
            return CompletableFuture.supplyAsync(() -> respond(request), renderer);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down"));
        }
    }
}
