package dev.rendezvous.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One extra HTTP endpoint served on the WebSocket port at an exact path (e.g. {@code /metrics}).
 * Called on an event loop: must be fast and never block. Thread-safe.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /** The response to {@code request}; the request is released by the caller afterwards. */
    FullHttpResponse respond(FullHttpRequest request);

    /**
     * The response, possibly completed later: an endpoint whose work may block (verifying a token against
     * a JWKS URL) overrides this, does that work on its own executor and completes the stage there; the
     * response is written on the channel's event loop. The request stays readable until the stage
     * completes. Default: {@link #respond} at once.
     */
    default CompletionStage<FullHttpResponse> respondAsync(FullHttpRequest request) {
        return CompletableFuture.completedFuture(respond(request));
    }
}
