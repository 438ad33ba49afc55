package dev.rendezvous.client.files;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.ChannelOptions;
import dev.rendezvous.client.rtc.DataChannel;
import dev.rendezvous.client.rtc.Delivery;
import dev.rendezvous.client.rtc.RefusalReason;
import dev.rendezvous.client.rtc.SendOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Sends one file on its own channel and waits until the receiver confirms it ({@code done}) or refuses.
 * It hashes the file first, offers it, sends from the offset the receiver states, never more than
 * {@value #WINDOW} bytes beyond what the receiver has acknowledged as written, then {@code end}.
 *
 * <p>Blocks the calling thread (never call it from a listener: the replies arrive on the peer's event
 * thread). Reads the file one {@value #CHUNK}-byte chunk at a time into one reused direct buffer, which
 * webrtc-java hands to libwebrtc as it is: the chunk's only copy on the way out is libwebrtc's own (a
 * {@code byte[]} would cost a read into a temporary buffer, a copy into the array and JNI's copy). A chunk
 * that flow control queues is waited for before the next is read: reading ahead into the channel's queue
 * (up to the window, 256 buffers) made the 1 GiB send 6 % slower (medians of 3), its 16 MiB of buffers cycling through
 * the caches and the reading thread contending with the sending one for the queue
 * (docs/benchmarks.md, "`rendezvous send` of 1 GiB between two processes").
 */
public final class FileSender {
    /** Chunk size: 64 KiB moved ~130 MiB/s through webrtc-java here, well under SCTP's 256 KiB message limit. */
    public static final int CHUNK = 64 * 1024;
    /**
     * Bytes in flight beyond the receiver's last acknowledgement: bounds the receiver's memory. Twice
     * {@link dev.rendezvous.client.rtc.SendPolicy#BULK}'s high mark, so libwebrtc's buffer never waits
     * for an acknowledgement.
     */
    public static final long WINDOW = 16L << 20;

    /** A confirmed transfer: {@code resumedFrom} bytes the receiver already had, the rest sent now. */
    public record Sent(String name, long size, long resumedFrom, String sha256) {}

    private record Closed() {}

    private record Failure(String reason) {}

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
    private final Duration idle;

    private FileSender(Duration idle) {
        this.idle = idle;
    }

    /**
     * Sends {@code file} to {@code peerId} on a new channel labelled {@code label} (which must start with
     * {@link FileReceiver#LABEL_PREFIX}).
     *
     * @param idle how long to wait for the receiver's next reply before giving up
     * @throws FileTransferException refused by the receiver, channel closed, timed out, or the file unreadable
     */
    public static Sent send(Peer peer, String peerId, String label, Path file, TransferProgress progress, Duration idle)
            throws FileTransferException {
        return send(
                listener -> peer.openChannel(peerId, label, ChannelOptions.RELIABLE, listener), file, progress, idle);
    }

    /** As above, with the channel made by {@code open} from the listener it must report to. */
    public static Sent send(
            Function<ChannelListener, DataChannel> open, Path file, TransferProgress progress, Duration idle)
            throws FileTransferException {
        if (!Files.isRegularFile(file)) {
            throw new FileTransferException(file + " is not a readable file");
        }
        String name = file.getFileName().toString();
        String problem = SafeFileName.problem(name);
        if (problem != null) {
            throw new FileTransferException("cannot send " + file + ": " + problem);
        }
        FileSender sender = new FileSender(idle);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            String sha256;
            try {
                sha256 = Hashing.of(file);
            } catch (IOException e) {
                throw new FileTransferException("cannot read " + file + ": " + e.getMessage(), e);
            }
            DataChannel channel = open.apply(sender.listener());
            try {
                return sender.run(channel, in, new FileMessage.Meta(name, size, sha256), progress);
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            throw new FileTransferException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private ChannelListener listener() {
        return new ChannelListener() {
            @Override
            public void onMessage(DataChannel channel, String text) {
                try {
                    inbox.add(FileMessage.parse(text));
                } catch (IllegalArgumentException e) {
                    inbox.add(new Failure("the receiver sent a bad message: " + e.getMessage()));
                }
            }

            @Override
            public void onMessage(DataChannel channel, ByteBuffer data) {
                inbox.add(new Failure("the receiver sent binary data"));
            }

            @Override
            public void onUndelivered(DataChannel channel, ByteBuffer data, RefusalReason reason) {
                inbox.add(new Failure("a chunk could not be sent: " + reason));
            }

            @Override
            public void onClosed(DataChannel channel) {
                inbox.add(new Closed());
            }
        };
    }

    private Sent run(DataChannel channel, FileChannel in, FileMessage.Meta meta, TransferProgress progress)
            throws FileTransferException, IOException {
        sendText(channel, meta);
        long offset = switch (next()) {
            case FileMessage.Accept a -> a.offset();
            case FileMessage m -> throw new FileTransferException("unexpected reply " + m.toJson());
        };
        if (offset > meta.size()) {
            throw new FileTransferException(
                    "the receiver asked to resume at " + offset + ", past the size " + meta.size());
        }
        long acked = offset;
        long position = offset;
        progress.progress(meta.name(), acked, meta.size());
        while (position < meta.size()) {
            while (position - acked >= WINDOW) {
                acked = ack(next(), acked, meta, progress);
            }
            Object waiting;
            while ((waiting = inbox.poll()) != null) {
                acked = ack(reply(waiting), acked, meta, progress);
            }
            int length = (int) Math.min(CHUNK, meta.size() - position);
            ByteBuffer chunk = buffer.clear().limit(length);
            while (chunk.hasRemaining()) {
                if (in.read(chunk, position + chunk.position()) < 0) {
                    throw new FileTransferException(meta.name() + " got shorter while it was being sent");
                }
            }
            chunk.flip();
            sendChunk(channel.send(chunk)); // once it returns, libwebrtc has copied the chunk: the buffer is free
            position += length;
        }
        sendText(channel, new FileMessage.End());
        while (true) {
            switch (next()) {
                case FileMessage.Ack a -> acked = ack(a, acked, meta, progress);
                case FileMessage.Done d -> {
                    if (!d.sha256().equals(meta.sha256())) {
                        throw new FileTransferException("the receiver confirmed a different SHA-256: " + d.sha256());
                    }
                    progress.progress(meta.name(), meta.size(), meta.size());
                    return new Sent(meta.name(), meta.size(), offset, meta.sha256());
                }
                case FileMessage m -> throw new FileTransferException("unexpected reply " + m.toJson());
            }
        }
    }

    private static long ack(FileMessage message, long acked, FileMessage.Meta meta, TransferProgress progress)
            throws FileTransferException {
        if (!(message instanceof FileMessage.Ack a)) {
            throw new FileTransferException("unexpected reply " + message.toJson());
        }
        if (a.bytes() > acked) {
            progress.progress(meta.name(), a.bytes(), meta.size());
            return a.bytes();
        }
        return acked;
    }

    /**
     * Returns once the chunk is with libwebrtc (at once, or when flow control let it go). If it cannot be
     * sent, the receiver's own reason wins when it gave one: a receiver that refuses (say, its disk is full)
     * says why and then closes the channel, which is what refuses the chunk.
     */
    private void sendChunk(Delivery delivery) throws FileTransferException {
        SendOutcome outcome = delivery.outcome();
        if (outcome instanceof SendOutcome.Queued) {
            try {
                outcome = delivery.settled().toCompletableFuture().get(idle.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FileTransferException("interrupted");
            } catch (ExecutionException | TimeoutException e) {
                throwWhatTheReceiverSaid();
                throw new FileTransferException("the channel took no data for " + idle.toSeconds() + " s");
            }
        }
        if (outcome instanceof SendOutcome.Refused r) {
            throwWhatTheReceiverSaid();
            throw new FileTransferException("could not send: " + r.reason());
        }
    }

    /** Reads what already arrived: a refusal, a failure or a close becomes the exception; acks are passed over. */
    private void throwWhatTheReceiverSaid() throws FileTransferException {
        Object item;
        while ((item = inbox.poll()) != null) {
            reply(item);
        }
    }

    private static void sendText(DataChannel channel, FileMessage message) throws FileTransferException {
        Delivery delivery = channel.send(message.toJson());
        if (delivery.outcome() instanceof SendOutcome.Refused r) {
            throw new FileTransferException("could not send: " + r.reason());
        }
    }

    /** The receiver's next message; a refusal, a failure or a close becomes the exception. */
    private FileMessage next() throws FileTransferException {
        Object item;
        try {
            item = inbox.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FileTransferException("interrupted");
        }
        if (item == null) {
            throw new FileTransferException("no reply from the receiver within " + idle.toSeconds() + " s");
        }
        return reply(item);
    }

    private static FileMessage reply(Object item) throws FileTransferException {
        return switch (item) {
            case FileMessage.Refuse r -> throw new FileTransferException("refused by the receiver: " + r.reason());
            case FileMessage m -> m;
            case Failure f -> throw new FileTransferException(f.reason());
            case Closed c -> throw new FileTransferException("the receiver closed the transfer");
            default -> throw new IllegalStateException("unknown inbox item " + item);
        };
    }
}
