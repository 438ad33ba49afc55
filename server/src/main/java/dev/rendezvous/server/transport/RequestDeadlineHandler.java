package dev.rendezvous.server.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An absolute deadline for each HTTP request (slowloris): from the moment the connection opens, or the
 * previous response is written on a kept-alive connection, the whole request — head and body — must arrive
 * within {@code deadlineMillis}, however the bytes trickle in (a read timeout is reset by every byte: a
 * byte every 5 s kept a half-sent request open for minutes). The connection is closed when it passes.
 * Removed at the upgrade, where the keepalive takes over.
 *
 * <p>Event-loop confined, one instance per connection.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    private final long deadlineMillis;
    private ScheduledFuture<?> timer;

    RequestDeadlineHandler(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            cancel(); // the request is complete: what remains is ours to answer
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        if (msg instanceof LastHttpContent) { // a FullHttpResponse is one too: the next request's clock starts
            arm(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor()
                .schedule(
                        () -> {
                            timer = null;
                            ctx.close();
                        },
                        deadlineMillis,
                        TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
