package dev.rendezvous.client;

import dev.rendezvous.client.signaling.SignalingOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Java peer in its own JVM, for tests that kill a peer's process. Args: {@code <lobby-url> <client-id>
 * [<bytes>]}; with {@code bytes} it is a counting sink (for the benchmark): it prints {@code received <n>}
 * once that many message bytes (text or binary) arrived (then again for each further {@code bytes}), instead of
 * each message.
 * Loopback ICE mode. Stdin: {@code /pair <id>}, {@code /quit}, or a line to send. Stdout, one event per
 * line: {@code id <id>}, {@code msg <peer> <text>}, and the lines of {@link PeerEventLines} ({@code paired <peer>
 * <initiator>}, {@code connected <peer>}, {@code open <peer>}, {@code left <peer>}, {@code error <code>}...).
 */
public final class PeerProcessMain {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        long sinkBytes = args.length > 2 ? Long.parseLong(args[2]) : 0;
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        PeerListener events = new PeerEventLines(out::println) {
            @Override
            public void onMessage(String peerId, String text) {
                if (sinkBytes == 0) {
                    out.println("msg " + peerId + " " + text);
                    return;
                }
                count(text.length());
            }

            @Override
            public void onMessage(String peerId, java.nio.ByteBuffer data) {
                if (sinkBytes > 0) {
                    count(data.remaining());
                }
            }

            private void count(long bytes) {
                long total = received.addAndGet(bytes);
                if (total % sinkBytes == 0) {
                    out.println("received " + total);
                }
            }
        };
        PeerOptions options = PeerOptions.lobby(URI.create(args[0]))
                .withSignaling(SignalingOptions.of(URI.create(args[0])).withClientId(args[1]))
                .withLoopback(true);
        try (Peer peer = Peer.connect(options, events).get(30, TimeUnit.SECONDS)) {
            out.println("id " + peer.id());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("/quit")) {
                if (line.startsWith("/pair ")) {
                    peer.pair(line.substring(6).strip());
                } else {
                    peer.send(line);
                }
            }
        }
    }
}
