package dev.rendezvous.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.RefusalReason;
import dev.rendezvous.client.rtc.SendOutcome;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.protocol.IceServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rendezvous chat}: chats with a peer (lobby) or a room (full mesh) over WebRTC data channels.
 *
 * <p>In a terminal, incoming lines and status lines print above the prompt (JLine). Otherwise (stdin or
 * stdout not a terminal, or {@code --plain}) it reads lines from stdin and writes each received message as
 * one line on stdout; status lines, including {@code * your id: <id>}, go to stderr with a {@code "* "}
 * prefix. It exits 0 on {@code /quit} or end of input, after closing the connections cleanly; 1 if it
 * could not join.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Chats with a peer over a WebRTC data channel.",
            "Commands: /pair <id>, /peers, /leave, /quit, /help. Other lines are sent to the peer(s).",
            "Without a terminal: stdin lines are sent; each received message is one stdout line;"
                    + " status lines go to stderr prefixed \"* \"."
        })
final class ChatCommand implements java.util.concurrent.Callable<Integer> {
    private static final long FLUSH_ON_QUIT_SECONDS = 10;
    private static final int MAX_HELD_LINES = 1000;

    /** Lobby lines typed before any pairing: sent to the next peer we pair with. Guarded by itself. */
    private final List<String> held = new ArrayList<>();
    /** Settlement of every message still queued, plus one future per held line. Guarded by itself. */
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private volatile Peer peer;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8765/ws", converter = ServerAddress.Converter.class,
            description = "The signaling server: ws://host:port/ws, wss://…, http://host:port, https://… or host:port (default: ${DEFAULT-VALUE}).")
    ServerAddress server;

    @Option(names = "--room", paramLabel = "NAME", description = "Join this room (full mesh) instead of the lobby.")
    String room;

    @Option(names = "--pair", paramLabel = "ID", description = "Lobby: pair with this peer at once.")
    String pairWith;

    @Option(names = "--token", paramLabel = "JWT", description = "Token for a server with auth on.")
    String token;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (auth off).")
    String name;

    @Option(names = "--id", paramLabel = "ID", description = "Ask the server for this id (1-64 of [A-Za-z0-9._-]).")
    String clientId;

    @Option(names = "--ice-loopback", description = "Loopback ICE mode: peer-to-peer traffic on 127.0.0.1 only (single host).")
    boolean iceLoopback;

    @Option(names = "--ice-relay", description = "Relay only (TURN): the server's ice_servers, or --ice-server, must name a TURN server.")
    boolean iceRelay;

    @Option(names = "--ice-server", paramLabel = "URL", description = "STUN/TURN URL to use instead of the server's ice_servers (repeatable).")
    List<String> iceServerUrls = new ArrayList<>();

    @Option(names = "--ice-username", paramLabel = "USER", description = "TURN username for --ice-server.")
    String iceUsername;

    @Option(names = "--ice-credential", paramLabel = "PASSWORD", description = "TURN password for --ice-server.")
    String iceCredential;

    @Option(names = "--no-trickle", description = "Send each offer/answer once ICE gathering is complete, candidates inside (for peers that do not trickle).")
    boolean noTrickle;

    @Option(names = "--plain", description = "Plain line mode even in a terminal (as when scripted).")
    boolean plain;

    @Override
    public Integer call() {
        quietLogging();
        try (ChatConsole console = ChatConsole.open(plain)) {
            return chat(console);
        }
    }

    private int chat(ChatConsole console) {
        SignalingOptions signaling = SignalingOptions.of(server.lobby()).withToken(token).withClientId(clientId).withUsername(name);
        PeerOptions options = PeerOptions.lobby(server.lobby()).withSignaling(signaling).withLoopback(iceLoopback).inRoom(room);
        options = options.withSession(options.session().withTrickle(!noTrickle).withRelayOnly(iceRelay));
        if (!iceServerUrls.isEmpty()) {
            options = options.withIceServers(List.of(new IceServer(iceServerUrls, iceUsername, iceCredential)));
        }
        try {
            peer = Peer.connect(options, new ConsoleEvents(console, room == null)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            console.status("could not join " + options.signaling().server() + (room != null ? " room " + room : "")
                    + ": " + cause.getMessage());
            return 1;
        }
        try {
            console.status("your id: " + peer.id() + (room != null ? " (room " + room + ")" : " (lobby)"));
            if (room == null) {
                if (pairWith != null) {
                    pair(peer, console, pairWith);
                } else {
                    console.status("waiting: /pair <id>, or give your id to the other side");
                }
            }
            String line;
            while ((line = console.readLine()) != null) {
                if (!handle(peer, console, line)) {
                    break;
                }
            }
            flushPending();
            return 0;
        } finally {
            peer.close();
        }
    }

    /** @return false to quit */
    private boolean handle(Peer peer, ChatConsole console, String line) {
        if (line.isBlank()) {
            return true;
        }
        if (line.startsWith("/") && !line.startsWith("//")) {
            String[] words = line.strip().split("\\s+", 2);
            switch (words[0]) {
                case "/quit", "/exit" -> {
                    return false;
                }
                case "/help" -> help(console);
                case "/peers" -> peers(peer, console);
                case "/leave" -> {
                    peer.leave();
                    console.status(peer.inRoom() ? "left room " + peer.room() + "; /quit to exit" : "left; ready for a new peer (/pair <id>)");
                }
                case "/pair" -> {
                    if (peer.inRoom()) {
                        console.status("/pair is for the lobby; in a room everyone is connected");
                    } else if (words.length < 2) {
                        console.status("usage: /pair <id>");
                    } else {
                        pair(peer, console, words[1].strip());
                    }
                }
                default -> console.status("unknown command " + words[0] + " (/help)");
            }
            return true;
        }
        String text = line.startsWith("//") ? line.substring(1) : line;
        send(peer, console, text);
        return true;
    }

    /** Sends to every peer; in the lobby with no peer yet, holds the line for the next pairing. */
    private void send(Peer peer, ChatConsole console, String text) {
        if (!peer.inRoom()) {
            synchronized (held) {
                if (peer.peers().isEmpty() || !held.isEmpty()) {
                    if (held.size() >= MAX_HELD_LINES) {
                        console.status("not sent: " + MAX_HELD_LINES + " lines already wait for a peer");
                    } else {
                        held.add(text);
                        console.status("no peer yet: the line will go to the next peer (/pair <id>)");
                    }
                    return;
                }
            }
        }
        Map<String, Delivery> deliveries = peer.send(text);
        if (deliveries.isEmpty()) {
            console.status("not sent: nobody else in the room");
        }
        deliveries.forEach((to, delivery) -> {
            switch (delivery.outcome()) {
                case SendOutcome.Sent s -> {}
                case SendOutcome.Queued q -> {
                    synchronized (pending) {
                        pending.removeIf(CompletableFuture::isDone);
                        pending.add(delivery.settled().toCompletableFuture());
                    }
                }
                case SendOutcome.Refused r -> console.status("not sent to " + to + ": " + describe(r.reason()));
            }
        });
    }

    /** Paired (on the event thread, the new session exists): held lines go to it, in order. */
    private void releaseHeld(ChatConsole console) {
        Peer current = peer;
        if (current == null) {
            return;
        }
        synchronized (held) {
            List<String> lines = new ArrayList<>(held);
            held.clear();
            for (String line : lines) {
                send(current, console, line);
            }
            held.notifyAll();
        }
    }

    private static void pair(Peer peer, ChatConsole console, String target) {
        console.status("asking to pair with " + target + "...");
        peer.pair(target).exceptionally(error -> {
            console.status("pair request failed: " + error.getMessage());
            return null;
        });
    }

    private static void peers(Peer peer, ChatConsole console) {
        Map<String, Boolean> peers = peer.peers();
        if (peers.isEmpty()) {
            console.status("no peers" + (peer.inRoom() ? " in room " + peer.room() : " (/pair <id>)"));
            return;
        }
        peers.forEach((id, open) -> {
            var session = peer.session(id);
            console.status(id + ": " + (open ? "channel open" : "connecting")
                    + (session != null ? ", " + session.connectionState().name().toLowerCase() : ""));
        });
    }

    private static void help(ChatConsole console) {
        console.status("/pair <id>  pair with a peer (lobby)");
        console.status("/peers      list peers and their state");
        console.status("/leave      end the pairing (lobby) or leave the room");
        console.status("/quit       close everything and exit (also Ctrl-D)");
        console.status("//text      send a line that starts with /");
    }

    /**
     * Lines still held for a pairing, or queued until a channel opens, get a bounded grace period to go
     * out before exit (so {@code echo hi | rendezvous chat --pair ID} delivers "hi").
     */
    private void flushPending() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLUSH_ON_QUIT_SECONDS);
        try {
            synchronized (held) {
                while (!held.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return;
                    }
                    held.wait(left);
                }
            }
            CompletableFuture<?>[] waiting;
            synchronized (pending) {
                pending.removeIf(CompletableFuture::isDone);
                waiting = pending.toArray(CompletableFuture[]::new);
            }
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            CompletableFuture.allOf(waiting).get(left, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // What did not go out is reported as undelivered when the connections close.
        }
    }

    private static String describe(RefusalReason reason) {
        return switch (reason) {
            case CLOSED -> "connection closed";
            case QUEUE_FULL -> "too many messages waiting";
            case EXPIRED -> "expired before the channel opened";
            case TOO_LARGE -> "message too large";
            case SEND_FAILED -> "the data channel refused it";
        };
    }

    /** Chat output is the console's: logs go to stderr, warnings only. */
    private static void quietLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
    }

    /** Peer events, printed; runs on the peer's event thread. */
    private final class ConsoleEvents implements PeerListener {
        private final ChatConsole console;
        private final boolean lobby;

        ConsoleEvents(ChatConsole console, boolean lobby) {
            this.console = console;
            this.lobby = lobby;
        }

        @Override
        public void onPaired(String peerId, boolean initiator) {
            console.status("paired with " + peerId + (initiator ? " (we offer)" : " (they offer)"));
            releaseHeld(console);
        }

        @Override
        public void onRoomMembers(List<String> peerIds) {
            console.status(peerIds.isEmpty() ? "room is empty; waiting for others" : "in the room: " + String.join(", ", peerIds));
        }

        @Override
        public void onPeerJoined(String peerId, String username) {
            console.status(peerId + (username != null ? " (" + username + ")" : "") + " joined");
        }

        @Override
        public void onPeerLeft(String peerId) {
            console.status(peerId + " left" + (lobby ? "; ready for a new peer (/pair <id>, or wait to be paired)" : ""));
        }

        @Override
        public void onIceConnectionState(String peerId, RTCIceConnectionState state) {
            console.status(peerId + ": ICE " + state.name().toLowerCase());
        }

        @Override
        public void onConnectionState(String peerId, RTCPeerConnectionState state) {
            console.status(peerId + ": connection " + state.name().toLowerCase());
        }

        @Override
        public void onChannelOpen(String peerId) {
            console.status(peerId + ": channel open, type to chat");
        }

        @Override
        public void onChannelClosed(String peerId) {
            console.status(peerId + ": channel closed");
        }

        @Override
        public void onMessage(String peerId, String text) {
            console.message(peerId, text);
        }

        @Override
        public void onUndelivered(String peerId, String text, RefusalReason reason) {
            console.status("not delivered to " + peerId + " (" + describe(reason) + "): " + ChatConsole.oneLine(text));
        }

        @Override
        public void onError(String code, String message) {
            console.status("error " + code + ": " + message);
        }

        @Override
        public void onSignalingClosed(int code, String reason) {
            console.status("signaling connection closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        }
    }
}
