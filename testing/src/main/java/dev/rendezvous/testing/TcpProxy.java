package dev.rendezvous.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 for network faults without a WebSocket close frame: each accepted connection is
 * piped to the target by two virtual threads, and a test can {@link Pipe#cut cut} it (RST on both sides),
 * {@link Pipe#stall stall} it (bytes stay queued in the kernel until {@link Pipe#flow}), or
 * {@link Pipe#blackHole black-hole} it (bytes are read and dropped both ways, the sockets stay open: a
 * half-open connection the server only notices by its keepalive).
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(server.port())) {
 *     RawWebSocket ws = RawWebSocket.connect(proxy.uri("/ws?resumable=1"));
 *     proxy.last().cut();
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close} cuts every pipe and stops accepting.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
    }

    /** A proxy to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) throws IOException {
        return new TcpProxy(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code ws://127.0.0.1:<proxy port>} + {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Every connection accepted so far, oldest first. */
    public List<Pipe> pipes() {
        return List.copyOf(pipes);
    }

    /** The newest connection; fails when there is none. */
    public Pipe last() {
        if (pipes.isEmpty()) {
            throw new IllegalStateException("no connection through the proxy yet");
        }
        return pipes.get(pipes.size() - 1);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pipes.add(new Pipe(client, upstream));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Pipe p : pipes) {
            p.cut();
        }
        acceptor.interrupt();
    }

    /** What a pipe does with the bytes it reads. */
    public enum Mode {
        FLOW,
        STALL,
        BLACK_HOLE
    }

    /** One proxied connection. */
    public static final class Pipe {
        private final Socket client;
        private final Socket upstream;
        private final Object lock = new Object();
        private Mode mode = Mode.FLOW;
        private boolean cut;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            Thread.ofVirtual().name("tcp-proxy-up").start(() -> pump(client, upstream));
            Thread.ofVirtual().name("tcp-proxy-down").start(() -> pump(upstream, client));
        }

        /** Resets both sides (RST, no FIN, no close frame): each end sees the connection reset. */
        public void cut() {
            synchronized (lock) {
                cut = true;
                lock.notifyAll();
            }
            reset(client);
            reset(upstream);
        }

        /** Stops moving bytes; they wait in the kernel's buffers until {@link #flow}. */
        public void stall() {
            set(Mode.STALL);
        }

        /** Reads and drops every byte both ways; the sockets stay open (a half-open connection). */
        public void blackHole() {
            set(Mode.BLACK_HOLE);
        }

        /** Moves bytes again. */
        public void flow() {
            set(Mode.FLOW);
        }

        private void set(Mode next) {
            synchronized (lock) {
                mode = next;
                lock.notifyAll();
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                while (true) {
                    synchronized (lock) {
                        while (mode == Mode.STALL && !cut) {
                            lock.wait(); // released by flow(), blackHole() or cut()
                        }
                        if (cut) {
                            return;
                        }
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        to.shutdownOutput(); // pass the FIN on: an orderly end stays orderly
                        return;
                    }
                    Mode now;
                    synchronized (lock) {
                        now = mode;
                    }
                    if (now != Mode.BLACK_HOLE) {
                        out.write(buf, 0, n); // a read made just before a stall still goes: it was in flight
                        out.flush();
                    }
                }
            } catch (IOException e) {
                cut(); // one side reset: reset the other too, as a broken path would look
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void reset(Socket s) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
