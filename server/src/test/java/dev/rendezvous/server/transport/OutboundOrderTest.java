package dev.rendezvous.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Outbound}'s order across threads, on a real channel and event loop: a frame sent on the channel's
 * own loop while a frame from another thread waits in the inbox leaves after it. A hub hands a departure's
 * notice over from the departing session's thread before it makes the departure visible; the peer's own
 * loop answers {@code not_paired} once it sees it, and this rule keeps that answer behind the notice.
 */
class OutboundOrderTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aFrameSentOnTheLoopLeavesBehindAFrameAnotherThreadQueuedBeforeIt() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        LocalAddress address = new LocalAddress(OutboundOrderTest.class);
        new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        TextWebSocketFrame frame = (TextWebSocketFrame) msg;
                        received.add(frame.text());
                        frame.release();
                    }
                })
                .bind(address)
                .sync();
        Channel channel = new Bootstrap()
                .group(group)
                .channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address)
                .sync()
                .channel();
        Outbound out = new Outbound(channel, () -> {});

        CountDownLatch queuedFromElsewhere = new CountDownLatch(1);
        Future<Boolean> onLoop = channel.eventLoop().submit(() -> {
            // The loop is busy reading (this task) when the other thread's frame arrives; then it answers.
            assertThat(queuedFromElsewhere.await(5, TimeUnit.SECONDS)).isTrue();
            return out.send(Unpooled.copiedBuffer("answered on the loop", StandardCharsets.UTF_8));
        });
        assertThat(out.send(Unpooled.copiedBuffer("handed over first", StandardCharsets.UTF_8)))
                .isTrue();
        queuedFromElsewhere.countDown();
        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            order.add(received.poll(5, TimeUnit.SECONDS));
        }
        assertThat(order).containsExactly("handed over first", "answered on the loop");
    }
}
