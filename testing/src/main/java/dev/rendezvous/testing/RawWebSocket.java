package dev.rendezvous.testing;

import static dev.rendezvous.server.transport.WebSocketOpcodes.CLOSE;
import static dev.rendezvous.server.transport.WebSocketOpcodes.TEXT;

import dev.rendezvous.server.transport.WebSocketOpcodes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client driven by hand over a plain socket, for what a well-behaved client library will
 * not do: send malformed or invalid-UTF-8 frames, fragment at will, stop reading, or reset the TCP
 * connection (RST). Frames are sent and read by their opcodes ({@link WebSocketOpcodes}). Blocking; use from the test thread. Reads time out after {@link WsRecorder#TIMEOUT}.
 */
public final class RawWebSocket implements AutoCloseable {
    /** One received frame. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code uri} (ws://127.0.0.1:port/path?query) and completes the upgrade. */
    public static RawWebSocket connect(URI uri) throws IOException {
        return connect(uri, 0);
    }

    /**
     * As {@link #connect(URI)}, from the loopback address {@code localAddress} (e.g. {@code 127.0.0.2}): another
     * client host, for per-address limits.
     */
    public static RawWebSocket connectFrom(URI uri, String localAddress) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) WsRecorder.TIMEOUT.toMillis());
            s.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
            RawWebSocket ws = new RawWebSocket(s);
            ws.handshake(uri);
            return ws;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** As {@link #connect(URI)}, with a small receive buffer when {@code receiveBufferBytes} > 0. */
    public static RawWebSocket connect(URI uri, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes);
        }
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) WsRecorder.TIMEOUT.toMillis());
        s.setSoTimeout((int) WsRecorder.TIMEOUT.toMillis());
        RawWebSocket ws = new RawWebSocket(s);
        ws.handshake(uri);
        return ws;
    }

    private void handshake(URI uri) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        String all = head.toString(StandardCharsets.US_ASCII);
        return all.substring(0, all.indexOf("\r\n"));
    }

    /** Sends one masked frame. */
    public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        sendRaw(frame(fin ? 0x80 | opcode : opcode, payload, true));
    }

    /**
     * The bytes of one frame: {@code firstByte} as given (FIN, reserved bits, opcode), the payload length in
     * the shortest form, and a random masking key when {@code masked} (clients must mask; a test may not).
     */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length <= 0xffff) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            long n = payload.length;
            for (int i = 7; i >= 0; i--) {
                f.write((int) (n >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** Writes {@code bytes} as they are (frames, parts of frames, or garbage). */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The next frame from the server, waiting at most {@code timeout}. */
    public Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    public Frame readFrame() throws IOException {
        return readFrame(WsRecorder.TIMEOUT);
    }

    /** The next text frame's content, skipping nothing. */
    public String readText() throws IOException {
        Frame f = readFrame();
        if (f.opcode() != TEXT) {
            throw new IOException("expected a text frame, got opcode " + f.opcode());
        }
        return f.text();
    }

    /** Reads frames until a close frame arrives or the server drops the connection; returns its code (1006 when dropped). */
    public int awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no close within " + timeout);
            }
            try {
                Frame f = readFrame(Duration.ofNanos(left));
                if (f.opcode() == CLOSE) {
                    return f.closeCode();
                }
            } catch (java.io.EOFException | java.net.SocketException e) {
                return 1006;
            }
        }
    }

    /**
     * A clean end from this side: sends a close frame (1000) and waits up to 5 s for the server's; returns its
     * code. The socket stays open for the caller to {@link #close()}.
     */
    public int closeCleanly() throws IOException {
        sendFrame(CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
        return awaitClose(Duration.ofSeconds(5));
    }

    /** The raw input stream (e.g. to read nothing at all while the server fills our buffers). */
    public InputStream input() {
        return in;
    }

    /** Resets the connection: RST instead of FIN, no close frame. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
