package dev.rendezvous.cli;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.files.FileReceiver;
import dev.rendezvous.client.files.FileSender;
import dev.rendezvous.client.files.FileTransferException;
import dev.rendezvous.client.files.SafeFileName;
import dev.rendezvous.client.rtc.SendPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rendezvous send FILE…}: waits in the lobby under a short code (printed with the exact command for
 * the other side), or pairs with a waiting peer ({@code --pair}), or joins a room ({@code --room}); then
 * sends each file on its own channel (the protocol in {@code docs/files.md}) and exits once the receiver
 * has confirmed every one. Files are read one chunk at a time.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Sends files to a peer over WebRTC data channels.",
            "Prints a short code and the command to run on the other side (rendezvous receive <code>), and waits.",
            TransferFlags.EXIT_CODES
        })
final class SendCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to send.")
    List<Path> files;

    @Option(
            names = "--pair",
            paramLabel = "ID",
            description =
                    "Send to this waiting peer (a page, or `rendezvous receive` without a code) instead of printing a code.")
    String pairWith;

    @Option(
            names = "--room",
            paramLabel = "NAME",
            description = "Join this room and send to the members there once one is connected.")
    String room;

    @Option(
            names = "--code",
            paramLabel = "CODE",
            description = "Wait under this code instead of a random one (an id: 1-64 of [A-Za-z0-9._-]).")
    String code;

    @Mixin
    TransferFlags flags;

    @Override
    public Integer call() {
        QuietLogging.apply();
        TransferOutput out = flags.output();
        if (pairWith != null && room != null) {
            out.failed(null, "--pair and --room do not go together");
            return TransferFlags.BAD_ARGUMENTS;
        }
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            String problem = !Files.isRegularFile(file) || !Files.isReadable(file)
                    ? "not a readable file"
                    : SafeFileName.problem(file.getFileName().toString());
            if (problem == null && !names.add(file.getFileName().toString())) {
                problem = "two files named " + file.getFileName();
            }
            if (problem != null) {
                out.failed(file.toString(), problem);
                return TransferFlags.BAD_ARGUMENTS;
            }
        }
        BlockingQueue<Object> ready = new LinkedBlockingQueue<>();
        PeerListener events = new PeerListener() {
            @Override
            public void onChannelOpen(String peerId) {
                ready.add(peerId);
            }

            @Override
            public void onError(String errorCode, String message) {
                ready.add(new Refusal(errorCode, message));
            }

            @Override
            public void onSignalingClosed(int status, String reason) {
                ready.add(new Refusal("closed", "the signaling connection closed (" + status + ")"));
            }
        };
        Peer peer = connect(out, events);
        if (peer == null) {
            return TransferFlags.NOT_CONNECTED;
        }
        try {
            return sendAll(peer, out, ready);
        } finally {
            peer.close();
        }
    }

    private record Refusal(String code, String message) {}

    private Peer connect(TransferOutput out, PeerListener events) {
        boolean lobbyCode = pairWith == null && room == null;
        for (int attempt = 0; attempt < 3; attempt++) {
            String id = lobbyCode ? (code != null ? code : TransferCode.next()) : null;
            PeerOptions options = flags.options(id, room);
            options = options.withSession(options.session().withSendPolicy(SendPolicy.BULK)); // a file sender
            AtomicReference<Throwable> refused = new AtomicReference<>();
            Peer peer = PeerFlags.join(options, events, refused::set);
            if (peer == null) {
                Throwable cause = refused.get();
                if (cause == null) {
                    return null; // interrupted
                }
                if (lobbyCode
                        && code == null
                        && String.valueOf(cause.getMessage()).contains("id_taken")) {
                    continue; // that code is in use on this server: draw another
                }
                out.failed(null, JoinFailure.describe(flags.server.lobby(), null, cause));
                return null;
            }
            if (lobbyCode) {
                out.code(peer.id(), "rendezvous receive " + peer.id() + flags.forOtherSide());
            } else if (room != null) {
                out.status("in room " + room + " as " + peer.id() + "; waiting for a member to connect");
            } else {
                out.status("asking " + pairWith + " to pair...");
                peer.pair(pairWith);
            }
            return peer;
        }
        out.failed(null, "could not find a free code on " + flags.server.lobby());
        return null;
    }

    private int sendAll(Peer peer, TransferOutput out, BlockingQueue<Object> ready) {
        String first;
        try {
            first = firstPeer(ready, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TransferFlags.NOT_CONNECTED;
        }
        if (first == null) {
            return TransferFlags.NOT_CONNECTED;
        }
        List<String> targets = new ArrayList<>();
        targets.add(first);
        if (room != null) {
            peer.peers().forEach((id, open) -> {
                if (open && !targets.contains(id)) {
                    targets.add(id);
                }
            });
        }
        int status = TransferFlags.OK;
        int label = 0;
        for (String target : targets) {
            out.status("connected to " + target);
            for (Path file : files) {
                try {
                    FileSender.Sent sent = FileSender.send(
                            peer,
                            target,
                            FileReceiver.LABEL_PREFIX + (++label),
                            file,
                            new StartingProgress(out),
                            REPLY_TIMEOUT);
                    out.done(sent.name(), sent.size(), sent.sha256(), null);
                } catch (FileTransferException e) {
                    out.failed(file.getFileName().toString(), e.getMessage());
                    status = TransferFlags.TRANSFER_FAILED;
                }
            }
        }
        return status;
    }

    /** Waits for the first peer whose chat channel opens; a refusal or the deadline ends the wait. */
    private String firstPeer(BlockingQueue<Object> ready, TransferOutput out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(flags.waitSeconds);
        while (true) {
            Object next = ready.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            switch (next) {
                case null -> {
                    out.failed(null, "nobody connected within " + flags.waitSeconds + " s");
                    return null;
                }
                case String peerId -> {
                    return peerId;
                }
                case Refusal r
                when "peer_not_found".equals(r.code()) -> {
                    out.failed(null, "no peer " + pairWith + " is waiting on " + flags.server.lobby());
                    return null;
                }
                case Refusal r -> {
                    out.failed(null, r.code() + ": " + r.message());
                    return null;
                }
                default -> throw new IllegalStateException("unexpected " + next);
            }
        }
    }

    /** Announces the file once the receiver states its offset (the first progress report). */
    private static final class StartingProgress implements dev.rendezvous.client.files.TransferProgress {
        private final TransferOutput out;
        private boolean started;

        StartingProgress(TransferOutput out) {
            this.out = out;
        }

        @Override
        public void progress(String name, long bytes, long size) {
            if (!started) {
                started = true;
                out.started(name, size, bytes);
            }
            out.progress(name, bytes, size);
        }
    }
}
