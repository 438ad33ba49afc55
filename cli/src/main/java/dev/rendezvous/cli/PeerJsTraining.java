package dev.rendezvous.cli;

import dev.rendezvous.cli.bench.WsClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The PeerJS step of {@code rendezvous train}: what an unmodified PeerJS app does at the server's
 * PeerJS endpoint (the default {@code path} {@code /} and {@code key}) — {@code GET /peerjs/id}, then pairs
 * of clients at {@code /peerjs?key=…&id=…&token=…}: each waits for {@code OPEN}, then the pair plays
 * OFFER → ANSWER → CANDIDATE for a number of rounds with a HEARTBEAT between, and one side sends LEAVE.
 * With auth on, the key is a token bound to the client's id.
 *
 * <p>Bounded in clients and time; throws if an id was refused, a message was lost or a round did not
 * finish in time, so a broken run leaves no cache. The listeners run on the client's event loops; the
 * caller waits on a latch.
 */
final class PeerJsTraining {
    private static final long TIMEOUT_SECONDS = 60;

    private final int pairs;
    private final int rounds;
    /** The PeerJS key for a client id: the configured key, or a token bound to the id. */
    private final UnaryOperator<String> key;

    PeerJsTraining(int pairs, int rounds, UnaryOperator<String> key) {
        this.pairs = pairs;
        this.rounds = rounds;
        this.key = key;
    }

    /** Runs the step against the server on 127.0.0.1 {@code port}; returns what it did, for the training log. */
    String run(int port, EventLoopGroup group, String idPrefix) throws IOException, InterruptedException {
        String fetchedId = fetchId(port, key.apply("train"));
        CountDownLatch done = new CountDownLatch(pairs);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger messages = new AtomicInteger();
        Progress progress = new Progress(done, failure, messages);
        List<WsClient> clients = new ArrayList<>(2 * pairs);
        for (int i = 0; i < pairs; i++) {
            String a = idPrefix + "-a" + i;
            String b = idPrefix + "-b" + i;
            clients.add(WsClient.connect(group.next(), uri(port, a), null, new Peer(a, b, true, progress)));
            clients.add(WsClient.connect(group.next(), uri(port, b), null, new Peer(b, a, false, progress)));
        }
        try {
            boolean finished = done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (failure.get() != null) {
                throw new IllegalStateException("peerjs: " + failure.get());
            }
            if (!finished) {
                throw new IllegalStateException("peerjs: " + done.getCount() + " of " + pairs
                        + " pairs did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } finally {
            for (WsClient c : clients) {
                c.eventLoop().execute(c::close);
            }
        }
        return "id " + fetchedId.length() + " chars, " + pairs + " pairs, " + messages.get() + " messages";
    }

    private URI uri(int port, String id) {
        return URI.create("ws://127.0.0.1:" + port + "/peerjs?key="
                + URLEncoder.encode(key.apply(id), StandardCharsets.UTF_8) + "&id=" + id + "&token=train");
    }

    /** {@code GET /peerjs/id} with the configured key: a fresh id as text. */
    private static String fetchId(int port, String key) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(("GET /" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "/id HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET /peerjs/id answered "
                        + response.lines().findFirst().orElse("nothing"));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    /**
     * What every client of a run reports to the waiter: pairs done, the first failure, messages received.
     * Thread-safe (the clients run on several event loops).
     */
    private record Progress(CountDownLatch done, AtomicReference<String> failure, AtomicInteger messages) {}

    /**
     * One PeerJS client of a pair. The offerer sends OFFER at its OPEN and, at each ANSWER, a CANDIDATE and
     * the next OFFER (LEAVE after the last round); the answerer answers each OFFER and counts the CANDIDATEs,
     * with a HEARTBEAT each. Event-loop confined: its fields are its own listener's.
     */
    private final class Peer implements WsClient.Listener {
        private final String id;
        private final String other;
        private final boolean offerer;
        private final Progress progress;
        private int round;
        private boolean finished;

        Peer(String id, String other, boolean offerer, Progress progress) {
            this.id = id;
            this.other = other;
            this.offerer = offerer;
            this.progress = progress;
        }

        @Override
        public void onText(WsClient c, ByteBuf utf8) {
            String text = utf8.toString(StandardCharsets.UTF_8);
            progress.messages().incrementAndGet();
            switch (typeOf(text)) {
                case "OPEN" -> {
                    if (offerer) {
                        // The answerer may not be open yet: the server queues an offer for an id not yet
                        // connected and delivers it at that id's OPEN, a path PeerJS apps meet too.
                        offer(c);
                    }
                }
                case "OFFER" ->
                    send(
                            c,
                            "ANSWER",
                            "{\"type\":\"data\",\"connectionId\":\"dc_" + other
                                    + "\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\"}}");
                case "ANSWER" -> {
                    send(
                            c,
                            "CANDIDATE",
                            "{\"type\":\"data\",\"connectionId\":\"dc_" + id + "\",\"candidate\":"
                                    + "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 " + (40000 + round)
                                    + " typ host\"}}");
                    if (++round < rounds) {
                        offer(c);
                    } else {
                        send(c, "LEAVE", null);
                        finished = true;
                    }
                }
                case "CANDIDATE" -> {
                    c.sendNow("{\"type\":\"HEARTBEAT\"}");
                    if (++round == rounds) {
                        finished = true;
                        progress.done().countDown();
                    }
                }
                case "LEAVE", "EXPIRE" -> {}
                default -> progress.failure().compareAndSet(null, id + " got " + text);
            }
        }

        private void offer(WsClient c) {
            send(
                    c,
                    "OFFER",
                    "{\"type\":\"data\",\"connectionId\":\"dc_" + id
                            + "\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        }

        private void send(WsClient c, String type, String payload) {
            c.sendNow("{\"type\":\"" + type + "\",\"dst\":\"" + other + "\""
                    + (payload == null ? "" : ",\"payload\":" + payload) + "}");
        }

        @Override
        public void onClosed(WsClient c, int closeCode) {
            if (!finished) {
                progress.failure()
                        .compareAndSet(null, id + " closed with " + closeCode + " after " + round + " rounds");
                progress.done().countDown(); // the waiter sees the failure at once
            }
        }
    }

    /** The {@code type} of a PeerJS message (the server writes it first; a plain scan is enough here). */
    private static String typeOf(String json) {
        int at = json.indexOf("\"type\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + 8;
        int to = json.indexOf('"', from);
        return to < 0 ? "" : json.substring(from, to);
    }
}
