package dev.rendezvous.server.transport;

import dev.rendezvous.server.http.HttpEndpoint;
import dev.rendezvous.server.http.StaticFiles;
import dev.rendezvous.server.peerjs.PeerJsEndpoint;
import dev.rendezvous.server.session.ConnectionSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The whole pipeline of an accepted connection, in one place: [TLS] → idle timeout → HTTP codec →
 * aggregator → HTTP routing and upgrade. After the upgrade the HTTP handlers give way to: WebSocket codec → frame
 * aggregator (size limit) → session handler.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
    private static final int HTTP_IDLE_SECONDS = 30;

    private final SslContext ssl;
    /** Stateless, so one instance for every connection. */
    private final HttpRequestHandler httpHandler;

    public ServerInitializer(
            ConnectionSettings settings,
            PeerJsEndpoint peerJs,
            int maxMessageBytes,
            SslContext ssl,
            StaticFiles staticFiles,
            Map<String, HttpEndpoint> endpoints,
            Supplier<String> health,
            SessionRegistry registry) {
        this.ssl = ssl;
        this.httpHandler = new HttpRequestHandler(settings, peerJs, maxMessageBytes, ssl != null, staticFiles, endpoints, health, registry);
    }

    /** Receives every channel that completed a WebSocket upgrade: tracked for shutdown and the connection count. */
    public interface SessionRegistry {
        void opened(Channel channel);
    }

    /** Asks every session on {@code channel} to close with 1001 (server shutdown); any thread. */
    public static void requestShutdown(Channel channel) {
        channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(WebSocketSessionHandler.SHUTDOWN));
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        // A connection that sends no complete request in time (slowloris) is dropped; removed at the upgrade.
        p.addLast(HttpRequestHandler.IDLE_TIMEOUT_NAME, new ReadTimeoutHandler(HTTP_IDLE_SECONDS));
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        p.addLast("http-handler", httpHandler);
    }
}
