package dev.rendezvous.cli.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket client connection for load generation: text frames in and out, nothing else. Writes are
 * not flushed one by one: {@link #send} queues, {@link #flush} (or {@link #sendNow}) pushes, so a
 * scenario can batch a burst into one syscall. Confined to its event loop; {@link #send} must be called
 * there.
 */
public final class WsClient {

    /** What a scenario hears from one client; called on the client's event loop. */
    public interface Listener {
        /** The upgrade completed. */
        default void onOpen(WsClient client) {}

        /** A text frame arrived; {@code utf8} is released after the call. */
        void onText(WsClient client, ByteBuf utf8);

        /** A read batch ended: flush what the scenario queued on other clients of this loop. */
        default void onReadComplete(WsClient client) {}

        /** The connection ended; {@code closeCode} is the server's close code, or -1 without a close frame. */
        default void onClosed(WsClient client, int closeCode) {}

        /** The TCP connect failed: nothing else is heard from this client. */
        default void onConnectFailed(WsClient client, Throwable cause) {}
    }

    private final EventLoop loop;
    private final Listener listener;
    private volatile Channel channel;
    private int closeCode = -1;

    private WsClient(EventLoop loop, Listener listener) {
        this.loop = loop;
        this.listener = listener;
    }

    /** An event loop group of the native transport when available. */
    public static EventLoopGroup newGroup(int threads) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, io);
    }

    /**
     * Connects on {@code loop} to {@code uri} (ws://127.0.0.1… only), from {@code localAddress} when not
     * null. {@link Listener#onOpen} tells the upgrade; {@link Listener#onConnectFailed} a failed TCP connect.
     */
    public static WsClient connect(EventLoop loop, URI uri, String localAddress, Listener listener) {
        String host = uri.getHost();
        if (!host.startsWith("127.") && !host.equals("localhost")) {
            throw new IllegalArgumentException("load is only generated against 127.0.0.0/8, not " + host);
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(1 << 20)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(30_000)
                .build();
        WsClient client = new WsClient(loop, listener);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        client.channel = ch;
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(16 * 1024),
                                        new WebSocketClientProtocolHandler(config),
                                        new Handler(client));
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(host, uri.getPort());
        ChannelFuture connected =
                localAddress == null ? b.connect(remote) : b.connect(remote, new InetSocketAddress(localAddress, 0));
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                listener.onConnectFailed(client, f.cause());
            }
        });
        return client;
    }

    /** The allocator of this client's channel, for frames written straight into a buffer. */
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** Queues a text frame (not flushed). */
    public void send(ByteBuf utf8) {
        channel.write(new TextWebSocketFrame(utf8), channel.voidPromise());
    }

    /** Queues a text frame (not flushed). */
    public void send(String text) {
        send(ByteBufUtil.writeUtf8(channel.alloc(), text));
    }

    /** Sends and flushes a text frame. */
    public void sendNow(String text) {
        send(text);
        flush();
    }

    public void flush() {
        channel.flush();
    }

    /** Whether the socket's outbound buffer is below its high-water mark. */
    public boolean writable() {
        return channel.isWritable();
    }

    /** A clean close: close frame 1000, then the server closes. */
    public void close() {
        Channel channel = this.channel;
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
        }
    }

    /** An abrupt close: TCP reset (SO_LINGER 0), no close frame. */
    public void reset() {
        loop.execute(() -> {
            if (channel != null && channel.isOpen()) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        });
    }

    /** Stops reading from the socket (a stalled consumer); the server's queue for it then grows. */
    public void stall() {
        loop.execute(() -> channel.config().setAutoRead(false));
    }

    private static final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WsClient client;

        Handler(WsClient client) {
            this.client = client;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                client.listener.onOpen(client);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                client.listener.onText(client, text.content());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                client.closeCode = close.statusCode();
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                        .addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.listener.onReadComplete(client);
            ctx.flush(); // whatever the listener queued while handling this read batch goes out in one write
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            client.listener.onClosed(client, client.closeCode);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The UTF-8 text of {@code buf} (for diagnostics and slow paths). */
    static String text(ByteBuf buf) {
        return buf.toString(StandardCharsets.UTF_8);
    }
}
