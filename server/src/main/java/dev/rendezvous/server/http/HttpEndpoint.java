package dev.rendezvous.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * One extra HTTP endpoint served on the WebSocket port at an exact path (e.g. {@code /metrics}).
 * Called on an event loop: must be fast and never block. Thread-safe.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /** The response to {@code request}; the request is released by the caller afterwards. */
    FullHttpResponse respond(FullHttpRequest request);
}
