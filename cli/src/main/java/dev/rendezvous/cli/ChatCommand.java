package dev.rendezvous.cli;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.ChannelState;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.protocol.IceServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    private volatile Peer peer;

    @Mixin
    PeerFlags peerFlags;

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

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (auth off).")
    String name;

    @Option(
            names = "--id",
            paramLabel = "ID",
            converter = PeerName.class,
            description = "Ask the server for this id (1-64 of [A-Za-z0-9._-]).")
    String clientId;

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
        QuietLogging.apply();
        try (ChatConsole console = ChatConsole.open(plain)) {
            return chat(console, new ChatOutbox(console));
        }
    }

    private int chat(ChatConsole console, ChatOutbox outbox) {
        PeerOptions options = peerFlags.options(clientId, name, room);
        options = options.withSession(options.session().withTrickle(!noTrickle).withRelayOnly(iceRelay));
        if (!iceServerUrls.isEmpty()) {
            options = options.withIceServers(List.of(new IceServer(iceServerUrls, iceUsername, iceCredential)));
        }
        peer = PeerFlags.join(
                options,
                new ChatEvents(console, outbox, room == null),
                cause -> console.status(JoinFailure.describe(peerFlags.server.lobby(), room, cause)));
        if (peer == null) {
            return 1;
        }
        outbox.connected(peer);
        try {
            console.status("your id: " + peer.id() + (room != null ? " (room " + room + ")" : " (lobby)"));
            if (room == null) {
                if (pairWith != null) {
                    outbox.pair(peer, pairWith);
                } else {
                    console.status("waiting: /pair <id>, or give your id to the other side");
                }
            }
            String line;
            while ((line = console.readLine()) != null) {
                if (!handle(peer, console, outbox, line)) {
                    break;
                }
            }
            return finish(console, outbox);
        } finally {
            peer.close();
        }
    }

    /** @return false to quit */
    private boolean handle(Peer peer, ChatConsole console, ChatOutbox outbox, String line) {
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
                        outbox.pair(peer, words[1].strip());
                    }
                }
                default -> console.status("unknown command " + words[0] + " (/help)");
            }
            return true;
        }
        String text = line.startsWith("//") ? line.substring(1) : line;
        outbox.send(peer, text);
        return true;
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
    private int finish(ChatConsole console, ChatOutbox outbox) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, deliverTimeoutSeconds));
        List<String> lost = new ArrayList<>(outbox.awaitSettled(deadline));
        peer.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        for (String unconfirmed : closeChannelsGracefully(deadline)) {
            lost.add("to " + unconfirmed
                    + ": the last lines (the channel did not close in time to confirm they arrived)");
        }
        lost.addAll(outbox.undelivered());
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
}
