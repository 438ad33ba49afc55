package dev.rendezvous.server.transport;

/**
 * The WebSocket frame opcodes (RFC 6455 §5.2), the one list the server's frame reader and the tests'
 * hand-driven client ({@code RawWebSocket}) both read. Control frames are the opcodes from {@link #CLOSE} up.
 */
public final class WebSocketOpcodes {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private WebSocketOpcodes() {}
}
