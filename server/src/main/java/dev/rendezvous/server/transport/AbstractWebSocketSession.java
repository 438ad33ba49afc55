package dev.rendezvous.server.transport;

import dev.rendezvous.server.net.ClientAddress;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;

/**
 * What every protocol's session handler does the same way with its channel, the v1 session's
 * ({@link WebSocketSessionHandler}) and the PeerJS socket's: it owns the channel's {@link Outbound} and tells
 * it of writability changes and of the channel's end, takes its frames from the {@link WebSocketFrameReader}
 * only (anything read through the pipeline is released), and closes the channel on an exception, logging one
 * that is not the client going away.
 *
 * <p>Event-loop confined, like every channel handler; {@link #out} may be written to from any thread.
 */
public abstract class AbstractWebSocketSession extends ChannelInboundHandlerAdapter implements WebSocketSession {
    private final Logger log;
    protected final Channel channel;
    /** The channel's output: the bound, the flush batching, the close handshake. */
    protected final Outbound out;

    /** @param log the subclass's logger, for the unexpected errors its channel meets */
    protected AbstractWebSocketSession(Channel channel, Logger log) {
        this.log = log;
        this.channel = channel;
        this.out = new Outbound(channel, this::onSlowConsumer);
    }

    /** On the loop, once: a frame had to be dropped for the outbound bound; the session closes with 4029. */
    protected abstract void onSlowConsumer();

    /** On the loop, once: the channel is gone ({@link #out} knows already); the session cleans up. */
    protected abstract void onChannelClosed();

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // frames come through the Sink methods; nothing else is expected here
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        out.inactive();
        onChannelClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
        out.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // an IOException is a reset by peer and friends: the client is gone
            log.warn("unexpected error remote={}", ClientAddress.forLogs(channel), cause);
        }
        channel.close();
    }
}
