package dev.rendezvous.server.transport;

import io.netty.channel.ChannelHandler;

/**
 * The last handler of an upgraded connection's pipeline: it receives the client's messages from the
 * {@link WebSocketFrameReader} and speaks one protocol over them ({@link WebSocketSessionHandler}: the
 * Rendezvous protocol; {@code PeerJsSocketHandler}: the PeerJS protocol). {@link ServerInitializer#upgrade} installs it.
 *
 * <p>Event-loop confined, like every channel handler.
 */
public interface WebSocketSession extends ChannelHandler, WebSocketFrameReader.Sink {

    /** The upgrade completed (the 101 response is out): the session may speak. Called once, on the event loop. */
    void start();
}
