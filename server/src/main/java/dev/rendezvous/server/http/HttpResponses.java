package dev.rendezvous.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Small builders for complete HTTP responses, and the one way every HTTP answer of the server is written
 * ({@link #respond}, now or {@link #respondLater later}): the same security headers, HEAD and keep-alive rules.
 */
public final class HttpResponses {
    private HttpResponses() {}

    public static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return of(status, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static FullHttpResponse json(HttpResponseStatus status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The response {@code work} builds on {@code executor}, off the event loop (work that may block or take
     * milliseconds); 503 at once when the executor takes no more work (the server is shutting down).
     */
    public static CompletionStage<FullHttpResponse> offLoop(Supplier<FullHttpResponse> work, Executor executor) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down"));
        }
    }

    /**
     * Writes {@code response} to {@code request} on its event loop: no body for HEAD, the security headers,
     * and the connection kept alive or closed as the request asks.
     */
    public static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        if (request.method() == HttpMethod.HEAD) {
            response.content().clear();
        }
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers()
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        SecurityHeaders.apply(response.headers(), request.headers().get(HttpHeaderNames.HOST));
        if (HttpUtil.isKeepAlive(request)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * {@link #respond Responds} with what {@code answer} completes with (a 500 if it failed), passed through
     * {@code finish} (e.g. CORS headers), back on the event loop. The caller retained {@code request}: it is
     * released once answered.
     */
    public static void respondLater(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            CompletionStage<FullHttpResponse> answer,
            UnaryOperator<FullHttpResponse> finish) {
        answer.whenComplete((response, error) -> ctx.executor().execute(() -> {
            try {
                respond(
                        ctx,
                        request,
                        finish.apply(
                                response != null
                                        ? response
                                        : text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error")));
            } finally {
                request.release();
            }
        }));
    }
}
