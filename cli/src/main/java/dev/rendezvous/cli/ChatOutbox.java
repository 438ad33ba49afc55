package dev.rendezvous.cli;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.SendOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where each line typed in {@code chat} goes: to every peer, held for the pairing we asked for, or nowhere
 * (each such line named at the end). Keeps what became of every line, so that {@code chat} can say at the
 * end which did not arrive. Called on the reading thread and on the peer's event thread (a pairing's outcome).
 */
final class ChatOutbox {
    private static final int MAX_HELD_LINES = 1000;

    private final ChatConsole console;
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

    ChatOutbox(ChatConsole console) {
        this.console = console;
    }

    /** The peer is connected: lines held from now on can be released to it. */
    void connected(Peer connected) {
        this.peer = connected;
    }

    /**
     * Sends to every peer. In the lobby with no peer, a line waits only for the pairing we asked for; with
     * none under way it is refused, as the page refuses it: a line kept for whoever pairs next could reach
     * a reader nobody chose (docs/web.md, "A line typed with nobody to send to").
     */
    void send(Peer peer, String text) {
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
    void paired(String pairedWith) {
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
                send(current, line);
            }
            held.notifyAll();
        }
    }

    void pair(Peer peer, String target) {
        synchronized (held) {
            pairingWith = target;
        }
        console.status("asking to pair with " + target + "...");
        peer.pair(target).exceptionally(error -> {
            console.status("could not ask to pair with " + target + ": the connection to the server is closed;"
                    + " /quit, then start chat again");
            pairingFailed("not connected to the server");
            return null;
        });
    }

    /** Our pair request was refused (or could not be sent): the lines held for it go nowhere, each named. */
    void pairingFailed(String why) {
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

    /**
     * Waits, until {@code deadlineNanos}, for the lines held for a pairing to go out and for queued lines to
     * settle.
     *
     * @return the held lines that never went out, as {@code chat} names them
     */
    List<String> awaitSettled(long deadlineNanos) {
        List<String> lost = new ArrayList<>();
        try {
            synchronized (held) {
                while (!held.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    held.wait(left);
                }
                for (String line : held) {
                    lost.add("to nobody: " + ChatConsole.oneLine(line) + " (no peer paired before chat gave up)");
                }
            }
            deliveries.awaitSettled(deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lost;
    }

    /** The lines that went to nobody, then each line a peer did not receive. */
    List<String> undelivered() {
        List<String> lost = new ArrayList<>();
        synchronized (wentNowhere) {
            wentNowhere.forEach(line -> lost.add("to nobody: " + line));
        }
        lost.addAll(deliveries.undelivered());
        return lost;
    }
}
