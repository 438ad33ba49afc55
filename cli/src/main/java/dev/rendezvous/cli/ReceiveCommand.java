package dev.rendezvous.cli;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.files.FileReceiver;
import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.DataChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rendezvous receive [CODE]}: pairs with the sender waiting under CODE (or, without one, waits under
 * its own code for {@code rendezvous send --pair}), or joins a room; writes each file into {@code --dir} as
 * it arrives (streamed to {@code name.part}, renamed once its SHA-256 is verified) and exits once the sender
 * has left. Never overwrites without {@code --force}; resumes from a {@code name.part} left by an
 * interrupted transfer.
 */
@Command(
        name = "receive",
        mixinStandardHelpOptions = true,
        description = {
            "Receives files from `rendezvous send` (or a page) over WebRTC data channels.",
            "With CODE: pairs with the sender that printed it. Without: prints its own code for `rendezvous send FILE --pair <code>`.",
            TransferFlags.EXIT_CODES
        })
final class ReceiveCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(paramLabel = "CODE", arity = "0..1", description = "The code `rendezvous send` printed.")
    String code;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where to save files (default: the current directory).")
    Path dir;

    @Option(
            names = "--force",
            description = "Replace files that already exist (without it, such a transfer is refused).")
    boolean force;

    @Option(names = "--room", paramLabel = "NAME", description = "Join this room and accept files from its members.")
    String room;

    @Option(
            names = "--id",
            paramLabel = "ID",
            description = "Without CODE: wait under this id instead of a random code.")
    String id;

    @Mixin
    TransferFlags flags;

    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private int completed;
    private int failures;
    private final java.util.Set<String> active = new java.util.HashSet<>();
    private boolean senderLeft;

    @Override
    public Integer call() {
        QuietLogging.apply();
        TransferOutput out = flags.output();
        if (code != null && room != null) {
            out.failed(null, "a CODE and --room do not go together");
            return TransferFlags.BAD_ARGUMENTS;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            out.failed(null, "cannot use " + dir + " as the target directory: " + e.getMessage());
            return TransferFlags.BAD_ARGUMENTS;
        }
        Reception reception = new Reception(out);
        String ownId = code == null && room == null ? (id != null ? id : TransferCode.next()) : null;
        Peer peer = PeerFlags.join(
                flags.options(ownId, room),
                reception,
                cause -> out.failed(null, JoinFailure.describe(flags.server.lobby(), null, cause)));
        if (peer == null) {
            return TransferFlags.NOT_CONNECTED;
        }
        try {
            if (code != null) {
                out.status("pairing with " + code + "...");
                peer.pair(code);
            } else if (room != null) {
                out.status("in room " + room + " as " + peer.id() + "; waiting for files");
            } else {
                out.code(peer.id(), "rendezvous send FILE… --pair " + peer.id() + flags.forOtherSide());
            }
            while (true) {
                try {
                    return finished.get(flags.waitSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    synchronized (this) {
                        // --wait bounds the waiting, not a transfer: a 1 GiB file may well take longer.
                        if (!active.isEmpty()) {
                            continue;
                        }
                        out.failed(
                                null,
                                completed == 0
                                        ? "no files within " + flags.waitSeconds + " s"
                                        : "gave up waiting after " + flags.waitSeconds + " s");
                        return completed == 0 ? TransferFlags.NOT_CONNECTED : TransferFlags.TRANSFER_FAILED;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TransferFlags.TRANSFER_FAILED;
        } catch (ExecutionException e) {
            return TransferFlags.TRANSFER_FAILED;
        } finally {
            peer.close();
        }
    }

    /** The sender is gone and nothing is being written: the result is known. Event thread. */
    private synchronized void maybeFinish() {
        if (senderLeft && active.isEmpty()) {
            finished.complete(failures == 0 && completed > 0 ? TransferFlags.OK : TransferFlags.TRANSFER_FAILED);
        }
    }

    /**
     * What the receive hears, on the peer's event thread: the sender's comings and goings and each file's
     * progress, which together say when the run is over ({@code maybeFinish}).
     */
    private final class Reception implements PeerListener, FileReceiver.Events {
        private final TransferOutput out;
        private final FileReceiver files;

        Reception(TransferOutput out) {
            this.out = out;
            this.files = new FileReceiver(dir, force, this);
        }

        @Override
        public void onPaired(String peerId, boolean initiator) {
            out.status("paired with " + peerId);
        }

        @Override
        public void onChannelOpen(String peerId) {
            out.status("connected to " + peerId + "; waiting for files");
        }

        @Override
        public ChannelListener onRemoteChannel(String peerId, DataChannel channel) {
            return FileReceiver.isTransfer(channel) ? files.accept(channel) : null;
        }

        @Override
        public void onPeerLeft(String peerId) {
            synchronized (ReceiveCommand.this) {
                if (room != null && completed == 0 && failures == 0 && active.isEmpty()) {
                    return; // a member that never sent us anything: keep waiting
                }
                senderLeft = true;
            }
            out.status(peerId + " left");
            maybeFinish();
        }

        @Override
        public void onError(String errorCode, String message) {
            if ("peer_busy".equals(errorCode)) {
                out.failed(null, "the sender with code " + code + " is already sending to someone else");
                finished.complete(TransferFlags.NOT_CONNECTED);
            } else if ("peer_not_found".equals(errorCode)) {
                out.failed(
                        null,
                        "no sender is waiting with code " + code + " on " + flags.server.lobby()
                                + " (check the code, and that both sides use the same --server)");
                finished.complete(TransferFlags.NOT_CONNECTED);
            } else {
                out.status("error " + errorCode + ": " + message);
            }
        }

        @Override
        public void onSignalingClosed(int status, String reason) {
            synchronized (ReceiveCommand.this) {
                senderLeft = true;
            }
            maybeFinish();
        }

        @Override
        public void started(String name, long size, long offset) {
            synchronized (ReceiveCommand.this) {
                active.add(name);
            }
            out.started(name, size, offset);
            out.progress(name, offset, size);
        }

        @Override
        public void progress(String name, long bytes, long size) {
            out.progress(name, bytes, size);
        }

        @Override
        public void completed(String name, Path path, long size, String sha256) {
            synchronized (ReceiveCommand.this) {
                active.remove(name);
                completed++;
            }
            out.done(name, size, sha256, path.toString());
            maybeFinish();
        }

        @Override
        public void failed(String name, String reason) {
            synchronized (ReceiveCommand.this) {
                if (name != null) {
                    active.remove(name);
                }
                failures++;
            }
            out.failed(name, reason);
            maybeFinish();
        }
    }
}
