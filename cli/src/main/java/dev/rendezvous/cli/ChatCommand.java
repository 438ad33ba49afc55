package dev.rendezvous.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.ChannelState;
import dev.rendezvous.client.rtc.ConnectionState;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.IceState;
import dev.rendezvous.client.rtc.RefusalReason;
import dev.rendezvous.client.rtc.SendOutcome;
import dev.rendezvous.client.signaling.SignalingOptions;
import dev.rendezvous.protocol.IceServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rendezvous chat}: chats with a peer (lobby) or a room (full mesh) over WebRTC data channels.
 *
 * <p>In a terminal, incoming lines and status lines print above the prompt (JLine). Otherwise (stdin or
 * stdout not a terminal, or {@code --plain}) it reads lines from stdin and writes each received message as
 * one line on stdout; status lines, including {@code * your id: <id>}, go to stderr with a {@code "* "}
 * prefix.
 *
 * <p>On {@code /quit} or end of input it first waits (at most {@code --deliver-timeout}, {@value #DELIVER_TIMEOUT_DEFAULT} s by default) until
 * every line has been delivered or refused: lines held for a pairing go out, queued lines are sent, every
 * channel's buffer drains ({@code Peer.flush}), then each chat channel is closed gracefully, which
 * completes only once the other side has received everything before the close. It exits 0 if every line
 * arrived; otherwise it names each undelivered line on stderr ({@code * not delivered to bob: hello
 * (connection closed)}) and exits 1. It also exits 1 if it could not join.
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
    private static final String DELIVER_TIMEOUT_DEFAULT = "10";
    private static final int MAX_HELD_LINES = 1000;
    /** The server's refusals of a pair_request (protocol v1, "Lobby"). */
    private static final java.util.Set<String> PAIR_REFUSALS =
            java.util.Set.of("peer_not_found", "peer_busy", "already_paired", "self_pair");

    /**
     * Lobby lines typed while a pairing we asked for ({@code --pair}, {@code /pair}) is under way: they go to
     * that peer once paired, and are refused if the pairing fails. Guarded by itself.
     */
    private final List<String> held = new ArrayList<>();
    /** The peer our pending pair request names, or null. Guarded by {@link #held}. */
    private String pairingWith;
    /** Every line sent, per peer, to name at the end what did not arrive. */
    private final ChatDeliveries deliveries = new ChatDeliveries();
    /** Lines that went to nobody (an empty room, too many held). Guarded by itself. */
    private final List<String> wentNowhere = new ArrayList<>();

    private volatile Peer peer;

    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "ws://127.0.0.1:8765/ws",
            converter = ServerAddress.Converter.class,
            description =
                    "The signaling server: ws://host:port/ws, wss://…, http://host:port, https://… or host:port (default: ${DEFAULT-VALUE}).")
    ServerAddress server;

    @Option(
            names = "--room",
            paramLabel = "NAME",
            converter = PeerName.class,
            description = "Join this room (full mesh) instead of the lobby.")
    String room;

    @Option(
            names = "--pair",
            paramLabel = "ID",
            converter = PeerName.class,
            description = "Lobby: pair with this peer at once.")
    String pairWith;

    @Option(names = "--token", paramLabel = "JWT", description = "Token for a server with auth on.")
    String token;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (auth off).")
    String name;

    @Option(
            names = "--id",
            paramLabel = "ID",
            converter = PeerName.class,
            description = "Ask the server for this id (1-64 of [A-Za-z0-9._-]).")
    String clientId;

    @Option(
            names = "--ice-loopback",
            description = "Loopback ICE mode: peer-to-peer traffic on 127.0.0.1 only (single host).")
    boolean iceLoopback;

    @Option(
            names = "--ice-relay",
            description = "Relay only (TURN): the server's ice_servers, or --ice-server, must name a TURN server.")
    boolean iceRelay;

    @Option(
            names = "--ice-server",
            paramLabel = "URL",
            description = "STUN/TURN URL to use instead of the server's ice_servers (repeatable).")
    List<String> iceServerUrls = new ArrayList<>();

    @Option(names = "--ice-username", paramLabel = "USER", description = "TURN username for --ice-server.")
    String iceUsername;

    @Option(names = "--ice-credential", paramLabel = "PASSWORD", description = "TURN password for --ice-server.")
    String iceCredential;

    @Option(
            names = "--no-trickle",
            description =
                    "Send each offer/answer once ICE gathering is complete, candidates inside (for peers that do not trickle).")
    boolean noTrickle;

    @Option(
            names = "--deliver-timeout",
            paramLabel = "SECONDS",
            defaultValue = DELIVER_TIMEOUT_DEFAULT,
            description =
                    "At /quit or end of input, wait this long for every line to be delivered (default: ${DEFAULT-VALUE}).")
    long deliverTimeoutSeconds;

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
        SignalingOptions signaling = SignalingOptions.of(server.lobby())
                .withToken(token)
                .withClientId(clientId)
                .withUsername(name);
        PeerOptions options = PeerOptions.lobby(server.lobby())
                .withSignaling(signaling)
                .withLoopback(iceLoopback)
                .inRoom(room);
        options = options.withSession(options.session().withTrickle(!noTrickle).withRelayOnly(iceRelay));
        if (!iceServerUrls.isEmpty()) {
            options = options.withIceServers(List.of(new IceServer(iceServerUrls, iceUsername, iceCredential)));
        }
        try {
            peer = Peer.connect(options, new ConsoleEvents(console, room == null))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            console.status(JoinFailure.describe(options.signaling().server(), room, cause));
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
            return finish(console);
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
                    console.status(
                            peer.inRoom()
                                    ? "left room " + peer.room() + "; /quit to exit"
                                    : "left; ready for a new peer (/pair <id>)");
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

    /**
     * Sends to every peer. In the lobby with no peer, a line waits only for the pairing we asked for; with
     * none under way it is refused, as the page refuses it: a line kept for whoever pairs next could reach
     * a reader nobody chose (docs/web.md, "A line typed with nobody to send to").
     */
    private void send(Peer peer, ChatConsole console, String text) {
        if (!peer.inRoom()) {
            synchronized (held) {
                if (pairingWith != null && (peer.peers().isEmpty() || !held.isEmpty())) {
                    if (held.size() >= MAX_HELD_LINES) {
                        console.status("not sent: " + MAX_HELD_LINES + " lines already wait for a peer");
                        wentNowhere(text, MAX_HELD_LINES + " lines already waited for a peer");
                    } else {
                        held.add(text);
                        console.status("not paired yet: the line goes to " + pairingWith + " once paired");
                    }
                    return;
                }
                if (peer.peers().isEmpty()) {
                    console.status("not sent: nobody to send to yet; /pair <id> first, then send it again"
                            + " (a line is not kept for whoever pairs next)");
                    wentNowhere(text, "no peer paired: nobody to send to");
                    return;
                }
            }
        }
        Map<String, Delivery> sent = peer.send(text);
        if (sent.isEmpty()) {
            console.status("not sent: nobody else in the room");
            wentNowhere(text, "nobody else in the room");
        }
        sent.forEach((to, delivery) -> {
            deliveries.record(to, text, delivery, peer.chat(to));
            if (delivery.outcome() instanceof SendOutcome.Refused r) {
                console.status("not sent to " + to + ": " + ChatDeliveries.describe(r.reason()));
            }
        });
    }

    private void wentNowhere(String text, String why) {
        synchronized (wentNowhere) {
            wentNowhere.add(ChatConsole.oneLine(text) + " (" + why + ")");
        }
    }

    /** Paired (on the event thread, the new session exists): lines held for this peer go to it, in order. */
    private void releaseHeld(ChatConsole console, String pairedWith) {
        Peer current = peer;
        if (current == null) {
            return;
        }
        synchronized (held) {
            if (!pairedWith.equals(pairingWith)) {
                return; // someone else paired with us: our own request will be refused, and the lines with it
            }
            pairingWith = null;
            List<String> lines = new ArrayList<>(held);
            held.clear();
            for (String line : lines) {
                send(current, console, line);
            }
            held.notifyAll();
        }
    }

    private void pair(Peer peer, ChatConsole console, String target) {
        synchronized (held) {
            pairingWith = target;
        }
        console.status("asking to pair with " + target + "...");
        peer.pair(target).exceptionally(error -> {
            console.status("could not ask to pair with " + target + ": the connection to the server is closed;"
                    + " /quit, then start chat again");
            pairingFailed(console, "not connected to the server");
            return null;
        });
    }

    /** Our pair request was refused (or could not be sent): the lines held for it go nowhere, each named. */
    private void pairingFailed(ChatConsole console, String why) {
        synchronized (held) {
            if (pairingWith == null) {
                return;
            }
            String reason = "no peer paired: pairing with " + pairingWith + " failed (" + why + ")";
            pairingWith = null;
            for (String line : held) {
                console.status("not sent: " + ChatConsole.oneLine(line) + " (" + reason + ")");
                wentNowhere(line, reason);
            }
            held.clear();
            held.notifyAll();
        }
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
     * End of input or /quit: waits, within one deadline, for lines held for a pairing to go out, for
     * queued lines to settle, for every channel to drain, and for each chat channel's graceful close
     * (which completes once the other side has everything); then names each line that did not arrive.
     *
     * @return the exit status: 0 if every line arrived, else 1
     */
    private int finish(ChatConsole console) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, deliverTimeoutSeconds));
        List<String> lost = new ArrayList<>();
        try {
            synchronized (held) {
                while (!held.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    held.wait(left);
                }
                for (String line : held) {
                    lost.add("to nobody: " + ChatConsole.oneLine(line) + " (no peer paired before chat gave up)");
                }
            }
            deliveries.awaitSettled(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peer.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        for (String unconfirmed : closeChannelsGracefully(deadline)) {
            lost.add("to " + unconfirmed
                    + ": the last lines (the channel did not close in time to confirm they arrived)");
        }
        synchronized (wentNowhere) {
            wentNowhere.forEach(line -> lost.add("to nobody: " + line));
        }
        lost.addAll(deliveries.undelivered());
        for (String line : lost) {
            console.status("not delivered " + line);
        }
        return lost.isEmpty() ? 0 : 1;
    }

    /**
     * Closes each open chat channel and waits (until the deadline) for the close to complete: the other
     * side performs it only once it has received everything sent before it.
     *
     * @return the peers whose channel did not finish closing in time
     */
    private List<String> closeChannelsGracefully(long deadlineNanos) {
        List<DataChannel> closing = new ArrayList<>();
        for (String id : peer.peers().keySet()) {
            DataChannel chat = peer.chat(id);
            if (chat != null && chat.isOpen()) {
                chat.close();
                closing.add(chat);
            }
        }
        List<String> unconfirmed = new ArrayList<>();
        for (DataChannel chat : closing) {
            while (chat.state() != ChannelState.CLOSED && System.nanoTime() - deadlineNanos < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            if (chat.state() != ChannelState.CLOSED) {
                unconfirmed.add(chat.peerId());
            }
        }
        return unconfirmed;
    }

    /** Chat output is the console's: logs go to stderr, warnings only. */
    static void quietLogging() {
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
            releaseHeld(console, peerId);
        }

        @Override
        public void onRoomMembers(List<String> peerIds) {
            console.status(
                    peerIds.isEmpty()
                            ? "room is empty; waiting for others"
                            : "in the room: " + String.join(", ", peerIds));
        }

        @Override
        public void onPeerJoined(String peerId, String username) {
            console.status(peerId + (username != null ? " (" + username + ")" : "") + " joined");
        }

        @Override
        public void onPeerLeft(String peerId) {
            console.status(
                    peerId + " left" + (lobby ? "; ready for a new peer (/pair <id>, or wait to be paired)" : ""));
        }

        @Override
        public void onIceState(String peerId, IceState state) {
            console.status(peerId + ": ICE " + state.name().toLowerCase());
        }

        @Override
        public void onConnectionState(String peerId, ConnectionState state) {
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
            console.status("not delivered to " + peerId + " (" + ChatDeliveries.describe(reason) + "): "
                    + ChatConsole.oneLine(text));
        }

        @Override
        public void onError(String code, String message) {
            console.status("error " + code + ": " + message);
            if (PAIR_REFUSALS.contains(code)) {
                pairingFailed(console, code);
            }
        }

        @Override
        public void onSignalingClosed(int code, String reason) {
            console.status("signaling connection closed (" + code
                    + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            pairingFailed(console, "the connection to the server closed");
        }

        // Resume (v1.1): the chat itself goes on over the data channel while signaling is away.
        @Override
        public void onSignalingLost(String reason) {
            console.status("signaling lost — resuming…");
        }

        @Override
        public void onSignalingResumed(int replayed, int resent) {
            console.status("resumed (" + replayed + (replayed == 1 ? " signal" : " signals") + " replayed)");
        }

        @Override
        public void onSignalingResumeFailed(String newId, List<String> lostPeers, String reason) {
            console.status("could not resume (" + reason + "): new session, id " + newId
                    + (lostPeers.isEmpty() ? "" : "; connection with " + String.join(", ", lostPeers) + " closed")
                    + (lobby ? "; /pair <id> to pair again" : ""));
        }
    }
}
