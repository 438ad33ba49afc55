package dev.rendezvous.cli.stun;

import dev.rendezvous.server.ice.IceUrl;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal STUN/TURN client that answers one question per call: does this server answer a binding
 * request (STUN), and does it grant an allocation to these credentials (TURN)? It speaks RFC 5389
 * binding and RFC 5766 Allocate with the long-term credential mechanism (401 → realm and nonce →
 * MESSAGE-INTEGRITY keyed with MD5(user:realm:pass)), over UDP (with RFC 5389 retransmissions), TCP, or
 * TLS for {@code stuns:}/{@code turns:}. A granted allocation is released at once (Refresh, lifetime 0).
 *
 * <p>Blocking: each call holds its own socket for at most {@code timeout}. Never call it on an event loop.
 */
public final class StunProbe {

    /** What the server said. */
    public sealed interface Result {
        /** How long the exchange took, request to final answer. */
        Duration elapsed();

        /** A binding success: the address the server saw us at. */
        record Bound(InetSocketAddress mapped, Duration elapsed) implements Result {}

        /** An allocation success: the relay address the TURN server granted and for how long. */
        record Allocated(InetSocketAddress relayed, Duration lifetime, Duration elapsed) implements Result {}

        /** The server answered with a STUN error, e.g. 401 Unauthorized for a bad or expired credential. */
        record Refused(int code, String reason, Duration elapsed) implements Result {}

        /** No usable answer: timeout, unreachable, or not STUN; {@code reason} says which. */
        record NoAnswer(String reason, Duration elapsed) implements Result {}
    }

    private static final Duration FIRST_RETRANSMIT = Duration.ofMillis(250);

    private StunProbe() {}

    /** Sends a binding request to {@code url} and waits for the answer. */
    public static Result binding(IceUrl url, Duration timeout) {
        long start = System.nanoTime();
        try (Exchange exchange = Exchange.open(url, timeout)) {
            byte[] id = StunMessage.newTransactionId();
            StunMessage answer =
                    exchange.request(new StunMessage.Builder(StunMessage.BINDING_REQUEST, id).build(null), id);
            Duration elapsed = since(start);
            if (answer.isError()) {
                return new Result.Refused(answer.errorCode(), answer.errorReason(), elapsed);
            }
            return answer.xorAddress(StunMessage.XOR_MAPPED_ADDRESS)
                    .<Result>map(mapped -> new Result.Bound(mapped, elapsed))
                    .orElseGet(() -> new Result.NoAnswer("binding success without XOR-MAPPED-ADDRESS", elapsed));
        } catch (IOException | IllegalArgumentException e) {
            return noAnswer(url, e, start);
        }
    }

    /**
     * Asks {@code url} (a TURN server) for a UDP relay allocation with a long-term credential, and
     * releases it again when granted.
     */
    public static Result allocate(IceUrl url, String username, String password, Duration timeout) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        long start = System.nanoTime();
        try (Exchange exchange = Exchange.open(url, timeout)) {
            byte[] id = StunMessage.newTransactionId();
            StunMessage challenge = exchange.request(allocateRequest(id).build(null), id);
            if (!challenge.isError()) {
                return allocated(challenge, start); // a server without auth: fine for the probe
            }
            if (challenge.errorCode() != 401) {
                return new Result.Refused(challenge.errorCode(), challenge.errorReason(), since(start));
            }
            String realm = challenge.string(StunMessage.REALM).orElse("");
            byte[] key = StunMessage.longTermKey(username, realm, password);
            StunMessage answer = null;
            String nonce = challenge.string(StunMessage.NONCE).orElse("");
            // One retry: a 438 Stale Nonce carries a fresh nonce (RFC 5389 §10.2.3).
            for (int attempt = 0; attempt < 2; attempt++) {
                id = StunMessage.newTransactionId();
                byte[] request = allocateRequest(id)
                        .add(StunMessage.USERNAME, username)
                        .add(StunMessage.REALM, realm)
                        .add(StunMessage.NONCE, nonce)
                        .build(key);
                answer = exchange.request(request, id);
                if (!(answer.isError() && answer.errorCode() == 438)) {
                    break;
                }
                nonce = answer.string(StunMessage.NONCE).orElse(nonce);
            }
            if (answer.isError()) {
                return new Result.Refused(answer.errorCode(), answer.errorReason(), since(start));
            }
            Result result = allocated(answer, start);
            release(exchange, username, realm, nonce, key);
            return result;
        } catch (IOException | IllegalArgumentException e) {
            return noAnswer(url, e, start);
        }
    }

    private static StunMessage.Builder allocateRequest(byte[] id) {
        return new StunMessage.Builder(StunMessage.ALLOCATE_REQUEST, id)
                .addInt(StunMessage.REQUESTED_TRANSPORT, StunMessage.PROTOCOL_UDP << 24);
    }

    private static Result allocated(StunMessage answer, long start) {
        Duration elapsed = since(start);
        Duration lifetime = answer.raw(StunMessage.LIFETIME)
                .filter(v -> v.length == 4)
                .map(v -> Duration.ofSeconds(java.nio.ByteBuffer.wrap(v).getInt() & 0xFFFFFFFFL))
                .orElse(Duration.ZERO);
        return answer.xorAddress(StunMessage.XOR_RELAYED_ADDRESS)
                .<Result>map(relayed -> new Result.Allocated(relayed, lifetime, elapsed))
                .orElseGet(() -> new Result.NoAnswer("allocation success without XOR-RELAYED-ADDRESS", elapsed));
    }

    /** Best effort: a failed release only means the allocation lives until its lifetime ends. */
    private static void release(Exchange exchange, String username, String realm, String nonce, byte[] key) {
        byte[] id = StunMessage.newTransactionId();
        byte[] refresh = new StunMessage.Builder(StunMessage.REFRESH_REQUEST, id)
                .addInt(StunMessage.LIFETIME, 0)
                .add(StunMessage.USERNAME, username)
                .add(StunMessage.REALM, realm)
                .add(StunMessage.NONCE, nonce)
                .build(key);
        try {
            exchange.request(refresh, id);
        } catch (IOException | IllegalArgumentException ignored) {
            // The allocation expires by itself.
        }
    }

    private static Result noAnswer(IceUrl url, Exception e, long start) {
        String what = e instanceof SocketTimeoutException
                ? "no answer from " + url.host() + ":" + url.port() + "/"
                        + url.transport().name().toLowerCase(java.util.Locale.ROOT) + " within the timeout"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new Result.NoAnswer(what, since(start));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** One socket and a deadline; requests are matched to answers by transaction id. */
    private abstract static sealed class Exchange implements Closeable {
        final long deadline;

        Exchange(Duration timeout) {
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        static Exchange open(IceUrl url, Duration timeout) throws IOException {
            InetAddress address = InetAddress.getByName(url.host());
            InetSocketAddress target = new InetSocketAddress(address, url.port());
            return url.transport() == IceUrl.Transport.UDP
                    ? new Udp(target, timeout)
                    : new Stream(target, url.scheme().isTls(), url.host(), timeout);
        }

        abstract StunMessage request(byte[] message, byte[] transactionId) throws IOException;

        int remainingMillis() throws SocketTimeoutException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            return (int) Math.min(Integer.MAX_VALUE, left);
        }
    }

    private static final class Udp extends Exchange {
        private final DatagramSocket socket;
        private final InetSocketAddress target;

        Udp(InetSocketAddress target, Duration timeout) throws IOException {
            super(timeout);
            this.target = target;
            this.socket = new DatagramSocket(
                    new InetSocketAddress(target.getAddress().isLoopbackAddress() ? target.getAddress() : null, 0));
        }

        @Override
        StunMessage request(byte[] message, byte[] transactionId) throws IOException {
            DatagramPacket out = new DatagramPacket(message, message.length, target);
            byte[] buffer = new byte[2048];
            long rto = FIRST_RETRANSMIT.toMillis();
            socket.send(out);
            long nextSend = System.currentTimeMillis() + rto;
            while (true) {
                int wait = (int) Math.max(1, Math.min(remainingMillis(), nextSend - System.currentTimeMillis()));
                socket.setSoTimeout(wait);
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    remainingMillis(); // throws once the deadline passed
                    socket.send(out); // UDP loses packets: retransmit with doubling RTO
                    rto *= 2;
                    nextSend = System.currentTimeMillis() + rto;
                    continue;
                }
                StunMessage answer = StunMessage.decode(in.getData(), in.getLength());
                if (answer.answers(transactionId)) {
                    return answer;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Stream extends Exchange {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Stream(InetSocketAddress target, boolean tls, String host, Duration timeout) throws IOException {
            super(timeout);
            Socket plain = new Socket();
            try {
                plain.connect(target, remainingMillis());
                this.socket = tls
                        ? ((SSLSocketFactory) SSLSocketFactory.getDefault())
                                .createSocket(plain, host, target.getPort(), true)
                        : plain;
            } catch (IOException e) {
                plain.close();
                throw e;
            }
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        StunMessage request(byte[] message, byte[] transactionId) throws IOException {
            out.write(message);
            out.flush();
            while (true) {
                socket.setSoTimeout(remainingMillis());
                byte[] header = in.readNBytes(StunMessage.HEADER_LENGTH);
                if (header.length < StunMessage.HEADER_LENGTH) {
                    throw new EOFException("the server closed the connection");
                }
                int total = StunMessage.totalLength(header);
                byte[] whole = java.util.Arrays.copyOf(header, total);
                int read = in.readNBytes(whole, StunMessage.HEADER_LENGTH, total - StunMessage.HEADER_LENGTH);
                if (read < total - StunMessage.HEADER_LENGTH) {
                    throw new EOFException("the server closed the connection mid-message");
                }
                StunMessage answer = StunMessage.decode(whole, total);
                if (answer.answers(transactionId)) {
                    return answer;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
